package io.flyover.dataplane.protocol;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * The minimal outer IPv4 and UDP header writers the Geneve encapsulation needs: fixed 20-byte
 * IPv4 header (no options, DF set, identification 0 as RFC 6864 allows for atomic datagrams) and
 * an 8-byte UDP header with a zero checksum (RFC 8926 permits it over IPv4). Write-only and
 * package-private on purpose: the full IPv4/UDP flyweights and checksum helpers live elsewhere.
 * Stateless; any thread.
 */
final class OuterHeaders
{
    static final int IPV4_HEADER_LENGTH = 20;
    static final int UDP_HEADER_LENGTH = 8;
    static final int IPV4_VERSION_IHL = 0x45;
    static final int IPV4_FLAG_DONT_FRAGMENT = 0x4000;
    static final int IPV4_TOTAL_LENGTH_OFFSET = 2;
    static final int IPV4_TTL_OFFSET = 8;
    static final int IPV4_CHECKSUM_OFFSET = 10;
    static final int IPV4_SRC_OFFSET = 12;
    static final int IPV4_DST_OFFSET = 16;
    static final int PROTOCOL_UDP = 17;

    private OuterHeaders()
    {
    }

    /**
     * Writes a 20-byte IPv4 header carrying UDP, with its header checksum.
     *
     * @param buffer      to write to.
     * @param offset      of the IPv4 header.
     * @param totalLength IPv4 total length, header included, at most 65535.
     * @param ttl         time to live.
     * @param srcAddress  source address, as an int in network order (a.b.c.d = a << 24 | ...).
     * @param dstAddress  destination address, likewise.
     */
    static void writeIpv4(
        final MutableDirectBuffer buffer,
        final int offset,
        final int totalLength,
        final int ttl,
        final int srcAddress,
        final int dstAddress)
    {
        final int word0 = (IPV4_VERSION_IHL << 24) | (totalLength & 0xFFFF);
        final int word1 = IPV4_FLAG_DONT_FRAGMENT;
        final int ttlProtocol = ((ttl & 0xFF) << 8) | PROTOCOL_UDP;

        int sum = (word0 >>> 16) + (word0 & 0xFFFF) + word1 + ttlProtocol +
            (srcAddress >>> 16) + (srcAddress & 0xFFFF) + (dstAddress >>> 16) + (dstAddress & 0xFFFF);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        final int checksum = ~sum & 0xFFFF;

        buffer.putInt(offset, word0, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 4, word1, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + IPV4_TTL_OFFSET, (ttlProtocol << 16) | checksum, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + IPV4_SRC_OFFSET, srcAddress, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + IPV4_DST_OFFSET, dstAddress, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Writes an 8-byte UDP header with a zero checksum.
     *
     * @param buffer  to write to.
     * @param offset  of the UDP header.
     * @param srcPort source port.
     * @param dstPort destination port.
     * @param length  UDP length, header included.
     */
    static void writeUdp(
        final MutableDirectBuffer buffer, final int offset, final int srcPort, final int dstPort, final int length)
    {
        buffer.putInt(offset, (srcPort << 16) | (dstPort & 0xFFFF), ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + 4, (length & 0xFFFF) << 16, ByteOrder.BIG_ENDIAN);
    }
}
