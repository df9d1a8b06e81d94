package io.flyover.optimizer.sim;

import io.flyover.optimizer.latency.EstimatorConfig;
import io.flyover.optimizer.latency.FailureDetector;
import io.flyover.optimizer.latency.FailureDetectorConfig;
import io.flyover.optimizer.latency.LatencyEstimator;
import io.flyover.optimizer.linkstate.CandidatePath;
import io.flyover.optimizer.linkstate.CandidatePathFinder;
import io.flyover.optimizer.linkstate.CandidateTable;
import io.flyover.optimizer.linkstate.LinkStateGraph;
import io.flyover.optimizer.linkstate.LinkStateSink;
import io.flyover.optimizer.path.Route;
import io.flyover.optimizer.policy.PathPolicy;
import io.flyover.optimizer.policy.PathWeights;
import io.flyover.optimizer.policy.PolicyConfig;
import io.flyover.optimizer.probe.ProbeListener;
import io.flyover.optimizer.probe.Prober;
import io.flyover.optimizer.probe.ProberConfig;
import org.agrona.DirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * One simulation run: a discrete-event loop on a simulated clock (no sleeps) over the POPs of a
 * {@link SimMatrix}.
 * <ul>
 * <li><b>Optimizer, real code.</b> Every POP has two real {@link Prober}s: a link-state prober that
 * probes each direct link (from its lower-id end) every {@code linkStateIntervalNs}, and a path
 * prober (defaults: 100 ms, ×3, up after 5) that probes the candidate paths of the sampled pairs
 * starting at that POP. Measurements reach one shared {@link LinkStateGraph} (link-state flooding
 * modelled as instant); each ingress POP's candidates come from the real
 * {@link CandidatePathFinder} over it; each pair has a real {@link PathPolicy} fed by the path
 * prober's samples, losses and up/down transitions, exactly as {@code PathOptimizer} wires them.
 * Only the sampled pairs are probed at 100 ms (all pairs would cost O(n²·k) probes).</li>
 * <li><b>Transport.</b> A probe or reply sent on a route arrives at its far end after half the
 * route's true RTT at sending time (the sum of its links), is lost with the route's loss, and
 * never arrives if a link is down. The optimizer never sees a true RTT.</li>
 * <li><b>Flows.</b> Poisson arrivals over the sampled pairs, Pareto durations; each policy pins
 * the flow at arrival and (flyover, greedy_ewma) re-pins it when the path prober declares its
 * path down, or when its path leaves the candidates and is no longer probed (as in the data
 * plane, where such a route leaves the path table). A flow's RTT per policy is the time-weighted mean of {@link SimNetwork#effectiveMs}
 * over the paths it used. The oracle, in hindsight, takes the single path with the lowest such
 * mean over the flow's life among the pair's 8 best paths by base RTT and every path any policy
 * used for the flow.</li>
 * </ul>
 * Single-threaded and deterministic for a seed.
 */
public final class Simulation
{
    static final long MS = 1_000_000L;
    static final long TICK_NS = 10 * MS;
    static final long METRIC_NS = 100 * MS;
    /** Interval of the RTT-over-time series: the mean effective RTT of the active flows per policy. */
    static final long SERIES_NS = 1000 * MS;
    /** Outer IPv4 (20) + UDP (8) + Geneve (8) + Flyover option (32) bytes around each probe. */
    static final int OUTER_HEADER_BYTES = 68;
    static final int BUCKETS = 1024;
    static final int UNIVERSE_K = 8;
    static final int LS = 0;
    static final int PATH = 1;
    static final String[] POLICY_NAMES = {"flyover", "direct", "static_shortest", "greedy_ewma", "oracle"};
    static final int FLYOVER = 0;
    static final int DIRECT = 1;
    static final int STATIC = 2;
    static final int GREEDY = 3;
    static final int ORACLE = 4;
    static final int PINNED_POLICIES = 4;

    private static final int EVENT_MESSAGE = 0;
    private static final int EVENT_FLOW_ARRIVAL = 1;
    private static final int EVENT_FLOW_END = 2;

    private final SimConfig config;
    private final PolicyConfig policyConfig;
    private final SimMatrix matrix;
    private final SimNetwork network;
    private final LinkStateGraph graph = new LinkStateGraph();
    /** The same link state with no loss term: what {@code greedy_ewma}'s candidate search sees. */
    private final LinkStateGraph rttOnlyGraph =
        new LinkStateGraph(0, LinkStateGraph.DEFAULT_CHANGE_THRESHOLD_NS);
    private final CandidatePathFinder finder;
    private final Prober[][] probers;
    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private final SplittableRandom lossRandom;
    private final SplittableRandom flowRandom;
    private final List<Pair> pairs = new ArrayList<>();
    private final Long2ObjectHashMap<Pair> pairByKey = new Long2ObjectHashMap<>();
    private final Map<Integer, List<Pair>> pairsByIngress = new LinkedHashMap<>();
    private final Map<Integer, CandidateTable> tables = new HashMap<>();
    private final Map<Integer, CandidateTable> greedyTables = new HashMap<>();
    private final UnsafeBuffer receiveBuffer = new UnsafeBuffer(new byte[0]);
    private final List<Flow> finished = new ArrayList<>();
    private final List<Long> detectSamplesNs = new ArrayList<>();
    private final LongHashSet detected = new LongHashSet();
    private final Map<Long, Long> recoverByEpisodePair = new HashMap<>();
    private final List<SimNetwork.Episode> downEpisodes = new ArrayList<>();
    private final List<Plan> plans = new ArrayList<>();
    private final LongHashSet usedLinks = new LongHashSet();
    private final List<Flow> unlisted = new ArrayList<>();
    private final SplittableRandom scenarioRandom;
    private final List<double[]> seriesRows = new ArrayList<>();
    private int nextPlan;
    private long nowNs;
    private long eventSeq;
    private long pathProbeBytes;
    private long flowIds;

    /**
     * @param matrix base RTTs.
     * @param config settings.
     */
    public Simulation(final SimMatrix matrix, final SimConfig config)
    {
        this(matrix, config, PolicyConfig.DEFAULT);
    }

    /**
     * @param matrix       base RTTs.
     * @param config       settings.
     * @param policyConfig settings of every pair's {@link PathPolicy} (e.g. to compare strategies).
     */
    public Simulation(final SimMatrix matrix, final SimConfig config, final PolicyConfig policyConfig)
    {
        this(matrix, config, policyConfig, new CandidatePathFinder());
    }

    /**
     * @param matrix       latency matrix.
     * @param config       run configuration.
     * @param policyConfig policy tuning for {@code flyover}.
     * @param finder       candidate search for flyover and greedy_ewma (tests compare searches).
     */
    Simulation(final SimMatrix matrix, final SimConfig config, final PolicyConfig policyConfig,
        final CandidatePathFinder finder)
    {
        this.finder = finder;
        this.config = config;
        this.policyConfig = policyConfig;
        this.matrix = matrix;
        this.network = new SimNetwork(matrix, config.seed());
        this.lossRandom = new SplittableRandom(config.seed() ^ 0x5DEECE66DL);
        this.flowRandom = new SplittableRandom(config.seed() ^ 0x2545F4914F6CDD1DL);
        this.scenarioRandom = new SplittableRandom(config.seed() ^ 0x3C6EF372FE94F82BL);
        final int n = matrix.size();
        probers = new Prober[2][n + 1];
        final FailureDetectorConfig lsFailure = new FailureDetectorConfig(config.linkStateIntervalNs(), 3, 5);
        final ProberConfig lsConfig = new ProberConfig(lsFailure, EstimatorConfig.DEFAULT, 0.1, 8, 0);
        final ProberConfig pathConfig = new ProberConfig(FailureDetectorConfig.DEFAULT, EstimatorConfig.DEFAULT,
            ProberConfig.DEFAULT.jitterFraction(), ProberConfig.DEFAULT.pendingWindow(), 0);
        final LinkStateSink mirror = (from, to, rttUs, lossPpm, now) ->
        {
            graph.onUndirectedLinkState(from, to, rttUs, lossPpm, now);
            rttOnlyGraph.onUndirectedLinkState(from, to, rttUs, lossPpm, now);
        };
        for (int pop = 1; pop <= n; pop++)
        {
            graph.addPop(pop);
            rttOnlyGraph.addPop(pop);
            probers[LS][pop] = new Prober(lsConfig, pop, (r, b, o, l) -> send(LS, r, b, o, l),
                new ProbeListener()
                {
                }, mirror, config.seed() * 1_000_003L + pop);
            probers[PATH][pop] = new Prober(pathConfig, pop, (r, b, o, l) -> send(PATH, r, b, o, l),
                pathListener(), mirror, config.seed() * 1_000_033L + pop);
        }
        for (int a = 1; a <= n; a++)
        {
            for (int b = a + 1; b <= n; b++)
            {
                if (matrix.hasLink(a, b))
                {
                    probers[LS][a].addPath(Route.of(a, b), 0);
                }
            }
        }
        choosePairs();
        buildScenario();
    }

    /**
     * Runs the whole simulation.
     *
     * @return the results.
     */
    public SimResult run()
    {
        final long durationNs = config.durationNs();
        schedule(new Event(config.warmupNs() + nextGapNs(), EVENT_FLOW_ARRIVAL, 0, 0, null, null));
        long nextCandidatesNs = 0;
        final long lsWorkNs = Math.max(TICK_NS, config.linkStateIntervalNs() / 5 / TICK_NS * TICK_NS);
        final int[] ingress = pairsByIngress.keySet().stream().mapToInt(Integer::intValue).toArray();
        for (long t = 0; t < durationNs; t += TICK_NS)
        {
            drain(t);
            nowNs = t;
            startPlans(t);
            for (final int pop : ingress)
            {
                probers[PATH][pop].doWork(t);
            }
            if (t % lsWorkNs == 0)
            {
                for (int pop = 1; pop <= matrix.size(); pop++)
                {
                    probers[LS][pop].doWork(t);
                }
            }
            if (t - nextCandidatesNs >= 0)
            {
                refreshCandidates(t);
                nextCandidatesNs = t + config.candidateIntervalNs();
            }
            for (final Pair pair : pairs)
            {
                final PathWeights weights = pair.policy.update(t);
                if (weights != pair.weights)
                {
                    onWeights(pair, weights, t);
                }
            }
            if (t % METRIC_NS == 0)
            {
                trackGreedy(t);
            }
            if (t % SERIES_NS == 0 && t >= config.warmupNs())
            {
                recordSeries(t);
            }
        }
        drain(durationNs - 1);
        nowNs = durationNs;
        for (final Pair pair : pairs)
        {
            for (final Flow flow : new ArrayList<>(pair.active))
            {
                endFlow(flow, durationNs);
            }
        }
        return results();
    }

    // ---------------------------------------------------------------- setup

    private void choosePairs()
    {
        final int n = matrix.size();
        final List<long[]> all = new ArrayList<>();
        for (int a = 1; a <= n; a++)
        {
            for (int b = 1; b <= n; b++)
            {
                if (matrix.hasLink(a, b))
                {
                    all.add(new long[]{a, b});
                }
            }
        }
        if (all.isEmpty())
        {
            throw new IllegalArgumentException("the matrix has no links");
        }
        final SplittableRandom random = new SplittableRandom(config.seed() ^ 0x7F4A7C15L);
        for (int i = all.size() - 1; i > 0; i--)
        {
            final int j = random.nextInt(i + 1);
            final long[] tmp = all.get(i);
            all.set(i, all.get(j));
            all.set(j, tmp);
        }
        final LinkStateGraph base = new LinkStateGraph();
        for (int a = 1; a <= n; a++)
        {
            base.addPop(a);
            for (int b = a + 1; b <= n; b++)
            {
                if (matrix.hasLink(a, b))
                {
                    base.onUndirectedLinkState(a, b, (int)Math.round(matrix.rttMs(a, b) * 1000), 0, 0);
                }
            }
        }
        final CandidatePathFinder universeFinder = new CandidatePathFinder(UNIVERSE_K,
            CandidatePathFinder.DEFAULT_RELAY_PENALTY_NS);
        final int count = Math.min(config.pairs(), all.size());
        for (int i = 0; i < count; i++)
        {
            final int a = (int)all.get(i)[0];
            final int b = (int)all.get(i)[1];
            final List<CandidatePath> found = universeFinder.find(base, a, b);
            final long[] universe = new long[found.size()];
            for (int k = 0; k < universe.length; k++)
            {
                universe[k] = found.get(k).route();
            }
            final Pair pair = new Pair(a, b, universe, new PathPolicy(b, policyConfig, config.seed() * 31 + i, 0));
            pairs.add(pair);
            pairByKey.put(pairKey(a, b), pair);
            pairsByIngress.computeIfAbsent(a, k -> new ArrayList<>()).add(pair);
            tables.computeIfAbsent(a, k -> new CandidateTable(finder));
            greedyTables.computeIfAbsent(a, k -> new CandidateTable(finder));
        }
    }

    /**
     * Plans the scenario's episodes: a scenario file's (checked against the matrix and the run
     * here), else the built-in scenario's, which all take their link when they start (see
     * {@link #startPlans}). Congestion: a quarter of the sampled pairs' count (at least 2) of
     * episodes lasting 10–30% of the window each, +50–150% of base +10–40 ms and 0.5% loss. Link
     * failure: three 10% outages at 20%, 45% and 70%. Flapping: down 2 s of every 10 s from 20% to
     * 80%. Gray: 2% loss from 20% on.
     */
    private void buildScenario()
    {
        final long w0 = config.warmupNs();
        final long w = config.durationNs() - w0;
        final long end = config.durationNs();
        if (config.scenarioFile() != null)
        {
            plans.addAll(config.scenarioFile().plans(matrix, end, w0));
            plans.sort((x, y) -> Long.compare(x.startNs, y.startNs));
            return;
        }
        switch (config.scenario())
        {
            case STEADY -> { }
            case CONGESTION ->
            {
                final int episodes = Math.max(2, pairs.size() / 4);
                for (int i = 0; i < episodes; i++)
                {
                    final long len = (long)(scenarioRandom.nextDouble(0.1, 0.3) * w);
                    final long start = w0 + (long)(scenarioRandom.nextDouble() * (w - len));
                    plans.add(new Plan(start, start + len, 0, 0, scenarioRandom.nextDouble(0.5, 1.5),
                        scenarioRandom.nextDouble(10, 40), 0.005, false, 0, 0, 0));
                }
            }
            case LINK_FAILURE ->
            {
                for (final double at : new double[]{0.2, 0.45, 0.7})
                {
                    final long start = w0 + (long)(at * w);
                    plans.add(new Plan(start, start + w / 10, 0, 0, 0, 0, 0, true, 0, 0, 0));
                }
            }
            case FLAPPING_LINK ->
            {
                final long period = 10_000 * MS;
                plans.add(new Plan(w0 + w / 5, w0 + w * 4 / 5, 0, 0, 0, 0, 0, true, period, period / 5, end));
            }
            case GRAY_FAILURE -> plans.add(new Plan(w0 + w / 5, end, 0, 0, 0, 0, 0.02, false, 0, 0, 0));
        }
        plans.sort((x, y) -> Long.compare(x.startNs, y.startNs));
    }

    /**
     * Starts the plans due: each takes its explicit link, or the link the most pairs' current
     * preferred routes cross among those not used by an earlier plan (see {@link #autoLink}).
     */
    private void startPlans(final long now)
    {
        while (nextPlan < plans.size() && plans.get(nextPlan).startNs <= now)
        {
            final Plan plan = plans.get(nextPlan++);
            final long link = plan.a != 0 ? pairKey(Math.min(plan.a, plan.b), Math.max(plan.a, plan.b)) : autoLink();
            if (link < 0)
            {
                continue;
            }
            usedLinks.add(link);
            final int a = (int)(link >>> 16);
            final int b = (int)(link & 0xFFFF);
            for (final Pair pair : pairs)
            {
                final long route = pair.flyoverPreferred != Route.NONE ? pair.flyoverPreferred : pair.staticRoute;
                if (crosses(route, new SimNetwork.Episode(a, b, 0, 0, 0, 0, false)))
                {
                    pair.touched = true;
                }
            }
            if (plan.down && plan.periodNs > 0)
            {
                for (long t = plan.startNs; t < plan.endNs; t += plan.periodNs)
                {
                    addDown(a, b, t, Math.min(plan.cutNs, t + plan.downNs));
                }
            }
            else if (plan.down)
            {
                addDown(a, b, plan.startNs, plan.endNs);
            }
            else
            {
                final double extra = matrix.rttMs(a, b) * plan.extraFraction + plan.extraMs;
                network.add(new SimNetwork.Episode(a, b, plan.startNs, plan.endNs, extra, plan.loss, false));
            }
        }
    }

    /**
     * @return the link the most sampled pairs' current preferred routes cross (ties broken by the
     *         seed), among those not used by an earlier plan, as {@code pairKey(lo, hi)}; -1 if
     *         there is none. The busiest link is the one whose trouble an operator sees: a link
     *         drawn uniformly crosses about one pair's route in forty, and its episode hardly moves
     *         the mean over all flows whatever a policy does.
     */
    private long autoLink()
    {
        final Map<Long, Integer> crossings = new HashMap<>();
        for (final Pair pair : pairs)
        {
            final long route = pair.flyoverPreferred != Route.NONE ? pair.flyoverPreferred : pair.staticRoute;
            for (int i = 0; i + 1 < Route.length(route); i++)
            {
                final int a = Route.pop(route, i);
                final int b = Route.pop(route, i + 1);
                final long key = pairKey(Math.min(a, b), Math.max(a, b));
                if (!usedLinks.contains(key))
                {
                    crossings.merge(key, 1, Integer::sum);
                }
            }
        }
        final int most = crossings.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        final List<Long> busiest = new ArrayList<>();
        crossings.forEach((link, count) ->
        {
            if (count == most)
            {
                busiest.add(link);
            }
        });
        if (busiest.isEmpty())
        {
            return -1;
        }
        busiest.sort(Long::compare);
        return busiest.get(scenarioRandom.nextInt(busiest.size()));
    }

    /**
     * One planned episode.
     *
     * @param startNs       start.
     * @param endNs         end (exclusive); a flap's last down period starts before it.
     * @param a             one end of its link, 0 to choose the link when it starts.
     * @param b             the other end, 0 with {@code a}.
     * @param extraFraction extra delay as a fraction of the link's base RTT.
     * @param extraMs       extra delay in ms on top.
     * @param loss          round-trip loss probability.
     * @param down          the link is down (the whole time, or {@code downNs} of each period).
     * @param periodNs      a flap's period, else 0.
     * @param downNs        how long a flap is down in each period.
     * @param cutNs         latest end of a flap's down period.
     */
    record Plan(long startNs, long endNs, int a, int b, double extraFraction, double extraMs, double loss, boolean down,
        long periodNs, long downNs, long cutNs)
    {
    }

    private void addDown(final int a, final int b, final long startNs, final long endNs)
    {
        final SimNetwork.Episode episode = new SimNetwork.Episode(a, b, startNs, endNs, 0, 0, true);
        network.add(episode);
        downEpisodes.add(episode);
    }

    // ---------------------------------------------------------------- transport and events

    private boolean send(final int channel, final long route, final DirectBuffer buffer, final int offset, final int length)
    {
        if (channel == PATH)
        {
            pathProbeBytes += length + OUTER_HEADER_BYTES;
        }
        if (!network.routeUp(route, nowNs))
        {
            return true;
        }
        final double loss = network.routeLoss(route, nowNs);
        if (loss > 0 && lossRandom.nextDouble() < 1.0 - Math.sqrt(1.0 - loss))
        {
            return true;
        }
        final long oneWayNs = (long)(network.routeRttMs(route, nowNs) * MS / 2);
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        schedule(new Event(nowNs + oneWayNs, EVENT_MESSAGE, Route.egress(route), channel, bytes, null));
        return true;
    }

    private void schedule(final Event event)
    {
        event.seq = eventSeq++;
        queue.add(event);
    }

    private void drain(final long untilNs)
    {
        while (!queue.isEmpty() && queue.peek().timeNs <= untilNs)
        {
            final Event event = queue.poll();
            nowNs = event.timeNs;
            switch (event.type)
            {
                case EVENT_MESSAGE ->
                {
                    receiveBuffer.wrap(event.bytes);
                    probers[event.channel][event.pop].onProbeMessage(receiveBuffer, 0, event.bytes.length, nowNs);
                }
                case EVENT_FLOW_ARRIVAL ->
                {
                    startFlow(nowNs);
                    final long next = nowNs + nextGapNs();
                    if (next < config.durationNs())
                    {
                        schedule(new Event(next, EVENT_FLOW_ARRIVAL, 0, 0, null, null));
                    }
                }
                default -> endFlow(event.flow, nowNs);
            }
        }
    }

    private long nextGapNs()
    {
        return Math.max(1, (long)(-Math.log(1.0 - flowRandom.nextDouble()) / config.flowsPerSecond() * 1e9));
    }

    // ---------------------------------------------------------------- optimizer wiring

    private ProbeListener pathListener()
    {
        return new ProbeListener()
        {
            public void onProbeAnswered(final long route, final long seq, final long sendNs, final long rttNs, final long now)
            {
                final Pair pair = pairOf(route);
                if (pair != null)
                {
                    pair.policy.onProbeAnswered(route, rttNs, now);
                }
            }

            public void onProbeLost(final long route, final long seq, final long sendNs, final long now)
            {
                final Pair pair = pairOf(route);
                if (pair != null)
                {
                    pair.policy.onProbeLost(route, now);
                }
            }

            public void onPathStateChange(final long route, final boolean up, final long now)
            {
                final Pair pair = pairOf(route);
                if (pair == null)
                {
                    return;
                }
                final PathWeights weights = pair.policy.onPathState(route, up, now);
                if (weights != pair.weights)
                {
                    onWeights(pair, weights, now);
                }
                if (!up)
                {
                    onDetectedDown(route, now);
                    repin(pair, route, now);
                }
            }
        };
    }

    private Pair pairOf(final long route)
    {
        return pairByKey.get(pairKey(Route.ingress(route), Route.egress(route)));
    }

    private void refreshCandidates(final long now)
    {
        for (final Map.Entry<Integer, List<Pair>> entry : pairsByIngress.entrySet())
        {
            final int ingress = entry.getKey();
            final boolean greedyChanged = greedyTables.get(ingress).refreshFrom(rttOnlyGraph, ingress);
            final CandidateTable table = tables.get(ingress);
            final boolean changed = table.refreshFrom(graph, ingress);
            for (final Pair pair : entry.getValue())
            {
                if (greedyChanged)
                {
                    pair.greedyCandidates = greedyTables.get(ingress).routes(ingress, pair.egress).clone();
                    probe(pair, pair.greedyCandidates, now);
                }
                final long[] routes = changed ? table.routes(ingress, pair.egress) : pair.candidates;
                if (changed && !Arrays.equals(routes, pair.candidates))
                {
                    pair.candidates = routes.clone();
                    pair.policy.setCandidates(routes, routes.length, now);
                    final Prober prober = probers[PATH][ingress];
                    probe(pair, routes, now);
                    for (final long route : routes)
                    {
                        final FailureDetector detector = prober.detector(route);
                        final PathWeights weights = pair.policy.onPathState(route, detector != null && detector.isUp(), now);
                        if (weights != pair.weights)
                        {
                            onWeights(pair, weights, now);
                        }
                    }
                    final PathWeights weights = pair.policy.update(now);
                    if (weights != pair.weights)
                    {
                        onWeights(pair, weights, now);
                    }
                }
                if (greedyChanged || changed)
                {
                    prune(pair, now);
                }
            }
        }
    }

    /**
     * Starts probing routes not probed yet.
     */
    private void probe(final Pair pair, final long[] routes, final long now)
    {
        for (final long route : routes)
        {
            if (pair.probed.add(route))
            {
                probers[PATH][pair.ingress].addPath(route, now);
            }
        }
    }

    /**
     * Stops probing the routes that are no longer wanted (in neither policy's candidates, and not
     * flyover's preferred route), as {@code PathOptimizer} does, and re-pins the flows on them: in
     * the data plane such a route leaves the path table, and the engine re-pins its flows. A
     * pair's direct route, once probed, stays probed (its flows re-pinned all the same): the
     * gateway probes every peer's direct path whatever the candidates, and that is how it learns
     * the link. Without it, a direct link that went down left the probed set, and when it came
     * back only the 1 s link-state probes saw it, whose slow detector a short outage never takes
     * down: the link returned with the outage's lost probes counted as loss, for seconds.
     */
    private void prune(final Pair pair, final long now)
    {
        final long preferred = pair.policy.preferredRoute();
        final List<Long> stale = new ArrayList<>();
        final LongHashSet.LongIterator it = pair.probed.iterator();
        while (it.hasNext())
        {
            final long route = it.nextValue();
            if (route != preferred && !Route.contains(pair.candidates, route) && !Route.contains(pair.greedyCandidates, route))
            {
                stale.add(route);
            }
        }
        stale.sort(Long::compare);
        for (final long route : stale)
        {
            if (route != pair.direct)
            {
                pair.probed.remove(route);
                probers[PATH][pair.ingress].removePath(route);
            }
            repin(pair, route, now);
        }
    }

    /**
     * Takes a pair's new weights as the engine takes a published path table: new flows pick from
     * its buckets, and (when a route is live, else the engine has no table to move them to) every
     * flyover flow whose route the table no longer lists re-pins by its bucket. A route is listed
     * while it has buckets or is live, as in {@code ControlPlane}.
     */
    private void onWeights(final Pair pair, final PathWeights weights, final long now)
    {
        pair.weights = weights;
        final int[] counts = weights.bucketCounts(BUCKETS);
        if (weights.anyLive())
        {
            for (final Flow flow : pair.active)
            {
                final long current = flow.current[FLYOVER];
                if (!listed(weights, counts, current))
                {
                    unlisted.add(flow);
                }
            }
        }
        for (int i = 1; i < counts.length; i++)
        {
            counts[i] += counts[i - 1];
        }
        pair.cumulativeBuckets = counts;
        final long preferred = weights.preferredRoute();
        if (preferred != Route.NONE && preferred != pair.flyoverPreferred)
        {
            if (pair.flyoverPreferred != Route.NONE && now >= config.warmupNs())
            {
                pair.changes[FLYOVER]++;
            }
            pair.flyoverPreferred = preferred;
        }
        for (final Flow flow : unlisted)
        {
            final long from = flow.current[FLYOVER];
            final long to = pickFlyover(pair, flow.hash);
            if (to != from)
            {
                flow.pin(FLYOVER, to, now);
                onRepinned(from, pair, now);
            }
        }
        unlisted.clear();
    }

    private static boolean listed(final PathWeights weights, final int[] counts, final long route)
    {
        final int i = weights.indexOf(route);
        return i >= 0 && (counts[i] > 0 || weights.isLive(i));
    }

    private long pickFlyover(final Pair pair, final long hash)
    {
        final PathWeights weights = pair.weights;
        if (weights == null || weights.size() == 0)
        {
            return pair.staticRoute;
        }
        final int[] cumulative = pair.cumulativeBuckets;
        final int bucket = (int)Long.remainderUnsigned(hash, BUCKETS);
        for (int i = 0; i < cumulative.length; i++)
        {
            if (bucket < cumulative[i])
            {
                return weights.route(i);
            }
        }
        return weights.preferredRoute() != Route.NONE ? weights.preferredRoute() : weights.route(0);
    }

    private long greedyChoice(final Pair pair)
    {
        final Prober prober = probers[PATH][pair.ingress];
        long best = Route.NONE;
        double bestRtt = Double.POSITIVE_INFINITY;
        for (final long route : pair.greedyCandidates)
        {
            final FailureDetector detector = prober.detector(route);
            final LatencyEstimator estimator = prober.estimator(route);
            if (detector != null && detector.isUp() && estimator.hasRtt() && estimator.srttNs() < bestRtt)
            {
                bestRtt = estimator.srttNs();
                best = route;
            }
        }
        if (best == Route.NONE)
        {
            return pair.greedyCandidates.length > 0 ? pair.greedyCandidates[0] : pair.staticRoute;
        }
        return best;
    }

    private void trackGreedy(final long now)
    {
        for (final Pair pair : pairs)
        {
            final long choice = greedyChoice(pair);
            if (choice != pair.greedyPreferred)
            {
                if (pair.greedyPreferred != Route.NONE && now >= config.warmupNs())
                {
                    pair.changes[GREEDY]++;
                }
                pair.greedyPreferred = choice;
            }
        }
    }

    /**
     * One row of the RTT-over-time series: the time in s, then per pinned policy the mean effective
     * RTT (ms) of the active flows' current paths, NaN without active flows.
     */
    private void recordSeries(final long now)
    {
        final double[] row = new double[1 + PINNED_POLICIES];
        row[0] = now / 1e9;
        int active = 0;
        for (final Pair pair : pairs)
        {
            for (final Flow flow : pair.active)
            {
                active++;
                for (int p = 0; p < PINNED_POLICIES; p++)
                {
                    row[1 + p] += network.effectiveMs(flow.current[p], now);
                }
            }
        }
        for (int p = 0; p < PINNED_POLICIES; p++)
        {
            row[1 + p] = active == 0 ? Double.NaN : row[1 + p] / active;
        }
        seriesRows.add(row);
    }

    // ---------------------------------------------------------------- flows

    private void startFlow(final long now)
    {
        final Pair pair = pairs.get(flowRandom.nextInt(pairs.size()));
        final double u = 1.0 - flowRandom.nextDouble();
        final long lengthNs = (long)Math.min(config.paretoMinNs() * Math.pow(u, -1.0 / config.paretoShape()), 1e15);
        final Flow flow = new Flow(flowIds++, pair, flowRandom.nextLong(), now);
        flow.pin(FLYOVER, pickFlyover(pair, flow.hash), now);
        flow.pin(DIRECT, pair.direct, now);
        flow.pin(STATIC, pair.staticRoute, now);
        flow.pin(GREEDY, greedyChoice(pair), now);
        pair.active.add(flow);
        final long endNs = now + lengthNs;
        if (endNs < config.durationNs())
        {
            schedule(new Event(endNs, EVENT_FLOW_END, 0, 0, null, flow));
        }
    }

    private void repin(final Pair pair, final long deadRoute, final long now)
    {
        for (final Flow flow : pair.active)
        {
            if (flow.current[FLYOVER] == deadRoute)
            {
                final long route = pickFlyover(pair, flow.hash);
                if (route != deadRoute)
                {
                    flow.pin(FLYOVER, route, now);
                    onRepinned(deadRoute, pair, now);
                }
            }
            if (flow.current[GREEDY] == deadRoute)
            {
                final long route = greedyChoice(pair);
                if (route != deadRoute)
                {
                    flow.pin(GREEDY, route, now);
                }
            }
        }
    }

    private void endFlow(final Flow flow, final long now)
    {
        final Pair pair = flow.pair;
        pair.active.remove(flow);
        if (now <= flow.startNs)
        {
            return;
        }
        final double life = now - flow.startNs;
        final LongHashSet tried = new LongHashSet();
        for (int p = 0; p < PINNED_POLICIES; p++)
        {
            double sum = 0;
            final List<long[]> segments = flow.segments.get(p);
            for (int i = 0; i < segments.size(); i++)
            {
                final long[] segment = segments.get(i);
                final long to = i + 1 < segments.size() ? segments.get(i + 1)[1] : now;
                sum += network.integrate(segment[0], segment[1], to);
                tried.add(segment[0]);
            }
            flow.rttMs[p] = sum / life;
        }
        for (final long route : pair.universe)
        {
            tried.add(route);
        }
        double best = Double.POSITIVE_INFINITY;
        long bestRoute = Route.NONE;
        final LongHashSet.LongIterator it = tried.iterator();
        final long[] candidates = new long[tried.size()];
        int c = 0;
        while (it.hasNext())
        {
            candidates[c++] = it.nextValue();
        }
        Arrays.sort(candidates);
        for (final long route : candidates)
        {
            final double mean = network.integrate(route, flow.startNs, now) / life;
            if (mean < best)
            {
                best = mean;
                bestRoute = route;
            }
        }
        flow.rttMs[ORACLE] = best;
        flow.oracleRoute = bestRoute;
        finished.add(flow);
    }

    // ---------------------------------------------------------------- failover accounting

    private void onDetectedDown(final long route, final long now)
    {
        for (int e = 0; e < downEpisodes.size(); e++)
        {
            final SimNetwork.Episode episode = downEpisodes.get(e);
            if (episode.activeAt(now) && crosses(route, episode) && detected.add(((long)e << 40) ^ route))
            {
                detectSamplesNs.add(now - episode.startNs());
            }
        }
    }

    private void onRepinned(final long deadRoute, final Pair pair, final long now)
    {
        for (int e = 0; e < downEpisodes.size(); e++)
        {
            final SimNetwork.Episode episode = downEpisodes.get(e);
            if (episode.activeAt(now) && crosses(deadRoute, episode))
            {
                recoverByEpisodePair.merge(((long)e << 32) ^ pairKey(pair.ingress, pair.egress),
                    now - episode.startNs(), Math::max);
            }
        }
    }

    private static boolean crosses(final long route, final SimNetwork.Episode episode)
    {
        for (int i = 0; i + 1 < Route.length(route); i++)
        {
            final int a = Route.pop(route, i);
            final int b = Route.pop(route, i + 1);
            if ((a == episode.a() && b == episode.b()) || (a == episode.b() && b == episode.a()))
            {
                return true;
            }
        }
        return false;
    }

    // ---------------------------------------------------------------- results

    private SimResult results()
    {
        finished.sort((x, y) -> Long.compare(x.id, y.id));
        final int n = finished.size();
        final double[][] rtt = new double[POLICY_NAMES.length][n];
        for (int i = 0; i < n; i++)
        {
            for (int p = 0; p < POLICY_NAMES.length; p++)
            {
                rtt[p][i] = finished.get(i).rttMs[p];
            }
        }
        final boolean[] touched = new boolean[n];
        for (int i = 0; i < n; i++)
        {
            touched[i] = finished.get(i).pair.touched;
        }
        final Map<Pair, Long> lastOracle = new HashMap<>();
        for (final Flow flow : finished)
        {
            final Long previous = lastOracle.put(flow.pair, flow.oracleRoute);
            if (previous != null && previous != flow.oracleRoute)
            {
                flow.pair.changes[ORACLE]++;
            }
        }
        final long[] changes = new long[POLICY_NAMES.length];
        for (final Pair pair : pairs)
        {
            for (int p = 0; p < POLICY_NAMES.length; p++)
            {
                changes[p] += pair.changes[p];
            }
        }
        final double pairHours = pairs.size() * (config.durationNs() - config.warmupNs()) / 3.6e12;
        int probedPaths = 0;
        for (final int ingress : pairsByIngress.keySet())
        {
            probedPaths += probers[PATH][ingress].pathCount();
        }
        final double seconds = config.durationNs() / 1e9;
        final double overheadKbps = probedPaths == 0 ? 0 : pathProbeBytes * 8 / 1000.0 / seconds / probedPaths;
        final List<Double> detect = new ArrayList<>();
        for (final long d : detectSamplesNs)
        {
            detect.add(d / 1e6);
        }
        final List<Double> recover = new ArrayList<>();
        recoverByEpisodePair.values().stream().sorted().forEach(v -> recover.add(v / 1e6));
        final double[] seriesTimes = new double[seriesRows.size()];
        final double[][] series = new double[PINNED_POLICIES][seriesRows.size()];
        for (int i = 0; i < seriesRows.size(); i++)
        {
            seriesTimes[i] = seriesRows.get(i)[0];
            for (int p = 0; p < PINNED_POLICIES; p++)
            {
                series[p][i] = seriesRows.get(i)[1 + p];
            }
        }
        final List<SimResult.Episode> episodes = new ArrayList<>();
        for (final SimNetwork.Episode e : network.episodes())
        {
            final String kind = e.down() ? SimResult.Episode.DOWN : e.extraMs() > 0 ? SimResult.Episode.CONGESTION
                : SimResult.Episode.LOSS;
            episodes.add(new SimResult.Episode(kind, matrix.name(e.a()), matrix.name(e.b()), e.startNs() / 1e9,
                Math.min(e.endNs(), config.durationNs()) / 1e9));
        }
        episodes.sort((x, y) -> Double.compare(x.startS(), y.startS()));
        return new SimResult(List.of(POLICY_NAMES), rtt, changes, pairHours, detect, recover, !downEpisodes.isEmpty(),
            overheadKbps, matrix.size(), pairs.size(), probedPaths, touched,
            new SimResult.TimeSeries(seriesTimes, List.of(POLICY_NAMES).subList(0, PINNED_POLICIES), series), episodes);
    }

    private static long pairKey(final int a, final int b)
    {
        return ((long)a << 16) | b;
    }

    // ---------------------------------------------------------------- state

    private static final class Event implements Comparable<Event>
    {
        final long timeNs;
        final int type;
        final int pop;
        final int channel;
        final byte[] bytes;
        final Flow flow;
        long seq;

        Event(final long timeNs, final int type, final int pop, final int channel, final byte[] bytes, final Flow flow)
        {
            this.timeNs = timeNs;
            this.type = type;
            this.pop = pop;
            this.channel = channel;
            this.bytes = bytes;
            this.flow = flow;
        }

        @Override
        public int compareTo(final Event other)
        {
            final int byTime = Long.compare(timeNs, other.timeNs);
            return byTime != 0 ? byTime : Long.compare(seq, other.seq);
        }
    }

    private static final class Pair
    {
        final int ingress;
        final int egress;
        final long direct;
        final long staticRoute;
        final long[] universe;
        final PathPolicy policy;
        final LongHashSet probed = new LongHashSet();
        final List<Flow> active = new ArrayList<>();
        final long[] changes = new long[POLICY_NAMES.length];
        long[] candidates = new long[0];
        long[] greedyCandidates = new long[0];
        PathWeights weights;
        int[] cumulativeBuckets = new int[0];
        long flyoverPreferred = Route.NONE;
        long greedyPreferred = Route.NONE;
        boolean touched;

        Pair(final int ingress, final int egress, final long[] universe, final PathPolicy policy)
        {
            this.ingress = ingress;
            this.egress = egress;
            this.direct = Route.of(ingress, egress);
            this.universe = universe;
            this.staticRoute = universe.length > 0 ? universe[0] : direct;
            this.policy = policy;
        }
    }

    private static final class Flow
    {
        final long id;
        final Pair pair;
        final long hash;
        final long startNs;
        final long[] current = new long[PINNED_POLICIES];
        final List<List<long[]>> segments = new ArrayList<>(PINNED_POLICIES);
        final double[] rttMs = new double[POLICY_NAMES.length];
        long oracleRoute;

        Flow(final long id, final Pair pair, final long hash, final long startNs)
        {
            this.id = id;
            this.pair = pair;
            this.hash = hash;
            this.startNs = startNs;
            for (int p = 0; p < PINNED_POLICIES; p++)
            {
                segments.add(new ArrayList<>(1));
            }
        }

        void pin(final int policy, final long route, final long nowNs)
        {
            current[policy] = route;
            segments.get(policy).add(new long[]{route, nowNs});
        }
    }
}
