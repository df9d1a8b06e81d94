package io.flyover.optimizer;

import io.flyover.optimizer.latency.FailureDetector;
import io.flyover.optimizer.linkstate.CandidatePathFinder;
import io.flyover.optimizer.linkstate.CandidateTable;
import io.flyover.optimizer.linkstate.LinkStateGraph;
import io.flyover.optimizer.linkstate.LinkStateSink;
import io.flyover.optimizer.path.Route;
import io.flyover.optimizer.policy.PathPolicy;
import io.flyover.optimizer.policy.PathWeights;
import io.flyover.optimizer.policy.PolicyConfig;
import io.flyover.optimizer.probe.ProbeListener;
import io.flyover.optimizer.probe.ProbeTransport;
import io.flyover.optimizer.probe.ProbeVerdict;
import io.flyover.optimizer.probe.Prober;
import io.flyover.optimizer.probe.ProberConfig;
import org.agrona.DirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.LongHashSet;

import java.util.ArrayList;
import java.util.List;

/**
 * One POP's optimizer, wired: peers' direct paths are probed to learn links; link state (own and
 * peers') fills the {@link LinkStateGraph}; when it changes materially (at most every
 * {@code recomputeIntervalNs}) the candidates from this POP are recomputed, the prober's path set
 * follows them, and each destination's {@link PathPolicy} gets its candidates; probe results and
 * liveness flow to the policies; changed {@link PathWeights} go to a {@link PathWeightsListener}.
 * <p>
 * Deterministic for a seed. Not thread safe: owned by the optimizer thread, which calls
 * {@link #doWork(long)} and the {@code on*} entry points.
 */
public final class PathOptimizer implements ProbeListener
{
    /** Default shortest time between two candidate recomputations: one second. */
    public static final long DEFAULT_RECOMPUTE_INTERVAL_NS = 1_000_000_000L;

    private final int localPop;
    private final PolicyConfig policyConfig;
    private final PathWeightsListener weightsListener;
    private final long recomputeIntervalNs;
    private final long seed;
    private final LinkStateGraph graph = new LinkStateGraph();
    private final CandidateTable candidates;
    private final Prober prober;
    private final Int2ObjectHashMap<PathPolicy> policies = new Int2ObjectHashMap<>();
    private final List<PathPolicy> policyList = new ArrayList<>();
    private final LongHashSet peerRoutes = new LongHashSet();
    private final LongHashSet probed = new LongHashSet();
    private ProbeListener probeObserver = new ProbeListener()
    {
    };
    private LinkStateSink linkStateObserver = (fromPop, toPop, rttUs, lossPpm, nowNs) -> {};
    private java.util.function.LongPredicate routeFilter = route -> true;
    private long nextRecomputeNs;

    /**
     * @param localPop            this POP.
     * @param proberConfig        prober settings.
     * @param policyConfig        policy settings.
     * @param finder              candidate search.
     * @param transport           sends probes.
     * @param weightsListener     receives changed weights.
     * @param recomputeIntervalNs shortest time between candidate recomputations.
     * @param seed                seed of every random choice.
     * @param nowNs               current time.
     */
    public PathOptimizer(
        final int localPop,
        final ProberConfig proberConfig,
        final PolicyConfig policyConfig,
        final CandidatePathFinder finder,
        final ProbeTransport transport,
        final PathWeightsListener weightsListener,
        final long recomputeIntervalNs,
        final long seed,
        final long nowNs)
    {
        this.localPop = localPop;
        this.policyConfig = policyConfig;
        this.weightsListener = weightsListener;
        this.recomputeIntervalNs = recomputeIntervalNs;
        this.seed = seed;
        this.candidates = new CandidateTable(finder);
        this.prober = new Prober(proberConfig, localPop, transport, this, this::onLinkState, seed);
        this.nextRecomputeNs = nowNs;
        graph.addPop(localPop);
    }

    /**
     * Starts probing the direct path to a peer POP (how its link is learned).
     *
     * @param peerPop peer POP id.
     * @param nowNs   current time.
     */
    public void addPeer(final int peerPop, final long nowNs)
    {
        final long route = Route.of(localPop, peerPop);
        peerRoutes.add(route);
        if (probed.add(route))
        {
            prober.addPath(route, nowNs);
        }
        graph.addPop(peerPop);
    }

    /**
     * Stops probing the direct path to a former peer and forgets its policy; paths through it leave
     * the candidates at the next recomputation.
     *
     * @param peerPop peer POP id.
     * @param nowNs   current time.
     * @return true if it was a peer.
     */
    public boolean removePeer(final int peerPop, final long nowNs)
    {
        final long route = Route.of(localPop, peerPop);
        if (!peerRoutes.remove(route))
        {
            return false;
        }
        if (probed.remove(route))
        {
            prober.removePath(route);
        }
        graph.onLinkState(localPop, peerPop, 0, LinkStateSink.LOSS_PPM_DOWN, nowNs);
        final PathPolicy policy = policies.remove(peerPop);
        if (policy != null)
        {
            policyList.remove(policy);
        }
        nextRecomputeNs = nowNs;
        return true;
    }

    /**
     * Sets who else hears every probe result and path state change (after the policies), e.g. a
     * journal. Optimizer thread.
     *
     * @param observer the observer.
     */
    public void probeObserver(final ProbeListener observer)
    {
        this.probeObserver = observer;
    }

    /**
     * Sets who else hears every link-state entry the graph receives (own and peers'). Optimizer thread.
     *
     * @param observer the observer.
     */
    public void linkStateObserver(final LinkStateSink observer)
    {
        this.linkStateObserver = observer;
    }

    /**
     * Restricts the candidates to routes this POP can use, e.g. routes whose every POP is in the
     * forwarding tables (a POP learned only from a peer's link state cannot be reached or relayed
     * through). Applies from the next candidate recomputation (the graph changing). Optimizer thread.
     *
     * @param filter true for a usable packed route.
     */
    public void routeFilter(final java.util.function.LongPredicate filter)
    {
        this.routeFilter = filter;
    }

    /**
     * Seeds what a restart remembers: a link's last state goes to the graph, as if a peer had
     * just told it.
     *
     * @param fromPop POP that measured the link.
     * @param toPop   POP at its far end.
     * @param rttUs   RTT in microseconds.
     * @param lossPpm loss in parts per million.
     * @param nowNs   current time.
     */
    public void warmLinkState(final int fromPop, final int toPop, final int rttUs, final int lossPpm, final long nowNs)
    {
        graph.addPop(fromPop);
        graph.addPop(toPop);
        graph.onLinkState(fromPop, toPop, rttUs, lossPpm, nowNs);
    }

    /**
     * Seeds what a restart remembers: an RTT sample of a route measured before the restart, taken
     * like a passive sample (it informs the estimate and the policy's cost but never brings a
     * path up: only answered probes do).
     *
     * @param route packed route from this POP.
     * @param rttNs RTT.
     * @param nowNs current time.
     * @return true if the route is probed now and took the sample.
     */
    public boolean warmRtt(final long route, final long rttNs, final long nowNs)
    {
        if (prober.estimator(route) == null)
        {
            return false;
        }
        onPassiveRtt(route, rttNs, nowNs);
        return true;
    }

    /**
     * @param nowNs current time.
     * @return work done.
     */
    public int doWork(final long nowNs)
    {
        int work = prober.doWork(nowNs);
        if (nowNs - nextRecomputeNs >= 0 && candidates.refreshFrom(graph, localPop))
        {
            nextRecomputeNs = nowNs + recomputeIntervalNs;
            applyCandidates(nowNs);
            work++;
        }
        for (int i = 0, n = policyList.size(); i < n; i++)
        {
            final PathPolicy policy = policyList.get(i);
            final PathWeights before = policy.weights();
            final PathWeights after = policy.update(nowNs);
            if (after != before)
            {
                weightsListener.onPathWeights(after, nowNs);
                work++;
            }
        }
        return work;
    }

    /**
     * @param buffer holds a probe message.
     * @param offset where it starts.
     * @param length its length.
     * @param nowNs  arrival time.
     * @return the verdict.
     */
    public ProbeVerdict onProbeMessage(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        return prober.onProbeMessage(buffer, offset, length, nowNs);
    }

    /**
     * A passive RTT sample of a flow on a route from this POP (TCP handshake).
     *
     * @param route packed route.
     * @param rttNs RTT.
     * @param nowNs current time.
     */
    public void onPassiveRtt(final long route, final long rttNs, final long nowNs)
    {
        final PathPolicy policy = policies.get(Route.egress(route));
        if (policy != null)
        {
            policy.onPassiveRtt(route, rttNs, nowNs);
        }
        if (prober.estimator(route) != null)
        {
            prober.estimator(route).onPassiveRtt(rttNs, nowNs);
        }
    }

    /**
     * {@inheritDoc}
     */
    public void onProbeAnswered(final long route, final long seq, final long sendNs, final long rttNs, final long nowNs)
    {
        final PathPolicy policy = policies.get(Route.egress(route));
        if (policy != null)
        {
            policy.onProbeAnswered(route, rttNs, nowNs);
        }
        probeObserver.onProbeAnswered(route, seq, sendNs, rttNs, nowNs);
    }

    /**
     * {@inheritDoc}
     */
    public void onProbeLost(final long route, final long seq, final long sendNs, final long nowNs)
    {
        final PathPolicy policy = policies.get(Route.egress(route));
        if (policy != null)
        {
            policy.onProbeLost(route, nowNs);
        }
        probeObserver.onProbeLost(route, seq, sendNs, nowNs);
    }

    /**
     * {@inheritDoc}
     * <p>
     * A preferred path going down is re-pinned here, in the same call, and published at once.
     */
    public void onPathStateChange(final long route, final boolean up, final long nowNs)
    {
        probeObserver.onPathStateChange(route, up, nowNs);
        final PathPolicy policy = policies.get(Route.egress(route));
        if (policy != null)
        {
            final PathWeights before = policy.weights();
            final PathWeights after = policy.onPathState(route, up, nowNs);
            if (after != before)
            {
                weightsListener.onPathWeights(after, nowNs);
            }
        }
    }

    private long[] usable(final long[] routes)
    {
        int kept = 0;
        for (final long route : routes)
        {
            kept += routeFilter.test(route) ? 1 : 0;
        }
        if (kept == routes.length)
        {
            return routes;
        }
        final long[] filtered = new long[kept];
        int i = 0;
        for (final long route : routes)
        {
            if (routeFilter.test(route))
            {
                filtered[i++] = route;
            }
        }
        return filtered;
    }

    private void onLinkState(final int fromPop, final int toPop, final int rttUs, final int lossPpm, final long nowNs)
    {
        graph.onLinkState(fromPop, toPop, rttUs, lossPpm, nowNs);
        linkStateObserver.onLinkState(fromPop, toPop, rttUs, lossPpm, nowNs);
    }

    /**
     * @return the link state this POP knows.
     */
    public LinkStateGraph graph()
    {
        return graph;
    }

    /**
     * @return the prober.
     */
    public Prober prober()
    {
        return prober;
    }

    /**
     * @param dstPop destination POP.
     * @return its policy, or null if it has no candidates yet.
     */
    public PathPolicy policy(final int dstPop)
    {
        return policies.get(dstPop);
    }

    private void applyCandidates(final long nowNs)
    {
        final LongHashSet wanted = new LongHashSet();
        final LongHashSet.LongIterator peers = peerRoutes.iterator();
        while (peers.hasNext())
        {
            wanted.add(peers.nextValue());
        }
        for (int i = 0, n = graph.popCount(); i < n; i++)
        {
            final int dstPop = graph.popAt(i);
            if (dstPop == localPop)
            {
                continue;
            }
            final long[] routes = usable(candidates.routes(localPop, dstPop));
            if (routes.length == 0 && !policies.containsKey(dstPop))
            {
                continue;
            }
            for (final long route : routes)
            {
                wanted.add(route);
                if (probed.add(route))
                {
                    prober.addPath(route, nowNs);
                }
            }
            PathPolicy policy = policies.get(dstPop);
            if (policy == null)
            {
                policy = new PathPolicy(dstPop, policyConfig, seed * 31 + dstPop, nowNs);
                policies.put(dstPop, policy);
                policyList.add(policy);
            }
            policy.setCandidates(routes, routes.length, nowNs);
            // a live preferred route the search ranked out stays a candidate: keep probing it
            final long preferred = policy.preferredRoute();
            if (Route.NONE != preferred)
            {
                wanted.add(preferred);
                if (probed.add(preferred))
                {
                    prober.addPath(preferred, nowNs);
                }
            }
            for (final long route : routes)
            {
                final FailureDetector detector = prober.detector(route);
                policy.onPathState(route, detector != null && detector.isUp(), nowNs);
            }
        }
        final LongHashSet.LongIterator it = probed.iterator();
        final List<Long> stale = new ArrayList<>();
        while (it.hasNext())
        {
            final long route = it.nextValue();
            if (!wanted.contains(route))
            {
                stale.add(route);
            }
        }
        for (final long route : stale)
        {
            probed.remove(route);
            prober.removePath(route);
        }
    }
}
