package io.flyover.dataplane.protocol;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.Arrays;

import static io.flyover.dataplane.protocol.PacketSpecs.ECHO;
import static io.flyover.dataplane.protocol.PacketSpecs.ERROR;
import static io.flyover.dataplane.protocol.PacketSpecs.TCP;
import static io.flyover.dataplane.protocol.PacketSpecs.UDP;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Build random packets with Flyover's writers, parse them with {@link PacketParser}: every field comes
 * back, and every checksum the writers produced verifies.
 */
class RoundTripPropertyTest
{
    private final ParsedPacket packet = new ParsedPacket();

    @Provide
    Arbitrary<PacketSpecs.Spec> packets()
    {
        return PacketSpecs.specs();
    }

    @Property
    void shouldParseEveryFieldWritten(
        @ForAll("packets") final PacketSpecs.Spec spec, @ForAll @IntRange(max = 300) final int offset)
    {
        Statistics.label("ip version").collect(spec.ipVersion());
        Statistics.label("l4 kind").collect(spec.l4().kind());
        Statistics.label("vlan tags").collect(spec.l2().ethernet() ? spec.l2().vlanTags() : -1);
        final TestPacketBuilder builder = spec.builder();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[offset + 4096]);
        final int length = builder.build(buffer, offset);

        final ParseVerdict verdict = builder.ethernet ?
            PacketParser.parseEthernet(buffer, offset, length, packet) :
            PacketParser.parseIp(buffer, offset, length, packet);
        assertEquals(ParseVerdict.OK, verdict, packet::toString);

        assertL2(spec, offset);
        assertL3(spec, builder, buffer, offset);
        assertL4(spec, builder, buffer, offset);
        assertChecksums(spec, buffer);
    }

    private void assertL2(final PacketSpecs.Spec spec, final int offset)
    {
        if (!spec.l2().ethernet())
        {
            assertFalse(packet.hasEthernet());
            assertEquals(0, packet.vlanCount);
            return;
        }

        final int tags = spec.l2().vlanTags();
        assertEquals(offset, packet.l2Offset);
        assertEquals(tags, packet.vlanCount);
        if (tags > 0)
        {
            assertEquals(spec.l2().serviceTag() ? EthernetFlyweight.TPID_8021AD : EthernetFlyweight.TPID_8021Q,
                packet.outerVlanTpid);
            assertEquals(spec.l2().outerTci(), packet.outerVlanTci);
            assertEquals(spec.l2().outerTci() & 0xFFF, packet.outerVlanId);
        }
        if (tags > 1)
        {
            assertEquals(EthernetFlyweight.TPID_8021Q, packet.innerVlanTpid);
            assertEquals(spec.l2().innerTci(), packet.innerVlanTci);
            assertEquals(spec.l2().innerTci() & 0xFFF, packet.innerVlanId);
        }
        assertEquals(offset + EthernetFlyweight.HEADER_LENGTH + 4 * tags, packet.l3Offset);
    }

    private void assertL3(
        final PacketSpecs.Spec spec, final TestPacketBuilder builder, final UnsafeBuffer buffer, final int offset)
    {
        assertEquals(offset + builder.l3Offset, packet.l3Offset);
        assertEquals(spec.ipVersion(), packet.ipVersion);
        assertEquals(spec.expectedL3HeaderLength(builder), packet.l3HeaderLength);
        assertEquals(builder.l3End - builder.l3Offset, packet.l3Length);
        assertEquals(offset + builder.l4Offset, packet.l4Offset);
        assertEquals(builder.protocol, packet.protocol);
        assertFalse(packet.fragment);

        if (4 == spec.ipVersion())
        {
            assertEquals(4, packet.addressLength);
            assertEquals(spec.ip4().src(), buffer.getInt(packet.srcAddressOffset, BIG_ENDIAN));
            assertEquals(spec.ip4().dst(), buffer.getInt(packet.dstAddressOffset, BIG_ENDIAN));
            assertEquals(spec.ip4().tos(), packet.tos);
            assertEquals(spec.ip4().ttl(), packet.ttl);
            assertEquals(spec.ip4().dontFragment(), packet.dontFragment);
            assertEquals(spec.ip4().identification(), Ipv4Flyweight.identification(buffer, packet.l3Offset));
        }
        else
        {
            assertEquals(16, packet.addressLength);
            assertEquals(spec.ip6().srcHigh(), buffer.getLong(packet.srcAddressOffset, BIG_ENDIAN));
            assertEquals(spec.ip6().srcLow(), buffer.getLong(packet.srcAddressOffset + 8, BIG_ENDIAN));
            assertEquals(spec.ip6().dstHigh(), buffer.getLong(packet.dstAddressOffset, BIG_ENDIAN));
            assertEquals(spec.ip6().dstLow(), buffer.getLong(packet.dstAddressOffset + 8, BIG_ENDIAN));
            assertEquals(spec.ip6().trafficClass(), packet.tos);
            assertEquals(spec.ip6().flowLabel(), packet.flowLabel);
            assertEquals(spec.ip6().hopLimit(), packet.ttl);
            assertEquals(builder.extensionHeaders.length, packet.extensionHeaderCount);
        }
    }

    private void assertL4(
        final PacketSpecs.Spec spec, final TestPacketBuilder builder, final UnsafeBuffer buffer, final int offset)
    {
        final PacketSpecs.L4 l4 = spec.l4();
        final byte[] payload = l4.payload();
        switch (l4.kind())
        {
            case UDP ->
            {
                assertEquals(l4.srcPort(), packet.srcPort);
                assertEquals(l4.dstPort(), packet.dstPort);
                assertPayload(buffer, payload);
            }
            case TCP ->
            {
                final PacketSpecs.Tcp tcp = l4.tcp();
                assertEquals(l4.srcPort(), packet.srcPort);
                assertEquals(l4.dstPort(), packet.dstPort);
                assertEquals(tcp.sequence(), packet.tcpSequence);
                assertEquals(tcp.acknowledgment(), packet.tcpAcknowledgment);
                assertEquals(tcp.flags(), packet.tcpFlags);
                assertEquals(tcp.window(), packet.tcpWindow);
                assertEquals(builder.tcpHeaderLength, packet.tcpHeaderLength);
                assertEquals(tcp.mss() >= 0 ? tcp.mss() : ParsedPacket.NONE, packet.tcpMss);
                if (tcp.mss() >= 0)
                {
                    assertEquals(TcpFlyweight.OPTION_MSS, buffer.getByte(packet.tcpMssOptionOffset));
                }
                assertPayload(buffer, payload);
            }
            case ECHO ->
            {
                assertEquals(builder.icmpType, packet.icmpType);
                assertEquals(0, packet.icmpCode);
                assertEquals(l4.icmpRest() >>> 16, packet.icmpIdentifier);
                assertEquals(l4.icmpRest() & 0xFFFF, packet.icmpSequence);
                assertFalse(packet.hasQuote());
                assertPayload(buffer, payload);
            }
            case ERROR ->
            {
                final byte[] quote = spec.quote();
                assertEquals(builder.icmpType, packet.icmpType);
                assertEquals(builder.icmpCode, packet.icmpCode);
                assertEquals(builder.icmpRestOfHeader, packet.icmpMtu);
                assertEquals(offset + builder.payloadOffset, packet.innerL3Offset);
                assertEquals(spec.ipVersion(), packet.innerIpVersion);
                assertEquals(l4.innerTcp() ? IpProtocol.TCP : IpProtocol.UDP, packet.innerProtocol);
                assertEquals(l4.innerFirstFragment(), packet.innerFragment);
                assertEquals(l4.dstPort(), packet.innerSrcPort);
                assertEquals(l4.srcPort(), packet.innerDstPort);
                assertEquals(quote.length, packet.payloadLength);
            }
            default -> throw new AssertionError(l4.kind());
        }
    }

    private void assertPayload(final UnsafeBuffer buffer, final byte[] payload)
    {
        assertEquals(payload.length, packet.payloadLength);
        final byte[] actual = new byte[packet.payloadLength];
        buffer.getBytes(packet.payloadOffset, actual);
        assertArrayEquals(payload, actual, () -> Arrays.toString(actual));
        assertEquals(packet.l3End(), packet.payloadOffset + packet.payloadLength);
    }

    private void assertChecksums(final PacketSpecs.Spec spec, final UnsafeBuffer buffer)
    {
        final int pseudo;
        if (4 == spec.ipVersion())
        {
            assertTrue(Ipv4Flyweight.isHeaderChecksumValid(buffer, packet.l3Offset, packet.l3HeaderLength));
            pseudo = IpProtocol.ICMP == packet.protocol ?
                0 : Checksums.ipv4PseudoHeaderSum(buffer, packet.l3Offset, packet.protocol, packet.l4Length);
        }
        else
        {
            pseudo = Checksums.ipv6PseudoHeaderSum(buffer, packet.l3Offset, packet.protocol, packet.l4Length);
        }

        assertTrue(Checksums.isValid(buffer, packet.l4Offset, packet.l4Length, pseudo), "L4 checksum");
        assertEquals(packet.l4Offset + (IpProtocol.UDP == packet.protocol ? 6 : IpProtocol.TCP == packet.protocol ? 16 : 2),
            packet.l4ChecksumOffset);
    }
}
