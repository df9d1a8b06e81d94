package io.flyover.optimizer.control;

import io.flyover.dataplane.engine.EngineEvents;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.Pop;
import io.flyover.dataplane.table.WeightedRoute;
import io.flyover.optimizer.PathOptimizer;
import io.flyover.optimizer.PathWeightsListener;
import io.flyover.optimizer.journal.JournalRecord;
import io.flyover.optimizer.journal.OptimizerJournal;
import io.flyover.optimizer.latency.FailureDetector;
import io.flyover.optimizer.latency.LatencyEstimator;
import io.flyover.optimizer.linkstate.CandidatePathFinder;
import io.flyover.optimizer.path.Route;
import io.flyover.optimizer.policy.PathWeights;
import io.flyover.optimizer.probe.ProbeListener;
import io.flyover.optimizer.probe.ProbeMessage;
import io.flyover.optimizer.probe.ProbeVerdict;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.Long2LongHashMap;
import org.agrona.collections.Long2ObjectHashMap;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * One POP's engine-facing control plane: it owns a {@link PathOptimizer}, sends its probes as
 * Geneve OAM frames through the engine ({@link OamProbeTransport}), reflects probes addressed to
 * this POP, reads the engine's event ring (probe messages, TCP handshake RTT samples, new flows,
 * flow ends), and turns the policy's {@link PathWeights} into {@link PathTable}s handed to a
 * {@link PathTableSink} (destinations without live weights keep their static tables there). Every
 * probe sample, link-state entry (at most once a second per link), path state change and weight
 * change goes to an {@link OptimizerJournal}. A link's state is journaled when it goes down or up,
 * and otherwise at most once a second. Once a minute the journal is told to delete what is older
 * than its retention ({@link OptimizerJournal#deleteExpired()}).
 * <p>
 * Path tables: every live candidate route is listed, with its share of the new flows as weight;
 * a live route with no share is listed with weight 0, so the flows pinned to it stay (the engine
 * re-pins only flows whose route is not listed: a path down or out of the candidates). Only the
 * destinations whose weights changed are rebuilt (all of them when the set of POPs changes); a
 * route leaving a table (a path down), a route losing its share or a new heaviest route is built
 * in the duty cycle the weights changed in, so a path going down is out of the table at once, while a
 * change of shares only (exploration) waits until {@link #TABLE_REBUILD_INTERVAL_NS} after the
 * destination's last build. A destination whose integer bucket counts did not change keeps its
 * table, and the set is handed on only when a table changed. Builds reuse one fill array
 * ({@link PathTable.Builder}).
 * <p>
 * Peers follow the tables: every POP in the serving snapshot other than this one is a peer whose
 * direct path is probed; a POP leaving the snapshot stops being probed. Keys and addresses are
 * read from the snapshot for every frame, so a reload applies to the next probe.
 * <p>
 * Threads: {@link #doWork()} runs on one agent thread, which is the single consumer of the event
 * ring, the single producer of the engine's backbone control ring, and the only thread touching
 * the optimizer. {@link #status()} and {@link #isPeerUp(int)} read an immutable snapshot refreshed
 * every {@code statusIntervalNs}, from any thread.
 */
public final class ControlPlane implements Agent, PathWeightsListener
{
    /** Events taken from the ring per duty cycle. */
    public static final int EVENTS_PER_CYCLE = 256;

    /** Integer weights given to a destination's routes in its path table (shares of this). */
    public static final int WEIGHT_SCALE = 10_000;

    /** Shortest time between two journal entries of one link's state. */
    public static final long LINK_JOURNAL_INTERVAL_NS = 1_000_000_000L;

    /**
     * Shortest time between two builds of one destination's path table when only the shares of
     * routes already in it move (exploration redraws); see {@link #publishTables}.
     */
    public static final long TABLE_REBUILD_INTERVAL_NS = 2_000_000_000L;

    /** Time between two looks for journal files older than the retention. */
    public static final long JOURNAL_HOUSEKEEPING_INTERVAL_NS = 60_000_000_000L;

    /** RTT samples per route a warm-up takes from the journal (the newest). */
    public static final int WARM_SAMPLES_PER_ROUTE = 16;

    private final ControlPlaneConfig config;
    private final Supplier<ForwardingTables> tables;
    private final EngineEvents events;
    private final NanoClock clock;
    private final PathTableSink pathTables;
    private final OptimizerJournal journal;
    private final OamProbeTransport transport;
    private final PathOptimizer optimizer;
    private final int localPop;
    private final MessageHandler eventHandler = this::onEvent;
    private final Int2ObjectHashMap<PathWeights> weightsByDst = new Int2ObjectHashMap<>();
    private final Int2ObjectHashMap<PathTable> builtByDst = new Int2ObjectHashMap<>();
    private final IntHashSet dirtyDsts = new IntHashSet();
    private final PathTable.Builder tableBuilder = new PathTable.Builder();
    private final AtomicLong tablesBuilt = new AtomicLong();
    private final AtomicLong tablesReused = new AtomicLong();
    private final AtomicLong tablesDeferred = new AtomicLong();
    private final IntHashSet deferredDsts = new IntHashSet();
    private final Long2LongHashMap lastBuiltNsByDst = new Long2LongHashMap(Long.MIN_VALUE);
    private long nextDeferredNs;
    private final AtomicLong journalCyclesDeleted = new AtomicLong();
    private final IntHashSet peers = new IntHashSet();
    private final Long2LongHashMap linkJournaledNs = new Long2LongHashMap(Long.MIN_VALUE);
    private final org.agrona.collections.LongHashSet linksDown = new org.agrona.collections.LongHashSet();
    private final Map<Long, AtomicLong> flowsByRoute = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> flowsByService = new ConcurrentHashMap<>();
    private final AtomicLong probesMalformed = new AtomicLong();
    private final AtomicLong probesRejected = new AtomicLong();
    private final AtomicLong passiveSamples = new AtomicLong();
    private final AtomicLong flowsEnded = new AtomicLong();
    private final AtomicLong tablePublishes = new AtomicLong();
    private volatile ControlPlaneStatus status;
    private volatile boolean paused;
    private ForwardingTables seenTables;
    private boolean tablesDirty;
    private long nowNs;
    private long nextStatusNs;
    private long nextJournalHousekeepingNs;

    /**
     * @param config     settings.
     * @param tables     the snapshot serving now (POPs, addresses, keys).
     * @param events     the engine's event ring; this agent is its only reader.
     * @param frames     sends a frame out of the backbone port ({@code PopEngine::offerBackboneControlFrame}).
     * @param clock      the engine's clock (event times compare with it).
     * @param pathTables receives the optimizer's path tables.
     * @param journal    records measurements and decisions ({@link OptimizerJournal#NONE} for none).
     */
    public ControlPlane(
        final ControlPlaneConfig config,
        final Supplier<ForwardingTables> tables,
        final EngineEvents events,
        final FrameSink frames,
        final NanoClock clock,
        final PathTableSink pathTables,
        final OptimizerJournal journal)
    {
        this.config = config;
        this.tables = tables;
        this.events = events;
        this.clock = clock;
        this.pathTables = pathTables;
        this.journal = journal;
        this.nowNs = clock.nanoTime();
        this.nextJournalHousekeepingNs = nowNs;
        final ForwardingTables current = tables.get();
        this.localPop = current.localPop().id();
        this.transport = new OamProbeTransport(tables, frames, config.hopLimit());
        transport.nowNs(nowNs);
        this.optimizer = new PathOptimizer(localPop, config.prober(), config.policy(),
            new CandidatePathFinder(config.candidatePaths(), config.relayPenaltyNs(), true), transport, this,
            config.recomputeIntervalNs(), config.seed(), nowNs);
        optimizer.probeObserver(new ProbeListener()
        {
            @Override
            public void onProbeAnswered(final long route, final long seq, final long sendNs, final long rttNs, final long now)
            {
                journal.probeAnswered(route, seq, rttNs, now);
            }

            @Override
            public void onProbeLost(final long route, final long seq, final long sendNs, final long now)
            {
                journal.probeLost(route, seq, now);
            }

            @Override
            public void onPathStateChange(final long route, final boolean up, final long now)
            {
                journal.pathState(route, up, now);
            }
        });
        optimizer.linkStateObserver(this::onLinkState);
        optimizer.routeFilter(route -> allKnown(tables.get(), route));
        syncPeers(current);
        refreshStatus();
    }

    @Override
    public String roleName()
    {
        return "flyover-control";
    }

    /**
     * Stops probing, reading events and journaling from the next duty cycle on; any thread. A
     * gateway shutting down calls it before it stops receiving, so the silence of its own drain is
     * not measured as loss and journaled as paths going down.
     */
    public void pause()
    {
        paused = true;
    }

    @Override
    public int doWork()
    {
        if (paused)
        {
            return 0;
        }
        nowNs = clock.nanoTime();
        transport.nowNs(nowNs);
        int work = 0;
        final ForwardingTables current = tables.get();
        if (current != seenTables)
        {
            work += syncPeers(current);
        }
        work += events.read(eventHandler, EVENTS_PER_CYCLE);
        work += optimizer.doWork(nowNs);
        if (!deferredDsts.isEmpty() && nowNs - nextDeferredNs >= 0)
        {
            dirtyDsts.addAll(deferredDsts);
            deferredDsts.clear();
            tablesDirty = true;
        }
        if (tablesDirty)
        {
            publishTables(tables.get());
            work++;
        }
        work += pathTables.poll();
        if (nowNs - nextJournalHousekeepingNs >= 0)
        {
            nextJournalHousekeepingNs = nowNs + JOURNAL_HOUSEKEEPING_INTERVAL_NS;
            final int deleted = journal.deleteExpired();
            journalCyclesDeleted.addAndGet(deleted);
            work += deleted;
        }
        if (nowNs - nextStatusNs >= 0)
        {
            refreshStatus();
        }
        return work;
    }

    @Override
    public void onClose()
    {
        journal.close();
    }

    /**
     * Warms the optimizer from a journal's records (oldest first): the newest state of every link
     * seeds the link-state graph, so relay candidates exist at once; then, once the candidates are
     * computed, the newest {@link #WARM_SAMPLES_PER_ROUTE} RTT samples of every route still probed
     * seed its estimator and policy as passive samples. Paths still start down: only answered probes
     * bring a path up. Call on the agent thread before the first {@link #doWork()} (or on the
     * thread that will run it).
     *
     * @param records journal records, oldest first.
     * @return RTT samples taken.
     */
    public int warmUp(final List<JournalRecord> records)
    {
        nowNs = clock.nanoTime();
        transport.nowNs(nowNs);
        final Long2ObjectHashMap<JournalRecord> links = new Long2ObjectHashMap<>();
        final Long2ObjectHashMap<List<JournalRecord>> samples = new Long2ObjectHashMap<>();
        for (final JournalRecord record : records)
        {
            if (JournalRecord.LINK_STATE == record.type())
            {
                links.put(record.route(), record);
            }
            else if (JournalRecord.PROBE_ANSWERED == record.type() && Route.ingress(record.route()) == localPop)
            {
                samples.computeIfAbsent(record.route(), r -> new ArrayList<>()).add(record);
            }
        }
        for (final JournalRecord link : links.values())
        {
            final int from = Route.ingress(link.route());
            final int to = Route.egress(link.route());
            if (from != localPop)
            {
                optimizer.warmLinkState(from, to, (int)link.a(), (int)link.b(), nowNs);
            }
        }
        for (final JournalRecord link : links.values())
        {
            // this POP's own links: only peers still configured
            final int from = Route.ingress(link.route());
            final int to = Route.egress(link.route());
            if (from == localPop && peers.contains(to))
            {
                optimizer.warmLinkState(from, to, (int)link.a(), (int)link.b(), nowNs);
            }
        }
        optimizer.doWork(nowNs);
        int taken = 0;
        for (final Map.Entry<Long, List<JournalRecord>> e : samples.entrySet())
        {
            final List<JournalRecord> routeSamples = e.getValue();
            final int from = Math.max(0, routeSamples.size() - WARM_SAMPLES_PER_ROUTE);
            for (int i = from; i < routeSamples.size(); i++)
            {
                if (optimizer.warmRtt(e.getKey(), routeSamples.get(i).b(), nowNs))
                {
                    taken++;
                }
            }
        }
        refreshStatus();
        return taken;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Agent thread: remembers the weights; the path tables are rebuilt and handed on before the
     * duty cycle ends.
     */
    @Override
    public void onPathWeights(final PathWeights weights, final long now)
    {
        weightsByDst.put(weights.dstPop(), weights);
        dirtyDsts.add(weights.dstPop());
        tablesDirty = true;
        journal.weights(weights, now);
    }

    /**
     * @return the latest status snapshot (any thread).
     */
    public ControlPlaneStatus status()
    {
        return status;
    }

    /**
     * @param peerPop a POP id.
     * @return whether the direct path to it is up, as of the latest status snapshot (any thread).
     */
    public boolean isPeerUp(final int peerPop)
    {
        final RouteStatus direct = status.route(Route.of(localPop, peerPop));
        return null != direct && direct.up();
    }

    /**
     * @return the optimizer (agent thread only).
     */
    public PathOptimizer optimizer()
    {
        return optimizer;
    }

    /**
     * @return the probe transport (agent thread only).
     */
    public OamProbeTransport transport()
    {
        return transport;
    }

    /**
     * @return this POP's id.
     */
    public int localPop()
    {
        return localPop;
    }

    /**
     * @return new flows seen in the event ring by packed route (any thread).
     */
    public Map<Long, AtomicLong> flowsCreatedByRoute()
    {
        return Collections.unmodifiableMap(flowsByRoute);
    }

    /**
     * @return new flows seen in the event ring by service id (any thread).
     */
    public Map<Integer, AtomicLong> flowsCreatedByService()
    {
        return Collections.unmodifiableMap(flowsByService);
    }

    private int syncPeers(final ForwardingTables current)
    {
        seenTables = current;
        int work = 0;
        final IntHashSet wanted = new IntHashSet();
        for (final Pop pop : current.pops().values())
        {
            if (pop.id() != localPop)
            {
                wanted.add(pop.id());
            }
        }
        final IntHashSet.IntIterator it = wanted.iterator();
        while (it.hasNext())
        {
            final int peer = it.nextValue();
            if (peers.add(peer))
            {
                optimizer.addPeer(peer, nowNs);
                work++;
            }
        }
        final List<Integer> gone = new ArrayList<>();
        final IntHashSet.IntIterator known = peers.iterator();
        while (known.hasNext())
        {
            final int peer = known.nextValue();
            if (!wanted.contains(peer))
            {
                gone.add(peer);
            }
        }
        for (final int peer : gone)
        {
            peers.remove(peer);
            optimizer.removePeer(peer, nowNs);
            weightsByDst.remove(peer);
            work++;
        }
        if (work > 0)
        {
            // the POPs changed: a route through a POP that came or went may have changed validity
            dirtyDsts.addAll(builtByDst.keySet());
            dirtyDsts.addAll(weightsByDst.keySet());
            tablesDirty = true;
        }
        return work;
    }

    /**
     * Rebuilds the path tables of the destinations marked dirty (their weights changed, or the
     * POPs did) and publishes the set if any table changed. A destination whose integer bucket
     * counts and routes are those of its current table keeps that table object. A change that
     * only moves shares among routes already in the table (an exploration redraw) is deferred
     * until {@link #TABLE_REBUILD_INTERVAL_NS} after that destination's last build; a change
     * that takes a route out of the table (a path went down) or takes a route's share away (it
     * stays, with weight 0, for the flows pinned to it), changes the route with the most buckets,
     * or gives a destination its first table is built at once.
     * Every fill reuses one slot array.
     */
    private void publishTables(final ForwardingTables current)
    {
        tablesDirty = false;
        boolean changed = false;
        final IntHashSet.IntIterator it = dirtyDsts.iterator();
        while (it.hasNext())
        {
            final int dst = it.nextValue();
            final List<WeightedRoute> routes = routesFor(current, dst);
            final PathTable previous = builtByDst.get(dst);
            if (null == routes)
            {
                changed |= null != builtByDst.remove(dst);
                continue;
            }
            if (null != previous && sameRoutes(previous.routes(), routes))
            {
                tablesReused.incrementAndGet();
                continue;
            }
            final long lastBuiltNs = lastBuiltNsByDst.get(dst);
            if (null != previous && !urgent(previous.routes(), routes) &&
                nowNs - lastBuiltNs < TABLE_REBUILD_INTERVAL_NS)
            {
                final long dueNs = lastBuiltNs + TABLE_REBUILD_INTERVAL_NS;
                deferredDsts.add(dst);
                nextDeferredNs = deferredDsts.size() == 1 ? dueNs : Math.min(nextDeferredNs, dueNs);
                tablesDeferred.incrementAndGet();
                continue;
            }
            tablesBuilt.incrementAndGet();
            builtByDst.put(dst, tableBuilder.build(dst, routes));
            lastBuiltNsByDst.put(dst, nowNs);
            changed = true;
        }
        dirtyDsts.clear();
        if (changed)
        {
            pathTables.publish(Map.copyOf(builtByDst));
            tablePublishes.incrementAndGet();
        }
    }

    private List<WeightedRoute> routesFor(final ForwardingTables current, final int dst)
    {
        final PathWeights weights = weightsByDst.get(dst);
        if (null == weights || !weights.anyLive() || null == current.pop(dst))
        {
            return null;
        }
        final int[] counts = weights.bucketCounts(WEIGHT_SCALE);
        final List<WeightedRoute> routes = new ArrayList<>(weights.size());
        boolean anyShare = false;
        for (int i = 0; i < weights.size(); i++)
        {
            final long route = weights.route(i);
            // a live route without a share of new flows stays listed with weight 0: the flows
            // pinned to it stay there; only a route that went down (or left the candidates) moves them
            if ((counts[i] > 0 || weights.isLive(i)) && Route.ingress(route) == localPop && allKnown(current, route))
            {
                routes.add(new WeightedRoute(io.flyover.dataplane.table.Route.unpack(route), counts[i]));
                anyShare |= counts[i] > 0;
            }
        }
        return anyShare ? routes : null;
    }

    /**
     * @return true if a route of the table left it (its pinned flows must move), a route with a
     * share lost it (new flows must stop taking it), or the route with the most buckets is another
     * one: build now.
     */
    private static boolean urgent(final List<WeightedRoute> table, final List<WeightedRoute> routes)
    {
        for (final WeightedRoute old : table)
        {
            int weightNow = -1;
            for (final WeightedRoute now : routes)
            {
                weightNow = now.route().equals(old.route()) ? now.weight() : weightNow;
            }
            if (weightNow < 0 || (old.weight() > 0 && weightNow == 0))
            {
                return true;
            }
        }
        return !heaviest(table).equals(heaviest(routes));
    }

    private static io.flyover.dataplane.table.Route heaviest(final List<WeightedRoute> routes)
    {
        WeightedRoute best = routes.get(0);
        for (final WeightedRoute r : routes)
        {
            if (r.weight() > best.weight())
            {
                best = r;
            }
        }
        return best.route();
    }

    private static boolean sameRoutes(final List<WeightedRoute> sorted, final List<WeightedRoute> routes)
    {
        if (sorted.size() != routes.size())
        {
            return false;
        }
        for (final WeightedRoute route : routes)
        {
            if (!sorted.contains(route))
            {
                return false;
            }
        }
        return true;
    }

    private static boolean allKnown(final ForwardingTables current, final long route)
    {
        for (int i = 0, n = Route.length(route); i < n; i++)
        {
            if (null == current.pop(Route.pop(route, i)))
            {
                return false;
            }
        }
        return true;
    }

    private void onLinkState(final int fromPop, final int toPop, final int rttUs, final int lossPpm, final long now)
    {
        final long key = ((long)fromPop << 16) | toPop;
        final long last = linkJournaledNs.get(key);
        final boolean down = lossPpm >= LOSS_DOWN;
        if (Long.MIN_VALUE == last || now - last >= LINK_JOURNAL_INTERVAL_NS || down != linksDown.contains(key))
        {
            linkJournaledNs.put(key, now);
            if (down)
            {
                linksDown.add(key);
            }
            else
            {
                linksDown.remove(key);
            }
            journal.linkState(fromPop, toPop, rttUs, lossPpm, now);
        }
    }

    private static final int LOSS_DOWN = io.flyover.optimizer.linkstate.LinkStateSink.LOSS_PPM_DOWN;

    private void onEvent(final int type, final MutableDirectBuffer buffer, final int index, final int length)
    {
        switch (type)
        {
            case EngineEvents.NEW_FLOW ->
            {
                final long route = buffer.getLong(index + EngineEvents.ROUTE_OFFSET);
                flowsByRoute.computeIfAbsent(route, r -> new AtomicLong()).incrementAndGet();
                flowsByService.computeIfAbsent(buffer.getInt(index + EngineEvents.SERVICE_OFFSET), id -> new AtomicLong())
                    .incrementAndGet();
            }
            case EngineEvents.FLOW_END -> flowsEnded.incrementAndGet();
            case EngineEvents.TCP_RTT ->
            {
                final long route = buffer.getLong(index + EngineEvents.ROUTE_OFFSET);
                final long rttNs = buffer.getLong(index + EngineEvents.VALUE_OFFSET);
                if (Route.isValid(route) && Route.ingress(route) == localPop && rttNs > 0)
                {
                    optimizer.onPassiveRtt(route, rttNs, nowNs);
                    passiveSamples.incrementAndGet();
                }
            }
            case EngineEvents.PROBE -> onProbe(buffer, index, length);
            default ->
            {
            }
        }
    }

    private void onProbe(final MutableDirectBuffer buffer, final int index, final int length)
    {
        final long wireRoute = buffer.getLong(index + EngineEvents.ROUTE_OFFSET);
        final long receivedNs = buffer.getLong(index + EngineEvents.TIME_OFFSET);
        final int at = index + EngineEvents.PROBE_MESSAGE_OFFSET;
        final int innerLength = length - EngineEvents.PROBE_MESSAGE_OFFSET;
        if (innerLength < OamProbeTransport.INNER_HEADERS || 0x45 != (buffer.getByte(at) & 0xFF) ||
            IpProtocol.UDP != (buffer.getByte(at + 9) & 0xFF) ||
            OamProbeTransport.PROBE_UDP_PORT != (buffer.getShort(at + 22, ByteOrder.BIG_ENDIAN) & 0xFFFF))
        {
            probesMalformed.incrementAndGet();
            return;
        }
        final int messageAt = at + OamProbeTransport.INNER_HEADERS;
        final int messageLength = innerLength - OamProbeTransport.INNER_HEADERS;
        if (ProbeVerdict.OK != ProbeMessage.validate(buffer, messageAt, messageLength) ||
            ProbeMessage.route(buffer, messageAt) != wireRoute)
        {
            probesMalformed.incrementAndGet();
            return;
        }
        final boolean request = ProbeMessage.TYPE_REQUEST == ProbeMessage.type(buffer, messageAt);
        final int sender = ProbeMessage.senderPop(buffer, messageAt);
        if (sender != (request ? Route.ingress(wireRoute) : Route.egress(wireRoute)))
        {
            probesMalformed.incrementAndGet();
            return;
        }
        final long arrivalNs = nowNs - receivedNs >= 0 ? receivedNs : nowNs;
        if (ProbeVerdict.OK != optimizer.onProbeMessage(buffer, messageAt, messageLength, arrivalNs))
        {
            probesRejected.incrementAndGet();
        }
    }

    private void refreshStatus()
    {
        nextStatusNs = nowNs + config.statusIntervalNs();
        final long[] routes = optimizer.prober().routes();
        final List<RouteStatus> list = new ArrayList<>(routes.length);
        for (final long route : routes)
        {
            final LatencyEstimator estimator = optimizer.prober().estimator(route);
            final FailureDetector detector = optimizer.prober().detector(route);
            final PathWeights weights = weightsByDst.get(Route.egress(route));
            final AtomicLong flows = flowsByRoute.get(route);
            final long staleness = estimator.stalenessNs(nowNs);
            list.add(new RouteStatus(route, Route.egress(route), detector.isUp(), estimator.srttNs(), estimator.rttVarNs(),
                estimator.p50Ns(), estimator.p95Ns(), estimator.jitterNs(), estimator.lossRate(),
                estimator.probeSamples(), estimator.passiveSamples(), Long.MAX_VALUE == staleness ? -1 : staleness,
                null == weights ? 0.0 : weights.weightOf(route),
                null != weights && weights.preferredRoute() == route,
                null == flows ? 0 : flows.get()));
        }
        list.sort(Comparator.comparingInt(RouteStatus::dstPop).thenComparingLong(RouteStatus::route));
        status = new ControlPlaneStatus(localPop, nowNs, List.copyOf(list),
            optimizer.prober().probesSent(), optimizer.prober().repliesSent(), probesMalformed.get(),
            probesRejected.get(), passiveSamples.get(), flowsEnded.get(), tablePublishes.get(), tablesBuilt.get(),
            tablesReused.get(), tablesDeferred.get(), journalCyclesDeleted.get(),
            transport.unknownPop() + transport.unsupportedUnderlay() + transport.backPressure());
    }
}
