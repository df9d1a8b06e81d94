package io.flyover.dataplane.engine;

import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2ObjectHashMap;
import org.agrona.collections.IntHashSet;
import org.agrona.collections.LongHashSet;

import io.flyover.dataplane.counters.DropCounters;
import io.flyover.dataplane.counters.DropReason;
import io.flyover.dataplane.flow.FlowKey;
import io.flyover.dataplane.flow.FlowKind;
import io.flyover.dataplane.flow.FlowState;
import io.flyover.dataplane.flow.FlowTable;
import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.lb.Maglev;
import io.flyover.dataplane.protocol.Checksums;
import io.flyover.dataplane.protocol.FlyoverOptionFlyweight;
import io.flyover.dataplane.protocol.FlyoverRoute;
import io.flyover.dataplane.protocol.GeneveEncapsulator;
import io.flyover.dataplane.protocol.GeneveFlyweight;
import io.flyover.dataplane.protocol.GeneveParser;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.PacketParser;
import io.flyover.dataplane.protocol.ParseVerdict;
import io.flyover.dataplane.protocol.ParsedPacket;
import io.flyover.dataplane.protocol.ParsedTunnel;
import io.flyover.dataplane.protocol.TcpFlyweight;
import io.flyover.dataplane.protocol.TunnelTag;
import io.flyover.dataplane.protocol.UdpFlyweight;
import io.flyover.dataplane.table.Addresses;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.Pop;
import io.flyover.dataplane.table.Service;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * The forwarding pipeline of one worker shard: named stages with int verdicts, reading top to
 * bottom in {@link #onEdge}, {@link #onBackbone} and {@link #onOrigin}. Owned by its worker
 * thread; allocates nothing per packet.
 * <p>
 * A stage that forwards rewrites the frame in place (growing into the slot's headroom to
 * encapsulate) and leaves the result in {@link #outOffset()} and {@link #outLength()}. Verdicts:
 * a port role id ({@link #TO_EDGE}, {@link #TO_BACKBONE}, {@link #TO_ORIGIN}) to forward,
 * {@link #CONSUMED} for a packet addressed to the POP itself, or a negative drop id
 * ({@code -DropReason.id()}), counted in the worker's {@link DropCounters}.
 */
public final class Pipeline
{
    /** Forward to the edge port (toward a client). */
    public static final int TO_EDGE = 0;
    /** Forward to the backbone port (toward another POP). */
    public static final int TO_BACKBONE = 1;
    /** Forward to the origin port (toward a backend). */
    public static final int TO_ORIGIN = 2;
    /** Addressed to this POP (e.g. a probe); the control plane takes it from here. */
    public static final int CONSUMED = 3;

    /** Most frames one batch call prepares before finishing them. */
    public static final int MAX_BATCH = 256;

    /** IPv4 header bytes without options, for the MSS clamp. */
    private static final int IPV4_HEADER = 20;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_HEADER = 20;

    private final ParsedPacket[] batch = new ParsedPacket[MAX_BATCH];
    private final ParseVerdict[] batchVerdicts = new ParseVerdict[MAX_BATCH];
    private final long[] batchTableHashes = new long[MAX_BATCH];
    private int touched;
    private final ParsedPacket[] batchOuter = new ParsedPacket[MAX_BATCH];
    private final ParsedTunnel[] batchTunnel = new ParsedTunnel[MAX_BATCH];
    private final int[] batchStage = new int[MAX_BATCH];
    /** The tunnel of the backbone frame being finished (one of {@link #batchTunnel}). */
    private ParsedTunnel tunnel;
    private final FlowKey key = new FlowKey();
    private final FlowTable flows;
    private final DropCounters drops;
    private final PipelineConfig config;
    private final IcmpErrors icmpErrors;
    private final long[] counts = new long[Count.COUNT];
    private final EngineEvents.Writer events;

    private ForwardingTables tables;
    private Pop localPop;
    private TokenBucket[] policers = new TokenBucket[0];
    private Int2ObjectHashMap<Pop> popsByUnderlay = new Int2ObjectHashMap<>();
    private LongHashSet liveRoutes = new LongHashSet();
    private IntHashSet liveFirstHops = new IntHashSet();
    private int outOffset;
    private int outLength;

    /**
     * @param config settings shared by every shard.
     * @param flows  this shard's flow table.
     * @param drops  this shard's drop counters.
     * @param events where this shard writes events for the control plane.
     * @param nowNs  start time, for the rate limiters.
     */
    public Pipeline(
        final PipelineConfig config,
        final FlowTable flows,
        final DropCounters drops,
        final EngineEvents.Writer events,
        final long nowNs)
    {
        this.config = config;
        this.events = events;
        this.flows = flows;
        this.drops = drops;
        this.icmpErrors = new IcmpErrors(config.icmpErrorsPerSecond(), nowNs);
        for (int i = 0; i < MAX_BATCH; i++)
        {
            batch[i] = new ParsedPacket();
            batchOuter[i] = new ParsedPacket();
            batchTunnel[i] = new ParsedTunnel();
        }
        tunnel = batchTunnel[0];
    }

    /**
     * Counts kept beside the drop counters.
     */
    public static final class Count
    {
        /** New ingress flows. */
        public static final int INGRESS_FLOWS = 0;
        /** New egress flows (forward and reverse entries). */
        public static final int EGRESS_FLOWS = 1;
        /** ICMP errors generated toward clients. */
        public static final int ICMP_GENERATED = 2;
        /** ICMP errors suppressed by the rate limit. */
        public static final int ICMP_SUPPRESSED = 3;
        /** MSS options clamped. */
        public static final int MSS_CLAMPED = 4;
        /** Probes and other packets consumed. */
        public static final int CONSUMED = 5;
        /** Ingress flows moved to a new route because theirs left the path table. */
        public static final int REPINNED = 6;
        /** Number of counts. */
        public static final int COUNT = 7;

        private Count()
        {
        }
    }

    /**
     * Takes a new forwarding snapshot; called by the worker between batches when the published
     * reference changed. Allocates (policers per service), which is fine off the packet path.
     *
     * @param tables the snapshot.
     * @param nowNs  current time.
     */
    public void onTables(final ForwardingTables tables, final long nowNs)
    {
        this.tables = tables;
        this.localPop = tables.localPop();
        int maxId = 0;
        for (final Service service : tables.services().values())
        {
            maxId = Math.max(maxId, service.id());
        }
        final TokenBucket[] buckets = new TokenBucket[maxId + 1];
        for (final Service service : tables.services().values())
        {
            final long cap = service.bandwidthCapBytesPerSecond();
            buckets[service.id()] = new TokenBucket(cap, Math.max(cap / 10, 64 * 1024), nowNs);
        }
        policers = buckets;
        final Int2ObjectHashMap<Pop> byUnderlay = new Int2ObjectHashMap<>();
        for (final Pop pop : tables.pops().values())
        {
            if (!pop.underlayIpv6())
            {
                byUnderlay.put(pop.underlayIpv4(), pop);
            }
        }
        popsByUnderlay = byUnderlay;
        final LongHashSet routes = new LongHashSet();
        final IntHashSet firstHops = new IntHashSet();
        // every route a path table lists is up and keeps its pinned flows, with or without buckets
        // (a weight-0 route takes no new flows); a route not listed is down or gone
        for (final PathTable paths : tables.pathTables().values())
        {
            for (int i = 0; i < paths.routes().size(); i++)
            {
                final long packed = paths.routes().get(i).route().packed();
                routes.add(packed);
                firstHops.add(FlyoverRoute.pop(packed, 1));
            }
        }
        liveRoutes = routes;
        liveFirstHops = firstHops;
    }

    /**
     * @return the snapshot in use, {@code null} before the first.
     */
    public ForwardingTables tables()
    {
        return tables;
    }

    /**
     * @return where the forwarded frame starts.
     */
    public int outOffset()
    {
        return outOffset;
    }

    /**
     * @return the forwarded frame's length.
     */
    public int outLength()
    {
        return outLength;
    }

    /**
     * @param count one of {@link Count}.
     * @return its value.
     */
    public long count(final int count)
    {
        return counts[count];
    }

    /**
     * @return a sum of the words touched while preparing batches (kept so the loads are not elided).
     */
    public int touched()
    {
        return touched;
    }

    /**
     * @return the ICMP error generator, whose last packet the worker sends when asked.
     */
    public IcmpErrors icmpErrors()
    {
        return icmpErrors;
    }

    private int drop(final DropReason reason)
    {
        drops.drop(reason);
        return -reason.id();
    }

    private int dropParse(final ParseVerdict verdict)
    {
        final int id = DropReason.idOf(verdict);
        drops.drop(id);
        return -id;
    }

    // ================================================================== edge: client → VIP

    /**
     * Ingress of one frame: {@link #prepareEdge} then {@link #finishEdge}.
     *
     * @param buffer holds the frame, with at least {@link GeneveEncapsulator#ENCAP_LENGTH} bytes of headroom.
     * @param offset where the raw IP packet starts.
     * @param length its length.
     * @param nowNs  current time.
     * @return the verdict.
     */
    public int onEdge(final MutableDirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        prepareEdge(0, buffer, offset, length);
        return finishEdge(0, buffer, offset, length, nowNs);
    }

    /**
     * First stage of a batch at the edge: parse, hash the flow key and touch its flow-table
     * buckets, so that the memory loads of a whole batch are in flight together before any
     * lookup waits on one.
     *
     * @param slot   the frame's index in the batch, below {@link #MAX_BATCH}.
     * @param buffer holds the frame.
     * @param offset where the raw IP packet starts.
     * @param length its length.
     */
    public void prepareEdge(final int slot, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final ParsedPacket p = batch[slot];
        final ParseVerdict verdict = PacketParser.parseIp(buffer, offset, length, p);
        batchVerdicts[slot] = verdict;
        batchTableHashes[slot] = 0;
        if (ParseVerdict.OK == verdict && (!IcmpErrors.isIcmp(p.protocol) || IcmpErrors.isEchoRequest(p)))
        {
            final boolean ipv6 = 6 == p.ipVersion;
            setKey(FlowKind.INGRESS, ipv6, p.protocol,
                addressHigh(buffer, p.srcAddressOffset, ipv6), addressLow(buffer, p.srcAddressOffset, ipv6),
                clientPort(p),
                addressHigh(buffer, p.dstAddressOffset, ipv6), addressLow(buffer, p.dstAddressOffset, ipv6),
                vipPort(p));
            touchFlow(slot);
        }
    }

    /**
     * Hashes {@link #key} for the flow table, keeps the hash for the frame's second stage and
     * touches the key's buckets, so their cache misses are under way before the lookup.
     */
    private void touchFlow(final int slot)
    {
        final long tableHash = flows.hash(key);
        batchTableHashes[slot] = tableHash;
        touched += flows.prefetch(tableHash);
    }

    /**
     * Second stage at the edge, for a frame {@link #prepareEdge prepared} in the same batch:
     * classify, flow, police, MSS clamp, encapsulate toward the egress POP.
     *
     * @param slot   the frame's index in the batch.
     * @param buffer holds the frame, with at least {@link GeneveEncapsulator#ENCAP_LENGTH} bytes of headroom.
     * @param offset where the raw IP packet starts.
     * @param length its length.
     * @param nowNs  current time.
     * @return the verdict.
     */
    public int finishEdge(
        final int slot, final MutableDirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        final ParsedPacket p = batch[slot];
        final ParseVerdict verdict = batchVerdicts[slot];
        if (ParseVerdict.OK != verdict)
        {
            return dropParse(verdict);
        }
        if (IcmpErrors.isIcmpError(p))
        {
            return edgeIcmpError(buffer, offset, length, p, nowNs);
        }
        if (IcmpErrors.isIcmp(p.protocol) && !IcmpErrors.isEchoRequest(p))
        {
            return drop(DropReason.ICMP_UNSUPPORTED);
        }

        // classify
        final boolean ipv6 = 6 == p.ipVersion;
        final long vipHigh = addressHigh(buffer, p.dstAddressOffset, ipv6);
        final long vipLow = addressLow(buffer, p.dstAddressOffset, ipv6);
        final int clientPort = clientPort(p);
        final int vipPort = vipPort(p);
        final Service service = tables.serviceForVip(vipHigh, vipLow, ipv6, p.protocol, vipPort);
        if (null == service)
        {
            return drop(DropReason.NO_SERVICE);
        }

        // flow
        final long clientHigh = addressHigh(buffer, p.srcAddressOffset, ipv6);
        final long clientLow = addressLow(buffer, p.srcAddressOffset, ipv6);
        final long flowHash = flowHash(ipv6, clientHigh, clientLow, clientPort, vipHigh, vipLow, vipPort, p.protocol);
        setKey(FlowKind.INGRESS, ipv6, p.protocol, clientHigh, clientLow, clientPort, vipHigh, vipLow, vipPort);
        final long tableHash = 0 != batchTableHashes[slot] ? batchTableHashes[slot] : flows.hash(key);
        int entry = flows.lookup(key, tableHash);
        long route;
        if (entry < 0)
        {
            final PathTable paths = tables.pathTable(service.egressPopId());
            if (null == paths)
            {
                return drop(DropReason.NO_ROUTE);
            }
            route = paths.packedRoute(flowHash);
            entry = flows.insert(key, tableHash, initialState(p), nowNs);
            if (entry < 0)
            {
                return drop(DropReason.FLOW_TABLE_FULL);
            }
            flows.route(entry, route);
            flows.serviceId(entry, service.id());
            counts[Count.INGRESS_FLOWS]++;
            events.flowEvent(EngineEvents.NEW_FLOW, route, nowNs, FlowKind.INGRESS, service.id(), p.protocol);
        }
        else
        {
            route = flows.route(entry);
            if (!liveRoutes.contains(route))
            {
                // the flow's route left the path table (a POP on it is down, or the route left the
                // candidates): re-pin it at once
                final PathTable paths = tables.pathTable(service.egressPopId());
                if (null == paths)
                {
                    return drop(DropReason.NO_ROUTE);
                }
                route = paths.packedRoute(flowHash);
                flows.route(entry, route);
                counts[Count.REPINNED]++;
            }
            flows.touch(entry, nowNs);
            advanceState(entry, p);
        }

        // police
        final TokenBucket policer = policers[service.id()];
        if (!policer.tryTake(length, nowNs))
        {
            return drop(DropReason.POLICE_EXCEEDED);
        }

        // MSS clamp
        final int mtu = config.pathMtu();
        if (IpProtocol.TCP == p.protocol && (p.tcpFlags & TcpFlyweight.FLAG_SYN) != 0 &&
            ParsedPacket.NONE != p.tcpMssOptionOffset)
        {
            final int maxMss = mtu - GeneveEncapsulator.ENCAP_LENGTH - (ipv6 ? IPV6_HEADER : IPV4_HEADER) - TCP_HEADER;
            if (TcpFlyweight.clampMssAt(buffer, p.l4Offset, p.tcpMssOptionOffset, maxMss) > maxMss)
            {
                counts[Count.MSS_CLAMPED]++;
            }
        }

        // path MTU
        if (length + GeneveEncapsulator.ENCAP_LENGTH > mtu)
        {
            if (icmpErrors.tooBig(buffer, offset, p, mtu - GeneveEncapsulator.ENCAP_LENGTH, nowNs))
            {
                counts[Count.ICMP_GENERATED]++;
            }
            else
            {
                counts[Count.ICMP_SUPPRESSED]++;
            }
            return drop(DropReason.MTU_EXCEEDED);
        }

        // encap
        final Pop next = tables.pop(FlyoverRoute.pop(route, 1));
        if (null == next)
        {
            return drop(DropReason.NO_ROUTE);
        }
        return encapsulate(buffer, offset, length, p, flowHash, service.id(), false, 1, route, next, nowNs);
    }

    // ================================================================== backbone: POP → POP

    /** Stages a backbone frame's parse reached; the failing verdict is in {@link #batchVerdicts}. */
    private static final int STAGE_OUTER_FAULT = 0;
    private static final int STAGE_NOT_GENEVE = 1;
    private static final int STAGE_GENEVE_FAULT = 2;
    private static final int STAGE_INNER_FAULT = 3;
    private static final int STAGE_PARSED = 4;

    /**
     * A tunnel packet, one frame: {@link #prepareBackbone} then {@link #finishBackbone}.
     *
     * @param buffer holds the frame, outer IPv4 header first.
     * @param offset where the outer IPv4 header starts.
     * @param length the frame's length.
     * @param nowNs  current time.
     * @return the verdict.
     */
    public int onBackbone(final MutableDirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        prepareBackbone(0, buffer, offset, length);
        return finishBackbone(0, buffer, offset, length, nowNs);
    }

    /**
     * First stage of a backbone batch: parse the outer headers, Geneve and the inner packet, and
     * for a packet that ends its trip here touch the flow buckets it will look up.
     *
     * @param slot   the frame's index in the batch, below {@link #MAX_BATCH}.
     * @param buffer holds the frame.
     * @param offset where the outer IPv4 header starts.
     * @param length the frame's length.
     */
    public void prepareBackbone(final int slot, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        batchTableHashes[slot] = 0;
        final ParsedPacket o = batchOuter[slot];
        final ParseVerdict outerVerdict = PacketParser.parseIp(buffer, offset, length, o);
        if (ParseVerdict.OK != outerVerdict)
        {
            batchStage[slot] = STAGE_OUTER_FAULT;
            batchVerdicts[slot] = outerVerdict;
            return;
        }
        if (IpProtocol.UDP != o.protocol || GeneveFlyweight.UDP_PORT != o.dstPort || 4 != o.ipVersion)
        {
            batchStage[slot] = STAGE_NOT_GENEVE;
            return;
        }
        final ParsedTunnel t = batchTunnel[slot];
        final int geneveOffset = o.l4Offset + UdpFlyweight.HEADER_LENGTH;
        final ParseVerdict tunnelVerdict = GeneveParser.parse(
            buffer, geneveOffset, o.l3Offset + o.l3Length - geneveOffset, t);
        if (ParseVerdict.OK != tunnelVerdict)
        {
            batchStage[slot] = STAGE_GENEVE_FAULT;
            batchVerdicts[slot] = tunnelVerdict;
            return;
        }
        final ParsedPacket p = batch[slot];
        final ParseVerdict innerVerdict = PacketParser.parseIp(buffer, t.innerOffset(), t.innerLength(), p);
        if (ParseVerdict.OK != innerVerdict)
        {
            batchStage[slot] = STAGE_INNER_FAULT;
            batchVerdicts[slot] = innerVerdict;
            return;
        }
        batchStage[slot] = STAGE_PARSED;
        if (t.oam() || IcmpErrors.isIcmpError(p))
        {
            return;
        }
        final int option = t.flyoverOptionOffset();
        final long route = FlyoverOptionFlyweight.route(buffer, option);
        final boolean returnPath = FlyoverOptionFlyweight.returnPath(buffer, option);
        final int hopIndex = FlyoverOptionFlyweight.hopIndex(buffer, option);
        final boolean ipv6 = 6 == p.ipVersion;
        if (!returnPath && hopIndex == FlyoverRoute.lastSlot(route))
        {
            setKey(FlowKind.EGRESS_FORWARD, ipv6, p.protocol,
                addressHigh(buffer, p.srcAddressOffset, ipv6), addressLow(buffer, p.srcAddressOffset, ipv6),
                clientPort(p),
                addressHigh(buffer, p.dstAddressOffset, ipv6), addressLow(buffer, p.dstAddressOffset, ipv6),
                vipPort(p));
        }
        else if (returnPath && 0 == hopIndex)
        {
            setKey(FlowKind.INGRESS, ipv6, p.protocol,
                addressHigh(buffer, p.dstAddressOffset, ipv6), addressLow(buffer, p.dstAddressOffset, ipv6),
                replyClientPort(p),
                addressHigh(buffer, p.srcAddressOffset, ipv6), addressLow(buffer, p.srcAddressOffset, ipv6),
                replyVipPort(p));
        }
        else
        {
            return;
        }
        touchFlow(slot);
    }

    /**
     * Second stage of a backbone batch, for a frame {@link #prepareBackbone prepared} in the same
     * batch: verify the sender, tag, route and hop, then relay, or decapsulate toward the origin
     * (egress, D = 0) or toward the client (back at the ingress POP, D = 1).
     *
     * @param slot   the frame's index in the batch.
     * @param buffer holds the frame, outer IPv4 header first.
     * @param offset where the outer IPv4 header starts.
     * @param length the frame's length.
     * @param nowNs  current time.
     * @return the verdict.
     */
    public int finishBackbone(
        final int slot, final MutableDirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        final int stage = batchStage[slot];
        if (STAGE_OUTER_FAULT == stage)
        {
            return dropParse(batchVerdicts[slot]);
        }
        if (STAGE_NOT_GENEVE == stage)
        {
            return drop(DropReason.BACKBONE_NOT_GENEVE);
        }
        final ParsedPacket o = batchOuter[slot];
        final Pop sender = popsByUnderlay.get(buffer.getInt(o.srcAddressOffset, BIG_ENDIAN));
        if (null == sender || sender == localPop)
        {
            return drop(DropReason.TUNNEL_UNKNOWN_PEER);
        }
        if (STAGE_PARSED != stage)
        {
            return dropParse(batchVerdicts[slot]);
        }
        tunnel = batchTunnel[slot];
        final ParsedPacket p = batch[slot];

        // verify: tag, peer, route, hop limit
        final int innerL4 = ParsedPacket.NONE == p.l4Offset ? tunnel.innerOffset() : p.l4Offset;
        final ParseVerdict tag = TunnelTag.verify(sender.keys().tunnelKeys(), buffer, tunnel, p.protocol, innerL4);
        if (ParseVerdict.OK != tag)
        {
            return ParseVerdict.FLYOVER_UNKNOWN_KEY_ID == tag ?
                drop(DropReason.TUNNEL_UNKNOWN_KEY) : drop(DropReason.TUNNEL_BAD_TAG);
        }
        final int option = tunnel.flyoverOptionOffset();
        final long route = FlyoverOptionFlyweight.route(buffer, option);
        final boolean returnPath = FlyoverOptionFlyweight.returnPath(buffer, option);
        final int hopIndex = FlyoverOptionFlyweight.hopIndex(buffer, option);
        final int previousHop = returnPath ? hopIndex + 1 : hopIndex - 1;
        if (FlyoverRoute.pop(route, hopIndex) != localPop.id() ||
            previousHop < 0 || previousHop >= FlyoverRoute.SLOTS || FlyoverRoute.pop(route, previousHop) != sender.id())
        {
            return drop(DropReason.TUNNEL_MISROUTED);
        }
        if (tunnel.oam())
        {
            // a probe is consumed at its last hop (D = 0: the egress; D = 1: back at hop 0) and
            // relayed like data, same checks and hop limit, everywhere else
            if (returnPath ? 0 == hopIndex : hopIndex == FlyoverRoute.lastSlot(route))
            {
                counts[Count.CONSUMED]++;
                events.probe(route, nowNs, buffer, tunnel.innerOffset(), tunnel.innerLength());
                return CONSUMED;
            }
            return relay(buffer, offset, length, o, p, innerL4, nowNs);
        }

        if (!returnPath && hopIndex == FlyoverRoute.lastSlot(route))
        {
            return egress(buffer, p, route, batchTableHashes[slot], nowNs);
        }
        if (returnPath && 0 == hopIndex)
        {
            return returnToClient(buffer, p, batchTableHashes[slot], nowNs);
        }
        return relay(buffer, offset, length, o, p, innerL4, nowNs);
    }

    private int relay(
        final MutableDirectBuffer buffer,
        final int offset,
        final int length,
        final ParsedPacket o,
        final ParsedPacket p,
        final int innerL4,
        final long nowNs)
    {
        final int option = tunnel.flyoverOptionOffset();
        final int nextIndex = FlyoverOptionFlyweight.advanceHop(buffer, option);
        if (FlyoverOptionFlyweight.HOP_LIMIT_SPENT == nextIndex)
        {
            return drop(DropReason.TUNNEL_HOP_LIMIT);
        }
        if (nextIndex < 0)
        {
            return drop(DropReason.TUNNEL_MISROUTED);
        }
        final Pop next = tables.pop(FlyoverRoute.pop(FlyoverOptionFlyweight.route(buffer, option), nextIndex));
        if (null == next)
        {
            return drop(DropReason.NO_ROUTE);
        }
        Ipv4Flyweight.srcAddress(buffer, o.l3Offset, localPop.underlayIpv4());
        Ipv4Flyweight.dstAddress(buffer, o.l3Offset, next.underlayIpv4());
        Ipv4Flyweight.ttl(buffer, o.l3Offset, GeneveEncapsulator.OUTER_TTL);
        Ipv4Flyweight.writeHeaderChecksum(buffer, o.l3Offset);
        FlyoverOptionFlyweight.keyId(buffer, option, next.keys().sendKey().keyId());
        FlyoverOptionFlyweight.sendTimeUs(buffer, option, nowNs / 1000);
        TunnelTag.writeTag(next.keys().tunnelKeys(), buffer, tunnel, p.protocol, innerL4);
        outOffset = offset;
        outLength = o.l3Length;
        return TO_BACKBONE;
    }

    // ================================================================== egress: decap, flow, DNAT

    private int egress(
        final MutableDirectBuffer buffer, final ParsedPacket p, final long route, final long hint, final long nowNs)
    {
        final Service service = tables.service(tunnel.vni());
        if (null == service)
        {
            return drop(DropReason.TUNNEL_UNKNOWN_SERVICE);
        }
        if (service.egressPopId() != localPop.id())
        {
            return drop(DropReason.TUNNEL_MISROUTED);
        }
        if (IcmpErrors.isIcmpError(p))
        {
            return egressIcmpError(buffer, p, service);
        }
        final boolean ipv6 = 6 == p.ipVersion;
        final long clientHigh = addressHigh(buffer, p.srcAddressOffset, ipv6);
        final long clientLow = addressLow(buffer, p.srcAddressOffset, ipv6);
        final long vipHigh = addressHigh(buffer, p.dstAddressOffset, ipv6);
        final long vipLow = addressLow(buffer, p.dstAddressOffset, ipv6);
        final int clientPort = clientPort(p);
        final int vipPort = vipPort(p);
        final long flowHash = flowHash(ipv6, clientHigh, clientLow, clientPort, vipHigh, vipLow, vipPort, p.protocol);

        setKey(FlowKind.EGRESS_FORWARD, ipv6, p.protocol, clientHigh, clientLow, clientPort, vipHigh, vipLow, vipPort);
        final long tableHash = 0 != hint ? hint : flows.hash(key);
        int entry = flows.lookup(key, tableHash);
        Backend backend;
        if (entry >= 0)
        {
            flows.touch(entry, nowNs);
            final boolean wasEmbryonic = FlowState.TCP_EMBRYONIC == flows.state(entry);
            advanceState(entry, p);
            backend = service.backend(flows.backendId(entry));
            if (null == backend)
            {
                flows.removeEntry(entry);
                entry = -1;
            }
            else
            {
                if (wasEmbryonic && FlowState.TCP_ESTABLISHED == flows.state(entry))
                {
                    // the client completed the handshake, so the reverse entry (which only the backend's
                    // packets advance) is established too: a SYN flood must not evict it as embryonic
                    establishReverse(ipv6, p, backend, clientHigh, clientLow, clientPort);
                }
                if (flows.route(entry) != route)
                {
                    // the client's traffic now arrives along another route: replies follow it
                    flows.route(entry, route);
                    updateReverseRoute(ipv6, p, backend, clientHigh, clientLow, clientPort, route);
                }
            }
        }
        else
        {
            backend = null;
        }
        if (entry < 0)
        {
            final int backendId = service.pickBackend(flowHash);
            if (Maglev.NO_BACKEND == backendId)
            {
                return drop(DropReason.NO_BACKEND);
            }
            backend = service.backend(backendId);
            entry = flows.insert(key, tableHash, initialState(p), nowNs);
            if (entry < 0)
            {
                return drop(DropReason.FLOW_TABLE_FULL);
            }
            flows.route(entry, route);
            flows.serviceId(entry, service.id());
            flows.backendId(entry, backendId);
            if (!insertReverse(ipv6, p, backend, service, clientHigh, clientLow, clientPort, route, backendId, nowNs))
            {
                setKey(FlowKind.EGRESS_FORWARD, ipv6, p.protocol, clientHigh, clientLow, clientPort,
                    vipHigh, vipLow, vipPort);
                flows.remove(key, tableHash);
                return drop(DropReason.FLOW_TABLE_FULL);
            }
            counts[Count.EGRESS_FLOWS]++;
            events.flowEvent(EngineEvents.NEW_FLOW, route, nowNs, FlowKind.EGRESS_FORWARD, service.id(), p.protocol);
        }

        // DNAT VIP → backend, client address kept
        final long backendHigh = ipv6 ? Addresses.high(backend.address()) : 0;
        final long backendLow = Addresses.low(backend.address());
        rewriteAddress(buffer, p, p.dstAddressOffset, ipv6, vipHigh, vipLow, backendHigh, backendLow);
        if (0 != backend.port() && hasPorts(p.protocol) && backend.port() != vipPort)
        {
            rewritePort(buffer, p, p.l4Offset + 2, vipPort, backend.port());
        }
        outOffset = p.l3Offset;
        outLength = p.l3Length;
        return TO_ORIGIN;
    }

    private boolean insertReverse(
        final boolean ipv6,
        final ParsedPacket p,
        final Backend backend,
        final Service service,
        final long clientHigh,
        final long clientLow,
        final int clientPort,
        final long route,
        final int backendId,
        final long nowNs)
    {
        final int backendPort = backendPort(p, backend);
        setKey(FlowKind.EGRESS_REVERSE, ipv6, p.protocol,
            ipv6 ? Addresses.high(backend.address()) : 0,
            Addresses.low(backend.address()), backendPort,
            clientHigh, clientLow, clientPort);
        final long hash = flows.hash(key);
        int entry = flows.lookup(key, hash);
        if (entry < 0)
        {
            entry = flows.insert(key, hash, initialState(p), nowNs);
            if (entry < 0)
            {
                return false;
            }
        }
        else if (FlowState.TCP_EMBRYONIC == flows.state(entry) && FlowState.TCP_ESTABLISHED == initialState(p))
        {
            // the forward entry was evicted during the handshake and comes back established
            flows.state(entry, FlowState.TCP_ESTABLISHED);
        }
        flows.route(entry, route);
        flows.serviceId(entry, service.id());
        flows.backendId(entry, backendId);
        return true;
    }

    private void updateReverseRoute(
        final boolean ipv6,
        final ParsedPacket p,
        final Backend backend,
        final long clientHigh,
        final long clientLow,
        final int clientPort,
        final long route)
    {
        setKey(FlowKind.EGRESS_REVERSE, ipv6, p.protocol,
            ipv6 ? Addresses.high(backend.address()) : 0,
            Addresses.low(backend.address()), backendPort(p, backend),
            clientHigh, clientLow, clientPort);
        final int entry = flows.lookup(key, flows.hash(key));
        if (entry >= 0)
        {
            flows.route(entry, route);
        }
    }

    /**
     * Marks the egress reverse entry of a TCP flow established (if it is still embryonic).
     */
    private void establishReverse(
        final boolean ipv6,
        final ParsedPacket p,
        final Backend backend,
        final long clientHigh,
        final long clientLow,
        final int clientPort)
    {
        setKey(FlowKind.EGRESS_REVERSE, ipv6, p.protocol,
            ipv6 ? Addresses.high(backend.address()) : 0,
            Addresses.low(backend.address()), backendPort(p, backend),
            clientHigh, clientLow, clientPort);
        final int entry = flows.lookup(key, flows.hash(key));
        if (entry >= 0 && FlowState.TCP_EMBRYONIC == flows.state(entry))
        {
            flows.state(entry, FlowState.TCP_ESTABLISHED);
        }
    }

    private int returnToClient(
        final MutableDirectBuffer buffer, final ParsedPacket p, final long hint, final long nowNs)
    {
        // the egress POP already put the VIP back as source: the inner packet goes out as it is
        final boolean ipv6 = 6 == p.ipVersion;
        setKey(FlowKind.INGRESS, ipv6, p.protocol,
            addressHigh(buffer, p.dstAddressOffset, ipv6), addressLow(buffer, p.dstAddressOffset, ipv6),
            replyClientPort(p),
            addressHigh(buffer, p.srcAddressOffset, ipv6), addressLow(buffer, p.srcAddressOffset, ipv6),
            replyVipPort(p));
        final int entry = flows.lookup(key, 0 != hint ? hint : flows.hash(key));
        if (entry >= 0)
        {
            if (IpProtocol.TCP == p.protocol && FlowState.TCP_EMBRYONIC == flows.state(entry) &&
                (p.tcpFlags & (TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK)) ==
                (TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK))
            {
                // SYN into the tunnel to SYN-ACK back: the path's RTT plus the backend's answer time
                final int rttMs = (int)(nowNs / 1_000_000L) - flows.createdMs(entry);
                events.flowEvent(EngineEvents.TCP_RTT, flows.route(entry), nowNs, rttMs * 1_000_000L,
                    flows.serviceId(entry), p.protocol);
            }
            flows.touch(entry, nowNs);
            advanceState(entry, p);
        }
        outOffset = p.l3Offset;
        outLength = p.l3Length;
        return TO_EDGE;
    }

    // ================================================================== origin: backend → client

    /**
     * Return of one frame: {@link #prepareOrigin} then {@link #finishOrigin}.
     *
     * @param buffer holds the frame, with headroom.
     * @param offset where the raw IP packet starts.
     * @param length its length.
     * @param nowNs  current time.
     * @return the verdict.
     */
    public int onOrigin(final MutableDirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        prepareOrigin(0, buffer, offset, length);
        return finishOrigin(0, buffer, offset, length, nowNs);
    }

    /**
     * First stage of an origin batch: parse, hash the reverse flow's key and touch its buckets.
     *
     * @param slot   the frame's index in the batch, below {@link #MAX_BATCH}.
     * @param buffer holds the frame.
     * @param offset where the raw IP packet starts.
     * @param length its length.
     */
    public void prepareOrigin(final int slot, final MutableDirectBuffer buffer, final int offset, final int length)
    {
        final ParsedPacket p = batch[slot];
        final ParseVerdict verdict = PacketParser.parseIp(buffer, offset, length, p);
        batchVerdicts[slot] = verdict;
        batchTableHashes[slot] = 0;
        if (ParseVerdict.OK == verdict && (!IcmpErrors.isIcmp(p.protocol) || IcmpErrors.isEchoReply(p)))
        {
            final boolean ipv6 = 6 == p.ipVersion;
            setKey(FlowKind.EGRESS_REVERSE, ipv6, p.protocol,
                addressHigh(buffer, p.srcAddressOffset, ipv6), addressLow(buffer, p.srcAddressOffset, ipv6),
                replyVipPort(p),
                addressHigh(buffer, p.dstAddressOffset, ipv6), addressLow(buffer, p.dstAddressOffset, ipv6),
                replyClientPort(p));
            touchFlow(slot);
        }
    }

    /**
     * Second stage of an origin batch, for a frame {@link #prepareOrigin prepared} in the same
     * batch: reverse flow, SNAT backend → VIP, encapsulate back along the reversed route.
     *
     * @param slot   the frame's index in the batch.
     * @param buffer holds the frame, with headroom.
     * @param offset where the raw IP packet starts.
     * @param length its length.
     * @param nowNs  current time.
     * @return the verdict.
     */
    public int finishOrigin(
        final int slot, final MutableDirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        final ParsedPacket p = batch[slot];
        final ParseVerdict verdict = batchVerdicts[slot];
        if (ParseVerdict.OK != verdict)
        {
            return dropParse(verdict);
        }
        if (IcmpErrors.isIcmpError(p))
        {
            return originIcmpError(buffer, offset, length, p, nowNs);
        }
        if (IcmpErrors.isIcmp(p.protocol) && !IcmpErrors.isEchoReply(p))
        {
            return drop(DropReason.ICMP_UNSUPPORTED);
        }
        final boolean ipv6 = 6 == p.ipVersion;
        final long backendHigh = addressHigh(buffer, p.srcAddressOffset, ipv6);
        final long backendLow = addressLow(buffer, p.srcAddressOffset, ipv6);
        final long clientHigh = addressHigh(buffer, p.dstAddressOffset, ipv6);
        final long clientLow = addressLow(buffer, p.dstAddressOffset, ipv6);
        final int backendPort = replyVipPort(p);
        final int clientPort = replyClientPort(p);
        setKey(FlowKind.EGRESS_REVERSE, ipv6, p.protocol, backendHigh, backendLow, backendPort,
            clientHigh, clientLow, clientPort);
        final long hint = batchTableHashes[slot];
        final int entry = flows.lookup(key, 0 != hint ? hint : flows.hash(key));
        if (entry < 0)
        {
            return drop(DropReason.NO_REVERSE_FLOW);
        }
        flows.touch(entry, nowNs);
        advanceState(entry, p);
        final Service service = tables.service(flows.serviceId(entry));
        if (null == service)
        {
            return drop(DropReason.NO_REVERSE_FLOW);
        }
        long route = flows.route(entry);

        // SNAT backend → VIP
        final long vipHigh = ipv6 ? Addresses.high(service.vip().address()) : 0;
        final long vipLow = Addresses.low(service.vip().address());
        final long flowHash = flowHash(ipv6, clientHigh, clientLow, clientPort, vipHigh, vipLow,
            hasPorts(p.protocol) ? UdpFlyweight.srcPort(buffer, p.l4Offset) : 0, p.protocol);
        final int pinnedLast = FlyoverRoute.lastSlot(route);
        if (pinnedLast > 0 && !liveFirstHops.contains(FlyoverRoute.pop(route, pinnedLast - 1)))
        {
            // the reply's first hop is no longer the first hop of any live path here (liveness took
            // it down): send the reply along this POP's own path table toward the ingress POP
            // until the client's traffic shows the route it takes now
            final PathTable back = tables.pathTable(FlyoverRoute.ingressPop(route));
            if (null != back)
            {
                route = reversed(back.packedRoute(flowHash));
                flows.route(entry, route);
                counts[Count.REPINNED]++;
            }
        }
        rewriteAddress(buffer, p, p.srcAddressOffset, ipv6, backendHigh, backendLow, vipHigh, vipLow);
        final Backend backend = service.backend(flows.backendId(entry));
        if (null != backend && 0 != backend.port() && hasPorts(p.protocol) &&
            backend.port() != service.vip().portFrom())
        {
            rewritePort(buffer, p, p.l4Offset, backendPort, service.vip().portFrom());
        }

        final int last = FlyoverRoute.lastSlot(route);
        if (last <= 0)
        {
            return drop(DropReason.NO_ROUTE);
        }
        final Pop next = tables.pop(FlyoverRoute.pop(route, last - 1));
        if (null == next)
        {
            return drop(DropReason.NO_ROUTE);
        }
        return encapsulate(buffer, offset, length, p, flowHash, service.id(), true, last - 1, route, next, nowNs);
    }

    /**
     * @param route a packed route from this POP.
     * @return the same POPs in the opposite order (as the flow entry stores an ingress's route).
     */
    private static long reversed(final long route)
    {
        final int last = FlyoverRoute.lastSlot(route);
        if (last <= 0)
        {
            return route;
        }
        final int a = FlyoverRoute.pop(route, last);
        final int b = FlyoverRoute.pop(route, last - 1);
        final int c = last >= 2 ? FlyoverRoute.pop(route, last - 2) : FlyoverRoute.UNUSED;
        final int d = last >= 3 ? FlyoverRoute.pop(route, 0) : FlyoverRoute.UNUSED;
        return FlyoverRoute.pack(a, b, c, d);
    }

    // ================================================================== ICMP errors follow their flow

    /**
     * An ICMP error from the client's side about a packet the VIP sent: the quote names the flow
     * (VIP → client); the error rides that flow's route to the egress POP.
     */
    private int edgeIcmpError(
        final MutableDirectBuffer buffer, final int offset, final int length, final ParsedPacket p, final long nowNs)
    {
        if (!p.hasQuote() || p.innerIpVersion != p.ipVersion)
        {
            return drop(DropReason.ICMP_NO_FLOW);
        }
        final boolean ipv6 = 6 == p.ipVersion;
        final boolean ports = ParsedPacket.NONE != p.innerL4Offset && hasPorts(p.innerProtocol);
        final long clientHigh = addressHigh(buffer, p.innerDstAddressOffset, ipv6);
        final long clientLow = addressLow(buffer, p.innerDstAddressOffset, ipv6);
        final long vipHigh = addressHigh(buffer, p.innerSrcAddressOffset, ipv6);
        final long vipLow = addressLow(buffer, p.innerSrcAddressOffset, ipv6);
        final int clientPort = ports ? p.innerDstPort : p.innerIcmpIdentifier;
        final int vipPort = ports ? p.innerSrcPort : 0;
        setKey(FlowKind.INGRESS, ipv6, p.innerProtocol, clientHigh, clientLow, clientPort, vipHigh, vipLow, vipPort);
        final int entry = flows.lookup(key, flows.hash(key));
        if (entry < 0)
        {
            return drop(DropReason.ICMP_NO_FLOW);
        }
        final long route = flows.route(entry);
        final Service service = tables.service(flows.serviceId(entry));
        final Pop next = tables.pop(FlyoverRoute.pop(route, 1));
        if (null == service || null == next)
        {
            return drop(DropReason.NO_ROUTE);
        }
        final long flowHash =
            flowHash(ipv6, clientHigh, clientLow, clientPort, vipHigh, vipLow, vipPort, p.innerProtocol);
        return encapsulate(buffer, offset, length, p, flowHash, service.id(), false, 1, route, next, nowNs);
    }

    /**
     * At the egress POP, an ICMP error about a packet the VIP sent: delivered to the flow's backend,
     * with the error's destination and the quoted source rewritten VIP → backend.
     */
    private int egressIcmpError(final MutableDirectBuffer buffer, final ParsedPacket p, final Service service)
    {
        if (!p.hasQuote() || p.innerIpVersion != p.ipVersion)
        {
            return drop(DropReason.ICMP_NO_FLOW);
        }
        final boolean ipv6 = 6 == p.ipVersion;
        final boolean ports = ParsedPacket.NONE != p.innerL4Offset && hasPorts(p.innerProtocol);
        final long vipHigh = addressHigh(buffer, p.innerSrcAddressOffset, ipv6);
        final long vipLow = addressLow(buffer, p.innerSrcAddressOffset, ipv6);
        final int vipPort = ports ? p.innerSrcPort : 0;
        setKey(FlowKind.EGRESS_FORWARD, ipv6, p.innerProtocol,
            addressHigh(buffer, p.innerDstAddressOffset, ipv6), addressLow(buffer, p.innerDstAddressOffset, ipv6),
            ports ? p.innerDstPort : p.innerIcmpIdentifier, vipHigh, vipLow, vipPort);
        final int entry = flows.lookup(key, flows.hash(key));
        if (entry < 0)
        {
            return drop(DropReason.ICMP_NO_FLOW);
        }
        final Backend backend = service.backend(flows.backendId(entry));
        if (null == backend)
        {
            return drop(DropReason.NO_BACKEND);
        }
        final long backendHigh = ipv6 ? Addresses.high(backend.address()) : 0;
        final long backendLow = Addresses.low(backend.address());
        rewriteAddress(buffer, p, p.dstAddressOffset, ipv6,
            addressHigh(buffer, p.dstAddressOffset, ipv6), addressLow(buffer, p.dstAddressOffset, ipv6),
            backendHigh, backendLow);
        rewriteQuoted(buffer, p, p.innerSrcAddressOffset, ipv6, vipHigh, vipLow, backendHigh, backendLow);
        if (ports && 0 != backend.port() && backend.port() != vipPort)
        {
            rewriteQuotedPort(buffer, p, p.innerL4Offset, vipPort, backend.port());
        }
        outOffset = p.l3Offset;
        outLength = p.l3Length;
        return TO_ORIGIN;
    }

    /**
     * An ICMP error from the backend side about a packet delivered to a backend: the quote names
     * the reverse flow; the error goes back to the client as if from the VIP.
     */
    private int originIcmpError(
        final MutableDirectBuffer buffer, final int offset, final int length, final ParsedPacket p, final long nowNs)
    {
        if (!p.hasQuote() || p.innerIpVersion != p.ipVersion)
        {
            return drop(DropReason.ICMP_NO_FLOW);
        }
        final boolean ipv6 = 6 == p.ipVersion;
        final boolean ports = ParsedPacket.NONE != p.innerL4Offset && hasPorts(p.innerProtocol);
        final long backendHigh = addressHigh(buffer, p.innerDstAddressOffset, ipv6);
        final long backendLow = addressLow(buffer, p.innerDstAddressOffset, ipv6);
        final long clientHigh = addressHigh(buffer, p.innerSrcAddressOffset, ipv6);
        final long clientLow = addressLow(buffer, p.innerSrcAddressOffset, ipv6);
        final int backendPort = ports ? p.innerDstPort : 0;
        final int clientPort = ports ? p.innerSrcPort : p.innerIcmpIdentifier;
        setKey(FlowKind.EGRESS_REVERSE, ipv6, p.innerProtocol, backendHigh, backendLow, backendPort,
            clientHigh, clientLow, clientPort);
        final int entry = flows.lookup(key, flows.hash(key));
        if (entry < 0)
        {
            return drop(DropReason.ICMP_NO_FLOW);
        }
        final Service service = tables.service(flows.serviceId(entry));
        if (null == service)
        {
            return drop(DropReason.ICMP_NO_FLOW);
        }
        final long route = flows.route(entry);
        final long vipHigh = ipv6 ? Addresses.high(service.vip().address()) : 0;
        final long vipLow = Addresses.low(service.vip().address());
        rewriteAddress(buffer, p, p.srcAddressOffset, ipv6,
            addressHigh(buffer, p.srcAddressOffset, ipv6), addressLow(buffer, p.srcAddressOffset, ipv6), vipHigh, vipLow);
        rewriteQuoted(buffer, p, p.innerDstAddressOffset, ipv6, backendHigh, backendLow, vipHigh, vipLow);
        final Backend backend = service.backend(flows.backendId(entry));
        final int vipPort = service.vip().portFrom();
        if (ports && null != backend && 0 != backend.port() && backend.port() != vipPort)
        {
            rewriteQuotedPort(buffer, p, p.innerL4Offset + 2, backendPort, vipPort);
        }
        final int last = FlyoverRoute.lastSlot(route);
        final Pop next = last > 0 ? tables.pop(FlyoverRoute.pop(route, last - 1)) : null;
        if (null == next)
        {
            return drop(DropReason.NO_ROUTE);
        }
        final long flowHash =
            flowHash(ipv6, clientHigh, clientLow, clientPort, vipHigh, vipLow, vipPort, p.innerProtocol);
        return encapsulate(buffer, offset, length, p, flowHash, service.id(), true, last - 1, route, next, nowNs);
    }

    /**
     * Rewrites an address inside an ICMP error's quote and keeps the checksums true: the quoted
     * IPv4 header's own checksum, and the ICMP checksum, which covers the quote.
     */
    private static void rewriteQuoted(
        final MutableDirectBuffer buffer,
        final ParsedPacket p,
        final int addressOffset,
        final boolean ipv6,
        final long oldHigh,
        final long oldLow,
        final long newHigh,
        final long newLow)
    {
        final int icmpChecksum = p.l4ChecksumOffset;
        int icmp = buffer.getShort(icmpChecksum, BIG_ENDIAN) & 0xFFFF;
        if (ipv6)
        {
            buffer.putLong(addressOffset, newHigh, BIG_ENDIAN);
            buffer.putLong(addressOffset + 8, newLow, BIG_ENDIAN);
            icmp = Checksums.update128(icmp, oldHigh, oldLow, newHigh, newLow);
        }
        else
        {
            buffer.putInt(addressOffset, (int)newLow, BIG_ENDIAN);
            icmp = Checksums.update32(icmp, (int)oldLow, (int)newLow);
            final int quotedChecksumOffset = p.innerL3Offset + 10;
            final int oldQuoted = buffer.getShort(quotedChecksumOffset, BIG_ENDIAN) & 0xFFFF;
            final int newQuoted = Checksums.update32(oldQuoted, (int)oldLow, (int)newLow);
            buffer.putShort(quotedChecksumOffset, (short)newQuoted, BIG_ENDIAN);
            icmp = Checksums.update16(icmp, oldQuoted, newQuoted);
        }
        buffer.putShort(icmpChecksum, (short)icmp, BIG_ENDIAN);
    }

    private static void rewriteQuotedPort(
        final MutableDirectBuffer buffer, final ParsedPacket p, final int portOffset, final int oldPort, final int newPort)
    {
        buffer.putShort(portOffset, (short)newPort, BIG_ENDIAN);
        final int icmpChecksum = p.l4ChecksumOffset;
        final int icmp = buffer.getShort(icmpChecksum, BIG_ENDIAN) & 0xFFFF;
        buffer.putShort(icmpChecksum, (short)Checksums.update16(icmp, oldPort, newPort), BIG_ENDIAN);
    }

    // ================================================================== shared steps

    private int encapsulate(
        final MutableDirectBuffer buffer,
        final int offset,
        final int length,
        final ParsedPacket p,
        final long flowHash,
        final int vni,
        final boolean returnPath,
        final int hopIndex,
        final long route,
        final Pop next,
        final long nowNs)
    {
        final int start = offset - GeneveEncapsulator.ENCAP_LENGTH;
        final int sendKeyId = next.keys().sendKey().keyId();
        final int total = GeneveEncapsulator.writeHeaders(
            buffer, start, length, localPop.underlayIpv4(), next.underlayIpv4(),
            GeneveEncapsulator.udpSourcePort((int)(flowHash >>> 32)),
            6 == p.ipVersion ? GeneveFlyweight.PROTOCOL_TYPE_IPV6 : GeneveFlyweight.PROTOCOL_TYPE_IPV4,
            false, vni, returnPath, hopIndex, config.hopLimit(), sendKeyId, route, nowNs / 1000);
        if (total < 0)
        {
            return drop(DropReason.MTU_EXCEEDED);
        }
        final int shift = offset - p.l3Offset;
        final int innerL4 = ParsedPacket.NONE == p.l4Offset ? offset : p.l4Offset + shift;
        TunnelTag.writeTag(next.keys().tunnelKeys(), buffer,
            start + GeneveEncapsulator.GENEVE_OFFSET, start + GeneveEncapsulator.FLYOVER_OPTION_OFFSET,
            offset, p.protocol, innerL4);
        outOffset = start;
        outLength = total;
        return TO_BACKBONE;
    }

    private long flowHash(
        final boolean ipv6,
        final long clientHigh,
        final long clientLow,
        final int clientPort,
        final long vipHigh,
        final long vipLow,
        final int vipPort,
        final int protocol)
    {
        return ipv6 ?
            FlowHash.ipv6(config.flowHashKey(), clientHigh, clientLow, clientPort, vipHigh, vipLow, vipPort, protocol) :
            FlowHash.ipv4(config.flowHashKey(), (int)clientLow, clientPort, (int)vipLow, vipPort, protocol);
    }

    private void setKey(
        final int kind,
        final boolean ipv6,
        final int protocol,
        final long srcHigh,
        final long srcLow,
        final int srcPort,
        final long dstHigh,
        final long dstLow,
        final int dstPort)
    {
        if (ipv6)
        {
            key.ipv6(kind, protocol, srcHigh, srcLow, srcPort, dstHigh, dstLow, dstPort);
        }
        else
        {
            key.ipv4(kind, protocol, (int)srcLow, srcPort, (int)dstLow, dstPort);
        }
    }

    private static boolean hasPorts(final int protocol)
    {
        return IpProtocol.TCP == protocol || IpProtocol.UDP == protocol;
    }

    /** The client's port in a client → VIP packet: L4 source port, or the echo identifier. */
    private static int clientPort(final ParsedPacket p)
    {
        return hasPorts(p.protocol) ? p.srcPort : p.icmpIdentifier;
    }

    /** The VIP's port in a client → VIP packet: L4 destination port, or 0 for ICMP. */
    private static int vipPort(final ParsedPacket p)
    {
        return hasPorts(p.protocol) ? p.dstPort : 0;
    }

    /** The client's port in a reply (toward the client). */
    private static int replyClientPort(final ParsedPacket p)
    {
        return hasPorts(p.protocol) ? p.dstPort : p.icmpIdentifier;
    }

    /** The server side's port in a reply. */
    private static int replyVipPort(final ParsedPacket p)
    {
        return hasPorts(p.protocol) ? p.srcPort : 0;
    }

    private static int backendPort(final ParsedPacket p, final Backend backend)
    {
        if (!hasPorts(p.protocol))
        {
            return 0;
        }
        return 0 != backend.port() ? backend.port() : p.dstPort;
    }

    private static int initialState(final ParsedPacket p)
    {
        if (IpProtocol.TCP == p.protocol)
        {
            if ((p.tcpFlags & (TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_RST)) != 0)
            {
                return FlowState.TCP_CLOSING;
            }
            return (p.tcpFlags & TcpFlyweight.FLAG_SYN) != 0 && (p.tcpFlags & TcpFlyweight.FLAG_ACK) == 0 ?
                FlowState.TCP_EMBRYONIC : FlowState.TCP_ESTABLISHED;
        }
        return IpProtocol.UDP == p.protocol ? FlowState.UDP : FlowState.ICMP;
    }

    private void advanceState(final int entry, final ParsedPacket p)
    {
        if (IpProtocol.TCP != p.protocol)
        {
            return;
        }
        final int state = flows.state(entry);
        if ((p.tcpFlags & (TcpFlyweight.FLAG_FIN | TcpFlyweight.FLAG_RST)) != 0)
        {
            if (FlowState.TCP_CLOSING != state)
            {
                flows.state(entry, FlowState.TCP_CLOSING);
            }
        }
        else if (FlowState.TCP_EMBRYONIC == state && (p.tcpFlags & TcpFlyweight.FLAG_SYN) == 0 &&
            (p.tcpFlags & TcpFlyweight.FLAG_ACK) != 0)
        {
            flows.state(entry, FlowState.TCP_ESTABLISHED);
        }
    }

    static long addressHigh(final MutableDirectBuffer buffer, final int offset, final boolean ipv6)
    {
        return ipv6 ? buffer.getLong(offset, BIG_ENDIAN) : 0;
    }

    static long addressLow(final MutableDirectBuffer buffer, final int offset, final boolean ipv6)
    {
        return ipv6 ? buffer.getLong(offset + 8, BIG_ENDIAN) : buffer.getInt(offset, BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * Rewrites one address of the packet and fixes the checksums that cover it: the IPv4 header
     * checksum, and the TCP, UDP or ICMPv6 checksum through the pseudo-header (RFC 1624).
     */
    private static void rewriteAddress(
        final MutableDirectBuffer buffer,
        final ParsedPacket p,
        final int addressOffset,
        final boolean ipv6,
        final long oldHigh,
        final long oldLow,
        final long newHigh,
        final long newLow)
    {
        final int l4Checksum = p.l4ChecksumOffset;
        final boolean pseudoHeader = hasPorts(p.protocol) || IpProtocol.ICMPV6 == p.protocol;
        if (ipv6)
        {
            buffer.putLong(addressOffset, newHigh, BIG_ENDIAN);
            buffer.putLong(addressOffset + 8, newLow, BIG_ENDIAN);
            if (pseudoHeader && ParsedPacket.NONE != l4Checksum)
            {
                final int old = buffer.getShort(l4Checksum, BIG_ENDIAN) & 0xFFFF;
                final int updated = IpProtocol.UDP == p.protocol ?
                    Checksums.updateUdp128(old, oldHigh, oldLow, newHigh, newLow) :
                    Checksums.update128(old, oldHigh, oldLow, newHigh, newLow);
                buffer.putShort(l4Checksum, (short)updated, BIG_ENDIAN);
            }
        }
        else
        {
            final int oldAddress = (int)oldLow;
            final int newAddress = (int)newLow;
            buffer.putInt(addressOffset, newAddress, BIG_ENDIAN);
            final int ipChecksum = Ipv4Flyweight.headerChecksum(buffer, p.l3Offset);
            Ipv4Flyweight.headerChecksum(buffer, p.l3Offset, Checksums.update32(ipChecksum, oldAddress, newAddress));
            if (pseudoHeader && ParsedPacket.NONE != l4Checksum)
            {
                final int old = buffer.getShort(l4Checksum, BIG_ENDIAN) & 0xFFFF;
                final int updated = IpProtocol.UDP == p.protocol ?
                    Checksums.updateUdp32(old, oldAddress, newAddress) :
                    Checksums.update32(old, oldAddress, newAddress);
                buffer.putShort(l4Checksum, (short)updated, BIG_ENDIAN);
            }
        }
    }

    private static void rewritePort(
        final MutableDirectBuffer buffer, final ParsedPacket p, final int portOffset, final int oldPort, final int newPort)
    {
        buffer.putShort(portOffset, (short)newPort, BIG_ENDIAN);
        final int l4Checksum = p.l4ChecksumOffset;
        if (ParsedPacket.NONE != l4Checksum)
        {
            final int old = buffer.getShort(l4Checksum, BIG_ENDIAN) & 0xFFFF;
            final int updated = IpProtocol.UDP == p.protocol ?
                Checksums.updateUdp16(old, oldPort, newPort) : Checksums.update16(old, oldPort, newPort);
            buffer.putShort(l4Checksum, (short)updated, BIG_ENDIAN);
        }
    }
}
