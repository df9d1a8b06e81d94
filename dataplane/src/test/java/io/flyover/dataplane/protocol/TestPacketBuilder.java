package io.flyover.dataplane.protocol;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Builds whole test packets with Flyover's own writers: Ethernet (0 to 2 tags) or none, IPv4 (with
 * options) or IPv6 (with extension headers), then UDP, TCP (with options), ICMP or ICMPv6 (echo, or an
 * error quoting another packet). Lengths and checksums are filled in by the writers.
 * Mutable fields, set what differs from the defaults, then {@link #build()}.
 */
final class TestPacketBuilder
{
    boolean ethernet = true;
    long dstMac = 0x0200_0000_0001L;
    long srcMac = 0x0200_0000_0002L;
    int vlanTags = 0;
    int outerTpid = EthernetFlyweight.TPID_8021Q;
    int outerTci = 0;
    int innerTpid = EthernetFlyweight.TPID_8021Q;
    int innerTci = 0;

    int ipVersion = 4;
    int tos = 0;
    int ttl = 64;
    int identification = 0;
    int ipv4FlagsAndFragmentOffset = Ipv4Flyweight.FLAG_DONT_FRAGMENT;
    int src4 = 0x0A00_0001;
    int dst4 = 0x0A00_0002;
    byte[] ipv4Options = new byte[0];
    long src6High = 0x2001_0DB8_0000_0000L;
    long src6Low = 1;
    long dst6High = 0x2001_0DB8_0000_0000L;
    long dst6Low = 2;
    int flowLabel = 0;
    int[] extensionHeaders = new int[0];
    int extensionHeaderLength = 8;
    int ipv6FragmentOffset = 0;
    boolean ipv6MoreFragments = false;
    int ipv6FragmentId = 0;

    int protocol = IpProtocol.UDP;
    int srcPort = 12345;
    int dstPort = 80;
    int tcpSequence = 0;
    int tcpAcknowledgment = 0;
    int tcpFlags = TcpFlyweight.FLAG_SYN;
    int tcpWindow = 65535;
    boolean tcpLeadingNop = false;
    int mss = -1;
    boolean sackPermitted = false;
    boolean timestamps = false;
    int windowScale = -1;
    int icmpType = Icmpv4Flyweight.TYPE_ECHO_REQUEST;
    int icmpCode = 0;
    int icmpRestOfHeader = 0;
    byte[] quote = null;
    byte[] payload = new byte[0];
    int ethernetPadding = 0;

    // Where things went in the last build, relative to the start.
    int l3Offset;
    int l4Offset;
    int payloadOffset;
    int l3End;
    int tcpHeaderLength;

    /**
     * @param type an extension header type in {@link #extensionHeaders}.
     * @return its length in bytes as built.
     */
    int extensionHeaderBytes(final int type)
    {
        return switch (type)
        {
            case IpProtocol.IPV6_FRAGMENT -> Ipv6FragmentHeaderFlyweight.HEADER_LENGTH;
            case IpProtocol.AH -> AuthenticationHeaderFlyweight.MIN_HEADER_LENGTH + ahIcvLength();
            default -> extensionHeaderLength;
        };
    }

    private int ahIcvLength()
    {
        return Math.max(4, extensionHeaderLength - AuthenticationHeaderFlyweight.MIN_HEADER_LENGTH);
    }

    static TestPacketBuilder udp4()
    {
        return new TestPacketBuilder();
    }

    static TestPacketBuilder tcp4()
    {
        final TestPacketBuilder builder = new TestPacketBuilder();
        builder.protocol = IpProtocol.TCP;
        return builder;
    }

    static TestPacketBuilder udp6()
    {
        final TestPacketBuilder builder = new TestPacketBuilder();
        builder.ipVersion = 6;
        return builder;
    }

    static TestPacketBuilder tcp6()
    {
        final TestPacketBuilder builder = udp6();
        builder.protocol = IpProtocol.TCP;
        return builder;
    }

    byte[] build()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[4096]);
        final int length = build(buffer, 0);
        final byte[] bytes = new byte[length];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    int build(final MutableDirectBuffer buffer, final int offset)
    {
        int index = offset;
        if (ethernet)
        {
            final int etherType = 4 == ipVersion ? EthernetFlyweight.ETHER_TYPE_IPV4 : EthernetFlyweight.ETHER_TYPE_IPV6;
            index += switch (vlanTags)
            {
                case 0 -> EthernetFlyweight.writeHeader(buffer, index, dstMac, srcMac, etherType);
                case 1 -> EthernetFlyweight.writeHeader(buffer, index, dstMac, srcMac, outerTpid, outerTci, etherType);
                default -> EthernetFlyweight.writeHeader(
                    buffer, index, dstMac, srcMac, outerTpid, outerTci, innerTpid, innerTci, etherType);
            };
        }

        final int l3 = index;
        l3Offset = l3 - offset;
        int firstNextHeader = protocol;
        if (4 == ipVersion)
        {
            index += Ipv4Flyweight.MIN_HEADER_LENGTH + ((ipv4Options.length + 3) & ~3);
        }
        else
        {
            index += Ipv6Flyweight.HEADER_LENGTH;
            for (int i = 0; i < extensionHeaders.length; i++)
            {
                final int type = extensionHeaders[i];
                final int next = i + 1 < extensionHeaders.length ? extensionHeaders[i + 1] : protocol;
                index += switch (type)
                {
                    case IpProtocol.IPV6_FRAGMENT -> Ipv6FragmentHeaderFlyweight.writeHeader(
                        buffer, index, next, ipv6FragmentOffset, ipv6MoreFragments, ipv6FragmentId);
                    case IpProtocol.IPV6_ROUTING -> Ipv6ExtensionHeaderFlyweight.writeRoutingHeader(
                        buffer, index, next, 253, 0, extensionHeaderLength);
                    case IpProtocol.AH -> AuthenticationHeaderFlyweight.writeHeader(
                        buffer, index, next, ahIcvLength(), 0x100, 1);
                    default -> Ipv6ExtensionHeaderFlyweight.writeOptionsHeader(
                        buffer, index, next, extensionHeaderLength);
                };
            }
            if (extensionHeaders.length > 0)
            {
                firstNextHeader = extensionHeaders[0];
            }
        }

        final int l4 = index;
        l4Offset = l4 - offset;
        switch (protocol)
        {
            case IpProtocol.UDP ->
            {
                index += UdpFlyweight.writeHeader(buffer, l4, srcPort, dstPort, UdpFlyweight.HEADER_LENGTH + payload.length);
                payloadOffset = index - offset;
                buffer.putBytes(index, payload);
                index += payload.length;
            }
            case IpProtocol.TCP ->
            {
                int option = l4 + TcpFlyweight.MIN_HEADER_LENGTH;
                if (tcpLeadingNop)
                {
                    option += TcpFlyweight.writeNopOption(buffer, option);
                }
                if (mss >= 0)
                {
                    option += TcpFlyweight.writeMssOption(buffer, option, mss);
                }
                if (sackPermitted)
                {
                    option += TcpFlyweight.writeSackPermittedOption(buffer, option);
                }
                if (timestamps)
                {
                    option += TcpFlyweight.writeTimestampsOption(buffer, option, 0x0102_0304, 0);
                }
                if (windowScale >= 0)
                {
                    option += TcpFlyweight.writeNopOption(buffer, option);
                    option += TcpFlyweight.writeWindowScaleOption(buffer, option, windowScale);
                }
                final int headerLength = (option - l4 + 3) & ~3;
                TcpFlyweight.writeEndOfOptions(buffer, option, l4 + headerLength);
                tcpHeaderLength = headerLength;
                TcpFlyweight.writeHeader(buffer, l4, srcPort, dstPort, tcpSequence, tcpAcknowledgment, headerLength,
                    tcpFlags, tcpWindow, 0);
                index += headerLength;
                payloadOffset = index - offset;
                buffer.putBytes(index, payload);
                index += payload.length;
            }
            default ->
            {
                index += Icmpv4Flyweight.writeHeader(buffer, l4, icmpType, icmpCode, icmpRestOfHeader);
                payloadOffset = index - offset;
                final byte[] data = null != quote ? quote : payload;
                buffer.putBytes(index, data);
                index += data.length;
            }
        }

        final int l4Length = index - l4;
        l3End = index - offset;
        if (4 == ipVersion)
        {
            Ipv4Flyweight.writeHeader(buffer, l3, tos, index - l3, identification, ipv4FlagsAndFragmentOffset, ttl,
                protocol, src4, dst4, new UnsafeBuffer(ipv4Options), 0, ipv4Options.length);
        }
        else
        {
            Ipv6Flyweight.writeHeader(buffer, l3, tos, flowLabel, index - l3 - Ipv6Flyweight.HEADER_LENGTH,
                firstNextHeader, ttl, src6High, src6Low, dst6High, dst6Low);
        }

        switch (protocol)
        {
            case IpProtocol.UDP ->
            {
                if (4 == ipVersion)
                {
                    UdpFlyweight.writeChecksumIpv4(buffer, l3, l4);
                }
                else
                {
                    UdpFlyweight.writeChecksumIpv6(buffer, l3, l4);
                }
            }
            case IpProtocol.TCP ->
            {
                if (4 == ipVersion)
                {
                    TcpFlyweight.writeChecksumIpv4(buffer, l3, l4, l4Length);
                }
                else
                {
                    TcpFlyweight.writeChecksumIpv6(buffer, l3, l4, l4Length);
                }
            }
            case IpProtocol.ICMPV6 -> Icmpv6Flyweight.writeChecksum(buffer, l3, l4, l4Length);
            default -> Icmpv4Flyweight.writeChecksum(buffer, l4, l4Length);
        }

        buffer.setMemory(index, ethernetPadding, (byte)0);
        index += ethernetPadding;
        return index - offset;
    }
}
