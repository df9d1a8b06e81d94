package io.flyover.dataplane.engine;

import java.net.InetSocketAddress;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.flyover.dataplane.counters.DropCounters;
import io.flyover.dataplane.counters.DropReason;
import io.flyover.dataplane.flow.FlowTable;
import io.flyover.dataplane.flow.FlowTableConfig;
import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.protocol.FlyoverOptionFlyweight;
import io.flyover.dataplane.protocol.GeneveEncapsulator;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.PacketParser;
import io.flyover.dataplane.protocol.ParseVerdict;
import io.flyover.dataplane.protocol.ParsedPacket;
import io.flyover.dataplane.protocol.TcpFlyweight;
import io.flyover.dataplane.protocol.TunnelKeys;
import io.flyover.dataplane.protocol.TunnelPacketBuilder;
import io.flyover.dataplane.protocol.TunnelTag;
import io.flyover.dataplane.table.BackboneKey;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.KeyRing;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.Pop;
import io.flyover.dataplane.table.Route;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.Vip;
import io.flyover.dataplane.table.WeightedRoute;
import io.flyover.dataplane.world.InMemoryWorld;
import io.flyover.dataplane.world.IpPackets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden packet tables per stage: {description, stage and POP, input packet, expected verdict,
 * expected output facts}. The expected facts are written from the wire format and the design
 * (addresses, ports, hop index, tag validity), not read back from the code under test.
 */
class PipelineGoldenTableTest
{
    private static final int A = 1;
    private static final int B = 2;
    private static final int C = 3;
    private static final int UNDERLAY_A = 0x0AFF0001;
    private static final int UNDERLAY_B = 0x0AFF0002;
    private static final int UNDERLAY_C = 0x0AFF0003;
    private static final int VIP = 0xCB00710A;
    private static final int CLIENT = 0xC6336407;
    private static final int BACKEND = 0x0A010005;
    private static final BackboneKey KEY = new BackboneKey(1, 0x1111L, 0x2222L);
    private static final TunnelKeys TUNNEL_KEYS = TunnelKeys.of(1, 0x1111L, 0x2222L);
    private static final long ROUTE_ABC = Route.of(A, B, C).packed();
    private static final int HEADROOM = 256;

    enum Stage
    {
        EDGE, BACKBONE, ORIGIN
    }

    record Row(String description, int pop, Stage stage, ToIntFunction<UnsafeBuffer> input, String expected,
        Consumer<byte[]> output)
    {
        @Override
        public String toString()
        {
            return description;
        }
    }

    private static ForwardingTables tables(final int localPop)
    {
        final KeyRing keys = new KeyRing(1, List.of(KEY));
        final List<Pop> pops = List.of(
            new Pop(A, "a", new InetSocketAddress(InMemoryWorld.ipv4(UNDERLAY_A), 6081), keys),
            new Pop(B, "b", new InetSocketAddress(InMemoryWorld.ipv4(UNDERLAY_B), 6081), keys),
            new Pop(C, "c", new InetSocketAddress(InMemoryWorld.ipv4(UNDERLAY_C), 6081), keys));
        final Service web = new Service(7, "web", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.TCP, 80), C,
            List.of(new Backend(1, "b1", InMemoryWorld.ipv4(BACKEND), 8080, 1)), 0);
        final List<PathTable> paths = A == localPop ?
            List.of(PathTable.build(C, List.of(new WeightedRoute(Route.of(A, B, C), 1)))) : List.of();
        return ForwardingTables.build(1, localPop, pops, List.of(web), paths);
    }

    private static int tcp(final UnsafeBuffer b, final int src, final int sport, final int dst, final int dport,
        final int flags, final int mss)
    {
        return IpPackets.tcp4(b, HEADROOM, src, sport, dst, dport, 1, 0, flags, mss, new UnsafeBuffer(new byte[0]), 0, 0);
    }

    /** A tunnel packet as POP {@code from} would send it toward {@code to}. */
    private static int tunnel(final UnsafeBuffer b, final int fromUnderlay, final int toUnderlay, final int vni,
        final boolean returnPath, final int hopIndex, final int hopLimit, final int keyId, final TunnelKeys keys)
    {
        final UnsafeBuffer inner = new UnsafeBuffer(new byte[128]);
        final int innerLength = returnPath ?
            IpPackets.tcp4(inner, 0, VIP, 80, CLIENT, 40_000, 5, 2, TcpFlyweight.FLAG_ACK, 0, inner, 0, 0) :
            IpPackets.tcp4(inner, 0, CLIENT, 40_000, VIP, 80, 1, 0, TcpFlyweight.FLAG_SYN, 0, inner, 0, 0);
        return new TunnelPacketBuilder()
            .outerAddresses(fromUnderlay, toUnderlay).vni(vni).returnPath(returnPath).hopIndex(hopIndex)
            .hopLimit(hopLimit).keyId(keyId).route(ROUTE_ABC).keys(keys).innerFlow(IpProtocol.TCP, 20)
            .build(b, HEADROOM, inner, 0, innerLength);
    }

    private static int u32(final byte[] bytes, final int offset)
    {
        return new UnsafeBuffer(bytes).getInt(offset, ByteOrder.BIG_ENDIAN);
    }

    private static void isTunnel(final byte[] out, final int src, final int dst, final int hopIndex, final boolean back)
    {
        final UnsafeBuffer b = new UnsafeBuffer(out);
        assertEquals(src, u32(out, 12), "outer source");
        assertEquals(dst, u32(out, 16), "outer destination");
        assertEquals(6081, b.getShort(22, ByteOrder.BIG_ENDIAN) & 0xFFFF, "Geneve port");
        final int option = GeneveEncapsulator.FLYOVER_OPTION_OFFSET;
        assertEquals(hopIndex, FlyoverOptionFlyweight.hopIndex(b, option));
        assertEquals(back, FlyoverOptionFlyweight.returnPath(b, option));
        assertEquals(ROUTE_ABC, FlyoverOptionFlyweight.route(b, option));
        final ParsedPacket inner = new ParsedPacket();
        assertEquals(ParseVerdict.OK, PacketParser.parseIp(b, GeneveEncapsulator.ENCAP_LENGTH,
            out.length - GeneveEncapsulator.ENCAP_LENGTH, inner));
        assertEquals(ParseVerdict.OK, TunnelTag.verify(TUNNEL_KEYS, b, GeneveEncapsulator.GENEVE_OFFSET, option,
            GeneveEncapsulator.ENCAP_LENGTH, inner.protocol, inner.l4Offset), "tag verifies with the link key");
    }

    static Stream<Arguments> rows()
    {
        final List<Row> rows = new ArrayList<>();
        // ---------------------------------------------------------------- ingress at A
        rows.add(new Row("SYN to the VIP is encapsulated toward relay B, hop 1", A, Stage.EDGE,
            b -> tcp(b, CLIENT, 40_000, VIP, 80, TcpFlyweight.FLAG_SYN, 1460), "backbone",
            out -> isTunnel(out, UNDERLAY_A, UNDERLAY_B, 1, false)));
        rows.add(new Row("MSS 1460 is clamped to 1392 inside the tunnel", A, Stage.EDGE,
            b -> tcp(b, CLIENT, 40_000, VIP, 80, TcpFlyweight.FLAG_SYN, 1460), "backbone",
            out -> assertEquals(1392, new UnsafeBuffer(out).getShort(68 + 20 + 22, ByteOrder.BIG_ENDIAN) & 0xFFFF)));
        rows.add(new Row("packet to an address that is no VIP", A, Stage.EDGE,
            b -> tcp(b, CLIENT, 40_000, VIP + 1, 80, TcpFlyweight.FLAG_SYN, 0), "no_service", null));
        rows.add(new Row("packet to the VIP on a port no service has", A, Stage.EDGE,
            b -> tcp(b, CLIENT, 40_000, VIP, 81, TcpFlyweight.FLAG_SYN, 0), "no_service", null));
        rows.add(new Row("IPv4 fragment", A, Stage.EDGE, b ->
        {
            final int length = tcp(b, CLIENT, 40_000, VIP, 80, TcpFlyweight.FLAG_ACK, 0);
            b.putShort(HEADROOM + 6, (short)0x2000, ByteOrder.BIG_ENDIAN); // MF
            io.flyover.dataplane.protocol.Ipv4Flyweight.writeHeaderChecksum(b, HEADROOM);
            return length;
        }, "fragment_v4", null));
        rows.add(new Row("truncated IPv4 header", A, Stage.EDGE,
            b -> Math.min(12, tcp(b, CLIENT, 40_000, VIP, 80, TcpFlyweight.FLAG_SYN, 0)), "parse_ipv4_truncated", null));
        rows.add(new Row("IHL below 5", A, Stage.EDGE, b ->
        {
            final int length = tcp(b, CLIENT, 40_000, VIP, 80, TcpFlyweight.FLAG_SYN, 0);
            b.putByte(HEADROOM, (byte)0x44);
            return length;
        }, "parse_ipv4_bad_ihl", null));
        rows.add(new Row("ICMP redirect from a client", A, Stage.EDGE, b ->
        {
            io.flyover.dataplane.protocol.Ipv4Flyweight.writeHeader(b, HEADROOM, 0, 56, 0, 0, 64, IpProtocol.ICMP,
                CLIENT, VIP);
            io.flyover.dataplane.protocol.Ipv4Flyweight.writeHeaderChecksum(b, HEADROOM);
            io.flyover.dataplane.protocol.Icmpv4Flyweight.writeEchoHeader(b, HEADROOM + 20, 5, 1, 1);
            b.putByte(HEADROOM + 20, (byte)13); // timestamp request: neither echo nor an error
            io.flyover.dataplane.protocol.Icmpv4Flyweight.writeChecksum(b, HEADROOM + 20, 36);
            return 56;
        }, "icmp_unsupported", null));
        // ---------------------------------------------------------------- relay at B
        rows.add(new Row("relay advances the hop index and re-tags toward C", B, Stage.BACKBONE,
            b -> tunnel(b, UNDERLAY_A, UNDERLAY_B, 7, false, 1, 8, 1, TUNNEL_KEYS), "backbone",
            out -> isTunnel(out, UNDERLAY_B, UNDERLAY_C, 2, false)));
        rows.add(new Row("return traffic is relayed back toward A", B, Stage.BACKBONE,
            b -> tunnel(b, UNDERLAY_C, UNDERLAY_B, 7, true, 1, 8, 1, TUNNEL_KEYS), "backbone",
            out -> isTunnel(out, UNDERLAY_B, UNDERLAY_A, 0, true)));
        rows.add(new Row("forged tag", B, Stage.BACKBONE,
            b -> tunnel(b, UNDERLAY_A, UNDERLAY_B, 7, false, 1, 8, 1, TunnelKeys.of(1, 9, 9)), "tunnel_bad_tag", null));
        rows.add(new Row("unknown key id", B, Stage.BACKBONE,
            b -> tunnel(b, UNDERLAY_A, UNDERLAY_B, 7, false, 1, 8, 2, TunnelKeys.of(2, 9, 9)), "tunnel_unknown_key",
            null));
        rows.add(new Row("sender is no known POP", B, Stage.BACKBONE,
            b -> tunnel(b, 0x0AFF0063, UNDERLAY_B, 7, false, 1, 8, 1, TUNNEL_KEYS), "tunnel_unknown_peer", null));
        rows.add(new Row("hop limit 0: no relay forward left (loop guard)", B, Stage.BACKBONE,
            b -> tunnel(b, UNDERLAY_A, UNDERLAY_B, 7, false, 1, 0, 1, TUNNEL_KEYS), "tunnel_hop_limit", null));
        rows.add(new Row("hop index names another POP", B, Stage.BACKBONE,
            b -> tunnel(b, UNDERLAY_A, UNDERLAY_B, 7, false, 2, 8, 1, TUNNEL_KEYS), "tunnel_misrouted", null));
        rows.add(new Row("UDP to another port on the backbone", B, Stage.BACKBONE, b ->
            IpPackets.udp4(b, HEADROOM, UNDERLAY_A, 5000, UNDERLAY_B, 6082, new UnsafeBuffer(new byte[8]), 0, 8),
            "backbone_not_geneve", null));
        // ---------------------------------------------------------------- egress and return at C
        rows.add(new Row("egress decapsulates and DNATs VIP:80 to the backend:8080, client kept", C, Stage.BACKBONE,
            b -> tunnel(b, UNDERLAY_B, UNDERLAY_C, 7, false, 2, 8, 1, TUNNEL_KEYS), "origin", out ->
            {
                final ParsedPacket p = new ParsedPacket();
                assertEquals(ParseVerdict.OK, PacketParser.parseIp(new UnsafeBuffer(out), 0, out.length, p));
                assertEquals(CLIENT, u32(out, 12));
                assertEquals(BACKEND, u32(out, 16));
                assertEquals(8080, p.dstPort);
            }));
        rows.add(new Row("VNI names no service", C, Stage.BACKBONE,
            b -> tunnel(b, UNDERLAY_B, UNDERLAY_C, 99, false, 2, 8, 1, TUNNEL_KEYS), "tunnel_unknown_service", null));
        rows.add(new Row("reply from a backend with no flow", C, Stage.ORIGIN,
            b -> tcp(b, BACKEND, 8080, CLIENT, 40_000, TcpFlyweight.FLAG_ACK, 0), "no_reverse_flow", null));
        return rows.stream().map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void shouldGiveTheGoldenVerdictAndOutput(final Row row)
    {
        final FlowTable flows = new FlowTable(new FlowTableConfig(1 << 10, 32, 5_000_000_000L, 300_000_000_000L,
            10_000_000_000L, 60_000_000_000L, 30_000_000_000L, false), 1, (t, e, c) -> { });
        final DropCounters drops = new DropCounters(
            new CountersManager(new UnsafeBuffer(new byte[1 << 20]), new UnsafeBuffer(new byte[1 << 18])), 0);
        final Pipeline pipeline = new Pipeline(PipelineConfig.defaults(7), flows, drops,
            new EngineEvents(1 << 16).writer(0), 1_000_000_000L);
        pipeline.onTables(tables(row.pop()), 1_000_000_000L);

        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final int length = row.input().applyAsInt(buffer);
        final int verdict = switch (row.stage())
        {
            case EDGE -> pipeline.onEdge(buffer, HEADROOM, length, 1_000_000_000L);
            case BACKBONE -> pipeline.onBackbone(buffer, HEADROOM, length, 1_000_000_000L);
            case ORIGIN -> pipeline.onOrigin(buffer, HEADROOM, length, 1_000_000_000L);
        };
        final String label = verdict >= 0 ? PortRole.forId(verdict).label() : DropReason.labelOf(-verdict);
        assertEquals(row.expected(), label, row.description());
        if (verdict < 0)
        {
            assertEquals(1, drops.get(-verdict), "counted under its reason");
        }
        if (null != row.output())
        {
            assertTrue(verdict >= 0);
            final byte[] out = new byte[pipeline.outLength()];
            buffer.getBytes(pipeline.outOffset(), out);
            row.output().accept(out);
        }
        flows.close();
    }
}
