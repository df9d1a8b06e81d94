package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static io.flyover.dataplane.protocol.ParseVerdict.*;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cuts valid packets at every byte and shrinks their IP length fields to every smaller value: the parser
 * must report a fault (or OK exactly where the shorter packet is still complete) and never throw.
 */
class PacketParserTruncationTest
{
    /**
     * A capture cut short is always caught at L2/L3: the IP length fields are checked against the capture
     * before anything inside the packet is read.
     */
    private static final Set<ParseVerdict> CAPTURE_CUT = EnumSet.of(
        ETH_TRUNCATED, VLAN_TRUNCATED, IPV4_TRUNCATED, IPV4_BAD_TOTAL_LENGTH, IPV6_TRUNCATED, IPV6_BAD_PAYLOAD_LENGTH);

    record Sample(String name, byte[] bytes, boolean ethernet)
    {
        public String toString()
        {
            return name;
        }
    }

    private final ParsedPacket packet = new ParsedPacket();

    static List<Sample> samples()
    {
        final List<Sample> samples = new ArrayList<>();
        samples.add(new Sample("eth ipv4 udp", Hex.bytes(GoldenPackets.ETH_IPV4_UDP), true));
        samples.add(new Sample("eth dot1q ipv4 udp", Hex.bytes(GoldenPackets.ETH_DOT1Q_IPV4_UDP), true));
        samples.add(new Sample("eth qinq ipv6 udp", Hex.bytes(GoldenPackets.ETH_QINQ_IPV6_UDP), true));
        samples.add(new Sample("ipv4 tcp syn", Hex.bytes(GoldenPackets.IPV4_TCP_SYN), false));
        samples.add(new Sample("ipv4 options udp", Hex.bytes(GoldenPackets.IPV4_OPTIONS_UDP), false));
        samples.add(new Sample("ipv4 icmp echo", Hex.bytes(GoldenPackets.IPV4_ICMP_ECHO), false));
        samples.add(new Sample("ipv4 frag needed", Hex.bytes(GoldenPackets.IPV4_ICMP_FRAG_NEEDED), false));
        samples.add(new Sample("ipv6 ext tcp", Hex.bytes(GoldenPackets.IPV6_EXT_TCP), false));
        samples.add(new Sample("ipv6 ah udp", Hex.bytes(GoldenPackets.IPV6_AH_UDP), false));
        samples.add(new Sample("ipv6 icmpv6 echo", Hex.bytes(GoldenPackets.IPV6_ICMPV6_ECHO), false));
        samples.add(new Sample("ipv6 packet too big", Hex.bytes(GoldenPackets.IPV6_ICMPV6_PTB), false));

        final TestPacketBuilder qinqTcp = TestPacketBuilder.tcp4();
        qinqTcp.vlanTags = 2;
        qinqTcp.outerTpid = EthernetFlyweight.TPID_8021AD;
        qinqTcp.ipv4Options = Hex.bytes("0107070400000000");
        qinqTcp.mss = 1460;
        qinqTcp.sackPermitted = true;
        qinqTcp.timestamps = true;
        qinqTcp.windowScale = 7;
        qinqTcp.payload = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        samples.add(new Sample("eth qinq ipv4 options tcp options", qinqTcp.build(), true));

        final TestPacketBuilder extTcp = TestPacketBuilder.tcp6();
        extTcp.vlanTags = 1;
        extTcp.extensionHeaders = new int[]{
            IpProtocol.HOP_BY_HOP, IpProtocol.IPV6_DESTINATION_OPTIONS, IpProtocol.IPV6_ROUTING,
            IpProtocol.IPV6_FRAGMENT, IpProtocol.AH, IpProtocol.IPV6_DESTINATION_OPTIONS };
        extTcp.extensionHeaderLength = 16;
        extTcp.tcpLeadingNop = true;
        extTcp.mss = 1440;
        extTcp.payload = new byte[3];
        samples.add(new Sample("eth dot1q ipv6 six ext headers tcp", extTcp.build(), true));

        final TestPacketBuilder innerTcp = TestPacketBuilder.tcp4();
        innerTcp.ethernet = false;
        innerTcp.mss = 1460;
        final TestPacketBuilder fragNeeded = new TestPacketBuilder();
        fragNeeded.protocol = IpProtocol.ICMP;
        fragNeeded.icmpType = Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE;
        fragNeeded.icmpCode = Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED;
        fragNeeded.icmpRestOfHeader = 1400;
        fragNeeded.quote = innerTcp.build();
        samples.add(new Sample("eth frag needed quoting tcp", fragNeeded.build(), true));

        final TestPacketBuilder innerUdp6 = TestPacketBuilder.udp6();
        innerUdp6.ethernet = false;
        innerUdp6.extensionHeaders = new int[]{ IpProtocol.IPV6_DESTINATION_OPTIONS, IpProtocol.IPV6_FRAGMENT };
        innerUdp6.ipv6MoreFragments = true;
        innerUdp6.payload = new byte[20];
        final TestPacketBuilder tooBig = new TestPacketBuilder();
        tooBig.ipVersion = 6;
        tooBig.protocol = IpProtocol.ICMPV6;
        tooBig.icmpType = Icmpv6Flyweight.TYPE_PACKET_TOO_BIG;
        tooBig.icmpRestOfHeader = 1280;
        tooBig.quote = innerUdp6.build();
        samples.add(new Sample("eth packet too big quoting ext udp fragment", tooBig.build(), true));

        return samples;
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldReportTruncatedCaptureAtEveryByte(final Sample sample)
    {
        assertEquals(OK, parse(sample, sample.bytes, sample.bytes.length), "the sample itself must parse");

        for (int length = 0; length < sample.bytes.length; length++)
        {
            final byte[] cut = Arrays.copyOf(sample.bytes, length);
            final ParseVerdict verdict = parse(sample, cut, length);

            assertTrue(CAPTURE_CUT.contains(verdict), sample + " cut to " + length + " gave " + verdict);
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldReportTruncatedCaptureInsideLargerBuffer(final Sample sample)
    {
        // Same cuts, but the bytes after the capture are present in the buffer: they must not be read.
        final UnsafeBuffer buffer = new UnsafeBuffer(Arrays.copyOf(sample.bytes, sample.bytes.length + 64));
        for (int length = 0; length < sample.bytes.length; length++)
        {
            final ParseVerdict verdict = sample.ethernet ?
                PacketParser.parseEthernet(buffer, 0, length, packet) : PacketParser.parseIp(buffer, 0, length, packet);

            assertTrue(CAPTURE_CUT.contains(verdict), sample + " cut to " + length + " gave " + verdict);
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldAcceptEveryAmountOfTrailingPadding(final Sample sample)
    {
        final byte[] padded = Arrays.copyOf(sample.bytes, sample.bytes.length + 20);
        for (int length = sample.bytes.length; length <= padded.length; length++)
        {
            assertEquals(OK, parse(sample, padded, length), sample + " with " + (length - sample.bytes.length) + " pad");
        }
    }

    @ParameterizedTest
    @MethodSource("samples")
    void shouldReportEveryShorterIpLength(final Sample sample)
    {
        assertEquals(OK, parse(sample, sample.bytes, sample.bytes.length));
        final int l3Offset = packet.l3Offset;
        final int ipVersion = packet.ipVersion;
        final int trueLength = packet.l3Length;
        final int minimumComplete = minimumCompleteIpLength(packet);
        final int fixedHeader = 4 == ipVersion ? Ipv4Flyweight.MIN_HEADER_LENGTH : Ipv6Flyweight.HEADER_LENGTH;

        for (int ipLength = fixedHeader; ipLength < trueLength; ipLength++)
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(sample.bytes.clone());
            if (4 == ipVersion)
            {
                buffer.putShort(l3Offset + Ipv4Flyweight.TOTAL_LENGTH_OFFSET, (short)ipLength, BIG_ENDIAN);
                Ipv4Flyweight.writeHeaderChecksum(buffer, l3Offset);
            }
            else
            {
                buffer.putShort(l3Offset + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET,
                    (short)(ipLength - Ipv6Flyweight.HEADER_LENGTH), BIG_ENDIAN);
            }

            final ParseVerdict verdict = sample.ethernet ?
                PacketParser.parseEthernet(buffer, 0, buffer.capacity(), packet) :
                PacketParser.parseIp(buffer, 0, buffer.capacity(), packet);

            final String message = sample + " with IP length " + ipLength + " gave " + verdict;
            if (ipLength >= minimumComplete)
            {
                assertEquals(OK, verdict, message + ": the shorter packet is still whole");
            }
            else
            {
                assertNotEquals(OK, verdict, message);
            }
        }
    }

    /**
     * The shortest IP length at which the packet is still whole: TCP and ICMP echo have no length of their
     * own, so their data may end anywhere after the header; an ICMP error needs its quote's IP header and
     * 8 bytes after it; UDP's length must match the IP payload exactly.
     */
    private static int minimumCompleteIpLength(final ParsedPacket parsed)
    {
        if (parsed.hasQuote())
        {
            return parsed.innerL4Offset + Icmpv4Flyweight.MIN_QUOTED_DATA - parsed.l3Offset;
        }

        return IpProtocol.UDP == parsed.protocol ? parsed.l3Length : parsed.payloadOffset - parsed.l3Offset;
    }

    private ParseVerdict parse(final Sample sample, final byte[] bytes, final int length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        return sample.ethernet ?
            PacketParser.parseEthernet(buffer, 0, length, packet) : PacketParser.parseIp(buffer, 0, length, packet);
    }
}
