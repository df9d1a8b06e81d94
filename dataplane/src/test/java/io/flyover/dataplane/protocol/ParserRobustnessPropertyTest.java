package io.flyover.dataplane.protocol;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.statistics.Statistics;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.List;

import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @Property
    void shouldReportTheSameWhateverTheRecordHeldBefore(
        @ForAll("packets") final PacketSpecs.Spec previous,
        @ForAll("packets") final PacketSpecs.Spec spec,
        @ForAll final boolean mutate,
        @ForAll @Size(max = 3) final List<@IntRange(max = 0xFFFF) Integer> mutations,
        @ForAll final boolean cut,
        @ForAll @IntRange(min = 50, max = 100) final int cutPercent)
    {
        Statistics.label("mutated or cut").collect(mutate, cut);
        final byte[] previousBytes = previous.builder().build();
        final ParsedPacket dirty = new ParsedPacket();
        PacketParser.parseEthernet(new UnsafeBuffer(previousBytes), 0, previousBytes.length, dirty);
        PacketParser.parseIp(new UnsafeBuffer(previousBytes), 14, previousBytes.length - 14, dirty);

        final TestPacketBuilder builder = spec.builder();
        final byte[] bytes = builder.build();
        for (int i = 0; mutate && i < mutations.size(); i++)
        {
            bytes[(mutations.get(i) >>> 8) % bytes.length] = (byte)(int)mutations.get(i);
        }
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final int length = cut ? bytes.length * cutPercent / 100 : bytes.length;
        final ParsedPacket fresh = new ParsedPacket();

        final ParseVerdict verdict = builder.ethernet ?
            PacketParser.parseEthernet(buffer, 0, length, dirty, false) : PacketParser.parseIp(buffer, 0, length, dirty, false);
        final ParseVerdict expected = builder.ethernet ?
            PacketParser.parseEthernet(buffer, 0, length, fresh, false) : PacketParser.parseIp(buffer, 0, length, fresh, false);

        assertEquals(expected, verdict);
        assertEquals(gatedView(fresh, expected), gatedView(dirty, verdict));
    }

    /**
     * The fields {@link ParsedPacket} promises are this packet's, given its gates and the verdict.
     */
    private static String gatedView(final ParsedPacket p, final ParseVerdict verdict)
    {
        final StringBuilder view = new StringBuilder()
            .append("l2=").append(p.l2Offset).append(" tags=").append(p.vlanCount).append(" type=").append(p.etherType)
            .append(" l3=").append(p.l3Offset).append(" ip=").append(p.ipVersion).append(" frag=").append(p.fragment)
            .append(" l4=").append(p.l4Offset).append(" payload=").append(p.payloadOffset)
            .append(" inner=").append(p.innerL3Offset);
        if (p.vlanCount >= 1)
        {
            view.append(" outer=").append(p.outerVlanTpid).append('/').append(p.outerVlanTci).append('/').append(p.outerVlanId);
        }
        if (p.vlanCount >= 2)
        {
            view.append(" innerTag=").append(p.innerVlanTpid).append('/').append(p.innerVlanTci).append('/').append(p.innerVlanId);
        }
        if (0 != p.ipVersion)
        {
            view.append(" ipHeader=").append(p.l3HeaderLength).append(" ipLength=").append(p.l3Length)
                .append(" src=").append(p.srcAddressOffset).append(" dst=").append(p.dstAddressOffset)
                .append(" addressLength=").append(p.addressLength).append(" tos=").append(p.tos).append(" ttl=").append(p.ttl)
                .append(" flow=").append(p.flowLabel).append(" df=").append(p.dontFragment)
                .append(" ext=").append(p.extensionHeaderCount).append(" protocol=").append(p.protocol);
        }
        if (p.fragment)
        {
            view.append(" first=").append(p.firstFragment).append(" more=").append(p.moreFragments)
                .append(" offset=").append(p.fragmentOffset).append(" id=").append(p.fragmentId);
        }
        if (ParsedPacket.NONE != p.l4Offset)
        {
            view.append(" l4Length=").append(p.l4Length);
        }
        if (ParsedPacket.NONE != p.payloadOffset)
        {
            view.append(" payloadLength=").append(p.payloadLength);
        }
        if (ParseVerdict.OK == verdict && (IpProtocol.UDP == p.protocol || IpProtocol.TCP == p.protocol))
        {
            view.append(" ports=").append(p.srcPort).append('/').append(p.dstPort).append(" sum=").append(p.l4ChecksumOffset);
        }
        if (ParseVerdict.OK == verdict && IpProtocol.TCP == p.protocol)
        {
            view.append(" tcp=").append(p.tcpFlags).append('/').append(p.tcpHeaderLength).append('/').append(p.tcpSequence)
                .append('/').append(p.tcpAcknowledgment).append('/').append(p.tcpWindow).append('/').append(p.tcpMss)
                .append('/').append(p.tcpMssOptionOffset);
        }
        if (ParseVerdict.OK == verdict && (IpProtocol.ICMP == p.protocol || IpProtocol.ICMPV6 == p.protocol))
        {
            view.append(" icmp=").append(p.icmpType).append('/').append(p.icmpCode).append('/').append(p.icmpIdentifier)
                .append('/').append(p.icmpSequence).append('/').append(p.icmpMtu).append(" sum=").append(p.l4ChecksumOffset);
        }
        if (ParsedPacket.NONE != p.innerL3Offset)
        {
            view.append(" innerIp=").append(p.innerIpVersion).append('/').append(p.innerL3HeaderLength)
                .append('/').append(p.innerSrcAddressOffset).append('/').append(p.innerDstAddressOffset)
                .append('/').append(p.innerProtocol).append('/').append(p.innerFragment).append('/').append(p.innerL4Offset);
            if (ParseVerdict.OK == verdict && ParsedPacket.NONE != p.innerL4Offset)
            {
                view.append(" innerL4=").append(p.innerSrcPort).append('/').append(p.innerDstPort)
                    .append('/').append(p.innerIcmpType).append('/').append(p.innerIcmpIdentifier);
            }
        }
        return view.toString();
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

        // Only fields behind an open gate describe this packet (see ParsedPacket).
        if (ParsedPacket.NONE != packet.l2Offset)
        {
            assertWithin(packet.l2Offset, EthernetFlyweight.HEADER_LENGTH + 4 * packet.vlanCount, offset, end, context);
        }
        if (0 != packet.ipVersion)
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
        if (ParseVerdict.OK == verdict && IpProtocol.TCP == packet.protocol)
        {
            assertWithin(packet.l4Offset, packet.tcpHeaderLength, offset, packet.l3End(), context);
            if (ParsedPacket.NONE != packet.tcpMssOptionOffset)
            {
                assertWithin(
                    packet.tcpMssOptionOffset, 4, packet.l4Offset, packet.l4Offset + packet.tcpHeaderLength, context);
            }
        }
        if (ParsedPacket.NONE != packet.innerL3Offset)
        {
            final int innerAddressLength = 4 == packet.innerIpVersion ? 4 : 16;
            assertWithin(packet.innerSrcAddressOffset, innerAddressLength, offset, packet.l3End(), context);
            assertWithin(packet.innerDstAddressOffset, innerAddressLength, offset, packet.l3End(), context);
            if (ParseVerdict.OK == verdict && ParsedPacket.NONE != packet.innerL4Offset &&
                (IpProtocol.TCP == packet.innerProtocol || IpProtocol.UDP == packet.innerProtocol))
            {
                assertWithin(packet.innerL4Offset, 8, offset, packet.l3End(), context);
            }
        }
    }

    private static void assertWithin(
        final int index, final int length, final int from, final int to, final String context)
    {
        assertTrue(index >= from && length >= 0 && index + length <= to,
            () -> "[" + index + ", +" + length + ") outside [" + from + ", " + to + "): " + context);
    }
}
