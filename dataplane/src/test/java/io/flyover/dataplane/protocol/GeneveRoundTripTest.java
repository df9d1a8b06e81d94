package io.flyover.dataplane.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * Build a whole tunnel packet from random fields, parse it back, and check every field, the outer
 * headers and the tag.
 */
class GeneveRoundTripTest
{
    @Property(tries = 500)
    void shouldParseBackEveryFieldTheBuilderWrote(
        @ForAll("headers") final RoundTripArbitraries.Headers headers,
        @ForAll @IntRange(max = 255) final int keyId,
        @ForAll final long k0,
        @ForAll final long k1,
        @ForAll final boolean ipv6,
        @ForAll @Size(max = 64) final byte[] payload,
        @ForAll @IntRange(max = 9) final int at)
    {
        final byte[] inner = ipv6 ?
            TestPackets.ipv6(TestPackets.UDP, new byte[16], new byte[16], 5353, 53, payload) :
            TestPackets.ipv4(TestPackets.TCP, 0x0A000001, 0x0A000002, 40000, 443, payload, false);
        final TunnelKeys keys = TunnelKeys.of(keyId, k0, k1);
        final byte[] bytes = new byte[at + GeneveEncapsulator.ENCAP_LENGTH + inner.length];
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final int length = headers.apply(new TunnelPacketBuilder()).keys(keys).keyId(keyId)
            .build(buffer, at, new UnsafeBuffer(inner), 0, inner.length);
        assertEquals(bytes.length - at, length);

        // Outer IPv4 and UDP.
        assertEquals(0x45, buffer.getByte(at) & 0xFF);
        assertEquals(length, buffer.getShort(at + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        assertEquals(0xFFFF, onesComplementSum(bytes, at, 20), "outer IPv4 header checksum");
        assertEquals(17, buffer.getByte(at + 9));
        assertEquals(headers.outerSrc(), buffer.getInt(at + 12, ByteOrder.BIG_ENDIAN));
        assertEquals(headers.outerDst(), buffer.getInt(at + 16, ByteOrder.BIG_ENDIAN));
        final int udp = at + GeneveEncapsulator.OUTER_UDP_OFFSET;
        assertEquals(GeneveEncapsulator.udpSourcePort(headers.flowHash()), buffer.getShort(udp, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        assertEquals(GeneveFlyweight.UDP_PORT, buffer.getShort(udp + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        assertEquals(length - 20, buffer.getShort(udp + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF);
        assertEquals(0, buffer.getShort(udp + 6, ByteOrder.BIG_ENDIAN));

        // Geneve and the Flyover option, through the parser.
        final int geneve = at + GeneveEncapsulator.GENEVE_OFFSET;
        final ParsedTunnel tunnel = new ParsedTunnel();
        assertEquals(ParseVerdict.OK, GeneveParser.parse(buffer, geneve, length - GeneveEncapsulator.GENEVE_OFFSET, tunnel));
        assertEquals(at + GeneveEncapsulator.FLYOVER_OPTION_OFFSET, tunnel.flyoverOptionOffset());
        assertEquals(at + GeneveEncapsulator.ENCAP_LENGTH, tunnel.innerOffset());
        assertEquals(inner.length, tunnel.innerLength());
        assertEquals(ipv6 ? GeneveFlyweight.PROTOCOL_TYPE_IPV6 : GeneveFlyweight.PROTOCOL_TYPE_IPV4, tunnel.protocolType());
        assertEquals(headers.vni(), tunnel.vni());
        assertEquals(headers.oam(), tunnel.oam());

        final int option = tunnel.flyoverOptionOffset();
        assertEquals(FlyoverOptionFlyweight.VERSION, FlyoverOptionFlyweight.version(buffer, option));
        assertEquals(headers.returnPath(), FlyoverOptionFlyweight.returnPath(buffer, option));
        assertEquals(headers.hopIndex(), FlyoverOptionFlyweight.hopIndex(buffer, option));
        assertEquals(headers.hopLimit(), FlyoverOptionFlyweight.hopLimit(buffer, option));
        assertEquals(keyId, FlyoverOptionFlyweight.keyId(buffer, option));
        assertEquals(headers.route(), FlyoverOptionFlyweight.route(buffer, option));
        assertEquals(headers.sendTimeUs(), FlyoverOptionFlyweight.sendTimeUs(buffer, option));

        // The inner packet is intact and the tag verifies.
        for (int i = 0; i < inner.length; i++)
        {
            assertEquals(inner[i], bytes[tunnel.innerOffset() + i]);
        }
        final int protocol = TestPackets.protocol(inner);
        final int l4Offset = tunnel.innerOffset() + TestPackets.l4Offset(inner);
        assertEquals(ParseVerdict.OK, TunnelTag.verify(keys, buffer, tunnel, protocol, l4Offset));
    }

    @Provide
    Arbitrary<RoundTripArbitraries.Headers> headers()
    {
        return RoundTripArbitraries.headers();
    }

    @Test
    void shouldPickSourcePortsInTheEphemeralRangeSpreadByFlowHash()
    {
        final boolean[] seen = new boolean[1 << 14];
        int distinct = 0;
        for (int i = 0; i < 100_000; i++)
        {
            final int port = GeneveEncapsulator.udpSourcePort(i * 0x9E3779B9);
            assertTrue(port >= 49152 && port <= 65535);
            if (!seen[port - 49152])
            {
                seen[port - 49152] = true;
                distinct++;
            }
        }
        assertTrue(distinct > 16_000, "distinct ports " + distinct);
    }

    @Test
    void shouldRefuseInnerPacketsTooLongForOuterIpv4()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[GeneveEncapsulator.ENCAP_LENGTH]);
        assertEquals(GeneveEncapsulator.TOO_LONG, GeneveEncapsulator.writeHeaders(
            buffer, 0, GeneveEncapsulator.MAX_INNER_LENGTH + 1, 1, 2, 49152, 0x0800, false, 1, false, 1, 8, 1,
            FlyoverRoute.pack(1, 2, 0, 0), 0));
        assertEquals(0xFFFF, GeneveEncapsulator.writeHeaders(
            buffer, 0, GeneveEncapsulator.MAX_INNER_LENGTH, 1, 2, 49152, 0x0800, false, 1, false, 1, 8, 1,
            FlyoverRoute.pack(1, 2, 0, 0), 0));
    }

    static int onesComplementSum(final byte[] bytes, final int offset, final int length)
    {
        int sum = 0;
        for (int i = 0; i < length; i += 2)
        {
            sum += ((bytes[offset + i] & 0xFF) << 8) | (bytes[offset + i + 1] & 0xFF);
        }
        while ((sum >>> 16) != 0)
        {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return sum;
    }
}
