package io.flyover.tools.replay;

import org.agrona.DirectBuffer;

import io.flyover.tools.pcap.LinkType;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Finds the IP packet inside a captured frame of a given link type: Ethernet II (up to two
 * 802.1Q / 802.1ad tags), Linux cooked SLL and SLL2, or raw IP. A frame that carries no IP packet
 * gets its own drop reason; Ethernet padding behind the IP packet is cut off. Allocates nothing;
 * the result is left in {@link #ipOffset()} and {@link #ipLength()}.
 */
public final class LinkLayer
{
    /** A frame whose link-layer header is cut short. */
    public static final String DROP_LINK_TRUNCATED = "link_truncated";
    /** A frame that carries something other than IPv4 or IPv6 (ARP, LLDP, ...). */
    public static final String DROP_LINK_NOT_IP = "link_not_ip";

    /** {@link #strip} verdict: an IP packet was found. */
    public static final int IP = 0;
    /** {@link #strip} verdict: see {@link #DROP_LINK_TRUNCATED}. */
    public static final int TRUNCATED = 1;
    /** {@link #strip} verdict: see {@link #DROP_LINK_NOT_IP}. */
    public static final int NOT_IP = 2;

    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int ETHERTYPE_VLAN = 0x8100;
    private static final int ETHERTYPE_QINQ = 0x88A8;
    private static final int ETHERNET_HEADER = 14;
    private static final int SLL_HEADER = 16;
    private static final int SLL2_HEADER = 20;

    private int ipOffset;
    private int ipLength;

    /**
     * @param verdict a verdict of {@link #strip}, not {@link #IP}.
     * @return its drop label.
     */
    public static String dropLabel(final int verdict)
    {
        return TRUNCATED == verdict ? DROP_LINK_TRUNCATED : DROP_LINK_NOT_IP;
    }

    /**
     * @param linkType the frame's link type (a supported one).
     * @param buffer   holds the frame.
     * @param offset   where it starts.
     * @param length   its captured length.
     * @return {@link #IP}, {@link #TRUNCATED} or {@link #NOT_IP}.
     */
    public int strip(final int linkType, final DirectBuffer buffer, final int offset, final int length)
    {
        return switch (linkType)
        {
            case LinkType.ETHERNET -> ethernet(buffer, offset, length);
            case LinkType.LINUX_SLL -> cooked(buffer, offset, length, SLL_HEADER, 14);
            case LinkType.LINUX_SLL2 -> cooked(buffer, offset, length, SLL2_HEADER, 0);
            default -> raw(offset, length);
        };
    }

    /**
     * @return where the IP packet starts, after {@link #strip} returned {@link #IP}.
     */
    public int ipOffset()
    {
        return ipOffset;
    }

    /**
     * @return the IP packet's length, after {@link #strip} returned {@link #IP}.
     */
    public int ipLength()
    {
        return ipLength;
    }

    private int raw(final int offset, final int length)
    {
        // the pipeline judges the version nibble and everything after it
        ipOffset = offset;
        ipLength = length;
        return IP;
    }

    private int ethernet(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < ETHERNET_HEADER)
        {
            return TRUNCATED;
        }
        int typeAt = offset + 12;
        int etherType = buffer.getShort(typeAt, BIG_ENDIAN) & 0xFFFF;
        for (int tags = 0; tags < 2 && (ETHERTYPE_VLAN == etherType || ETHERTYPE_QINQ == etherType); tags++)
        {
            typeAt += 4;
            if (typeAt + 2 > offset + length)
            {
                return TRUNCATED;
            }
            etherType = buffer.getShort(typeAt, BIG_ENDIAN) & 0xFFFF;
        }
        return payload(buffer, etherType, typeAt + 2, offset + length);
    }

    private int cooked(
        final DirectBuffer buffer, final int offset, final int length, final int headerLength, final int protocolAt)
    {
        if (length < headerLength)
        {
            return TRUNCATED;
        }
        final int protocol = buffer.getShort(offset + protocolAt, BIG_ENDIAN) & 0xFFFF;
        return payload(buffer, protocol, offset + headerLength, offset + length);
    }

    private int payload(final DirectBuffer buffer, final int etherType, final int start, final int end)
    {
        if (ETHERTYPE_IPV4 != etherType && ETHERTYPE_IPV6 != etherType)
        {
            return NOT_IP;
        }
        ipOffset = start;
        ipLength = end - start;
        // cut link-layer padding: only when the IP header's own length fits what was captured
        if (ETHERTYPE_IPV4 == etherType && ipLength >= 20 && 4 == (buffer.getByte(start) & 0xF0) >>> 4)
        {
            final int total = buffer.getShort(start + 2, BIG_ENDIAN) & 0xFFFF;
            if (total >= 20 && total < ipLength)
            {
                ipLength = total;
            }
        }
        else if (ETHERTYPE_IPV6 == etherType && ipLength >= 40 && 6 == (buffer.getByte(start) & 0xF0) >>> 4)
        {
            final int total = 40 + (buffer.getShort(start + 4, BIG_ENDIAN) & 0xFFFF);
            if (total > 40 && total < ipLength)
            {
                ipLength = total;
            }
        }
        return IP;
    }
}
