package io.flyover.dataplane.protocol;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parser returns a verdict for any input, never throws, and whatever offsets it reports lie inside
 * the captured bytes. Bounds checks are on in tests, so a read past the buffer would throw.
 */
class ParserRobustnessPropertyTest
{
    private static final int[] ETHER_TYPES = {
        EthernetFlyweight.ETHER_TYPE_IPV4, EthernetFlyweight.ETHER_TYPE_IPV6,
        EthernetFlyweight.TPID_8021Q, EthernetFlyweight.TPID_8021AD };

    private final ParsedPacket packet = new ParsedPacket();

    @Provide
    Arbitrary<PacketSpecs.Spec> packets()
    {
        return PacketSpecs.specs();
    }

    @Property
    void shouldReturnVerdictForArbitraryBytes(
        @ForAll @Size(max = 256) final byte[] bytes,
        @ForAll @IntRange(min = -4, max = 300) final int offset,
        @ForAll @IntRange(min = -4, max = 300) final int length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        parseEveryWay(buffer, offset, length);
    }

    @Property
    void shouldReturnVerdictForArbitraryBytesBehindPlausibleHeaders(
        @ForAll @Size(min = 64, max = 256) final byte[] bytes,
        @ForAll @IntRange(max = 3) final int etherType,
        @ForAll @IntRange(max = 3) final int innerEtherType,
        @ForAll final boolean ipv6,
        @ForAll @IntRange(max = 256) final int length)
    {
        // Steer the random bytes past the first checks: a known EtherType, a known IP version.
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        buffer.putShort(12, (short)ETHER_TYPES[etherType], BIG_ENDIAN);
        buffer.putShort(16, (short)ETHER_TYPES[innerEtherType], BIG_ENDIAN);
        final int l3 = 14 + (etherType >= 2 ? 4 : 0) + (etherType >= 2 && innerEtherType >= 2 ? 4 : 0);
        buffer.putByte(l3, (byte)((ipv6 ? 0x60 : 0x40) | (bytes[l3] & 0x0F)));

        parseEveryWay(buffer, 0, length);
        parseEveryWay(buffer, l3, length - l3);
    }

    @Property
    void shouldReturnVerdictForMutatedValidPackets(
        @ForAll("packets") final PacketSpecs.Spec spec,
        @ForAll @Size(max = 6) final List<@IntRange(max = 0xFFFF) Integer> mutations,
        @ForAll final boolean fixIpv4Checksum,
        @ForAll @IntRange(max = 100) final int cutPercent)
    {
        final TestPacketBuilder builder = spec.builder();
        final byte[] bytes = builder.build();
        for (final int mutation : mutations)
        {
            bytes[(mutation >>> 8) % bytes.length] = (byte)mutation;
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        if (fixIpv4Checksum && 4 == spec.ipVersion())
        {
            final int headerLength = Ipv4Flyweight.headerLength(buffer, builder.l3Offset);
            if (headerLength >= 20 && builder.l3Offset + headerLength <= bytes.length)
            {
                Ipv4Flyweight.writeHeaderChecksum(buffer, builder.l3Offset);
            }
        }

        final int length = bytes.length * cutPercent / 100;
        parseEveryWay(buffer, 0, length);
        parseEveryWay(buffer, builder.l3Offset, length - builder.l3Offset);
    }

    private void parseEveryWay(final UnsafeBuffer buffer, final int offset, final int length)
    {
        check(PacketParser.parseEthernet(buffer, offset, length, packet), buffer, offset, length);
        check(PacketParser.parseEthernet(buffer, offset, length, packet, false), buffer, offset, length);
        check(PacketParser.parseIp(buffer, offset, length, packet), buffer, offset, length);
        check(PacketParser.parseIp(buffer, offset, length, packet, false), buffer, offset, length);
        check(PacketParser.parseIpv4(buffer, offset, length, packet), buffer, offset, length);
        check(PacketParser.parseIpv6(buffer, offset, length, packet), buffer, offset, length);
    }

    private void check(final ParseVerdict verdict, final UnsafeBuffer buffer, final int offset, final int length)
    {
        assertNotNull(verdict);
        final int end = offset < 0 || length <= 0 || offset > buffer.capacity() ?
            offset : offset + Math.min(length, buffer.capacity() - offset);
        final String context = verdict + " " + packet;

        if (ParsedPacket.NONE != packet.srcAddressOffset)
        {
            assertWithin(packet.srcAddressOffset, packet.addressLength, offset, end, context);
            assertWithin(packet.dstAddressOffset, packet.addressLength, offset, end, context);
            assertWithin(packet.l3Offset, packet.l3Length, offset, end, context);
        }
        if (ParsedPacket.NONE != packet.l4Offset)
        {
            assertWithin(packet.l4Offset, packet.l4Length, offset, packet.l3End(), context);
        }
        if (ParsedPacket.NONE != packet.payloadOffset)
        {
            assertWithin(packet.payloadOffset, packet.payloadLength, offset, packet.l3End(), context);
        }
        if (ParsedPacket.NONE != packet.tcpMssOptionOffset)
        {
            assertWithin(packet.tcpMssOptionOffset, 4, packet.l4Offset, packet.l4Offset + packet.tcpHeaderLength, context);
        }
        if (ParsedPacket.NONE != packet.innerSrcAddressOffset)
        {
            final int innerAddressLength = 4 == packet.innerIpVersion ? 4 : 16;
            assertWithin(packet.innerSrcAddressOffset, innerAddressLength, offset, packet.l3End(), context);
            assertWithin(packet.innerDstAddressOffset, innerAddressLength, offset, packet.l3End(), context);
        }
        if (ParsedPacket.NONE != packet.innerL4Offset && ParseVerdict.OK == verdict)
        {
            assertTrue(packet.innerL4Offset <= packet.l3End(), context);
        }
    }

    private static void assertWithin(
        final int index, final int length, final int from, final int to, final String context)
    {
        assertTrue(index >= from && length >= 0 && index + length <= to,
            () -> "[" + index + ", +" + length + ") outside [" + from + ", " + to + "): " + context);
    }
}
