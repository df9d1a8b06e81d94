package io.flyover.tools.gateway;

import io.flyover.dataplane.engine.EngineEvents;
import io.flyover.dataplane.protocol.FlyoverRoute;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.UdpFlyweight;
import io.flyover.dataplane.protocol.TunnelPacketBuilder;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.Pop;
import io.flyover.dataplane.world.IpPackets;
import io.flyover.optimizer.probe.ProbeMessage;
import io.flyover.optimizer.probe.ProbeVerdict;
import io.flyover.tools.config.GatewayConfig;
import io.flyover.tools.config.LivenessConfig;
import io.flyover.tools.config.PeerConfig;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;
import java.util.Collections;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * BFD-style liveness of every peer, over the backbone itself: every {@code liveness.interval}
 * (jittered down by up to {@link #JITTER_PERCENT}%) a keepalive goes to each peer as a Geneve OAM
 * packet (O bit, route {@code [local, peer]}, hop index 1, VNI 0, tagged with the peer's send key);
 * its inner packet is IPv4/UDP to port {@link #KEEPALIVE_UDP_PORT} carrying a {@link ProbeMessage}
 * request (sequence, send time, no link-state entries). The peer's pipeline consumes the OAM packet
 * and posts it to its {@link EngineEvents}; the peer's liveness agent answers with a
 * {@link ProbeMessage#TYPE_REPLY} along the same route with D = 1 and hop index 0. An answer
 * counts for the peer in its route's hop 1.
 * <p>
 * A peer starts {@link State#INIT} (never answered, not live). It is {@link State#UP} after
 * {@link #UP_AFTER_ANSWERS} answers in a row, and {@link State#DOWN} once no answer arrived for
 * {@code interval × multiplier} (BFD's detection time). A keepalive unanswered after the detection
 * time, or after twice the peer's latest round trip when that is longer ({@link #MAX_ANSWER_WAIT_NS}
 * at most, and that before the first answer), is counted lost, so a peer farther than the detection
 * time still comes up; a lost one restarts the count of answers in a row unless a later keepalive
 * (by sequence) was already answered, so losses declared late for keepalives sent during an outage
 * do not undo the answers that came after it. Every change of the set
 * of live peers (and every change of the configured peers) calls the listener, which recompiles
 * and republishes the path tables.
 * <p>
 * It is also the single reader of the engine's event ring: besides probes it counts new flows per
 * route ({@link #flowsCreatedByRoute()}) and drops the other events.
 * <p>
 * Threads: {@link #doWork()} runs on one agent thread (its own in DEDICATED mode, the shared one in
 * SHARED mode), never a worker's; it is the single producer of the engine's backbone control ring
 * and the single consumer of the event ring. {@link #peers()}, {@link #isLive(int)} and the
 * counters are read from any thread (admin, reload): the peer map is an immutable snapshot
 * published by a volatile write, states are volatile, counters atomic.
 */
final class LivenessAgent implements Agent
{
    /** Answers in a row that bring a peer up (dampening). */
    static final int UP_AFTER_ANSWERS = 3;

    /** Inner UDP port of keepalives (the BFD echo port, RFC 5881), source and destination. */
    static final int KEEPALIVE_UDP_PORT = 3785;

    /** Keepalives are sent early by up to this share of the interval (never late). */
    static final int JITTER_PERCENT = 10;

    /** Events taken from the ring per duty cycle. */
    static final int EVENTS_PER_CYCLE = 256;

    /** Longest wait for a keepalive's answer (before the first answer, and for far peers). */
    static final long MAX_ANSWER_WAIT_NS = 2_000_000_000L;

    private static final int PENDING_SLOTS = 512;
    private static final int PENDING_MASK = PENDING_SLOTS - 1;
    private static final int IPV4_UDP_HEADERS = 20 + UdpFlyweight.HEADER_LENGTH;
    private static final int INNER_LENGTH = IPV4_UDP_HEADERS + ProbeMessage.length(0);

    /** Sends a whole backbone frame (outer IPv4 first); see {@code PopEngine#offerBackboneControlFrame}. */
    @FunctionalInterface
    interface FrameSink
    {
        boolean offer(DirectBuffer buffer, int offset, int length);
    }

    /** A peer's liveness state. */
    enum State
    {
        /** Never answered since it was configured (or since start): not live. */
        INIT("init"),
        /** Answering: live. */
        UP("up"),
        /** Silent for the detection time: not live. */
        DOWN("down");

        private final String label;

        State(final String label)
        {
            this.label = label;
        }

        String label()
        {
            return label;
        }
    }

    /**
     * One peer as liveness sees it. Agent thread writes; any thread reads state and counters.
     */
    static final class Peer
    {
        final int id;
        final String name;
        final AtomicLong sent = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong lost = new AtomicLong();
        final AtomicLong late = new AtomicLong();
        final AtomicLong reflected = new AtomicLong();
        final AtomicLong sendFailed = new AtomicLong();
        final AtomicLong transitions = new AtomicLong();
        private volatile State state = State.INIT;
        private volatile long lastRttNs = -1;

        // agent thread only
        private long nextSendNs;
        private long nextSequence = 1;
        private long oldestPending = 1;
        private final long[] pendingSendNs = new long[PENDING_SLOTS];
        private final boolean[] answered = new boolean[PENDING_SLOTS];
        private int answersInARow;
        private long lastAnsweredSequence;
        private long lastAnsweredNs;
        private final int flowHash;

        Peer(final int id, final String name, final long nowNs)
        {
            this.id = id;
            this.name = name;
            this.nextSendNs = nowNs;
            this.lastAnsweredNs = nowNs;
            this.flowHash = id * 0x9E3779B9;
        }

        State state()
        {
            return state;
        }

        /**
         * @return the latest keepalive round trip in ns, -1 before the first answer.
         */
        long lastRttNs()
        {
            return lastRttNs;
        }
    }

    private final Supplier<GatewayConfig> config;
    private final Supplier<ForwardingTables> tables;
    private final EngineEvents events;
    private final FrameSink sink;
    private final NanoClock clock;
    private final Runnable onChange;
    private final SplittableRandom random;
    private final MessageHandler eventHandler = this::onEvent;
    private final UnsafeBuffer message = new UnsafeBuffer(new byte[ProbeMessage.length(0)]);
    private final UnsafeBuffer inner = new UnsafeBuffer(new byte[INNER_LENGTH]);
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[INNER_LENGTH + 128]);
    private final TunnelPacketBuilder builder = new TunnelPacketBuilder();
    private final Map<Long, AtomicLong> flowsByRoute = new ConcurrentHashMap<>();
    private final Map<Integer, AtomicLong> flowsByService = new ConcurrentHashMap<>();
    private final AtomicLong malformed = new AtomicLong();
    private volatile Map<Integer, Peer> peers = Map.of();
    private GatewayConfig seenConfig;
    private long nowNs;
    private boolean changed;

    /**
     * @param config   the configuration serving now (peers and liveness settings are read every cycle).
     * @param tables   the tables serving now (underlay addresses and keys).
     * @param events   the engine's event ring; this agent is its only reader.
     * @param sink     sends a frame out of the backbone port.
     * @param clock    the clock (the engine's, so event times compare).
     * @param onChange told, on the agent thread, when the set of live peers changed.
     * @param seed     seeds the jitter.
     */
    LivenessAgent(
        final Supplier<GatewayConfig> config,
        final Supplier<ForwardingTables> tables,
        final EngineEvents events,
        final FrameSink sink,
        final NanoClock clock,
        final Runnable onChange,
        final long seed)
    {
        this.config = config;
        this.tables = tables;
        this.events = events;
        this.sink = sink;
        this.clock = clock;
        this.onChange = onChange;
        this.random = new SplittableRandom(seed);
        this.nowNs = clock.nanoTime();
        syncPeers(config.get());
        this.changed = false;
    }

    @Override
    public String roleName()
    {
        return "flyover-liveness";
    }

    @Override
    public int doWork()
    {
        nowNs = clock.nanoTime();
        changed = false;
        final GatewayConfig current = config.get();
        if (current != seenConfig)
        {
            syncPeers(current);
        }
        int work = events.read(eventHandler, EVENTS_PER_CYCLE);
        final LivenessConfig liveness = current.liveness();
        final long intervalNs = liveness.interval().toNanos();
        final long detectionNs = intervalNs * liveness.multiplier();
        for (final Peer peer : peers.values())
        {
            work += tick(peer, intervalNs, detectionNs);
        }
        if (changed)
        {
            onChange.run();
        }
        return work;
    }

    /**
     * @param peerId a POP id.
     * @return true if the peer is up, or not a peer liveness knows (so paths through it are kept).
     */
    boolean isLive(final int peerId)
    {
        final Peer peer = peers.get(peerId);
        return null == peer || State.UP == peer.state;
    }

    /**
     * @return the peers by id, a snapshot (ascending ids).
     */
    Map<Integer, Peer> peers()
    {
        return peers;
    }

    /**
     * @return new flows seen in the event ring, by packed route (ingress: the route chosen; egress:
     * the route the flow arrived along).
     */
    Map<Long, AtomicLong> flowsCreatedByRoute()
    {
        return Collections.unmodifiableMap(flowsByRoute);
    }

    /**
     * @return new flows seen in the event ring, by service id.
     */
    Map<Integer, AtomicLong> flowsCreatedByService()
    {
        return Collections.unmodifiableMap(flowsByService);
    }

    /**
     * @return probe events that were not a valid keepalive for this POP.
     */
    long malformed()
    {
        return malformed.get();
    }

    private void syncPeers(final GatewayConfig current)
    {
        final Map<Integer, Peer> next = new TreeMap<>();
        boolean differs = seenConfig != null && current.peers().size() != peers.size();
        for (final PeerConfig pc : current.peers())
        {
            final Peer existing = peers.get(pc.id());
            if (null != existing && existing.name.equals(pc.name()))
            {
                next.put(pc.id(), existing);
            }
            else
            {
                next.put(pc.id(), new Peer(pc.id(), pc.name(), nowNs));
                differs |= null != seenConfig;
            }
        }
        peers = Collections.unmodifiableMap(next);
        seenConfig = current;
        changed |= differs;
    }

    private int tick(final Peer peer, final long intervalNs, final long detectionNs)
    {
        int work = 0;
        if (nowNs - peer.nextSendNs >= 0)
        {
            sendRequest(peer);
            final long jitter = random.nextLong(intervalNs * JITTER_PERCENT / 100 + 1);
            peer.nextSendNs = nowNs + intervalNs - jitter;
            work++;
        }
        final long rttNs = peer.lastRttNs;
        final long waitNs = Math.max(detectionNs, rttNs < 0 ? MAX_ANSWER_WAIT_NS : Math.min(MAX_ANSWER_WAIT_NS, 2 * rttNs));
        while (peer.oldestPending < peer.nextSequence)
        {
            final int slot = (int)(peer.oldestPending & PENDING_MASK);
            final boolean full = peer.nextSequence - peer.oldestPending >= PENDING_SLOTS;
            if (!full && nowNs - peer.pendingSendNs[slot] < waitNs)
            {
                break;
            }
            if (!peer.answered[slot])
            {
                peer.lost.incrementAndGet();
                if (peer.oldestPending > peer.lastAnsweredSequence)
                {
                    peer.answersInARow = 0; // a loss after the latest answer, in sequence order
                }
            }
            peer.oldestPending++;
        }
        if (State.UP == peer.state && nowNs - peer.lastAnsweredNs >= detectionNs)
        {
            transition(peer, State.DOWN);
            peer.answersInARow = 0;
        }
        return work;
    }

    private void transition(final Peer peer, final State to)
    {
        final boolean wasLive = State.UP == peer.state;
        peer.state = to;
        peer.transitions.incrementAndGet();
        changed |= wasLive != (State.UP == to);
    }

    private void sendRequest(final Peer peer)
    {
        final ForwardingTables t = tables.get();
        final Pop local = t.localPop();
        final Pop remote = t.pop(peer.id);
        if (null == remote || remote.underlayIpv6() || local.underlayIpv6())
        {
            peer.sendFailed.incrementAndGet();
            return;
        }
        final long sequence = peer.nextSequence;
        final long route = FlyoverRoute.pack(local.id(), peer.id, FlyoverRoute.UNUSED, FlyoverRoute.UNUSED);
        ProbeMessage.putHeader(message, 0, ProbeMessage.TYPE_REQUEST, local.id(), route, 0, sequence, nowNs, 0, 0, 0);
        if (send(local, remote, route, false, 1, peer.flowHash))
        {
            final int slot = (int)(sequence & PENDING_MASK);
            peer.pendingSendNs[slot] = nowNs;
            peer.answered[slot] = false;
            peer.nextSequence = sequence + 1;
            peer.sent.incrementAndGet();
        }
        else
        {
            peer.sendFailed.incrementAndGet();
        }
    }

    private boolean send(
        final Pop local, final Pop remote, final long route, final boolean returnPath, final int hopIndex, final int flowHash)
    {
        final int innerLength = IpPackets.udp4(inner, 0, local.underlayIpv4(), KEEPALIVE_UDP_PORT, remote.underlayIpv4(),
            KEEPALIVE_UDP_PORT, message, 0, message.capacity());
        final int length = builder
            .outerAddresses(local.underlayIpv4(), remote.underlayIpv4())
            .flowHash(flowHash)
            .oam(true)
            .vni(0)
            .returnPath(returnPath)
            .hopIndex(hopIndex)
            .hopLimit(ConfigCompiler.HOP_LIMIT)
            .keyId(remote.keys().sendKey().keyId())
            .keys(remote.keys().tunnelKeys())
            .route(route)
            .sendTimeUs(nowNs / 1000)
            .build(frame, 0, inner, 0, innerLength);
        return sink.offer(frame, 0, length);
    }

    private void onEvent(final int type, final org.agrona.MutableDirectBuffer buffer, final int index, final int length)
    {
        if (EngineEvents.NEW_FLOW == type)
        {
            final long route = buffer.getLong(index + EngineEvents.ROUTE_OFFSET);
            flowsByRoute.computeIfAbsent(route, r -> new AtomicLong()).incrementAndGet();
            flowsByService.computeIfAbsent(buffer.getInt(index + EngineEvents.SERVICE_OFFSET), id -> new AtomicLong())
                .incrementAndGet();
            return;
        }
        if (EngineEvents.PROBE != type)
        {
            return;
        }
        final long route = buffer.getLong(index + EngineEvents.ROUTE_OFFSET);
        final long receivedNs = buffer.getLong(index + EngineEvents.TIME_OFFSET);
        final int at = index + EngineEvents.PROBE_MESSAGE_OFFSET;
        final int innerLength = length - EngineEvents.PROBE_MESSAGE_OFFSET;
        if (innerLength < IPV4_UDP_HEADERS || 0x45 != (buffer.getByte(at) & 0xFF) ||
            IpProtocol.UDP != (buffer.getByte(at + 9) & 0xFF) ||
            KEEPALIVE_UDP_PORT != (buffer.getShort(at + 22, ByteOrder.BIG_ENDIAN) & 0xFFFF))
        {
            malformed.incrementAndGet();
            return;
        }
        final int messageAt = at + IPV4_UDP_HEADERS;
        final int messageLength = innerLength - IPV4_UDP_HEADERS;
        if (ProbeVerdict.OK != ProbeMessage.validate(buffer, messageAt, messageLength) ||
            ProbeMessage.route(buffer, messageAt) != route || FlyoverRoute.UNUSED != FlyoverRoute.pop(route, 2))
        {
            malformed.incrementAndGet();
            return;
        }
        final ForwardingTables t = tables.get();
        final int localId = t.localPop().id();
        final int from = ProbeMessage.senderPop(buffer, messageAt);
        if (ProbeMessage.TYPE_REQUEST == ProbeMessage.type(buffer, messageAt))
        {
            final Pop requester = t.pop(from);
            if (FlyoverRoute.pop(route, 1) != localId || FlyoverRoute.pop(route, 0) != from || null == requester ||
                from == localId || requester.underlayIpv6())
            {
                malformed.incrementAndGet();
                return;
            }
            // the requester's path id is echoed, so an optimizer's prober at the far end matches it
            ProbeMessage.putHeader(message, 0, ProbeMessage.TYPE_REPLY, localId, route,
                ProbeMessage.pathId(buffer, messageAt), ProbeMessage.sequence(buffer, messageAt), ProbeMessage.sendNs(buffer, messageAt),
                receivedNs, Math.max(receivedNs, nowNs), 0);
            final Peer peer = peers.get(from);
            if (send(t.localPop(), requester, route, true, 0, null == peer ? from : peer.flowHash))
            {
                if (null != peer)
                {
                    peer.reflected.incrementAndGet();
                }
            }
            return;
        }
        final Peer peer = peers.get(from);
        if (FlyoverRoute.pop(route, 0) != localId || FlyoverRoute.pop(route, 1) != from || null == peer)
        {
            malformed.incrementAndGet();
            return;
        }
        final long sequence = ProbeMessage.sequence(buffer, messageAt);
        final int slot = (int)(sequence & PENDING_MASK);
        if (sequence < peer.oldestPending || sequence >= peer.nextSequence || peer.answered[slot] ||
            peer.pendingSendNs[slot] != ProbeMessage.sendNs(buffer, messageAt))
        {
            peer.late.incrementAndGet();
            return;
        }
        peer.answered[slot] = true;
        peer.lastAnsweredSequence = Math.max(peer.lastAnsweredSequence, sequence);
        peer.received.incrementAndGet();
        peer.lastAnsweredNs = nowNs;
        peer.lastRttNs = Math.max(0, receivedNs - peer.pendingSendNs[slot]
            - (ProbeMessage.echoTransmitNs(buffer, messageAt) - ProbeMessage.echoReceiveNs(buffer, messageAt)));
        peer.answersInARow++;
        if (State.UP != peer.state && peer.answersInARow >= UP_AFTER_ANSWERS)
        {
            transition(peer, State.UP);
        }
    }
}
