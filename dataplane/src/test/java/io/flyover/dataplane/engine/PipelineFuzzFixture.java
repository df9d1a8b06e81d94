package io.flyover.dataplane.engine;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.HexFormat;
import java.util.List;

import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import io.flyover.dataplane.counters.DropCounters;
import io.flyover.dataplane.counters.DropReason;
import io.flyover.dataplane.flow.FlowTable;
import io.flyover.dataplane.flow.FlowTableConfig;
import io.flyover.dataplane.lb.Backend;
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
import io.flyover.dataplane.protocol.TunnelKeys;
import io.flyover.dataplane.protocol.TunnelPacketBuilder;
import io.flyover.dataplane.protocol.TunnelTag;
import io.flyover.dataplane.protocol.UdpFlyweight;
import io.flyover.dataplane.table.BackboneKey;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.KeyRing;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.Pop;
import io.flyover.dataplane.table.Route;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.Vip;
import io.flyover.dataplane.table.WeightedRoute;
import io.flyover.dataplane.world.IpPackets;

/**
 * Three POPs' pipelines (A ingress, B relay, C egress, as in the design's packet walk) for the
 * whole-pipeline fuzz targets ({@link EdgePipelineFuzzTarget}, {@link BackbonePipelineFuzzTarget},
 * {@link OriginPipelineFuzzTarget}). Before each input every flow table is emptied and a few
 * known flows are opened with genuine packets (a TCP and a UDP flow at A, their egress entries at
 * C), so that fuzzed packets can hit live flows: replies, ICMP errors quoting them, return
 * tunnels. Then the fuzzed frame runs through one port of one POP and {@link #account} checks
 * the invariant of every input:
 * <ul>
 *   <li>the verdict is a port ({@link Pipeline#TO_EDGE}, {@link Pipeline#TO_BACKBONE},
 *       {@link Pipeline#TO_ORIGIN}), {@link Pipeline#CONSUMED}, or a negative drop id with a label;</li>
 *   <li>a drop bumped exactly its own reason's counter by one and no other; anything else bumped
 *       no drop counter;</li>
 *   <li>a forwarded frame lies inside the buffer and parses: an IP packet toward the edge or origin
 *       (IPv4 header checksum verified), and toward the backbone an outer IPv4/UDP 6081/Geneve packet
 *       whose inner packet parses and whose tag verifies with the backbone key;</li>
 *   <li>an ICMP error the pipeline generated parses too.</li>
 * </ul>
 * A broken invariant throws {@link IllegalStateException}, which Jazzer reports as a finding.
 * Single-threaded, as Jazzer calls it; each target holds one fixture.
 */
final class PipelineFuzzFixture
{
    static final int A = 1;
    static final int B = 2;
    static final int C = 3;
    static final int UNDERLAY_A = 0x0AFF0001;
    static final int UNDERLAY_B = 0x0AFF0002;
    static final int UNDERLAY_C = 0x0AFF0003;
    /** An underlay address that is no POP's. */
    static final int UNDERLAY_STRANGER = 0x0AFF0063;
    static final int VIP = 0xCB00710A;
    static final int CLIENT = 0xC6336407;
    static final int BACKEND_1 = 0x0A010005;
    static final int BACKEND_2 = 0x0A010006;
    static final int WEB_SERVICE = 7;
    static final int DNS_SERVICE = 8;
    static final int CLIENT_TCP_PORT = 40_000;
    static final int CLIENT_UDP_PORT = 5353;
    static final int BACKEND_TCP_PORT = 8080;
    static final int KEY_ID = 1;
    static final BackboneKey KEY = new BackboneKey(KEY_ID, 0x1111L, 0x2222L);
    static final TunnelKeys TUNNEL_KEYS = TunnelKeys.of(KEY_ID, 0x1111L, 0x2222L);
    /** What a target's {@code run} returns for an input too short to run. */
    static final int SKIPPED = Integer.MIN_VALUE;
    /** Where frames start in the work buffer: room for the encapsulation headers in front. */
    static final int HEADROOM = 256;
    /** Longest fuzzed frame taken; longer inputs are cut. */
    static final int MAX_FRAME = 4000;

    /** Bytes zeroed past a frame, so reads just past its end see the same bytes on every run. */
    private static final int TAIL = 128;
    private static final long STEP_NS = 1_000_000_000L;
    private static final long CLEAR_AFTER_NS = 7_200_000_000_000L;

    private final Pipeline[] pipelines = new Pipeline[C + 1];
    private final FlowTable[] flows = new FlowTable[C + 1];
    private final DropCounters[] drops = new DropCounters[C + 1];
    private final EngineEvents events = new EngineEvents(1 << 16);
    private final MessageHandler ignoreEvent = (type, buffer, offset, length) -> { };
    private final long[] dropsBefore = new long[DropReason.ID_LIMIT];
    private final UnsafeBuffer work = new UnsafeBuffer(new byte[HEADROOM + MAX_FRAME + 512]);
    private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[HEADROOM + MAX_FRAME + 512]);
    private final UnsafeBuffer empty = new UnsafeBuffer(new byte[0]);
    private final ParsedPacket outer = new ParsedPacket();
    private final ParsedPacket inner = new ParsedPacket();
    private final ParsedTunnel tunnel = new ParsedTunnel();
    private final TunnelPacketBuilder builder = new TunnelPacketBuilder();
    private long nowNs = 1_000_000_000L;

    PipelineFuzzFixture()
    {
        final CountersManager counters =
            new CountersManager(new UnsafeBuffer(new byte[1 << 20]), new UnsafeBuffer(new byte[1 << 18]));
        final FlowTableConfig config = new FlowTableConfig(1 << 6, 16, 5_000_000_000L, 300_000_000_000L,
            10_000_000_000L, 60_000_000_000L, 30_000_000_000L, false);
        for (int pop = A; pop <= C; pop++)
        {
            flows[pop] = new FlowTable(config, 0x5EED + pop, (table, entry, cause) -> { });
            drops[pop] = new DropCounters(counters, pop);
            pipelines[pop] = new Pipeline(PipelineConfig.defaults(0xF10E), flows[pop], drops[pop],
                events.writer(pop), nowNs);
            pipelines[pop].onTables(tables(pop), nowNs);
        }
    }

    /**
     * The three POPs' shared view: services web (TCP VIP:80 to backend 1 port 8080) and dns (UDP
     * VIP:53 to backends 1 and 2, port kept), both served from C; A reaches C through B or
     * directly, by flow hash.
     */
    static ForwardingTables tables(final int localPop)
    {
        final KeyRing keys = new KeyRing(KEY_ID, List.of(KEY));
        final List<Pop> pops = List.of(
            new Pop(A, "a", new InetSocketAddress(ipv4(UNDERLAY_A), 6081), keys),
            new Pop(B, "b", new InetSocketAddress(ipv4(UNDERLAY_B), 6081), keys),
            new Pop(C, "c", new InetSocketAddress(ipv4(UNDERLAY_C), 6081), keys));
        final Service web = new Service(WEB_SERVICE, "web", Vip.of(ipv4(VIP), IpProtocol.TCP, 80), C,
            List.of(new Backend(1, "b1", ipv4(BACKEND_1), BACKEND_TCP_PORT, 1)), 0);
        final Service dns = new Service(DNS_SERVICE, "dns", Vip.of(ipv4(VIP), IpProtocol.UDP, 53), C,
            List.of(new Backend(1, "b1", ipv4(BACKEND_1), 0, 1), new Backend(2, "b2", ipv4(BACKEND_2), 0, 1)), 0);
        final List<PathTable> paths = A == localPop ? List.of(PathTable.build(C, List.of(
            new WeightedRoute(Route.of(A, B, C), 1), new WeightedRoute(Route.of(A, C), 1)))) : List.of();
        return ForwardingTables.build(1, localPop, pops, List.of(web, dns), paths);
    }

    static InetAddress ipv4(final int address)
    {
        try
        {
            return InetAddress.getByAddress(new byte[] {
                (byte)(address >>> 24), (byte)(address >>> 16), (byte)(address >>> 8), (byte)address});
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(ex);
        }
    }

    /**
     * @param pop a POP id, A..C.
     * @return its pipeline.
     */
    Pipeline pipeline(final int pop)
    {
        return pipelines[pop];
    }

    /**
     * @param pop a POP id, A..C.
     * @return its flow table.
     */
    FlowTable flows(final int pop)
    {
        return flows[pop];
    }

    /**
     * Builds a genuine tunnel packet from B to egress C along A-B-C (hop 2, D = 0, the web
     * service's VNI) around an inner IPv4 TCP packet without options, into the work buffer at
     * {@link #HEADROOM}.
     *
     * @param inner the inner packet.
     * @return the frame length.
     */
    int tunnelToEgress(final byte[] inner)
    {
        scratch.putBytes(0, inner);
        return tunnel(Route.of(A, B, C).packed(), UNDERLAY_B, WEB_SERVICE, IpProtocol.TCP, scratch, inner.length);
    }

    /**
     * @param pop a POP id.
     * @return its drop counters.
     */
    DropCounters drops(final int pop)
    {
        return drops[pop];
    }

    /**
     * @return the clock of the current input.
     */
    long nowNs()
    {
        return nowNs;
    }

    /**
     * Starts an input: moves the clock a second on (rate limiters refill), empties every flow
     * table and opens the known flows: at A, TCP client:40000 → VIP:80 (SYN) and UDP
     * client:5353 → VIP:53; at C, their egress entries (forward and reverse), arrived from B along
     * A-B-C and from A along A-C.
     */
    void reset()
    {
        reset(true, true);
    }

    /**
     * Runs one fuzz input at an IP-facing port: the edge of ingress POP A (a client packet) or the
     * origin of egress POP C (a backend packet), after opening the known flows on that side. The
     * input is a flag byte (bit 0: fix the IPv4 header checksum first, so the fuzzer gets past
     * the header check) and then the packet.
     *
     * @param data   the input.
     * @param atEdge true for A's edge, false for C's origin.
     * @return the pipeline's verdict, or {@link #SKIPPED} if the input is too short to run.
     */
    int runIpPort(final byte[] data, final boolean atEdge)
    {
        if (data.length < 1)
        {
            return SKIPPED;
        }
        reset(atEdge, !atEdge);
        final int length = load(data, 1);
        if (0 != (data[0] & 1))
        {
            fixIpv4Checksum(work, HEADROOM, length);
        }
        final int pop = atEdge ? A : C;
        snapshot(pop);
        final int verdict = atEdge ?
            pipeline(A).onEdge(work, HEADROOM, length, nowNs()) :
            pipeline(C).onOrigin(work, HEADROOM, length, nowNs());
        account(pop, verdict, data);
        return verdict;
    }

    /**
     * Starts an input as {@link #reset()} does, opening the known flows only where asked (a
     * target that feeds one POP needs only that POP's).
     *
     * @param atIngress open the flows at A.
     * @param atEgress  open the flows at C.
     */
    void reset(final boolean atIngress, final boolean atEgress)
    {
        nowNs += STEP_NS;
        for (int pop = A; pop <= C; pop++)
        {
            flows[pop].expire(nowNs + CLEAR_AFTER_NS, flows[pop].capacity());
            require(0 == flows[pop].size(), "flow table not emptied", null);
        }
        events.read(ignoreEvent, Integer.MAX_VALUE);

        if (atIngress)
        {
            int length = IpPackets.tcp4(work, HEADROOM, CLIENT, CLIENT_TCP_PORT, VIP, 80, 1, 0, TcpFlyweight.FLAG_SYN,
                1460, empty, 0, 0);
            require(Pipeline.TO_BACKBONE == pipelines[A].onEdge(work, HEADROOM, length, nowNs), "setup: TCP at A", null);
            length = IpPackets.udp4(work, HEADROOM, CLIENT, CLIENT_UDP_PORT, VIP, 53, empty, 0, 0);
            require(Pipeline.TO_BACKBONE == pipelines[A].onEdge(work, HEADROOM, length, nowNs), "setup: UDP at A", null);
            pipelines[A].icmpErrors().takePending();
        }
        if (atEgress)
        {
            openAtEgress();
        }
    }

    private void openAtEgress()
    {
        int length = IpPackets.tcp4(scratch, 0, CLIENT, CLIENT_TCP_PORT, VIP, 80, 1, 0, TcpFlyweight.FLAG_SYN, 1392,
            empty, 0, 0);
        length = tunnel(Route.of(A, B, C).packed(), UNDERLAY_B, WEB_SERVICE, IpProtocol.TCP, scratch, length);
        require(Pipeline.TO_ORIGIN == pipelines[C].onBackbone(work, HEADROOM, length, nowNs), "setup: TCP at C", null);
        length = IpPackets.udp4(scratch, 0, CLIENT, CLIENT_UDP_PORT, VIP, 53, empty, 0, 0);
        length = tunnel(Route.of(A, C).packed(), UNDERLAY_A, DNS_SERVICE, IpProtocol.UDP, scratch, length);
        require(Pipeline.TO_ORIGIN == pipelines[C].onBackbone(work, HEADROOM, length, nowNs), "setup: UDP at C", null);
    }

    /**
     * Builds a genuine tunnel packet toward egress C (last hop, D = 0) into the work buffer at
     * {@link #HEADROOM}, the inner packet an IPv4 one without options.
     */
    private int tunnel(
        final long route,
        final int fromUnderlay,
        final int vni,
        final int innerProtocol,
        final UnsafeBuffer innerBuffer,
        final int innerLength)
    {
        return builder.outerAddresses(fromUnderlay, UNDERLAY_C).vni(vni).returnPath(false)
            .hopIndex(FlyoverRoute.lastSlot(route)).hopLimit(8).keyId(KEY_ID).route(route).keys(TUNNEL_KEYS).oam(false)
            .innerFlow(innerProtocol, 20).build(work, HEADROOM, innerBuffer, 0, innerLength);
    }

    /**
     * Copies a fuzzed frame into the work buffer at {@link #HEADROOM}.
     *
     * @param data   the input.
     * @param offset where the frame starts in it.
     * @return the frame length (cut to {@link #MAX_FRAME}).
     */
    int load(final byte[] data, final int offset)
    {
        final int length = Math.min(Math.max(0, data.length - offset), MAX_FRAME);
        work.setMemory(0, HEADROOM + length + TAIL, (byte)0);
        work.putBytes(HEADROOM, data, offset, length);
        return length;
    }

    /**
     * @return the work buffer; frames start at {@link #HEADROOM}.
     */
    UnsafeBuffer work()
    {
        return work;
    }

    /**
     * Rewrites the IPv4 header checksum of the packet at {@code offset} if it looks like an IPv4
     * header that fits, so the fuzzer gets past the header check into the later stages.
     */
    static void fixIpv4Checksum(final UnsafeBuffer buffer, final int offset, final int length)
    {
        if (length >= Ipv4Flyweight.MIN_HEADER_LENGTH && 4 == Ipv4Flyweight.version(buffer, offset))
        {
            final int headerLength = Ipv4Flyweight.headerLength(buffer, offset);
            if (headerLength >= Ipv4Flyweight.MIN_HEADER_LENGTH && headerLength <= length)
            {
                Ipv4Flyweight.writeHeaderChecksum(buffer, offset);
            }
        }
    }

    /**
     * Builds a tunnel packet from structured fields into the work buffer at {@link #HEADROOM},
     * tagged as a POP would tag it (or forged, as {@code tagMode} says), so the fuzzer reaches the
     * stages behind the tag check.
     *
     * @param fromUnderlay outer source.
     * @param route        packed route.
     * @param returnPath   D bit.
     * @param hopIndex     hop index.
     * @param hopLimit     hop limit.
     * @param oam          O bit.
     * @param vni          VNI.
     * @param tagMode      0 genuine, 1 wrong key bytes, 2 a key id nobody holds, 3 genuine then one tag bit flipped.
     * @param innerData    holds the inner packet.
     * @param innerOffset  where it starts.
     * @param fixInner     rewrite the inner IPv4 header checksum first.
     * @return the frame length.
     */
    int buildTunnel(
        final int fromUnderlay,
        final long route,
        final boolean returnPath,
        final int hopIndex,
        final int hopLimit,
        final boolean oam,
        final int vni,
        final int tagMode,
        final byte[] innerData,
        final int innerOffset,
        final boolean fixInner)
    {
        final int innerLength = Math.min(Math.max(1, innerData.length - innerOffset), MAX_FRAME - 100);
        scratch.setMemory(0, innerLength + TAIL, (byte)0);
        if (innerData.length > innerOffset)
        {
            scratch.putBytes(0, innerData, innerOffset, Math.min(innerLength, innerData.length - innerOffset));
        }
        if (fixInner)
        {
            fixIpv4Checksum(scratch, 0, innerLength);
        }
        builder.outerAddresses(fromUnderlay, UNDERLAY_B).vni(vni & 0xFF_FFFF).returnPath(returnPath).hopIndex(hopIndex & 3)
            .hopLimit(hopLimit & 0xFF).oam(oam).route(route);
        if (ParseVerdict.OK == PacketParser.parseIp(scratch, 0, innerLength, inner))
        {
            builder.innerFlow(inner.protocol, ParsedPacket.NONE == inner.l4Offset ? 0 : inner.l4Offset);
        }
        else
        {
            builder.innerFlow(0, 0);
        }
        switch (tagMode & 3)
        {
            case 1 -> builder.keyId(KEY_ID).keys(TunnelKeys.of(KEY_ID, 9, 9));
            case 2 -> builder.keyId(2).keys(TunnelKeys.of(2, 0x1111L, 0x2222L));
            default -> builder.keyId(KEY_ID).keys(TUNNEL_KEYS);
        }
        work.setMemory(0, HEADROOM + GeneveEncapsulator.ENCAP_LENGTH + innerLength + TAIL, (byte)0);
        final int length = builder.build(work, HEADROOM, scratch, 0, innerLength);
        if (3 == (tagMode & 3))
        {
            final int tagAt = HEADROOM + GeneveEncapsulator.FLYOVER_OPTION_OFFSET + 24;
            work.putByte(tagAt, (byte)(work.getByte(tagAt) ^ 0x10));
        }
        return length;
    }

    /**
     * Remembers every drop counter of a POP before the fuzzed frame.
     */
    void snapshot(final int pop)
    {
        for (int id = 1; id < DropReason.ID_LIMIT; id++)
        {
            dropsBefore[id] = drops[pop].get(id);
        }
    }

    /**
     * Checks the invariant of one frame's walk (see the class doc).
     *
     * @param pop     the POP that ran it.
     * @param verdict its verdict.
     * @param input   what to name in a failure.
     */
    void account(final int pop, final int verdict, final Object input)
    {
        final DropCounters counters = drops[pop];
        long changed = 0;
        for (int id = 1; id < DropReason.ID_LIMIT; id++)
        {
            final long delta = counters.get(id) - dropsBefore[id];
            if (0 != delta)
            {
                require(verdict < 0 && id == -verdict && 1 == delta,
                    "drop counter " + DropReason.labelOf(id) + " moved by " + delta + " for verdict " + verdict, input);
                changed++;
            }
        }
        if (verdict < 0)
        {
            require(null != DropReason.labelOf(-verdict), "drop id without a label: " + verdict, input);
            require(1 == changed, "drop " + DropReason.labelOf(-verdict) + " not counted", input);
        }
        else
        {
            require(verdict <= Pipeline.CONSUMED, "unknown verdict " + verdict, input);
            if (Pipeline.CONSUMED != verdict)
            {
                checkForwarded(pipelines[pop], verdict, input);
            }
        }

        final IcmpErrors icmp = pipelines[pop].icmpErrors();
        if (icmp.takePending())
        {
            require(ParseVerdict.OK == PacketParser.parseIp(icmp.buffer(), 0, icmp.length(), outer) &&
                (IpProtocol.ICMP == outer.protocol || IpProtocol.ICMPV6 == outer.protocol),
                "generated ICMP error does not parse", input);
        }
    }

    private void checkForwarded(final Pipeline pipeline, final int verdict, final Object input)
    {
        final int offset = pipeline.outOffset();
        final int length = pipeline.outLength();
        require(offset >= 0 && length > 0 && offset + length <= work.capacity(),
            "output [" + offset + ", +" + length + ") outside the buffer", input);
        final ParseVerdict parsed = PacketParser.parseIp(work, offset, length, outer);
        require(ParseVerdict.OK == parsed, "forwarded frame does not parse: " + parsed, input);
        if (Pipeline.TO_BACKBONE != verdict)
        {
            return;
        }
        require(4 == outer.ipVersion && IpProtocol.UDP == outer.protocol && GeneveFlyweight.UDP_PORT == outer.dstPort,
            "backbone frame is not UDP to the Geneve port", input);
        final int geneve = outer.l4Offset + UdpFlyweight.HEADER_LENGTH;
        final ParseVerdict tunnelVerdict = GeneveParser.parse(work, geneve, outer.l3End() - geneve, tunnel);
        require(ParseVerdict.OK == tunnelVerdict, "backbone frame's Geneve does not parse: " + tunnelVerdict, input);
        final ParseVerdict innerVerdict =
            PacketParser.parseIp(work, tunnel.innerOffset(), tunnel.innerLength(), inner);
        require(ParseVerdict.OK == innerVerdict, "backbone frame's inner packet does not parse: " + innerVerdict, input);
        final int innerL4 = ParsedPacket.NONE == inner.l4Offset ? tunnel.innerOffset() : inner.l4Offset;
        require(ParseVerdict.OK == TunnelTag.verify(TUNNEL_KEYS, work, tunnel, inner.protocol, innerL4),
            "backbone frame's tag does not verify", input);
        require(FlyoverRoute.INVALID != FlyoverRoute.lastSlot(
            FlyoverOptionFlyweight.route(work, tunnel.flyoverOptionOffset())),
            "backbone frame carries an invalid route", input);
    }

    static void require(final boolean condition, final String what, final Object input)
    {
        if (!condition)
        {
            final String shown = input instanceof final byte[] bytes ? HexFormat.of().formatHex(bytes) : String.valueOf(input);
            throw new IllegalStateException("invariant broken: " + what + (null == input ? "" : " for input " + shown));
        }
    }
}
