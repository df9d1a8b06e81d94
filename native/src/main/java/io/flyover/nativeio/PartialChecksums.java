package io.flyover.nativeio;

import io.flyover.dataplane.protocol.Checksums;
import io.flyover.dataplane.protocol.IpProtocol;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Completes the TCP or UDP checksum of a frame the kernel handed over with its checksum not yet
 * computed ({@code TP_STATUS_CSUMNOTREADY}): packets sent by a local stack over a virtual link
 * (veth) keep the checksum offload's partial value — the pseudo-header sum — because no device
 * ever computed it. Forwarded as they are, the far host would drop them for a bad checksum, and a
 * NAT's incremental update would be off too; so the full checksum is written in place before the
 * frame goes on. Frames off a real NIC never carry this status.
 * <p>
 * Handles Ethernet (untagged) carrying IPv4 without fragmentation, or IPv6 whose first next
 * header is TCP or UDP; other frames are left as they are.
 */
final class PartialChecksums
{
    private static final int ETHERNET_HEADER = 14;
    private static final int ETHERTYPE_IPV4 = 0x0800;
    private static final int ETHERTYPE_IPV6 = 0x86DD;
    private static final int IPV6_HEADER = 40;
    private static final int TCP_CHECKSUM_OFFSET = 16;
    private static final int UDP_CHECKSUM_OFFSET = 6;

    private PartialChecksums()
    {
    }

    /**
     * @param buffer holds the frame, writable.
     * @param offset where its Ethernet header starts.
     * @param length the frame's captured length.
     * @return whether a checksum was written.
     */
    static boolean complete(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (length < ETHERNET_HEADER + 20)
        {
            return false;
        }
        final int etherType = buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int ip = offset + ETHERNET_HEADER;
        final int end = offset + length;
        if (ETHERTYPE_IPV4 == etherType)
        {
            final int versionIhl = buffer.getByte(ip) & 0xFF;
            final int headerLength = (versionIhl & 0x0F) * 4;
            final int totalLength = buffer.getShort(ip + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int fragment = buffer.getShort(ip + 6, ByteOrder.BIG_ENDIAN) & 0x3FFF;
            if (4 != versionIhl >>> 4 || headerLength < 20 || 0 != fragment || totalLength < headerLength ||
                ip + totalLength > end)
            {
                return false;
            }
            final int protocol = buffer.getByte(ip + 9) & 0xFF;
            final int l4 = ip + headerLength;
            final int l4Length = totalLength - headerLength;
            return write(buffer, l4, l4Length, protocol, Checksums.ipv4PseudoHeaderSum(buffer, ip, protocol, l4Length));
        }
        if (ETHERTYPE_IPV6 == etherType && length >= ETHERNET_HEADER + IPV6_HEADER)
        {
            final int payloadLength = buffer.getShort(ip + 4, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            final int nextHeader = buffer.getByte(ip + 6) & 0xFF;
            if (6 != (buffer.getByte(ip) & 0xFF) >>> 4 || ip + IPV6_HEADER + payloadLength > end)
            {
                return false;
            }
            return write(buffer, ip + IPV6_HEADER, payloadLength, nextHeader,
                Checksums.ipv6PseudoHeaderSum(buffer, ip, nextHeader, payloadLength));
        }
        return false;
    }

    private static boolean write(
        final MutableDirectBuffer buffer, final int l4, final int l4Length, final int protocol, final int pseudoSum)
    {
        final int field;
        if (IpProtocol.TCP == protocol && l4Length >= 20)
        {
            field = l4 + TCP_CHECKSUM_OFFSET;
        }
        else if (IpProtocol.UDP == protocol && l4Length >= 8)
        {
            field = l4 + UDP_CHECKSUM_OFFSET;
        }
        else
        {
            return false;
        }
        buffer.putShort(field, (short)0);
        int checksum = Checksums.checksum(buffer, l4, l4Length, pseudoSum);
        if (IpProtocol.UDP == protocol)
        {
            checksum = Checksums.udpChecksum(checksum);
        }
        buffer.putShort(field, (short)checksum, ByteOrder.BIG_ENDIAN);
        return true;
    }
}
