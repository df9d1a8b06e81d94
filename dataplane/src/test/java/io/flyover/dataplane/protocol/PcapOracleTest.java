package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.Dot1qVlanTagPacket;
import org.pcap4j.packet.EthernetPacket;
import org.pcap4j.packet.IcmpV4CommonPacket;
import org.pcap4j.packet.IcmpV4DestinationUnreachablePacket;
import org.pcap4j.packet.IcmpV4EchoPacket;
import org.pcap4j.packet.IcmpV6CommonPacket;
import org.pcap4j.packet.IcmpV6EchoReplyPacket;
import org.pcap4j.packet.IcmpV6EchoRequestPacket;
import org.pcap4j.packet.IcmpV6PacketTooBigPacket;
import org.pcap4j.packet.IpV4NoOperationOption;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV4RecordRouteOption;
import org.pcap4j.packet.IpV4Rfc791Tos;
import org.pcap4j.packet.IpV6ExtDestinationOptionsPacket;
import org.pcap4j.packet.IpV6ExtFragmentPacket;
import org.pcap4j.packet.IpV6ExtHopByHopOptionsPacket;
import org.pcap4j.packet.IpV6ExtOptionsPacket;
import org.pcap4j.packet.IpV6ExtRoutingPacket;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.IpV6PadNOption;
import org.pcap4j.packet.IpV6RoutingSourceRouteData;
import org.pcap4j.packet.IpV6SimpleFlowLabel;
import org.pcap4j.packet.IpV6SimpleTrafficClass;
import org.pcap4j.packet.Packet;
import org.pcap4j.packet.TcpMaximumSegmentSizeOption;
import org.pcap4j.packet.TcpNoOperationOption;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.TcpSackPermittedOption;
import org.pcap4j.packet.TcpTimestampsOption;
import org.pcap4j.packet.TcpWindowScaleOption;
import org.pcap4j.packet.UdpPacket;
import org.pcap4j.packet.UnknownPacket;
import org.pcap4j.packet.namednumber.EtherType;
import org.pcap4j.packet.namednumber.IcmpV4Code;
import org.pcap4j.packet.namednumber.IcmpV4Type;
import org.pcap4j.packet.namednumber.IcmpV6Code;
import org.pcap4j.packet.namednumber.IcmpV6Type;
import org.pcap4j.packet.namednumber.IpNumber;
import org.pcap4j.packet.namednumber.IpV4OptionType;
import org.pcap4j.packet.namednumber.IpV6RoutingType;
import org.pcap4j.packet.namednumber.IpVersion;
import org.pcap4j.packet.namednumber.TcpOptionKind;
import org.pcap4j.packet.namednumber.TcpPort;
import org.pcap4j.packet.namednumber.UdpPort;
import org.pcap4j.util.MacAddress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static io.flyover.dataplane.protocol.ParseVerdict.IPV4_FRAGMENT;
import static io.flyover.dataplane.protocol.ParseVerdict.IPV6_FRAGMENT;
import static io.flyover.dataplane.protocol.ParseVerdict.OK;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * pcap4j as an independent oracle, both ways: packets built by Flyover's writers are decoded by pcap4j
 * (static packet factories, so it decodes past L2) and every field and checksum must agree; packets built
 * by pcap4j's builders (checksums and lengths corrected at build) are parsed by Flyover's parser and
 * their checksums verified by Flyover's {@link Checksums}.
 */
class PcapOracleTest
{
    private static final byte[] PAYLOAD = "flyover oracle payload".getBytes(StandardCharsets.US_ASCII);

    private final ParsedPacket parsed = new ParsedPacket();

    // Flyover writes, pcap4j reads.

    @Test
    void shouldDecodeFlyoverVlanIpv4WithOptionsAndUdp() throws Exception
    {
        final TestPacketBuilder builder = TestPacketBuilder.udp4();
        builder.vlanTags = 1;
        builder.outerTci = VlanTagFlyweight.tci(5, true, 100);
        builder.tos = 0xB8;
        builder.ttl = 33;
        builder.identification = 0x1234;
        builder.src4 = 0xC633_6401;
        builder.dst4 = 0xCB00_7109;
        builder.ipv4Options = Hex.bytes("01070b040000000000000000"); // NOP, record route with 2 slots
        builder.srcPort = 40001;
        builder.dstPort = 6081;
        builder.payload = PAYLOAD;
        final byte[] bytes = builder.build();

        final EthernetPacket ethernet = EthernetPacket.newPacket(bytes, 0, bytes.length);
        assertEquals(MacAddress.getByAddress(Hex.bytes("020000000001")), ethernet.getHeader().getDstAddr());
        assertEquals(MacAddress.getByAddress(Hex.bytes("020000000002")), ethernet.getHeader().getSrcAddr());
        assertEquals(EtherType.DOT1Q_VLAN_TAGGED_FRAMES, ethernet.getHeader().getType());

        final Dot1qVlanTagPacket.Dot1qVlanTagHeader tag = ethernet.get(Dot1qVlanTagPacket.class).getHeader();
        assertEquals(5, tag.getPriority());
        assertTrue(tag.getCfi());
        assertEquals(100, tag.getVidAsInt());
        assertEquals(EtherType.IPV4, tag.getType());

        final IpV4Packet ip = ethernet.get(IpV4Packet.class);
        final IpV4Packet.IpV4Header ipHeader = ip.getHeader();
        assertEquals(IpVersion.IPV4, ipHeader.getVersion());
        assertEquals(8, ipHeader.getIhlAsInt());
        assertEquals((byte)0xB8, ipHeader.getTos().value());
        assertEquals(32 + 8 + PAYLOAD.length, ipHeader.getTotalLengthAsInt());
        assertEquals(0x1234, ipHeader.getIdentificationAsInt());
        assertTrue(ipHeader.getDontFragmentFlag());
        assertFalse(ipHeader.getMoreFragmentFlag());
        assertEquals(0, ipHeader.getFragmentOffset());
        assertEquals(33, ipHeader.getTtlAsInt());
        assertEquals(IpNumber.UDP, ipHeader.getProtocol());
        assertEquals(InetAddress.getByName("198.51.100.1"), ipHeader.getSrcAddr());
        assertEquals(InetAddress.getByName("203.0.113.9"), ipHeader.getDstAddr());
        assertTrue(ipHeader.hasValidChecksum(false));
        assertEquals(IpV4OptionType.NO_OPERATION, ipHeader.getOptions().get(0).getType());
        final IpV4RecordRouteOption recordRoute = (IpV4RecordRouteOption)ipHeader.getOptions().get(1);
        assertEquals(11, recordRoute.getLengthAsInt());
        assertEquals(4, recordRoute.getPointerAsInt());

        final UdpPacket udp = ethernet.get(UdpPacket.class);
        assertEquals(40001, udp.getHeader().getSrcPort().valueAsInt());
        assertEquals(6081, udp.getHeader().getDstPort().valueAsInt());
        assertEquals(8 + PAYLOAD.length, udp.getHeader().getLengthAsInt());
        assertEquals(UdpFlyweight.checksum(new UnsafeBuffer(bytes), 18 + 32), udp.getHeader().getChecksum() & 0xFFFF);
        assertTrue(udp.hasValidChecksum(ipHeader.getSrcAddr(), ipHeader.getDstAddr(), false));
        assertArrayEquals(PAYLOAD, udp.getPayload().getRawData());
    }

    @Test
    void shouldDecodeFlyoverDoubleTaggedIpv6Udp() throws Exception
    {
        final TestPacketBuilder builder = TestPacketBuilder.udp6();
        builder.vlanTags = 2; // pcap4j decodes 0x8100 only, so both tags use it here
        builder.outerTci = VlanTagFlyweight.tci(1, false, 2001);
        builder.innerTci = VlanTagFlyweight.tci(7, false, 42);
        builder.payload = PAYLOAD;
        final byte[] bytes = builder.build();

        final EthernetPacket ethernet = EthernetPacket.newPacket(bytes, 0, bytes.length);
        final Dot1qVlanTagPacket outer = ethernet.get(Dot1qVlanTagPacket.class);
        assertEquals(2001, outer.getHeader().getVidAsInt());
        assertEquals(1, outer.getHeader().getPriority());
        final Dot1qVlanTagPacket inner = assertInstanceOf(Dot1qVlanTagPacket.class, outer.getPayload());
        assertEquals(42, inner.getHeader().getVidAsInt());
        assertEquals(7, inner.getHeader().getPriority());
        assertEquals(EtherType.IPV6, inner.getHeader().getType());

        final IpV6Packet ip = ethernet.get(IpV6Packet.class);
        final UdpPacket udp = ethernet.get(UdpPacket.class);
        assertTrue(udp.hasValidChecksum(ip.getHeader().getSrcAddr(), ip.getHeader().getDstAddr(), false));
        assertArrayEquals(PAYLOAD, udp.getPayload().getRawData());
    }

    @Test
    void shouldDecodeFlyoverIpv6ExtensionChainAndTcpOptions() throws Exception
    {
        final TestPacketBuilder builder = TestPacketBuilder.tcp6();
        builder.tos = 0x28;
        builder.flowLabel = 0xABCDE;
        builder.ttl = 17;
        builder.src6High = 0xFD00_0000_0000_0001L;
        builder.src6Low = 0x0000_0000_0000_00AAL;
        builder.extensionHeaders = new int[]{
            IpProtocol.HOP_BY_HOP, IpProtocol.IPV6_DESTINATION_OPTIONS, IpProtocol.IPV6_ROUTING, IpProtocol.IPV6_FRAGMENT };
        builder.extensionHeaderLength = 16;
        builder.ipv6FragmentId = 0x0BADF00D;
        builder.tcpFlags = TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK;
        builder.tcpSequence = 0xDEADBEEF;
        builder.tcpAcknowledgment = 0x01020304;
        builder.tcpWindow = 29200;
        builder.mss = 1380;
        builder.sackPermitted = true;
        builder.timestamps = true;
        builder.windowScale = 9;
        builder.payload = PAYLOAD;
        final byte[] bytes = builder.build();

        final EthernetPacket ethernet = EthernetPacket.newPacket(bytes, 0, bytes.length);
        final IpV6Packet.IpV6Header ip = ethernet.get(IpV6Packet.class).getHeader();
        assertEquals(IpVersion.IPV6, ip.getVersion());
        assertEquals((byte)0x28, ip.getTrafficClass().value());
        assertEquals(0xABCDE, ip.getFlowLabel().value());
        assertEquals(bytes.length - 14 - 40, ip.getPayloadLengthAsInt());
        assertEquals(IpNumber.IPV6_HOPOPT, ip.getNextHeader());
        assertEquals(17, ip.getHopLimitAsInt());
        assertEquals(InetAddress.getByName("fd00::1:0:0:0:aa"), ip.getSrcAddr());
        assertEquals(InetAddress.getByName("2001:db8::2"), ip.getDstAddr());

        final IpV6ExtHopByHopOptionsPacket hopByHop = ethernet.get(IpV6ExtHopByHopOptionsPacket.class);
        assertEquals(IpNumber.IPV6_DST_OPTS, hopByHop.getHeader().getNextHeader());
        assertEquals(1, hopByHop.getHeader().getHdrExtLenAsInt());
        final IpV6ExtDestinationOptionsPacket destination = ethernet.get(IpV6ExtDestinationOptionsPacket.class);
        assertEquals(IpNumber.IPV6_ROUTE, destination.getHeader().getNextHeader());
        final IpV6ExtRoutingPacket routing = ethernet.get(IpV6ExtRoutingPacket.class);
        assertEquals(IpNumber.IPV6_FRAG, routing.getHeader().getNextHeader());
        assertEquals(253, routing.getHeader().getRoutingType().value() & 0xFF);
        assertEquals(0, routing.getHeader().getSegmentsLeftAsInt());
        final IpV6ExtFragmentPacket fragment = ethernet.get(IpV6ExtFragmentPacket.class);
        assertEquals(IpNumber.TCP, fragment.getHeader().getNextHeader());
        assertEquals(0, fragment.getHeader().getFragmentOffset());
        assertFalse(fragment.getHeader().getM());
        assertEquals(0x0BADF00D, fragment.getHeader().getIdentification());

        // pcap4j hands whatever follows a fragment header over as fragment data, atomic or not: decode it.
        final byte[] segment = fragment.getPayload().getRawData();
        final TcpPacket tcp = TcpPacket.newPacket(segment, 0, segment.length);
        final TcpPacket.TcpHeader tcpHeader = tcp.getHeader();
        assertEquals(12345, tcpHeader.getSrcPort().valueAsInt());
        assertEquals(80, tcpHeader.getDstPort().valueAsInt());
        assertEquals(0xDEADBEEF, tcpHeader.getSequenceNumber());
        assertEquals(0x01020304, tcpHeader.getAcknowledgmentNumber());
        assertTrue(tcpHeader.getSyn());
        assertTrue(tcpHeader.getAck());
        assertFalse(tcpHeader.getFin() || tcpHeader.getRst() || tcpHeader.getPsh() || tcpHeader.getUrg());
        assertEquals(29200, tcpHeader.getWindowAsInt());
        assertEquals(builder.tcpHeaderLength / 4, tcpHeader.getDataOffsetAsInt());
        assertTrue(tcp.hasValidChecksum(ip.getSrcAddr(), ip.getDstAddr(), false));
        assertArrayEquals(PAYLOAD, tcp.getPayload().getRawData());

        final List<TcpPacket.TcpOption> options = tcpHeader.getOptions();
        assertEquals(1380, ((TcpMaximumSegmentSizeOption)options.get(0)).getMaxSegSizeAsInt());
        assertEquals(TcpOptionKind.SACK_PERMITTED, options.get(1).getKind());
        assertEquals(0x0102_0304, ((TcpTimestampsOption)options.get(2)).getTsValue());
        assertEquals(TcpOptionKind.NO_OPERATION, options.get(3).getKind());
        assertEquals(9, ((TcpWindowScaleOption)options.get(4)).getShiftCountAsInt());
    }

    @Test
    void shouldDecodeFlyoverFragmentationNeededQuotingInnerPacket() throws Exception
    {
        final TestPacketBuilder inner = TestPacketBuilder.tcp4();
        inner.ethernet = false;
        inner.srcPort = 51515;
        inner.dstPort = 443;
        inner.payload = PAYLOAD;
        final byte[] quote = Arrays.copyOf(inner.build(), 20 + 8);

        final TestPacketBuilder builder = new TestPacketBuilder();
        builder.protocol = IpProtocol.ICMP;
        builder.src4 = 0xC000_0201;
        builder.dst4 = 0x0A00_0001;
        builder.icmpType = Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE;
        builder.icmpCode = Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED;
        builder.icmpRestOfHeader = 1400;
        builder.quote = quote;
        final byte[] bytes = builder.build();

        final EthernetPacket ethernet = EthernetPacket.newPacket(bytes, 0, bytes.length);
        final IcmpV4CommonPacket icmp = ethernet.get(IcmpV4CommonPacket.class);
        assertEquals(IcmpV4Type.DESTINATION_UNREACHABLE, icmp.getHeader().getType());
        assertEquals(IcmpV4Code.FRAGMENTATION_BLOCKED, icmp.getHeader().getCode());
        assertTrue(icmp.hasValidChecksum(false));
        final IcmpV4DestinationUnreachablePacket unreachable = ethernet.get(IcmpV4DestinationUnreachablePacket.class);
        assertEquals(1400, unreachable.getHeader().getUnused() & 0xFFFF);

        final IpV4Packet quoted = assertInstanceOf(IpV4Packet.class, unreachable.getPayload());
        assertEquals(InetAddress.getByName("10.0.0.1"), quoted.getHeader().getSrcAddr());
        assertEquals(InetAddress.getByName("10.0.0.2"), quoted.getHeader().getDstAddr());
        assertEquals(IpNumber.TCP, quoted.getHeader().getProtocol());
        assertTrue(quoted.getHeader().hasValidChecksum(false));
        final byte[] quotedTransport = quoted.getPayload().getRawData();
        assertEquals(51515, ((quotedTransport[0] & 0xFF) << 8) | (quotedTransport[1] & 0xFF));
        assertEquals(443, ((quotedTransport[2] & 0xFF) << 8) | (quotedTransport[3] & 0xFF));

        // And Flyover's parser finds the same quoted header and ports.
        assertEquals(OK, PacketParser.parseEthernet(new UnsafeBuffer(bytes), 0, bytes.length, parsed));
        assertEquals(1400, parsed.icmpMtu);
        assertEquals(51515, parsed.innerSrcPort);
        assertEquals(443, parsed.innerDstPort);
    }

    @Test
    void shouldDecodeFlyoverPacketTooBig() throws Exception
    {
        final TestPacketBuilder inner = TestPacketBuilder.udp6();
        inner.ethernet = false;
        inner.srcPort = 4242;
        inner.dstPort = 53;
        inner.payload = PAYLOAD;
        final byte[] quote = inner.build();

        final TestPacketBuilder builder = new TestPacketBuilder();
        builder.ipVersion = 6;
        builder.protocol = IpProtocol.ICMPV6;
        builder.dst6Low = 1;
        builder.src6Low = 0xFF;
        builder.icmpType = Icmpv6Flyweight.TYPE_PACKET_TOO_BIG;
        builder.icmpRestOfHeader = 1280;
        builder.quote = quote;
        final byte[] bytes = builder.build();

        final EthernetPacket ethernet = EthernetPacket.newPacket(bytes, 0, bytes.length);
        final IpV6Packet outer = ethernet.get(IpV6Packet.class);
        final IcmpV6CommonPacket icmp = ethernet.get(IcmpV6CommonPacket.class);
        assertEquals(IcmpV6Type.PACKET_TOO_BIG, icmp.getHeader().getType());
        assertEquals(IcmpV6Code.NO_CODE, icmp.getHeader().getCode());
        assertTrue(icmp.hasValidChecksum(outer.getHeader().getSrcAddr(), outer.getHeader().getDstAddr(), false));
        final IcmpV6PacketTooBigPacket tooBig = ethernet.get(IcmpV6PacketTooBigPacket.class);
        assertEquals(1280, tooBig.getHeader().getMtu());

        final IpV6Packet quoted = assertInstanceOf(IpV6Packet.class, tooBig.getPayload());
        assertEquals(InetAddress.getByName("2001:db8::2"), quoted.getHeader().getDstAddr());
        final UdpPacket quotedUdp = assertInstanceOf(UdpPacket.class, quoted.getPayload());
        assertEquals(4242, quotedUdp.getHeader().getSrcPort().valueAsInt());
        assertEquals(53, quotedUdp.getHeader().getDstPort().valueAsInt());
        assertTrue(quotedUdp.hasValidChecksum(quoted.getHeader().getSrcAddr(), quoted.getHeader().getDstAddr(), false));
    }

    @Test
    void shouldDecodeFlyoverEchoes() throws Exception
    {
        final TestPacketBuilder v4 = new TestPacketBuilder();
        v4.protocol = IpProtocol.ICMP;
        v4.icmpType = Icmpv4Flyweight.TYPE_ECHO_REQUEST;
        v4.icmpRestOfHeader = 0xBEEF_0007;
        v4.payload = PAYLOAD;
        final byte[] v4Bytes = v4.build();

        final EthernetPacket v4Ethernet = EthernetPacket.newPacket(v4Bytes, 0, v4Bytes.length);
        final IcmpV4CommonPacket icmp = v4Ethernet.get(IcmpV4CommonPacket.class);
        assertEquals(IcmpV4Type.ECHO, icmp.getHeader().getType());
        assertTrue(icmp.hasValidChecksum(false));
        final IcmpV4EchoPacket echo = v4Ethernet.get(IcmpV4EchoPacket.class);
        assertEquals(0xBEEF, echo.getHeader().getIdentifierAsInt());
        assertEquals(7, echo.getHeader().getSequenceNumberAsInt());
        assertArrayEquals(PAYLOAD, echo.getPayload().getRawData());

        final TestPacketBuilder v6 = new TestPacketBuilder();
        v6.ipVersion = 6;
        v6.protocol = IpProtocol.ICMPV6;
        v6.icmpType = Icmpv6Flyweight.TYPE_ECHO_REPLY;
        v6.icmpRestOfHeader = 0x0102_FFFE;
        v6.payload = PAYLOAD;
        final byte[] v6Bytes = v6.build();

        final EthernetPacket v6Ethernet = EthernetPacket.newPacket(v6Bytes, 0, v6Bytes.length);
        final IpV6Packet ip = v6Ethernet.get(IpV6Packet.class);
        final IcmpV6CommonPacket icmp6 = v6Ethernet.get(IcmpV6CommonPacket.class);
        assertEquals(IcmpV6Type.ECHO_REPLY, icmp6.getHeader().getType());
        assertTrue(icmp6.hasValidChecksum(ip.getHeader().getSrcAddr(), ip.getHeader().getDstAddr(), false));
        final IcmpV6EchoReplyPacket reply = v6Ethernet.get(IcmpV6EchoReplyPacket.class);
        assertEquals(0x0102, reply.getHeader().getIdentifierAsInt());
        assertEquals(0xFFFE, reply.getHeader().getSequenceNumberAsInt());
    }

    // pcap4j writes, Flyover reads.

    @Test
    void shouldParsePcap4jVlanIpv4WithOptionsAndUdp() throws Exception
    {
        final Inet4Address src = (Inet4Address)InetAddress.getByName("198.51.100.7");
        final Inet4Address dst = (Inet4Address)InetAddress.getByName("203.0.113.200");
        final UdpPacket.Builder udp = new UdpPacket.Builder()
            .srcPort(UdpPort.getInstance((short)33333))
            .dstPort(UdpPort.getInstance((short)6081))
            .srcAddr(src)
            .dstAddr(dst)
            .payloadBuilder(new UnknownPacket.Builder().rawData(PAYLOAD))
            .correctLengthAtBuild(true)
            .correctChecksumAtBuild(true);
        final IpV4RecordRouteOption recordRoute = new IpV4RecordRouteOption.Builder()
            .pointer((byte)4)
            .routeData(List.of(src))
            .correctLengthAtBuild(true)
            .build();
        final IpV4Packet.Builder ip = new IpV4Packet.Builder()
            .version(IpVersion.IPV4)
            .tos(IpV4Rfc791Tos.newInstance((byte)0x10))
            .identification((short)0xABCD)
            .dontFragmentFlag(true)
            .ttl((byte)200)
            .protocol(IpNumber.UDP)
            .srcAddr(src)
            .dstAddr(dst)
            .options(List.of(IpV4NoOperationOption.getInstance(), recordRoute))
            .paddingAtBuild(true)
            .payloadBuilder(udp)
            .correctLengthAtBuild(true)
            .correctChecksumAtBuild(true);
        final Dot1qVlanTagPacket.Builder tag = new Dot1qVlanTagPacket.Builder()
            .priority((byte)6)
            .cfi(false)
            .vid((short)3000)
            .type(EtherType.IPV4)
            .payloadBuilder(ip);
        final EthernetPacket ethernet = new EthernetPacket.Builder()
            .dstAddr(MacAddress.getByAddress(Hex.bytes("0a0b0c0d0e0f")))
            .srcAddr(MacAddress.getByAddress(Hex.bytes("020304050607")))
            .type(EtherType.DOT1Q_VLAN_TAGGED_FRAMES)
            .payloadBuilder(tag)
            .paddingAtBuild(true)
            .build();
        final byte[] bytes = ethernet.getRawData();
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final IpV4Packet.IpV4Header ipHeader = ethernet.get(IpV4Packet.class).getHeader();

        assertEquals(OK, PacketParser.parseEthernet(buffer, 0, bytes.length, parsed));
        assertEquals(0x0A0B_0C0D_0E0FL, EthernetFlyweight.dstMac(buffer, 0));
        assertEquals(0x0203_0405_0607L, EthernetFlyweight.srcMac(buffer, 0));
        assertEquals(1, parsed.vlanCount);
        assertEquals(3000, parsed.outerVlanId);
        assertEquals(6, parsed.outerVlanTci >>> 13);
        assertEquals(18, parsed.l3Offset);
        assertEquals(ipHeader.getIhlAsInt() * 4, parsed.l3HeaderLength);
        assertEquals(28, parsed.l3HeaderLength);
        assertEquals(ipHeader.getTotalLengthAsInt(), parsed.l3Length);
        assertEquals(0x10, parsed.tos);
        assertEquals(200, parsed.ttl);
        assertTrue(parsed.dontFragment);
        assertEquals(ipHeader.getIdentificationAsInt(), Ipv4Flyweight.identification(buffer, parsed.l3Offset));
        assertEquals(address(src), Ipv4Flyweight.srcAddress(buffer, parsed.l3Offset));
        assertEquals(address(dst), Ipv4Flyweight.dstAddress(buffer, parsed.l3Offset));
        assertEquals(IpProtocol.UDP, parsed.protocol);
        assertEquals(33333, parsed.srcPort);
        assertEquals(6081, parsed.dstPort);
        assertEquals(PAYLOAD.length, parsed.payloadLength);
        assertArrayEquals(PAYLOAD, Arrays.copyOfRange(bytes, parsed.payloadOffset, parsed.payloadOffset + PAYLOAD.length));

        assertTrue(Ipv4Flyweight.isHeaderChecksumValid(buffer, parsed.l3Offset, parsed.l3HeaderLength));
        assertTrue(Checksums.isValid(buffer, parsed.l4Offset, parsed.l4Length,
            Checksums.ipv4PseudoHeaderSum(buffer, parsed.l3Offset, IpProtocol.UDP, parsed.l4Length)));
        assertEquals(ethernet.get(UdpPacket.class).getHeader().getChecksum() & 0xFFFF,
            UdpFlyweight.checksum(buffer, parsed.l4Offset));
    }

    @Test
    void shouldParsePcap4jIpv6ExtensionChainAndTcpOptions() throws Exception
    {
        final Inet6Address src = (Inet6Address)InetAddress.getByName("2001:db8:1::10");
        final Inet6Address dst = (Inet6Address)InetAddress.getByName("2001:db8:2::20");
        final TcpPacket.Builder tcp = new TcpPacket.Builder()
            .srcPort(TcpPort.getInstance((short)50000))
            .dstPort(TcpPort.getInstance((short)443))
            .sequenceNumber(0x0A0B0C0D)
            .acknowledgmentNumber(0)
            .syn(true)
            .window((short)64800)
            .options(List.of(
                new TcpMaximumSegmentSizeOption.Builder().maxSegSize((short)1440).correctLengthAtBuild(true).build(),
                TcpNoOperationOption.getInstance(),
                new TcpWindowScaleOption.Builder().shiftCount((byte)8).correctLengthAtBuild(true).build(),
                TcpSackPermittedOption.getInstance()))
            .paddingAtBuild(true)
            .srcAddr(src)
            .dstAddr(dst)
            .payloadBuilder(new UnknownPacket.Builder().rawData(PAYLOAD))
            .correctLengthAtBuild(true)
            .correctChecksumAtBuild(true);
        final IpV6ExtFragmentPacket.Builder fragment = new IpV6ExtFragmentPacket.Builder()
            .nextHeader(IpNumber.TCP)
            .fragmentOffset((short)0)
            .m(false)
            .identification(0x11111111)
            .payloadBuilder(tcp);
        final IpV6ExtRoutingPacket.Builder routing = new IpV6ExtRoutingPacket.Builder()
            .nextHeader(IpNumber.IPV6_FRAG)
            .routingType(IpV6RoutingType.SOURCE_ROUTE)
            .segmentsLeft((byte)0)
            .data(new IpV6RoutingSourceRouteData(0, List.of(dst)))
            .correctLengthAtBuild(true)
            .payloadBuilder(fragment);
        final IpV6ExtDestinationOptionsPacket.Builder destination = new IpV6ExtDestinationOptionsPacket.Builder()
            .nextHeader(IpNumber.IPV6_ROUTE)
            .hdrExtLen((byte)0)
            .options(List.<IpV6ExtOptionsPacket.IpV6Option>of(padN(4)))
            .payloadBuilder(routing);
        final IpV6ExtHopByHopOptionsPacket.Builder hopByHop = new IpV6ExtHopByHopOptionsPacket.Builder()
            .nextHeader(IpNumber.IPV6_DST_OPTS)
            .hdrExtLen((byte)1)
            .options(List.<IpV6ExtOptionsPacket.IpV6Option>of(padN(12)))
            .payloadBuilder(destination);
        final IpV6Packet ip = new IpV6Packet.Builder()
            .version(IpVersion.IPV6)
            .trafficClass(IpV6SimpleTrafficClass.newInstance((byte)0xE0))
            .flowLabel(IpV6SimpleFlowLabel.newInstance(0x54321))
            .nextHeader(IpNumber.IPV6_HOPOPT)
            .hopLimit((byte)3)
            .srcAddr(src)
            .dstAddr(dst)
            .payloadBuilder(hopByHop)
            .correctLengthAtBuild(true)
            .build();
        final byte[] bytes = ip.getRawData();
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final TcpPacket pcapTcp = ip.get(TcpPacket.class);

        assertEquals(OK, PacketParser.parseIp(buffer, 0, bytes.length, parsed));
        assertEquals(6, parsed.ipVersion);
        assertEquals(0xE0, parsed.tos);
        assertEquals(0x54321, parsed.flowLabel);
        assertEquals(3, parsed.ttl);
        assertEquals(ip.getHeader().getPayloadLengthAsInt() + 40, parsed.l3Length);
        assertEquals(4, parsed.extensionHeaderCount);
        assertEquals(40 + 16 + 8 + 24 + 8, parsed.l3HeaderLength);
        assertArrayEquals(src.getAddress(), Arrays.copyOfRange(bytes, parsed.srcAddressOffset, parsed.srcAddressOffset + 16));
        assertArrayEquals(dst.getAddress(), Arrays.copyOfRange(bytes, parsed.dstAddressOffset, parsed.dstAddressOffset + 16));
        assertEquals(IpProtocol.TCP, parsed.protocol);
        assertEquals(bytes.length - pcapTcp.length(), parsed.l4Offset);
        assertEquals(50000, parsed.srcPort);
        assertEquals(443, parsed.dstPort);
        assertEquals(0x0A0B0C0D, parsed.tcpSequence);
        assertEquals(TcpFlyweight.FLAG_SYN, parsed.tcpFlags);
        assertEquals(64800, parsed.tcpWindow);
        assertEquals(pcapTcp.getHeader().getDataOffsetAsInt() * 4, parsed.tcpHeaderLength);
        assertEquals(1440, parsed.tcpMss);
        assertEquals(8, bytes[TcpFlyweight.findOption(buffer, parsed.l4Offset, parsed.tcpHeaderLength,
            TcpFlyweight.OPTION_WINDOW_SCALE) + 2]);
        assertTrue(TcpFlyweight.findOption(buffer, parsed.l4Offset, parsed.tcpHeaderLength,
            TcpFlyweight.OPTION_SACK_PERMITTED) > 0);
        assertEquals(PAYLOAD.length, parsed.payloadLength);
        assertTrue(Checksums.isValid(buffer, parsed.l4Offset, parsed.l4Length,
            Checksums.ipv6PseudoHeaderSum(buffer, 0, IpProtocol.TCP, parsed.l4Length)));
    }

    @Test
    void shouldParsePcap4jFragmentationNeeded() throws Exception
    {
        final IpV4Packet invoking = ipv4(
            "10.9.8.7", "192.0.2.55", IpNumber.UDP,
            udp4("10.9.8.7", "192.0.2.55", 1111, 2222), (short)0);
        final IcmpV4DestinationUnreachablePacket.Builder unreachable = new IcmpV4DestinationUnreachablePacket.Builder()
            .unused(1280)
            .payload(invoking);
        final IcmpV4CommonPacket.Builder icmp = new IcmpV4CommonPacket.Builder()
            .type(IcmpV4Type.DESTINATION_UNREACHABLE)
            .code(IcmpV4Code.FRAGMENTATION_BLOCKED)
            .payloadBuilder(unreachable)
            .correctChecksumAtBuild(true);
        final IpV4Packet ip = ipv4("192.0.2.1", "10.9.8.7", IpNumber.ICMPV4, icmp, (short)0);
        final byte[] bytes = ip.getRawData();
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        assertEquals(OK, PacketParser.parseIp(buffer, 0, bytes.length, parsed));
        assertEquals(IpProtocol.ICMP, parsed.protocol);
        assertEquals(3, parsed.icmpType);
        assertEquals(4, parsed.icmpCode);
        assertEquals(1280, parsed.icmpMtu);
        assertEquals(28, parsed.innerL3Offset);
        assertEquals(IpProtocol.UDP, parsed.innerProtocol);
        assertEquals(address(invoking.getHeader().getSrcAddr()),
            Ipv4Flyweight.srcAddress(buffer, parsed.innerL3Offset));
        assertEquals(parsed.innerL3Offset + 12, parsed.innerSrcAddressOffset);
        assertEquals(1111, parsed.innerSrcPort);
        assertEquals(2222, parsed.innerDstPort);
        assertTrue(Checksums.isValid(buffer, parsed.l4Offset, parsed.l4Length, 0));
        assertTrue(Ipv4Flyweight.isHeaderChecksumValid(buffer, parsed.innerL3Offset, 20));
    }

    @Test
    void shouldParsePcap4jPacketTooBig() throws Exception
    {
        final Inet6Address router = (Inet6Address)InetAddress.getByName("2001:db8:ff::1");
        final Inet6Address client = (Inet6Address)InetAddress.getByName("2001:db8:1::10");
        final Inet6Address server = (Inet6Address)InetAddress.getByName("2001:db8:2::20");
        final TcpPacket.Builder innerTcp = new TcpPacket.Builder()
            .srcPort(TcpPort.getInstance((short)60000))
            .dstPort(TcpPort.getInstance((short)8443))
            .ack(true)
            .window((short)1000)
            .srcAddr(client)
            .dstAddr(server)
            .payloadBuilder(new UnknownPacket.Builder().rawData(PAYLOAD))
            .correctLengthAtBuild(true)
            .correctChecksumAtBuild(true);
        final IpV6Packet invoking = ipv6(client, server, IpNumber.TCP, innerTcp);
        final IcmpV6PacketTooBigPacket.Builder tooBig = new IcmpV6PacketTooBigPacket.Builder()
            .mtu(1400)
            .payload(invoking);
        final IcmpV6CommonPacket.Builder icmp = new IcmpV6CommonPacket.Builder()
            .type(IcmpV6Type.PACKET_TOO_BIG)
            .code(IcmpV6Code.NO_CODE)
            .srcAddr(router)
            .dstAddr(client)
            .payloadBuilder(tooBig)
            .correctChecksumAtBuild(true);
        final IpV6Packet ip = ipv6(router, client, IpNumber.ICMPV6, icmp);
        final byte[] bytes = ip.getRawData();
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);

        assertEquals(OK, PacketParser.parseIp(buffer, 0, bytes.length, parsed));
        assertEquals(IpProtocol.ICMPV6, parsed.protocol);
        assertEquals(Icmpv6Flyweight.TYPE_PACKET_TOO_BIG, parsed.icmpType);
        assertEquals(1400, parsed.icmpMtu);
        assertEquals(48, parsed.innerL3Offset);
        assertEquals(6, parsed.innerIpVersion);
        assertEquals(IpProtocol.TCP, parsed.innerProtocol);
        assertArrayEquals(client.getAddress(),
            Arrays.copyOfRange(bytes, parsed.innerSrcAddressOffset, parsed.innerSrcAddressOffset + 16));
        assertEquals(60000, parsed.innerSrcPort);
        assertEquals(8443, parsed.innerDstPort);
        assertTrue(Checksums.isValid(buffer, parsed.l4Offset, parsed.l4Length,
            Checksums.ipv6PseudoHeaderSum(buffer, 0, IpProtocol.ICMPV6, parsed.l4Length)));
    }

    @Test
    void shouldParsePcap4jEchoes() throws Exception
    {
        final IcmpV4EchoPacket.Builder echo = new IcmpV4EchoPacket.Builder()
            .identifier((short)0x4321)
            .sequenceNumber((short)99)
            .payloadBuilder(new UnknownPacket.Builder().rawData(PAYLOAD));
        final IcmpV4CommonPacket.Builder icmp = new IcmpV4CommonPacket.Builder()
            .type(IcmpV4Type.ECHO)
            .code(IcmpV4Code.NO_CODE)
            .payloadBuilder(echo)
            .correctChecksumAtBuild(true);
        final byte[] v4 = ipv4("10.0.0.1", "10.0.0.2", IpNumber.ICMPV4, icmp, (short)0).getRawData();
        final UnsafeBuffer v4Buffer = new UnsafeBuffer(v4);

        assertEquals(OK, PacketParser.parseIp(v4Buffer, 0, v4.length, parsed));
        assertEquals(Icmpv4Flyweight.TYPE_ECHO_REQUEST, parsed.icmpType);
        assertEquals(0x4321, parsed.icmpIdentifier);
        assertEquals(99, parsed.icmpSequence);
        assertEquals(PAYLOAD.length, parsed.payloadLength);
        assertTrue(Checksums.isValid(v4Buffer, parsed.l4Offset, parsed.l4Length, 0));

        final Inet6Address src = (Inet6Address)InetAddress.getByName("2001:db8::a");
        final Inet6Address dst = (Inet6Address)InetAddress.getByName("2001:db8::b");
        final IcmpV6EchoRequestPacket.Builder echo6 = new IcmpV6EchoRequestPacket.Builder()
            .identifier((short)7)
            .sequenceNumber((short)0xFFFF)
            .payloadBuilder(new UnknownPacket.Builder().rawData(PAYLOAD));
        final IcmpV6CommonPacket.Builder icmp6 = new IcmpV6CommonPacket.Builder()
            .type(IcmpV6Type.ECHO_REQUEST)
            .code(IcmpV6Code.NO_CODE)
            .srcAddr(src)
            .dstAddr(dst)
            .payloadBuilder(echo6)
            .correctChecksumAtBuild(true);
        final byte[] v6 = ipv6(src, dst, IpNumber.ICMPV6, icmp6).getRawData();
        final UnsafeBuffer v6Buffer = new UnsafeBuffer(v6);

        assertEquals(OK, PacketParser.parseIp(v6Buffer, 0, v6.length, parsed));
        assertEquals(Icmpv6Flyweight.TYPE_ECHO_REQUEST, parsed.icmpType);
        assertEquals(7, parsed.icmpIdentifier);
        assertEquals(0xFFFF, parsed.icmpSequence);
        assertTrue(Checksums.isValid(v6Buffer, parsed.l4Offset, parsed.l4Length,
            Checksums.ipv6PseudoHeaderSum(v6Buffer, 0, IpProtocol.ICMPV6, parsed.l4Length)));
    }

    @Test
    void shouldReportPcap4jFragments() throws Exception
    {
        final IpV4Packet first = new IpV4Packet.Builder(ipv4("10.0.0.1", "10.0.0.2", IpNumber.UDP,
            udp4("10.0.0.1", "10.0.0.2", 1, 2), (short)0x0102))
            .dontFragmentFlag(false)
            .moreFragmentFlag(true)
            .correctChecksumAtBuild(true)
            .build();
        final byte[] firstBytes = first.getRawData();
        assertEquals(IPV4_FRAGMENT, PacketParser.parseIp(new UnsafeBuffer(firstBytes), 0, firstBytes.length, parsed));
        assertTrue(parsed.firstFragment);
        assertEquals(0x0102, parsed.fragmentId);

        final IpV4Packet later = new IpV4Packet.Builder(first)
            .moreFragmentFlag(false)
            .fragmentOffset((short)185)
            .correctChecksumAtBuild(true)
            .build();
        final byte[] laterBytes = later.getRawData();
        assertEquals(IPV4_FRAGMENT, PacketParser.parseIp(new UnsafeBuffer(laterBytes), 0, laterBytes.length, parsed));
        assertFalse(parsed.firstFragment);
        assertEquals(185 * 8, parsed.fragmentOffset);

        final Inet6Address src = (Inet6Address)InetAddress.getByName("2001:db8::1");
        final Inet6Address dst = (Inet6Address)InetAddress.getByName("2001:db8::2");
        final IpV6ExtFragmentPacket.Builder fragment = new IpV6ExtFragmentPacket.Builder()
            .nextHeader(IpNumber.UDP)
            .fragmentOffset((short)181)
            .m(true)
            .identification(0x77777777)
            .payloadBuilder(new UnknownPacket.Builder().rawData(PAYLOAD));
        final byte[] v6 = ipv6(src, dst, IpNumber.IPV6_FRAG, fragment).getRawData();
        assertEquals(IPV6_FRAGMENT, PacketParser.parseIp(new UnsafeBuffer(v6), 0, v6.length, parsed));
        assertFalse(parsed.firstFragment);
        assertTrue(parsed.moreFragments);
        assertEquals(181 * 8, parsed.fragmentOffset);
        assertEquals(0x77777777, parsed.fragmentId);
        assertEquals(IpProtocol.UDP, parsed.protocol);
    }

    // Helpers.

    private static IpV6PadNOption padN(final int dataLength)
    {
        return new IpV6PadNOption.Builder().data(new byte[dataLength]).correctLengthAtBuild(true).build();
    }

    private static int address(final Inet4Address address)
    {
        final byte[] bytes = address.getAddress();
        return ((bytes[0] & 0xFF) << 24) | ((bytes[1] & 0xFF) << 16) | ((bytes[2] & 0xFF) << 8) | (bytes[3] & 0xFF);
    }

    private static UdpPacket.Builder udp4(final String src, final String dst, final int srcPort, final int dstPort)
        throws Exception
    {
        return new UdpPacket.Builder()
            .srcPort(UdpPort.getInstance((short)srcPort))
            .dstPort(UdpPort.getInstance((short)dstPort))
            .srcAddr(InetAddress.getByName(src))
            .dstAddr(InetAddress.getByName(dst))
            .payloadBuilder(new UnknownPacket.Builder().rawData(PAYLOAD))
            .correctLengthAtBuild(true)
            .correctChecksumAtBuild(true);
    }

    private static IpV4Packet ipv4(
        final String src, final String dst, final IpNumber protocol, final Packet.Builder payload, final short id)
        throws Exception
    {
        return new IpV4Packet.Builder()
            .version(IpVersion.IPV4)
            .tos(IpV4Rfc791Tos.newInstance((byte)0))
            .identification(id)
            .ttl((byte)64)
            .protocol(protocol)
            .srcAddr((Inet4Address)InetAddress.getByName(src))
            .dstAddr((Inet4Address)InetAddress.getByName(dst))
            .payloadBuilder(payload)
            .correctLengthAtBuild(true)
            .correctChecksumAtBuild(true)
            .build();
    }

    private static IpV6Packet ipv6(
        final Inet6Address src, final Inet6Address dst, final IpNumber nextHeader, final Packet.Builder payload)
    {
        final IpV6Packet packet = new IpV6Packet.Builder()
            .version(IpVersion.IPV6)
            .trafficClass(IpV6SimpleTrafficClass.newInstance((byte)0))
            .flowLabel(IpV6SimpleFlowLabel.newInstance(0))
            .nextHeader(nextHeader)
            .hopLimit((byte)64)
            .srcAddr(src)
            .dstAddr(dst)
            .payloadBuilder(payload)
            .correctLengthAtBuild(true)
            .build();
        assertNotNull(packet.getPayload());
        return packet;
    }
}
