package io.flyover.dataplane.protocol;

import org.agrona.DirectBuffer;

import static io.flyover.dataplane.protocol.ParseVerdict.*;
import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Parses a whole packet, Ethernet frame or raw IP packet, into a reusable {@link ParsedPacket} and
 * returns a {@link ParseVerdict} naming the first fault, or {@link ParseVerdict#OK}.
 * <p>
 * The walk, top to bottom: Ethernet, up to two VLAN tags, IPv4 (options checked, header checksum
 * verified unless told not to) or IPv6 (extension headers walked, at most
 * {@link #MAX_IPV6_EXTENSION_HEADERS}), then UDP, TCP (options checked, MSS found), ICMP or ICMPv6
 * (echo fields, MTU of fragmentation-needed / packet-too-big, and the quoted packet of an error with its
 * ports). Fragments stop the walk with {@link ParseVerdict#IPV4_FRAGMENT} or
 * {@link ParseVerdict#IPV6_FRAGMENT}; an IPv6 atomic fragment (offset 0, M clear) is a whole packet and
 * is parsed through.
 * <p>
 * Every read is checked against the captured length first: a short capture or a lying length field is a
 * verdict, never an exception, and nothing past {@code offset + capturedLength} (or the buffer's
 * capacity) is read. Bytes after the IP packet's own length (Ethernet padding) are allowed and ignored;
 * after that, each layer is bounded by the IP packet's end. A UDP length must match the IP payload
 * exactly.
 * <p>
 * L4 checksums are not verified here (they cover the payload; see {@link Checksums}). IPv6 jumbograms
 * (payload length 0 with a jumbo payload option) are not supported and fail the extension header walk.
 * <p>
 * The {@link ParsedPacket} is not cleared: each parse writes its gate fields and every field of each stage
 * it reaches, see {@link ParsedPacket} for which fields are valid when.
 * <p>
 * Stateless: any thread, each with its own {@link ParsedPacket}. Allocates nothing.
 */
public final class PacketParser
{
    /**
     * Most IPv6 extension headers walked before giving up with
     * {@link ParseVerdict#IPV6_EXT_CHAIN_TOO_LONG}. RFC 8200's recommended order has at most 7 (with ESP).
     */
    public static final int MAX_IPV6_EXTENSION_HEADERS = 8;

    private static final int CHAIN_OVERRUN = -1;
    private static final int CHAIN_TOO_LONG = -2;
    private static final int CHAIN_HOP_BY_HOP_MISPLACED = -3;
    private static final int CHAIN_LATER_FRAGMENT = -4;

    private PacketParser()
    {
    }

    /**
     * Parse an Ethernet frame, verifying the IPv4 header checksum.
     *
     * @param buffer         holding the frame.
     * @param offset         of the frame's first byte.
     * @param capturedLength bytes of the frame present in the buffer.
     * @param packet         filled with what was found (see {@link ParsedPacket} for what is valid when).
     * @return the verdict.
     */
    public static ParseVerdict parseEthernet(
        final DirectBuffer buffer, final int offset, final int capturedLength, final ParsedPacket packet)
    {
        return parseEthernet(buffer, offset, capturedLength, packet, true);
    }

    /**
     * Parse an Ethernet frame.
     *
     * @param buffer             holding the frame.
     * @param offset             of the frame's first byte.
     * @param capturedLength     bytes of the frame present in the buffer.
     * @param packet             filled with what was found (see {@link ParsedPacket} for what is valid when).
     * @param verifyIpv4Checksum false to skip the IPv4 header checksum (e.g. the NIC checked it).
     * @return the verdict.
     */
    public static ParseVerdict parseEthernet(
        final DirectBuffer buffer,
        final int offset,
        final int capturedLength,
        final ParsedPacket packet,
        final boolean verifyIpv4Checksum)
    {
        begin(packet, ParsedPacket.NONE, 0);
        final int end = limit(buffer, offset, capturedLength);
        if (end - offset < EthernetFlyweight.HEADER_LENGTH)
        {
            return ETH_TRUNCATED;
        }

        packet.l2Offset = offset;
        int typeIndex = offset + EthernetFlyweight.ETHER_TYPE_OFFSET;
        int etherType = buffer.getShort(typeIndex, BIG_ENDIAN) & 0xFFFF;

        while (EthernetFlyweight.isVlanTpid(etherType))
        {
            final int tags = packet.vlanCount;
            if (EthernetFlyweight.MAX_VLAN_TAGS == tags)
            {
                return VLAN_TOO_MANY_TAGS;
            }

            if (end - typeIndex < VlanTagFlyweight.TAG_LENGTH + 2)
            {
                return VLAN_TRUNCATED;
            }

            final int tci = buffer.getShort(typeIndex + VlanTagFlyweight.TCI_OFFSET, BIG_ENDIAN) & 0xFFFF;
            if (0 == tags)
            {
                packet.outerVlanTpid = etherType;
                packet.outerVlanTci = tci;
                packet.outerVlanId = tci & VlanTagFlyweight.VLAN_ID_MASK;
            }
            else
            {
                packet.innerVlanTpid = etherType;
                packet.innerVlanTci = tci;
                packet.innerVlanId = tci & VlanTagFlyweight.VLAN_ID_MASK;
            }
            packet.vlanCount = tags + 1;

            typeIndex += VlanTagFlyweight.TAG_LENGTH;
            etherType = buffer.getShort(typeIndex, BIG_ENDIAN) & 0xFFFF;
        }

        packet.etherType = etherType;
        final int l3Offset = typeIndex + 2;

        if (EthernetFlyweight.ETHER_TYPE_IPV4 == etherType)
        {
            return ipv4(buffer, l3Offset, end, packet, verifyIpv4Checksum);
        }

        if (EthernetFlyweight.ETHER_TYPE_IPV6 == etherType)
        {
            return ipv6(buffer, l3Offset, end, packet);
        }

        packet.l3Offset = l3Offset;
        return ETHERTYPE_UNSUPPORTED;
    }

    /**
     * Parse a raw IP packet (no Ethernet header, e.g. a Geneve inner packet or a TUN read), choosing
     * IPv4 or IPv6 by the version nibble, verifying the IPv4 header checksum.
     *
     * @param buffer         holding the packet.
     * @param offset         of the IP header.
     * @param capturedLength bytes of the packet present in the buffer.
     * @param packet         filled with what was found (see {@link ParsedPacket} for what is valid when).
     * @return the verdict; a packet whose version is neither 4 nor 6 is checked as IPv4 (so
     * {@link ParseVerdict#IPV4_BAD_VERSION}, or {@link ParseVerdict#IPV4_TRUNCATED} if shorter than 20 bytes).
     */
    public static ParseVerdict parseIp(
        final DirectBuffer buffer, final int offset, final int capturedLength, final ParsedPacket packet)
    {
        return parseIp(buffer, offset, capturedLength, packet, true);
    }

    /**
     * Parse a raw IP packet, choosing IPv4 or IPv6 by the version nibble.
     *
     * @param buffer             holding the packet.
     * @param offset             of the IP header.
     * @param capturedLength     bytes of the packet present in the buffer.
     * @param packet             filled with what was found (see {@link ParsedPacket} for what is valid when).
     * @param verifyIpv4Checksum false to skip the IPv4 header checksum.
     * @return the verdict; a packet whose version is neither 4 nor 6 is checked as IPv4 (so
     * {@link ParseVerdict#IPV4_BAD_VERSION}, or {@link ParseVerdict#IPV4_TRUNCATED} if shorter than 20 bytes).
     */
    public static ParseVerdict parseIp(
        final DirectBuffer buffer,
        final int offset,
        final int capturedLength,
        final ParsedPacket packet,
        final boolean verifyIpv4Checksum)
    {
        final int end = limit(buffer, offset, capturedLength);
        if (end - offset < 1)
        {
            begin(packet, ParsedPacket.NONE, EthernetFlyweight.ETHER_TYPE_IPV4);
            return IPV4_TRUNCATED;
        }

        final int version = (buffer.getByte(offset) & 0xFF) >>> 4;
        if (Ipv6Flyweight.VERSION == version)
        {
            begin(packet, ParsedPacket.NONE, EthernetFlyweight.ETHER_TYPE_IPV6);
            return ipv6(buffer, offset, end, packet);
        }

        begin(packet, ParsedPacket.NONE, EthernetFlyweight.ETHER_TYPE_IPV4);
        return ipv4(buffer, offset, end, packet, verifyIpv4Checksum);
    }

    /**
     * Parse a raw IPv4 packet, verifying its header checksum.
     *
     * @param buffer         holding the packet.
     * @param offset         of the IPv4 header.
     * @param capturedLength bytes of the packet present in the buffer.
     * @param packet         filled with what was found (see {@link ParsedPacket} for what is valid when).
     * @return the verdict.
     */
    public static ParseVerdict parseIpv4(
        final DirectBuffer buffer, final int offset, final int capturedLength, final ParsedPacket packet)
    {
        begin(packet, ParsedPacket.NONE, EthernetFlyweight.ETHER_TYPE_IPV4);
        return ipv4(buffer, offset, limit(buffer, offset, capturedLength), packet, true);
    }

    /**
     * Parse a raw IPv6 packet.
     *
     * @param buffer         holding the packet.
     * @param offset         of the IPv6 header.
     * @param capturedLength bytes of the packet present in the buffer.
     * @param packet         filled with what was found (see {@link ParsedPacket} for what is valid when).
     * @return the verdict.
     */
    public static ParseVerdict parseIpv6(
        final DirectBuffer buffer, final int offset, final int capturedLength, final ParsedPacket packet)
    {
        begin(packet, ParsedPacket.NONE, EthernetFlyweight.ETHER_TYPE_IPV6);
        return ipv6(buffer, offset, limit(buffer, offset, capturedLength), packet);
    }

    /**
     * Write the gate fields: what every parse must overwrite so that no earlier packet's stage shows.
     */
    private static void begin(final ParsedPacket packet, final int l2Offset, final int etherType)
    {
        packet.l2Offset = l2Offset;
        packet.vlanCount = 0;
        packet.etherType = etherType;
        packet.l3Offset = ParsedPacket.NONE;
        packet.ipVersion = 0;
        packet.fragment = false;
        packet.l4Offset = ParsedPacket.NONE;
        packet.payloadOffset = ParsedPacket.NONE;
        packet.innerL3Offset = ParsedPacket.NONE;
    }

    /**
     * The end index of the readable bytes: offset plus the captured length, clamped to the buffer.
     */
    private static int limit(final DirectBuffer buffer, final int offset, final int capturedLength)
    {
        final int capacity = buffer.capacity();
        if (offset < 0 || offset > capacity || capturedLength <= 0)
        {
            return offset;
        }

        return offset + Math.min(capturedLength, capacity - offset);
    }

    private static ParseVerdict ipv4(
        final DirectBuffer buffer, final int l3Offset, final int end, final ParsedPacket packet, final boolean verify)
    {
        packet.l3Offset = l3Offset;
        final int available = end - l3Offset;
        if (available < Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            return IPV4_TRUNCATED;
        }

        final int versionIhl = buffer.getByte(l3Offset) & 0xFF;
        if (Ipv4Flyweight.VERSION != versionIhl >>> 4)
        {
            return IPV4_BAD_VERSION;
        }

        final int headerLength = (versionIhl & 0xF) << 2;
        if (headerLength < Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            return IPV4_BAD_IHL;
        }

        if (headerLength > available)
        {
            return IPV4_TRUNCATED;
        }

        final int totalLength = buffer.getShort(l3Offset + Ipv4Flyweight.TOTAL_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
        if (totalLength < headerLength || totalLength > available)
        {
            return IPV4_BAD_TOTAL_LENGTH;
        }

        if (headerLength > Ipv4Flyweight.MIN_HEADER_LENGTH &&
            !Ipv4Flyweight.isOptionsValid(buffer, l3Offset, headerLength))
        {
            return IPV4_OPTION_OVERRUN;
        }

        if (verify && !Checksums.isValid(buffer, l3Offset, headerLength, 0))
        {
            return IPV4_BAD_CHECKSUM;
        }

        final int protocol = buffer.getByte(l3Offset + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF;
        final int flags = buffer.getShort(l3Offset + Ipv4Flyweight.FLAGS_FRAGMENT_OFFSET, BIG_ENDIAN) & 0xFFFF;
        final int l4Offset = l3Offset + headerLength;
        final int l3End = l3Offset + totalLength;

        packet.ipVersion = Ipv4Flyweight.VERSION;
        packet.l3HeaderLength = headerLength;
        packet.l3Length = totalLength;
        packet.srcAddressOffset = l3Offset + Ipv4Flyweight.SRC_ADDRESS_OFFSET;
        packet.dstAddressOffset = l3Offset + Ipv4Flyweight.DST_ADDRESS_OFFSET;
        packet.addressLength = 4;
        packet.tos = buffer.getByte(l3Offset + Ipv4Flyweight.TOS_OFFSET) & 0xFF;
        packet.ttl = buffer.getByte(l3Offset + Ipv4Flyweight.TTL_OFFSET) & 0xFF;
        packet.flowLabel = 0;
        packet.dontFragment = 0 != (flags & Ipv4Flyweight.FLAG_DONT_FRAGMENT);
        packet.extensionHeaderCount = 0;
        packet.protocol = protocol;
        packet.l4Length = l3End - l4Offset;

        if (0 != (flags & (Ipv4Flyweight.FLAG_MORE_FRAGMENTS | Ipv4Flyweight.FRAGMENT_OFFSET_MASK)))
        {
            final int fragmentOffset = (flags & Ipv4Flyweight.FRAGMENT_OFFSET_MASK) << 3;
            packet.fragment = true;
            packet.moreFragments = 0 != (flags & Ipv4Flyweight.FLAG_MORE_FRAGMENTS);
            packet.fragmentOffset = fragmentOffset;
            packet.firstFragment = 0 == fragmentOffset;
            packet.fragmentId =
                buffer.getShort(l3Offset + Ipv4Flyweight.IDENTIFICATION_OFFSET, BIG_ENDIAN) & 0xFFFF;
            packet.l4Offset = 0 == fragmentOffset ? l4Offset : ParsedPacket.NONE;
            packet.payloadOffset = l4Offset;
            packet.payloadLength = l3End - l4Offset;
            return IPV4_FRAGMENT;
        }

        packet.l4Offset = l4Offset;
        return l4(buffer, l4Offset, l3End, protocol, Ipv4Flyweight.VERSION, packet);
    }

    private static ParseVerdict ipv6(
        final DirectBuffer buffer, final int l3Offset, final int end, final ParsedPacket packet)
    {
        packet.l3Offset = l3Offset;
        final int available = end - l3Offset;
        if (available < Ipv6Flyweight.HEADER_LENGTH)
        {
            return IPV6_TRUNCATED;
        }

        final int firstWord = buffer.getInt(l3Offset, BIG_ENDIAN);
        if (Ipv6Flyweight.VERSION != firstWord >>> 28)
        {
            return IPV6_BAD_VERSION;
        }

        final int payloadLength = buffer.getShort(l3Offset + Ipv6Flyweight.PAYLOAD_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
        if (payloadLength > available - Ipv6Flyweight.HEADER_LENGTH)
        {
            return IPV6_BAD_PAYLOAD_LENGTH;
        }

        final int l3End = l3Offset + Ipv6Flyweight.HEADER_LENGTH + payloadLength;
        packet.ipVersion = Ipv6Flyweight.VERSION;
        packet.l3Length = Ipv6Flyweight.HEADER_LENGTH + payloadLength;
        packet.l3HeaderLength = Ipv6Flyweight.HEADER_LENGTH;
        packet.srcAddressOffset = l3Offset + Ipv6Flyweight.SRC_ADDRESS_OFFSET;
        packet.dstAddressOffset = l3Offset + Ipv6Flyweight.DST_ADDRESS_OFFSET;
        packet.addressLength = Ipv6Flyweight.ADDRESS_LENGTH;
        packet.tos = (firstWord >>> 20) & 0xFF;
        packet.flowLabel = firstWord & Ipv6Flyweight.FLOW_LABEL_MASK;
        packet.ttl = buffer.getByte(l3Offset + Ipv6Flyweight.HOP_LIMIT_OFFSET) & 0xFF;
        packet.dontFragment = false;
        packet.extensionHeaderCount = 0;
        packet.protocol = ParsedPacket.NONE;

        final int nextHeader = buffer.getByte(l3Offset + Ipv6Flyweight.NEXT_HEADER_OFFSET) & 0xFF;
        final long chain = walkExtensionHeaders(
            buffer, l3Offset + Ipv6Flyweight.HEADER_LENGTH, l3End, nextHeader, packet, false);
        if (chain < 0)
        {
            return CHAIN_TOO_LONG == chain ? IPV6_EXT_CHAIN_TOO_LONG :
                CHAIN_HOP_BY_HOP_MISPLACED == chain ? IPV6_HOP_BY_HOP_MISPLACED : IPV6_EXT_HEADER_OVERRUN;
        }

        final int l4Offset = (int)(chain >>> 8);
        final int protocol = (int)(chain & 0xFF);
        packet.l3HeaderLength = l4Offset - l3Offset;
        packet.protocol = protocol;
        packet.l4Length = l3End - l4Offset;

        if (packet.fragment)
        {
            packet.l4Offset = packet.firstFragment ? l4Offset : ParsedPacket.NONE;
            packet.payloadOffset = l4Offset;
            packet.payloadLength = l3End - l4Offset;
            return IPV6_FRAGMENT;
        }

        packet.l4Offset = l4Offset;
        return l4(buffer, l4Offset, l3End, protocol, Ipv6Flyweight.VERSION, packet);
    }

    /**
     * Walk IPv6 extension headers from {@code start} while the next header names one, bounded by
     * {@code end}. Stops after a non-atomic fragment header of the outer packet, recording it in the
     * fragment fields; in a quoted (inner) packet a first fragment is walked through and a later one
     * stops the walk with {@link #CHAIN_LATER_FRAGMENT}.
     *
     * @return {@code (index of the upper-layer header << 8) | its protocol}, or a negative CHAIN_* code.
     */
    private static long walkExtensionHeaders(
        final DirectBuffer buffer,
        final int start,
        final int end,
        final int firstNextHeader,
        final ParsedPacket packet,
        final boolean inner)
    {
        int index = start;
        int nextHeader = firstNextHeader;
        int count = 0;

        while (Ipv6ExtensionHeaderFlyweight.isExtensionHeader(nextHeader))
        {
            if (IpProtocol.HOP_BY_HOP == nextHeader && index != start)
            {
                return CHAIN_HOP_BY_HOP_MISPLACED;
            }

            if (++count > MAX_IPV6_EXTENSION_HEADERS)
            {
                return CHAIN_TOO_LONG;
            }

            if (end - index < Ipv6ExtensionHeaderFlyweight.MIN_HEADER_LENGTH)
            {
                return CHAIN_OVERRUN;
            }

            final int headerNext = buffer.getByte(index) & 0xFF;

            if (IpProtocol.IPV6_FRAGMENT == nextHeader)
            {
                final int field = buffer.getShort(
                    index + Ipv6FragmentHeaderFlyweight.FRAGMENT_OFFSET_FLAGS_OFFSET, BIG_ENDIAN) & 0xFFFF;
                final int fragmentOffset = field & Ipv6FragmentHeaderFlyweight.FRAGMENT_OFFSET_MASK;
                final boolean more = 0 != (field & Ipv6FragmentHeaderFlyweight.FLAG_MORE_FRAGMENTS);
                index += Ipv6FragmentHeaderFlyweight.HEADER_LENGTH;
                nextHeader = headerNext;

                if (0 != fragmentOffset || more)
                {
                    if (inner)
                    {
                        packet.innerFragment = true;
                        if (0 != fragmentOffset)
                        {
                            return CHAIN_LATER_FRAGMENT;
                        }
                    }
                    else
                    {
                        packet.fragment = true;
                        packet.firstFragment = 0 == fragmentOffset;
                        packet.moreFragments = more;
                        packet.fragmentOffset = fragmentOffset;
                        packet.fragmentId = buffer.getInt(
                            index - Ipv6FragmentHeaderFlyweight.HEADER_LENGTH +
                            Ipv6FragmentHeaderFlyweight.IDENTIFICATION_OFFSET, BIG_ENDIAN);
                        break;
                    }
                }
                continue;
            }

            final int lengthField = buffer.getByte(index + Ipv6ExtensionHeaderFlyweight.LENGTH_OFFSET) & 0xFF;
            final int headerLength;
            if (IpProtocol.AH == nextHeader)
            {
                headerLength = (lengthField + 2) << 2;
                if (headerLength < AuthenticationHeaderFlyweight.MIN_HEADER_LENGTH)
                {
                    return CHAIN_OVERRUN;
                }
            }
            else
            {
                headerLength = (lengthField + 1) << 3;
            }

            if (headerLength > end - index)
            {
                return CHAIN_OVERRUN;
            }

            index += headerLength;
            nextHeader = headerNext;
        }

        if (!inner)
        {
            packet.extensionHeaderCount = count;
        }

        return ((long)index << 8) | nextHeader;
    }

    private static ParseVerdict l4(
        final DirectBuffer buffer,
        final int l4Offset,
        final int l3End,
        final int protocol,
        final int ipVersion,
        final ParsedPacket packet)
    {
        switch (protocol)
        {
            case IpProtocol.UDP:
                return udp(buffer, l4Offset, l3End, packet);

            case IpProtocol.TCP:
                return tcp(buffer, l4Offset, l3End, packet);

            case IpProtocol.ICMP:
                return Ipv4Flyweight.VERSION == ipVersion ?
                    icmpv4(buffer, l4Offset, l3End, packet) : L4_PROTOCOL_UNSUPPORTED;

            case IpProtocol.ICMPV6:
                return Ipv6Flyweight.VERSION == ipVersion ?
                    icmpv6(buffer, l4Offset, l3End, packet) : L4_PROTOCOL_UNSUPPORTED;

            default:
                return L4_PROTOCOL_UNSUPPORTED;
        }
    }

    private static ParseVerdict udp(
        final DirectBuffer buffer, final int l4Offset, final int l3End, final ParsedPacket packet)
    {
        final int length = l3End - l4Offset;
        if (length < UdpFlyweight.HEADER_LENGTH)
        {
            return UDP_TRUNCATED;
        }

        packet.srcPort = buffer.getShort(l4Offset + UdpFlyweight.SRC_PORT_OFFSET, BIG_ENDIAN) & 0xFFFF;
        packet.dstPort = buffer.getShort(l4Offset + UdpFlyweight.DST_PORT_OFFSET, BIG_ENDIAN) & 0xFFFF;

        final int udpLength = buffer.getShort(l4Offset + UdpFlyweight.LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
        if (udpLength != length)
        {
            return UDP_BAD_LENGTH;
        }

        packet.l4ChecksumOffset = l4Offset + UdpFlyweight.CHECKSUM_OFFSET;
        packet.payloadOffset = l4Offset + UdpFlyweight.HEADER_LENGTH;
        packet.payloadLength = length - UdpFlyweight.HEADER_LENGTH;
        return OK;
    }

    private static ParseVerdict tcp(
        final DirectBuffer buffer, final int l4Offset, final int l3End, final ParsedPacket packet)
    {
        final int length = l3End - l4Offset;
        if (length < TcpFlyweight.MIN_HEADER_LENGTH)
        {
            return TCP_TRUNCATED;
        }

        packet.srcPort = buffer.getShort(l4Offset + TcpFlyweight.SRC_PORT_OFFSET, BIG_ENDIAN) & 0xFFFF;
        packet.dstPort = buffer.getShort(l4Offset + TcpFlyweight.DST_PORT_OFFSET, BIG_ENDIAN) & 0xFFFF;
        packet.tcpSequence = buffer.getInt(l4Offset + TcpFlyweight.SEQUENCE_OFFSET, BIG_ENDIAN);
        packet.tcpAcknowledgment = buffer.getInt(l4Offset + TcpFlyweight.ACKNOWLEDGMENT_OFFSET, BIG_ENDIAN);
        packet.tcpFlags = buffer.getByte(l4Offset + TcpFlyweight.FLAGS_OFFSET) & 0xFF;
        packet.tcpWindow = buffer.getShort(l4Offset + TcpFlyweight.WINDOW_OFFSET, BIG_ENDIAN) & 0xFFFF;

        final int headerLength = ((buffer.getByte(l4Offset + TcpFlyweight.DATA_OFFSET_OFFSET) & 0xFF) >>> 4) << 2;
        if (headerLength < TcpFlyweight.MIN_HEADER_LENGTH || headerLength > length)
        {
            return TCP_BAD_DATA_OFFSET;
        }

        packet.tcpHeaderLength = headerLength;
        packet.tcpMss = ParsedPacket.NONE;
        packet.tcpMssOptionOffset = ParsedPacket.NONE;
        if (headerLength > TcpFlyweight.MIN_HEADER_LENGTH)
        {
            final int mssIndex = TcpFlyweight.findOption(buffer, l4Offset, headerLength, TcpFlyweight.OPTION_MSS);
            if (TcpFlyweight.OPTION_OVERRUN == mssIndex)
            {
                return TCP_OPTION_OVERRUN;
            }

            if (mssIndex >= 0 && TcpFlyweight.MSS_OPTION_LENGTH == (buffer.getByte(mssIndex + 1) & 0xFF))
            {
                packet.tcpMssOptionOffset = mssIndex;
                packet.tcpMss = buffer.getShort(mssIndex + 2, BIG_ENDIAN) & 0xFFFF;
            }
        }

        packet.l4ChecksumOffset = l4Offset + TcpFlyweight.CHECKSUM_OFFSET;
        packet.payloadOffset = l4Offset + headerLength;
        packet.payloadLength = length - headerLength;
        return OK;
    }

    private static ParseVerdict icmpv4(
        final DirectBuffer buffer, final int l4Offset, final int l3End, final ParsedPacket packet)
    {
        final int length = l3End - l4Offset;
        if (length < Icmpv4Flyweight.HEADER_LENGTH)
        {
            return ICMP_TRUNCATED;
        }

        final int type = buffer.getByte(l4Offset + Icmpv4Flyweight.TYPE_OFFSET) & 0xFF;
        final int code = buffer.getByte(l4Offset + Icmpv4Flyweight.CODE_OFFSET) & 0xFF;
        packet.icmpType = type;
        packet.icmpCode = code;
        packet.icmpIdentifier = 0;
        packet.icmpSequence = 0;
        packet.icmpMtu = 0;
        packet.l4ChecksumOffset = l4Offset + Icmpv4Flyweight.CHECKSUM_OFFSET;
        packet.payloadOffset = l4Offset + Icmpv4Flyweight.HEADER_LENGTH;
        packet.payloadLength = length - Icmpv4Flyweight.HEADER_LENGTH;

        if (Icmpv4Flyweight.isEcho(type))
        {
            packet.icmpIdentifier =
                buffer.getShort(l4Offset + Icmpv4Flyweight.IDENTIFIER_OFFSET, BIG_ENDIAN) & 0xFFFF;
            packet.icmpSequence = buffer.getShort(l4Offset + Icmpv4Flyweight.SEQUENCE_OFFSET, BIG_ENDIAN) & 0xFFFF;
            return OK;
        }

        if (!Icmpv4Flyweight.isError(type))
        {
            return OK;
        }

        if (Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE == type && Icmpv4Flyweight.CODE_FRAGMENTATION_NEEDED == code)
        {
            packet.icmpMtu = buffer.getShort(l4Offset + Icmpv4Flyweight.NEXT_HOP_MTU_OFFSET, BIG_ENDIAN) & 0xFFFF;
        }

        return quotedIpv4(buffer, l4Offset + Icmpv4Flyweight.QUOTE_OFFSET, l3End, packet);
    }

    private static ParseVerdict icmpv6(
        final DirectBuffer buffer, final int l4Offset, final int l3End, final ParsedPacket packet)
    {
        final int length = l3End - l4Offset;
        if (length < Icmpv6Flyweight.HEADER_LENGTH)
        {
            return ICMP_TRUNCATED;
        }

        final int type = buffer.getByte(l4Offset + Icmpv6Flyweight.TYPE_OFFSET) & 0xFF;
        packet.icmpType = type;
        packet.icmpCode = buffer.getByte(l4Offset + Icmpv6Flyweight.CODE_OFFSET) & 0xFF;
        packet.icmpIdentifier = 0;
        packet.icmpSequence = 0;
        packet.icmpMtu = 0;
        packet.l4ChecksumOffset = l4Offset + Icmpv6Flyweight.CHECKSUM_OFFSET;
        packet.payloadOffset = l4Offset + Icmpv6Flyweight.HEADER_LENGTH;
        packet.payloadLength = length - Icmpv6Flyweight.HEADER_LENGTH;

        if (Icmpv6Flyweight.isEcho(type))
        {
            packet.icmpIdentifier =
                buffer.getShort(l4Offset + Icmpv6Flyweight.IDENTIFIER_OFFSET, BIG_ENDIAN) & 0xFFFF;
            packet.icmpSequence = buffer.getShort(l4Offset + Icmpv6Flyweight.SEQUENCE_OFFSET, BIG_ENDIAN) & 0xFFFF;
            return OK;
        }

        if (!Icmpv6Flyweight.isError(type))
        {
            return OK;
        }

        if (Icmpv6Flyweight.TYPE_PACKET_TOO_BIG == type)
        {
            packet.icmpMtu = buffer.getInt(l4Offset + Icmpv6Flyweight.MTU_OFFSET, BIG_ENDIAN);
        }

        return quotedIpv6(buffer, l4Offset + Icmpv6Flyweight.QUOTE_OFFSET, l3End, packet);
    }

    private static ParseVerdict quotedIpv4(
        final DirectBuffer buffer, final int quoteOffset, final int l3End, final ParsedPacket packet)
    {
        final int available = l3End - quoteOffset;
        if (available < Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            return ICMP_QUOTE_TRUNCATED;
        }

        final int versionIhl = buffer.getByte(quoteOffset) & 0xFF;
        final int headerLength = (versionIhl & 0xF) << 2;
        if (Ipv4Flyweight.VERSION != versionIhl >>> 4 || headerLength < Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            return ICMP_QUOTE_MALFORMED;
        }

        if (headerLength > available)
        {
            return ICMP_QUOTE_TRUNCATED;
        }

        final int protocol = buffer.getByte(quoteOffset + Ipv4Flyweight.PROTOCOL_OFFSET) & 0xFF;
        final int flags = buffer.getShort(quoteOffset + Ipv4Flyweight.FLAGS_FRAGMENT_OFFSET, BIG_ENDIAN) & 0xFFFF;
        packet.innerL3Offset = quoteOffset;
        packet.innerIpVersion = Ipv4Flyweight.VERSION;
        packet.innerL3HeaderLength = headerLength;
        packet.innerSrcAddressOffset = quoteOffset + Ipv4Flyweight.SRC_ADDRESS_OFFSET;
        packet.innerDstAddressOffset = quoteOffset + Ipv4Flyweight.DST_ADDRESS_OFFSET;
        packet.innerProtocol = protocol;
        packet.innerFragment = 0 != (flags & (Ipv4Flyweight.FLAG_MORE_FRAGMENTS | Ipv4Flyweight.FRAGMENT_OFFSET_MASK));
        packet.innerL4Offset = ParsedPacket.NONE;

        if (0 != (flags & Ipv4Flyweight.FRAGMENT_OFFSET_MASK))
        {
            return ICMP_QUOTE_FRAGMENT;
        }

        return quotedL4(buffer, quoteOffset + headerLength, l3End, protocol, IpProtocol.ICMP, packet);
    }

    private static ParseVerdict quotedIpv6(
        final DirectBuffer buffer, final int quoteOffset, final int l3End, final ParsedPacket packet)
    {
        if (l3End - quoteOffset < Ipv6Flyweight.HEADER_LENGTH)
        {
            return ICMP_QUOTE_TRUNCATED;
        }

        if (Ipv6Flyweight.VERSION != (buffer.getByte(quoteOffset) & 0xFF) >>> 4)
        {
            return ICMP_QUOTE_MALFORMED;
        }

        packet.innerL3Offset = quoteOffset;
        packet.innerIpVersion = Ipv6Flyweight.VERSION;
        packet.innerL3HeaderLength = Ipv6Flyweight.HEADER_LENGTH;
        packet.innerSrcAddressOffset = quoteOffset + Ipv6Flyweight.SRC_ADDRESS_OFFSET;
        packet.innerDstAddressOffset = quoteOffset + Ipv6Flyweight.DST_ADDRESS_OFFSET;
        packet.innerProtocol = ParsedPacket.NONE;
        packet.innerFragment = false;
        packet.innerL4Offset = ParsedPacket.NONE;

        final int nextHeader = buffer.getByte(quoteOffset + Ipv6Flyweight.NEXT_HEADER_OFFSET) & 0xFF;
        final long chain = walkExtensionHeaders(
            buffer, quoteOffset + Ipv6Flyweight.HEADER_LENGTH, l3End, nextHeader, packet, true);
        if (chain < 0)
        {
            return CHAIN_OVERRUN == chain ? ICMP_QUOTE_TRUNCATED :
                CHAIN_LATER_FRAGMENT == chain ? ICMP_QUOTE_FRAGMENT : ICMP_QUOTE_MALFORMED;
        }

        final int l4Offset = (int)(chain >>> 8);
        final int protocol = (int)(chain & 0xFF);
        packet.innerL3HeaderLength = l4Offset - quoteOffset;
        packet.innerProtocol = protocol;

        return quotedL4(buffer, l4Offset, l3End, protocol, IpProtocol.ICMPV6, packet);
    }

    private static ParseVerdict quotedL4(
        final DirectBuffer buffer,
        final int l4Offset,
        final int l3End,
        final int protocol,
        final int icmpProtocol,
        final ParsedPacket packet)
    {
        packet.innerSrcPort = 0;
        packet.innerDstPort = 0;
        packet.innerIcmpType = ParsedPacket.NONE;
        packet.innerIcmpIdentifier = 0;

        final boolean ports = IpProtocol.TCP == protocol || IpProtocol.UDP == protocol;
        if (!ports && icmpProtocol != protocol)
        {
            packet.innerL4Offset = l4Offset;
            return OK;
        }

        if (l3End - l4Offset < Icmpv4Flyweight.MIN_QUOTED_DATA)
        {
            return ICMP_QUOTE_TRUNCATED;
        }

        packet.innerL4Offset = l4Offset;
        if (ports)
        {
            packet.innerSrcPort = buffer.getShort(l4Offset, BIG_ENDIAN) & 0xFFFF;
            packet.innerDstPort = buffer.getShort(l4Offset + 2, BIG_ENDIAN) & 0xFFFF;
        }
        else
        {
            final int type = buffer.getByte(l4Offset) & 0xFF;
            packet.innerIcmpType = type;
            if (IpProtocol.ICMP == protocol ? Icmpv4Flyweight.isEcho(type) : Icmpv6Flyweight.isEcho(type))
            {
                packet.innerIcmpIdentifier = buffer.getShort(l4Offset + 4, BIG_ENDIAN) & 0xFFFF;
            }
        }

        return OK;
    }
}
