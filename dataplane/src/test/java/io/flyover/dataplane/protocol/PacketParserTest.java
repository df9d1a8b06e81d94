package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.flyover.dataplane.protocol.ParseVerdict.*;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacketParserTest
{
    private final ParsedPacket packet = new ParsedPacket();

    // Golden packets: every field the parser reports.

    @Test
    void shouldParseGoldenEthernetIpv4Udp()
    {
        assertEquals(OK, eth(Hex.bytes(GoldenPackets.ETH_IPV4_UDP)));

        assertEquals(0, packet.l2Offset);
        assertEquals(0, packet.vlanCount);
        assertEquals(EthernetFlyweight.ETHER_TYPE_IPV4, packet.etherType);
        assertEquals(14, packet.l3Offset);
        assertEquals(4, packet.ipVersion);
        assertEquals(20, packet.l3HeaderLength);
        assertEquals(36, packet.l3Length);
        assertEquals(50, packet.l3End());
        assertEquals(26, packet.srcAddressOffset);
        assertEquals(30, packet.dstAddressOffset);
        assertEquals(4, packet.addressLength);
        assertEquals(0, packet.tos);
        assertEquals(64, packet.ttl);
        assertTrue(packet.dontFragment);
        assertFalse(packet.fragment);
        assertEquals(IpProtocol.UDP, packet.protocol);
        assertEquals(34, packet.l4Offset);
        assertEquals(16, packet.l4Length);
        assertEquals(40, packet.l4ChecksumOffset);
        assertEquals(12345, packet.srcPort);
        assertEquals(53, packet.dstPort);
        assertEquals(42, packet.payloadOffset);
        assertEquals(8, packet.payloadLength);
        assertFalse(packet.hasQuote());
        assertTrue(packet.hasEthernet());
    }

    @Test
    void shouldParseGoldenDot1qFrame()
    {
        assertEquals(OK, eth(Hex.bytes(GoldenPackets.ETH_DOT1Q_IPV4_UDP)));

        assertEquals(1, packet.vlanCount);
        assertEquals(EthernetFlyweight.TPID_8021Q, packet.outerVlanTpid);
        assertEquals(0xA064, packet.outerVlanTci);
        assertEquals(100, packet.outerVlanId);
        assertEquals(0, packet.innerVlanTpid);
        assertEquals(EthernetFlyweight.ETHER_TYPE_IPV4, packet.etherType);
        assertEquals(18, packet.l3Offset);
        assertEquals(38, packet.l4Offset);
        assertEquals(12345, packet.srcPort);
    }

    @Test
    void shouldParseGoldenQinQFrame()
    {
        assertEquals(OK, eth(Hex.bytes(GoldenPackets.ETH_QINQ_IPV6_UDP)));

        assertEquals(2, packet.vlanCount);
        assertEquals(EthernetFlyweight.TPID_8021AD, packet.outerVlanTpid);
        assertEquals(200, packet.outerVlanId);
        assertEquals(0x70C8, packet.outerVlanTci);
        assertEquals(EthernetFlyweight.TPID_8021Q, packet.innerVlanTpid);
        assertEquals(300, packet.innerVlanId);
        assertEquals(EthernetFlyweight.ETHER_TYPE_IPV6, packet.etherType);
        assertEquals(22, packet.l3Offset);
        assertEquals(6, packet.ipVersion);
        assertEquals(0x12345, packet.flowLabel);
        assertEquals(30, packet.srcAddressOffset);
        assertEquals(46, packet.dstAddressOffset);
        assertEquals(16, packet.addressLength);
        assertEquals(62, packet.l4Offset);
        assertEquals(12345, packet.srcPort);
        assertEquals(53, packet.dstPort);
        assertEquals(70, packet.payloadOffset);
    }

    @Test
    void shouldParseGoldenTcpSynWithOptions()
    {
        assertEquals(OK, ip(Hex.bytes(GoldenPackets.IPV4_TCP_SYN)));

        assertEquals(ParsedPacket.NONE, packet.l2Offset);
        assertEquals(EthernetFlyweight.ETHER_TYPE_IPV4, packet.etherType);
        assertEquals(IpProtocol.TCP, packet.protocol);
        assertEquals(20, packet.l4Offset);
        assertEquals(40000, packet.srcPort);
        assertEquals(443, packet.dstPort);
        assertEquals(0x11223344, packet.tcpSequence);
        assertEquals(0, packet.tcpAcknowledgment);
        assertEquals(TcpFlyweight.FLAG_SYN, packet.tcpFlags);
        assertEquals(64240, packet.tcpWindow);
        assertEquals(40, packet.tcpHeaderLength);
        assertEquals(1460, packet.tcpMss);
        assertEquals(40, packet.tcpMssOptionOffset);
        assertEquals(36, packet.l4ChecksumOffset);
        assertEquals(60, packet.payloadOffset);
        assertEquals(0, packet.payloadLength);
    }

    @Test
    void shouldParseGoldenIpv4WithOptions()
    {
        assertEquals(OK, ip(Hex.bytes(GoldenPackets.IPV4_OPTIONS_UDP)));

        assertEquals(32, packet.l3HeaderLength);
        assertEquals(48, packet.l3Length);
        assertEquals(32, packet.l4Offset);
        assertEquals(5000, packet.srcPort);
        assertEquals(6081, packet.dstPort);
        assertEquals(8, packet.payloadLength);
    }

    @Test
    void shouldParseGoldenIcmpv4Echo()
    {
        assertEquals(OK, ip(Hex.bytes(GoldenPackets.IPV4_ICMP_ECHO)));

        assertEquals(IpProtocol.ICMP, packet.protocol);
        assertEquals(Icmpv4Flyweight.TYPE_ECHO_REQUEST, packet.icmpType);
        assertEquals(0, packet.icmpCode);
        assertEquals(0x1234, packet.icmpIdentifier);
        assertEquals(1, packet.icmpSequence);
        assertEquals(22, packet.l4ChecksumOffset);
        assertEquals(28, packet.payloadOffset);
        assertEquals(8, packet.payloadLength);
        assertFalse(packet.hasQuote());
    }

    @Test
    void shouldLocateQuotedHeaderOfFragmentationNeeded()
    {
        assertEquals(OK, ip(Hex.bytes(GoldenPackets.IPV4_ICMP_FRAG_NEEDED)));

        assertEquals(0xC0, packet.tos);
        assertEquals(255, packet.ttl);
        assertEquals(Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, packet.icmpType);
        assertEquals(Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED, packet.icmpCode);
        assertEquals(1400, packet.icmpMtu);
        assertTrue(packet.hasQuote());
        assertEquals(28, packet.innerL3Offset);
        assertEquals(4, packet.innerIpVersion);
        assertEquals(20, packet.innerL3HeaderLength);
        assertEquals(40, packet.innerSrcAddressOffset);
        assertEquals(44, packet.innerDstAddressOffset);
        assertEquals(IpProtocol.UDP, packet.innerProtocol);
        assertFalse(packet.innerFragment);
        assertEquals(48, packet.innerL4Offset);
        assertEquals(12345, packet.innerSrcPort);
        assertEquals(53, packet.innerDstPort);
    }

    @Test
    void shouldWalkGoldenIpv6ExtensionChain()
    {
        assertEquals(OK, ip(Hex.bytes(GoldenPackets.IPV6_EXT_TCP)));

        assertEquals(EthernetFlyweight.ETHER_TYPE_IPV6, packet.etherType);
        assertEquals(4, packet.extensionHeaderCount);
        assertEquals(72, packet.l3HeaderLength);
        assertEquals(100, packet.l3Length);
        assertFalse(packet.fragment, "an atomic fragment is a whole packet");
        assertEquals(IpProtocol.TCP, packet.protocol);
        assertEquals(72, packet.l4Offset);
        assertEquals(28, packet.l4Length);
        assertEquals(1440, packet.tcpMss);
        assertEquals(92, packet.tcpMssOptionOffset);
        assertEquals(TcpFlyweight.FLAG_SYN, packet.tcpFlags);
    }

    @Test
    void shouldParseGoldenIcmpv6Echo()
    {
        assertEquals(OK, ip(Hex.bytes(GoldenPackets.IPV6_ICMPV6_ECHO)));

        assertEquals(IpProtocol.ICMPV6, packet.protocol);
        assertEquals(Icmpv6Flyweight.TYPE_ECHO_REQUEST, packet.icmpType);
        assertEquals(0x1234, packet.icmpIdentifier);
        assertEquals(1, packet.icmpSequence);
        assertEquals(42, packet.l4ChecksumOffset);
        assertEquals(48, packet.payloadOffset);
        assertEquals(8, packet.payloadLength);
    }

    @Test
    void shouldLocateQuotedHeaderOfPacketTooBig()
    {
        assertEquals(OK, ip(Hex.bytes(GoldenPackets.IPV6_ICMPV6_PTB)));

        assertEquals(Icmpv6Flyweight.TYPE_PACKET_TOO_BIG, packet.icmpType);
        assertEquals(1280, packet.icmpMtu);
        assertEquals(48, packet.innerL3Offset);
        assertEquals(6, packet.innerIpVersion);
        assertEquals(40, packet.innerL3HeaderLength);
        assertEquals(56, packet.innerSrcAddressOffset);
        assertEquals(72, packet.innerDstAddressOffset);
        assertEquals(IpProtocol.TCP, packet.innerProtocol);
        assertEquals(88, packet.innerL4Offset);
        assertEquals(40000, packet.innerSrcPort);
        assertEquals(443, packet.innerDstPort);
    }

    @Test
    void shouldWalkPastAuthenticationHeader()
    {
        assertEquals(OK, ip(Hex.bytes(GoldenPackets.IPV6_AH_UDP)));

        assertEquals(1, packet.extensionHeaderCount);
        assertEquals(IpProtocol.UDP, packet.protocol);
        assertEquals(64, packet.l4Offset);
        assertEquals(12345, packet.srcPort);
    }

    @Test
    void shouldParseRawIpOfEitherVersionExplicitly()
    {
        final byte[] v4 = Hex.bytes(GoldenPackets.IPV4_UDP);
        final byte[] v6 = Hex.bytes(GoldenPackets.IPV6_UDP);

        assertEquals(OK, PacketParser.parseIpv4(new UnsafeBuffer(v4), 0, v4.length, packet));
        assertEquals(4, packet.ipVersion);
        assertEquals(OK, PacketParser.parseIpv6(new UnsafeBuffer(v6), 0, v6.length, packet));
        assertEquals(6, packet.ipVersion);
        assertEquals(IPV6_BAD_VERSION, PacketParser.parseIpv6(new UnsafeBuffer(Arrays.copyOf(v4, 40)), 0, 40, packet));
        assertEquals(IPV4_BAD_VERSION, PacketParser.parseIpv4(new UnsafeBuffer(v6), 0, v6.length, packet));
    }

    @Test
    void shouldAcceptEthernetPaddingAfterIpPacket()
    {
        final byte[] frame = Arrays.copyOf(Hex.bytes(GoldenPackets.ETH_IPV4_UDP), 64);
        Arrays.fill(frame, 50, 64, (byte)0xA5);

        assertEquals(OK, eth(frame));
        assertEquals(36, packet.l3Length);
        assertEquals(16, packet.l4Length);
        assertEquals(8, packet.payloadLength);
    }

    @Test
    void shouldReportAbsoluteOffsetsForFrameInsideLargerBuffer()
    {
        final byte[] frame = Hex.bytes(GoldenPackets.ETH_DOT1Q_IPV4_UDP);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        buffer.putBytes(100, frame);

        assertEquals(OK, PacketParser.parseEthernet(buffer, 100, frame.length, packet));
        assertEquals(100, packet.l2Offset);
        assertEquals(118, packet.l3Offset);
        assertEquals(138, packet.l4Offset);
        assertEquals(146, packet.payloadOffset);
    }

    // Ethernet faults.

    @Test
    void shouldReportTruncatedEthernetHeader()
    {
        assertEquals(ETH_TRUNCATED, eth(Arrays.copyOf(Hex.bytes(GoldenPackets.ETH_IPV4_UDP), 13)));
        assertEquals(ETH_TRUNCATED, eth(new byte[0]));
    }

    @Test
    void shouldReportTruncatedVlanTag()
    {
        final byte[] frame = Hex.bytes(GoldenPackets.ETH_DOT1Q_IPV4_UDP);

        assertEquals(VLAN_TRUNCATED, eth(Arrays.copyOf(frame, 16)));
        assertEquals(VLAN_TRUNCATED, eth(Arrays.copyOf(frame, 17)));
        assertEquals(IPV4_TRUNCATED, eth(Arrays.copyOf(frame, 18)));
    }

    @Test
    void shouldReportTooManyVlanTags()
    {
        final byte[] frame = Hex.bytes(
            "020000000001020000000002" + "88a80001" + "81000002" + "81000003" + "0800" + GoldenPackets.IPV4_UDP);

        assertEquals(VLAN_TOO_MANY_TAGS, eth(frame));
        assertEquals(2, packet.vlanCount);
    }

    @Test
    void shouldReportUnsupportedEtherType()
    {
        assertEquals(ETHERTYPE_UNSUPPORTED, eth(Hex.bytes("ffffffffffff020000000002" + "0806" + "0001080006040001")));
        assertEquals(0x0806, packet.etherType);
        assertEquals(14, packet.l3Offset);

        assertEquals(ETHERTYPE_UNSUPPORTED, eth(Hex.bytes("ffffffffffff020000000002" + "0026" + "4242030000")));
    }

    // IPv4 faults.

    @Test
    void shouldReportTruncatedIpv4Header()
    {
        assertEquals(IPV4_TRUNCATED, ip(Arrays.copyOf(Hex.bytes(GoldenPackets.IPV4_UDP), 19)));
        assertEquals(IPV4_TRUNCATED, ip(new byte[0]));
    }

    @Test
    void shouldReportBadIpv4Version()
    {
        final byte[] bytes = Hex.bytes(GoldenPackets.ETH_IPV4_UDP);
        bytes[14] = 0x55;
        assertEquals(IPV4_BAD_VERSION, eth(bytes));

        bytes[14] = 0x65; // an IPv6 version nibble behind EtherType IPv4
        assertEquals(IPV4_BAD_VERSION, eth(bytes));

        final byte[] raw = Hex.bytes(GoldenPackets.IPV4_UDP);
        raw[0] = 0x15;
        assertEquals(IPV4_BAD_VERSION, ip(raw));
    }

    @Test
    void shouldReportBadIhl()
    {
        final byte[] bytes = Hex.bytes(GoldenPackets.IPV4_UDP);
        bytes[0] = 0x44;
        assertEquals(IPV4_BAD_IHL, ip(bytes));

        bytes[0] = 0x40;
        assertEquals(IPV4_BAD_IHL, ip(bytes));
    }

    @Test
    void shouldReportIhlBeyondCapture()
    {
        final byte[] bytes = Hex.bytes(GoldenPackets.IPV4_UDP);
        bytes[0] = 0x4F; // 60-byte header, 36 bytes captured

        assertEquals(IPV4_TRUNCATED, ip(bytes));
    }

    @Test
    void shouldReportTotalLengthBeyondCapture()
    {
        final UnsafeBuffer bytes = Hex.buffer(GoldenPackets.IPV4_UDP);
        bytes.putShort(2, (short)37, BIG_ENDIAN);
        Ipv4Flyweight.writeHeaderChecksum(bytes, 0);

        assertEquals(IPV4_BAD_TOTAL_LENGTH, PacketParser.parseIp(bytes, 0, 36, packet));
    }

    @Test
    void shouldReportTotalLengthShorterThanHeader()
    {
        final UnsafeBuffer bytes = Hex.buffer(GoldenPackets.IPV4_OPTIONS_UDP);
        bytes.putShort(2, (short)28, BIG_ENDIAN);
        Ipv4Flyweight.writeHeaderChecksum(bytes, 0);

        assertEquals(IPV4_BAD_TOTAL_LENGTH, PacketParser.parseIp(bytes, 0, 48, packet));
    }

    @Test
    void shouldReportIpv4OptionOverrun()
    {
        assertEquals(IPV4_OPTION_OVERRUN, ipv4WithOptions("07000000"));
        assertEquals(IPV4_OPTION_OVERRUN, ipv4WithOptions("07010000"));
        assertEquals(IPV4_OPTION_OVERRUN, ipv4WithOptions("01070500"));
        assertEquals(IPV4_OPTION_OVERRUN, ipv4WithOptions("01010107"));
        assertEquals(OK, ipv4WithOptions("01010100"));
        assertEquals(OK, ipv4WithOptions("94040000")); // router alert
    }

    @Test
    void shouldReportBadIpv4ChecksumUnlessToldNotToCheck()
    {
        final byte[] bytes = Hex.bytes(GoldenPackets.ETH_IPV4_UDP);
        bytes[14 + 8] = 63; // TTL changed, checksum not

        assertEquals(IPV4_BAD_CHECKSUM, eth(bytes));
        assertEquals(OK, PacketParser.parseEthernet(new UnsafeBuffer(bytes), 0, bytes.length, packet, false));
        assertEquals(63, packet.ttl);
        assertEquals(IPV4_BAD_CHECKSUM, ip(Arrays.copyOfRange(bytes, 14, bytes.length)));
        assertEquals(OK, PacketParser.parseIp(new UnsafeBuffer(bytes), 14, bytes.length - 14, packet, false));
    }

    @Test
    void shouldReportIpv4FirstFragment()
    {
        final TestPacketBuilder builder = TestPacketBuilder.udp4();
        builder.identification = 0x7777;
        builder.ipv4FlagsAndFragmentOffset = Ipv4Flyweight.FLAG_MORE_FRAGMENTS;
        builder.payload = new byte[32];

        assertEquals(IPV4_FRAGMENT, eth(builder.build()));
        assertTrue(packet.fragment);
        assertTrue(packet.firstFragment);
        assertTrue(packet.moreFragments);
        assertEquals(0, packet.fragmentOffset);
        assertEquals(0x7777, packet.fragmentId);
        assertEquals(IpProtocol.UDP, packet.protocol);
        assertEquals(34, packet.l4Offset);
        assertEquals(0, packet.srcPort, "ports are not read from fragments");
    }

    @Test
    void shouldReportIpv4LaterFragment()
    {
        final TestPacketBuilder builder = TestPacketBuilder.udp4();
        builder.ipv4FlagsAndFragmentOffset = 185;
        builder.payload = new byte[32];

        assertEquals(IPV4_FRAGMENT, eth(builder.build()));
        assertTrue(packet.fragment);
        assertFalse(packet.firstFragment);
        assertFalse(packet.moreFragments);
        assertEquals(1480, packet.fragmentOffset);
        assertEquals(ParsedPacket.NONE, packet.l4Offset);
        assertEquals(34, packet.payloadOffset);
        assertEquals(40, packet.payloadLength);
    }

    // Transport faults.

    @Test
    void shouldReportUdpLengthMismatch()
    {
        assertEquals(UDP_BAD_LENGTH, udpWithLength(17));
        assertEquals(UDP_BAD_LENGTH, udpWithLength(15));
        assertEquals(UDP_BAD_LENGTH, udpWithLength(7));
        assertEquals(UDP_BAD_LENGTH, udpWithLength(0));
        assertEquals(OK, udpWithLength(16));
    }

    @Test
    void shouldReportTruncatedUdp()
    {
        final UnsafeBuffer bytes = Hex.buffer(GoldenPackets.IPV4_UDP);
        bytes.putShort(2, (short)27, BIG_ENDIAN);
        Ipv4Flyweight.writeHeaderChecksum(bytes, 0);

        assertEquals(UDP_TRUNCATED, PacketParser.parseIp(bytes, 0, 36, packet));
    }

    @Test
    void shouldReportTruncatedTcp()
    {
        final UnsafeBuffer bytes = Hex.buffer(GoldenPackets.IPV4_TCP_SYN);
        bytes.putShort(2, (short)39, BIG_ENDIAN);
        Ipv4Flyweight.writeHeaderChecksum(bytes, 0);

        assertEquals(TCP_TRUNCATED, PacketParser.parseIp(bytes, 0, 60, packet));
    }

    @Test
    void shouldReportBadTcpDataOffset()
    {
        final byte[] bytes = Hex.bytes(GoldenPackets.IPV4_TCP_SYN);
        bytes[20 + 12] = 0x40;
        assertEquals(TCP_BAD_DATA_OFFSET, ip(bytes));

        bytes[20 + 12] = (byte)0xB0; // 44 bytes claimed, 40 in the segment
        assertEquals(TCP_BAD_DATA_OFFSET, ip(bytes));
    }

    @Test
    void shouldReportTcpOptionOverrun()
    {
        assertEquals(TCP_OPTION_OVERRUN, tcpWithOption(20 + 21, 0x00)); // MSS length 0
        assertEquals(TCP_OPTION_OVERRUN, tcpWithOption(20 + 21, 0x01)); // MSS length 1
        assertEquals(TCP_OPTION_OVERRUN, tcpWithOption(20 + 27, 0x0F)); // timestamps running past the header
        assertEquals(TCP_OPTION_OVERRUN, tcpWithOption(20 + 38, 0x04)); // window scale length 4 past the end
        assertEquals(OK, tcpWithOption(20 + 20, TcpFlyweight.OPTION_END)); // end of list first: the rest is padding
        assertEquals(ParsedPacket.NONE, packet.tcpMss);
    }

    @Test
    void shouldIgnoreMssOptionWithWrongLength()
    {
        final byte[] bytes = Hex.bytes(GoldenPackets.IPV4_TCP_SYN);
        bytes[20 + 21] = 3;
        bytes[20 + 23] = 1; // the byte after a 3-byte "MSS": a NOP keeps the list well formed

        assertEquals(OK, ip(bytes));
        assertEquals(ParsedPacket.NONE, packet.tcpMss);
        assertEquals(ParsedPacket.NONE, packet.tcpMssOptionOffset);
    }

    @Test
    void shouldReportTruncatedIcmp()
    {
        final UnsafeBuffer v4 = Hex.buffer(GoldenPackets.IPV4_ICMP_ECHO);
        v4.putShort(2, (short)27, BIG_ENDIAN);
        Ipv4Flyweight.writeHeaderChecksum(v4, 0);
        assertEquals(ICMP_TRUNCATED, PacketParser.parseIp(v4, 0, 36, packet));

        final UnsafeBuffer v6 = Hex.buffer(GoldenPackets.IPV6_ICMPV6_ECHO);
        v6.putShort(4, (short)7, BIG_ENDIAN);
        assertEquals(ICMP_TRUNCATED, PacketParser.parseIp(v6, 0, 56, packet));
    }

    @Test
    void shouldReportTruncatedQuote()
    {
        final byte[] inner = innerUdp4();

        assertEquals(ICMP_QUOTE_TRUNCATED, ip(fragmentationNeeded(Arrays.copyOf(inner, 19))));
        assertEquals(ICMP_QUOTE_TRUNCATED, ip(fragmentationNeeded(Arrays.copyOf(inner, 27))));
        assertEquals(OK, ip(fragmentationNeeded(Arrays.copyOf(inner, 28))));
        assertEquals(OK, ip(fragmentationNeeded(inner)));

        final byte[] withOptions = Arrays.copyOf(inner, 28);
        withOptions[0] = 0x46; // claims 24 header bytes, so only 4 of the UDP header are quoted
        assertEquals(ICMP_QUOTE_TRUNCATED, ip(fragmentationNeeded(withOptions)));
        withOptions[0] = 0x4F;
        assertEquals(ICMP_QUOTE_TRUNCATED, ip(fragmentationNeeded(withOptions)));
    }

    @Test
    void shouldReportMalformedQuote()
    {
        final byte[] inner = Arrays.copyOf(innerUdp4(), 28);
        inner[0] = 0x65;
        assertEquals(ICMP_QUOTE_MALFORMED, ip(fragmentationNeeded(inner)));

        inner[0] = 0x43;
        assertEquals(ICMP_QUOTE_MALFORMED, ip(fragmentationNeeded(inner)));

        final byte[] v4InV6 = Arrays.copyOf(innerUdp4(), 48);
        assertEquals(ICMP_QUOTE_MALFORMED, ip(packetTooBig(v4InV6)));
    }

    @Test
    void shouldReportQuotedLaterFragmentButAcceptQuotedFirstFragment()
    {
        final TestPacketBuilder later = TestPacketBuilder.udp4();
        later.ethernet = false;
        later.ipv4FlagsAndFragmentOffset = 100;
        assertEquals(ICMP_QUOTE_FRAGMENT, ip(fragmentationNeeded(Arrays.copyOf(later.build(), 28))));
        assertTrue(packet.innerFragment);

        final TestPacketBuilder first = TestPacketBuilder.udp4();
        first.ethernet = false;
        first.ipv4FlagsAndFragmentOffset = Ipv4Flyweight.FLAG_MORE_FRAGMENTS;
        assertEquals(OK, ip(fragmentationNeeded(Arrays.copyOf(first.build(), 28))));
        assertTrue(packet.innerFragment);
        assertEquals(12345, packet.innerSrcPort);

        final TestPacketBuilder later6 = TestPacketBuilder.udp6();
        later6.ethernet = false;
        later6.extensionHeaders = new int[]{ IpProtocol.IPV6_FRAGMENT };
        later6.ipv6FragmentOffset = 1448;
        assertEquals(ICMP_QUOTE_FRAGMENT, ip(packetTooBig(later6.build())));

        final TestPacketBuilder first6 = TestPacketBuilder.udp6();
        first6.ethernet = false;
        first6.extensionHeaders = new int[]{ IpProtocol.IPV6_FRAGMENT };
        first6.ipv6MoreFragments = true;
        assertEquals(OK, ip(packetTooBig(first6.build())));
        assertTrue(packet.innerFragment);
        assertEquals(IpProtocol.UDP, packet.innerProtocol);
        assertEquals(48, packet.innerL3HeaderLength);
    }

    @Test
    void shouldReadIdentifierOfQuotedEcho()
    {
        final TestPacketBuilder echo = new TestPacketBuilder();
        echo.ethernet = false;
        echo.protocol = IpProtocol.ICMP;
        echo.icmpRestOfHeader = 0xABCD_0001;
        final TestPacketBuilder error = new TestPacketBuilder();
        error.ethernet = false;
        error.protocol = IpProtocol.ICMP;
        error.icmpType = Icmpv4Flyweight.TYPE_TIME_EXCEEDED;
        error.quote = echo.build();

        assertEquals(OK, ip(error.build()));
        assertEquals(Icmpv4Flyweight.TYPE_TIME_EXCEEDED, packet.icmpType);
        assertEquals(0, packet.icmpMtu);
        assertEquals(IpProtocol.ICMP, packet.innerProtocol);
        assertEquals(Icmpv4Flyweight.TYPE_ECHO_REQUEST, packet.innerIcmpType);
        assertEquals(0xABCD, packet.innerIcmpIdentifier);
    }

    // IPv6 faults.

    @Test
    void shouldReportTruncatedIpv6Header()
    {
        assertEquals(IPV6_TRUNCATED, ip(Arrays.copyOf(Hex.bytes(GoldenPackets.IPV6_UDP), 39)));
        assertEquals(IPV6_TRUNCATED, eth(Arrays.copyOf(Hex.bytes(GoldenPackets.ETH_QINQ_IPV6_UDP), 61)));
    }

    @Test
    void shouldReportBadIpv6Version()
    {
        final byte[] frame = Hex.bytes(GoldenPackets.ETH_QINQ_IPV6_UDP);
        frame[22] = 0x40;

        assertEquals(IPV6_BAD_VERSION, eth(frame));
    }

    @Test
    void shouldReportIpv6PayloadLengthBeyondCapture()
    {
        final UnsafeBuffer bytes = Hex.buffer(GoldenPackets.IPV6_UDP);
        bytes.putShort(4, (short)17, BIG_ENDIAN);

        assertEquals(IPV6_BAD_PAYLOAD_LENGTH, PacketParser.parseIp(bytes, 0, 56, packet));
    }

    @Test
    void shouldReportExtensionHeaderOverrun()
    {
        final byte[] bytes = Hex.bytes(GoldenPackets.IPV6_EXT_TCP);
        bytes[41] = 8; // hop-by-hop claims 72 bytes; 60 are left
        assertEquals(IPV6_EXT_HEADER_OVERRUN, ip(bytes));

        final UnsafeBuffer shortChain = Hex.buffer(GoldenPackets.IPV6_EXT_TCP);
        shortChain.putShort(4, (short)12, BIG_ENDIAN); // 8 + 4 bytes: the second header is cut
        assertEquals(IPV6_EXT_HEADER_OVERRUN, PacketParser.parseIp(shortChain, 0, 100, packet));

        final byte[] ah = Hex.bytes(GoldenPackets.IPV6_AH_UDP);
        ah[41] = 0; // AH of 8 bytes: shorter than its fixed fields
        assertEquals(IPV6_EXT_HEADER_OVERRUN, ip(ah));
    }

    @Test
    void shouldReportTooLongExtensionChain()
    {
        final TestPacketBuilder builder = TestPacketBuilder.udp6();
        builder.extensionHeaders = new int[PacketParser.MAX_IPV6_EXTENSION_HEADERS];
        Arrays.fill(builder.extensionHeaders, IpProtocol.IPV6_DESTINATION_OPTIONS);
        assertEquals(OK, eth(builder.build()));
        assertEquals(PacketParser.MAX_IPV6_EXTENSION_HEADERS, packet.extensionHeaderCount);

        builder.extensionHeaders = new int[PacketParser.MAX_IPV6_EXTENSION_HEADERS + 1];
        Arrays.fill(builder.extensionHeaders, IpProtocol.IPV6_DESTINATION_OPTIONS);
        assertEquals(IPV6_EXT_CHAIN_TOO_LONG, eth(builder.build()));
    }

    @Test
    void shouldReportMisplacedHopByHop()
    {
        final TestPacketBuilder builder = TestPacketBuilder.udp6();
        builder.extensionHeaders = new int[]{ IpProtocol.IPV6_DESTINATION_OPTIONS, IpProtocol.HOP_BY_HOP };

        assertEquals(IPV6_HOP_BY_HOP_MISPLACED, eth(builder.build()));
    }

    @Test
    void shouldReportIpv6FirstAndLaterFragments()
    {
        final TestPacketBuilder builder = TestPacketBuilder.udp6();
        builder.extensionHeaders = new int[]{ IpProtocol.HOP_BY_HOP, IpProtocol.IPV6_FRAGMENT };
        builder.ipv6MoreFragments = true;
        builder.ipv6FragmentId = 0xCAFEBABE;
        builder.payload = new byte[24];

        assertEquals(IPV6_FRAGMENT, eth(builder.build()));
        assertTrue(packet.fragment);
        assertTrue(packet.firstFragment);
        assertTrue(packet.moreFragments);
        assertEquals(0xCAFEBABE, packet.fragmentId);
        assertEquals(IpProtocol.UDP, packet.protocol);
        assertEquals(14 + 56, packet.l4Offset);
        assertEquals(2, packet.extensionHeaderCount);

        builder.ipv6FragmentOffset = 1448;
        builder.ipv6MoreFragments = false;
        assertEquals(IPV6_FRAGMENT, eth(builder.build()));
        assertFalse(packet.firstFragment);
        assertFalse(packet.moreFragments);
        assertEquals(1448, packet.fragmentOffset);
        assertEquals(ParsedPacket.NONE, packet.l4Offset);
        assertEquals(14 + 56, packet.payloadOffset);
    }

    @Test
    void shouldReportUnsupportedTransport()
    {
        final UnsafeBuffer gre = Hex.buffer(GoldenPackets.IPV4_UDP);
        gre.putByte(9, (byte)47);
        Ipv4Flyweight.writeHeaderChecksum(gre, 0);
        assertEquals(L4_PROTOCOL_UNSUPPORTED, PacketParser.parseIp(gre, 0, 36, packet));
        assertEquals(47, packet.protocol);
        assertEquals(20, packet.l4Offset);
        assertEquals(16, packet.l4Length);

        final UnsafeBuffer icmpv6InIpv4 = Hex.buffer(GoldenPackets.IPV4_ICMP_ECHO);
        icmpv6InIpv4.putByte(9, (byte)IpProtocol.ICMPV6);
        Ipv4Flyweight.writeHeaderChecksum(icmpv6InIpv4, 0);
        assertEquals(L4_PROTOCOL_UNSUPPORTED, PacketParser.parseIp(icmpv6InIpv4, 0, 36, packet));

        final byte[] icmpInIpv6 = Hex.bytes(GoldenPackets.IPV6_ICMPV6_ECHO);
        icmpInIpv6[6] = IpProtocol.ICMP;
        assertEquals(L4_PROTOCOL_UNSUPPORTED, ip(icmpInIpv6));

        final byte[] esp = Hex.bytes(GoldenPackets.IPV6_AH_UDP);
        esp[40] = IpProtocol.ESP;
        assertEquals(L4_PROTOCOL_UNSUPPORTED, ip(esp));
        assertEquals(IpProtocol.ESP, packet.protocol);
        assertEquals(64, packet.l4Offset);

        final byte[] noNext = Hex.bytes(GoldenPackets.IPV6_UDP);
        noNext[6] = IpProtocol.IPV6_NO_NEXT_HEADER;
        assertEquals(L4_PROTOCOL_UNSUPPORTED, ip(noNext));
    }

    // Robustness.

    @Test
    void shouldNeverReadPastBufferOrCapture()
    {
        final byte[] bytes = Hex.bytes(GoldenPackets.ETH_IPV4_UDP);
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        assertEquals(IPV4_BAD_TOTAL_LENGTH, PacketParser.parseEthernet(buffer, 0, 40, packet));
        assertEquals(OK, PacketParser.parseEthernet(buffer, 0, 10_000, packet), "capture clamped to capacity");
        assertEquals(ETH_TRUNCATED, PacketParser.parseEthernet(buffer, 0, -1, packet));
        assertEquals(ETH_TRUNCATED, PacketParser.parseEthernet(buffer, -5, 50, packet));
        assertEquals(ETH_TRUNCATED, PacketParser.parseEthernet(buffer, 51, 50, packet));
        assertEquals(ETH_TRUNCATED, PacketParser.parseEthernet(buffer, Integer.MAX_VALUE, 50, packet));
        assertEquals(ETH_TRUNCATED, PacketParser.parseEthernet(buffer, 40, Integer.MAX_VALUE, packet));
        assertEquals(IPV4_TRUNCATED, PacketParser.parseIp(buffer, 50, 1, packet));
        assertEquals(IPV4_TRUNCATED, PacketParser.parseIpv4(buffer, 49, 100, packet));
        assertEquals(IPV6_TRUNCATED, PacketParser.parseIpv6(buffer, 0, 39, packet));
    }

    @Test
    void shouldCloseGatesOfStagesNotReached()
    {
        assertEquals(OK, ip(Hex.bytes(GoldenPackets.IPV4_ICMP_FRAG_NEEDED)));
        assertTrue(packet.hasQuote());

        assertEquals(OK, ip(Hex.bytes(GoldenPackets.IPV4_UDP)));
        assertFalse(packet.hasQuote());
        assertEquals(ParsedPacket.NONE, packet.innerL3Offset);

        final byte[] frame = Hex.bytes(GoldenPackets.ETH_DOT1Q_IPV4_UDP);
        assertEquals(OK, eth(frame));
        assertEquals(IPV4_BAD_TOTAL_LENGTH, eth(Arrays.copyOf(frame, 40)));
        assertEquals(18, packet.l3Offset);
        assertEquals(0, packet.ipVersion);
        assertEquals(ParsedPacket.NONE, packet.l4Offset);
        assertEquals(ParsedPacket.NONE, packet.payloadOffset);

        assertEquals(ETH_TRUNCATED, eth(Arrays.copyOf(frame, 10)));
        assertEquals(ParsedPacket.NONE, packet.l2Offset);
        assertEquals(0, packet.vlanCount);
        assertEquals(ParsedPacket.NONE, packet.l3Offset);

        assertEquals(OK, ip(Hex.bytes(GoldenPackets.IPV6_EXT_TCP)));
        final byte[] overrun = Hex.bytes(GoldenPackets.IPV6_EXT_TCP);
        overrun[41] = 8;
        assertEquals(IPV6_EXT_HEADER_OVERRUN, ip(overrun));
        assertEquals(6, packet.ipVersion);
        assertEquals(ParsedPacket.NONE, packet.protocol);
        assertEquals(ParsedPacket.NONE, packet.l4Offset);
        assertFalse(packet.fragment);
    }

    @Test
    void shouldClearEveryFieldOnReset()
    {
        assertEquals(OK, ip(Hex.bytes(GoldenPackets.IPV6_ICMPV6_PTB)));
        packet.reset();

        final ParsedPacket fresh = new ParsedPacket();
        assertEquals(fresh.toString(), packet.toString());
        assertEquals(ParsedPacket.NONE, packet.innerL4Offset);
        assertEquals(0, packet.icmpMtu);
        assertEquals(ParsedPacket.NONE, packet.tcpMss);
    }

    @Test
    void shouldNotAllocateWhileParsing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
        final UnsafeBuffer[] buffers = {
            Hex.buffer(GoldenPackets.ETH_QINQ_IPV6_UDP),
            Hex.buffer(GoldenPackets.ETH_DOT1Q_IPV4_UDP),
            Hex.buffer(GoldenPackets.IPV4_ICMP_FRAG_NEEDED),
            Hex.buffer(GoldenPackets.IPV6_EXT_TCP),
            Hex.buffer(GoldenPackets.IPV6_ICMPV6_PTB),
        };
        final long threadId = Thread.currentThread().threadId();
        long verdicts = 0;
        for (int i = 0; i < 20_000; i++)
        {
            verdicts += parseAll(buffers);
        }

        final long before = threads.getThreadAllocatedBytes(threadId);
        for (int i = 0; i < 100_000; i++)
        {
            verdicts += parseAll(buffers);
        }
        final long allocated = threads.getThreadAllocatedBytes(threadId) - before;

        assertTrue(allocated < 1024, "allocated " + allocated + " bytes over 500k parses");
        assertTrue(verdicts >= 0);
    }

    private long parseAll(final UnsafeBuffer[] buffers)
    {
        long sum = 0;
        sum += PacketParser.parseEthernet(buffers[0], 0, buffers[0].capacity(), packet).id();
        sum += PacketParser.parseEthernet(buffers[1], 0, buffers[1].capacity(), packet).id();
        sum += PacketParser.parseIp(buffers[2], 0, buffers[2].capacity(), packet).id();
        sum += PacketParser.parseIp(buffers[3], 0, buffers[3].capacity(), packet).id();
        sum += PacketParser.parseIp(buffers[4], 0, buffers[4].capacity(), packet).id();
        return sum + packet.innerSrcPort;
    }

    // Helpers.

    private ParseVerdict eth(final byte[] bytes)
    {
        return PacketParser.parseEthernet(new UnsafeBuffer(bytes), 0, bytes.length, packet);
    }

    private ParseVerdict ip(final byte[] bytes)
    {
        return PacketParser.parseIp(new UnsafeBuffer(bytes), 0, bytes.length, packet);
    }

    private ParseVerdict ipv4WithOptions(final String optionHex)
    {
        final TestPacketBuilder builder = TestPacketBuilder.udp4();
        builder.ethernet = false;
        builder.ipv4Options = Hex.bytes(optionHex);
        return ip(builder.build());
    }

    private ParseVerdict udpWithLength(final int udpLength)
    {
        final byte[] bytes = Hex.bytes(GoldenPackets.IPV4_UDP);
        bytes[24] = (byte)(udpLength >>> 8);
        bytes[25] = (byte)udpLength;
        return ip(bytes);
    }

    private ParseVerdict tcpWithOption(final int index, final int value)
    {
        final byte[] bytes = Hex.bytes(GoldenPackets.IPV4_TCP_SYN);
        bytes[index] = (byte)value;
        return ip(bytes);
    }

    private static byte[] innerUdp4()
    {
        final TestPacketBuilder inner = TestPacketBuilder.udp4();
        inner.ethernet = false;
        inner.payload = new byte[100];
        return inner.build();
    }

    private static byte[] fragmentationNeeded(final byte[] quote)
    {
        final TestPacketBuilder builder = new TestPacketBuilder();
        builder.ethernet = false;
        builder.protocol = IpProtocol.ICMP;
        builder.icmpType = Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE;
        builder.icmpCode = Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED;
        builder.icmpRestOfHeader = 1400;
        builder.quote = quote;
        return builder.build();
    }

    private static byte[] packetTooBig(final byte[] quote)
    {
        final TestPacketBuilder builder = new TestPacketBuilder();
        builder.ethernet = false;
        builder.ipVersion = 6;
        builder.protocol = IpProtocol.ICMPV6;
        builder.icmpType = Icmpv6Flyweight.TYPE_PACKET_TOO_BIG;
        builder.icmpRestOfHeader = 1280;
        builder.quote = quote;
        return builder.build();
    }
}
