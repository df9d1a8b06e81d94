package io.flyover.dataplane.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * UDP header (RFC 768), network byte order, 8 bytes.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |          Source Port          |       Destination Port        |
 * +-------------------------------+-------------------------------+
 * |            Length             |           Checksum            |
 * +-------------------------------+-------------------------------+
 * </pre>
 * The length counts header and data. The checksum covers a pseudo-header, the header and the data;
 * over IPv4, 0 means none was computed, and a computed 0 is sent as {@code 0xFFFF}.
 * <p>
 * Stateless, static accessors over (buffer, offset of the header): any thread.
 */
public final class UdpFlyweight
{
    /**
     * Offset of the source port.
     */
    public static final int SRC_PORT_OFFSET = 0;

    /**
     * Offset of the destination port.
     */
    public static final int DST_PORT_OFFSET = 2;

    /**
     * Offset of the length.
     */
    public static final int LENGTH_OFFSET = 4;

    /**
     * Offset of the checksum.
     */
    public static final int CHECKSUM_OFFSET = 6;

    /**
     * Length of the header.
     */
    public static final int HEADER_LENGTH = 8;

    private UdpFlyweight()
    {
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the source port.
     */
    public static int srcPort(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + SRC_PORT_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the destination port.
     */
    public static int dstPort(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + DST_PORT_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the length of header and data.
     */
    public static int length(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the checksum as on the wire.
     */
    public static int checksum(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @param port   new source port; the checksum is not updated.
     */
    public static void srcPort(final MutableDirectBuffer buffer, final int offset, final int port)
    {
        buffer.putShort(offset + SRC_PORT_OFFSET, (short)port, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @param port   new destination port; the checksum is not updated.
     */
    public static void dstPort(final MutableDirectBuffer buffer, final int offset, final int port)
    {
        buffer.putShort(offset + DST_PORT_OFFSET, (short)port, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @param length new length of header and data; the checksum is not updated.
     */
    public static void length(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        buffer.putShort(offset + LENGTH_OFFSET, (short)length, BIG_ENDIAN);
    }

    /**
     * @param buffer   holding the header.
     * @param offset   of the header.
     * @param checksum new checksum.
     */
    public static void checksum(final MutableDirectBuffer buffer, final int offset, final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, BIG_ENDIAN);
    }

    /**
     * Write a header with a zero checksum; fill it in afterwards with {@link #writeChecksumIpv4} or
     * {@link #writeChecksumIpv6} once the data is in place, or leave it 0 over IPv4.
     *
     * @param buffer  to write to.
     * @param offset  of the header.
     * @param srcPort source port.
     * @param dstPort destination port.
     * @param length  of header and data in bytes.
     * @return {@link #HEADER_LENGTH}.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer, final int offset, final int srcPort, final int dstPort, final int length)
    {
        buffer.putShort(offset + SRC_PORT_OFFSET, (short)srcPort, BIG_ENDIAN);
        buffer.putShort(offset + DST_PORT_OFFSET, (short)dstPort, BIG_ENDIAN);
        buffer.putShort(offset + LENGTH_OFFSET, (short)length, BIG_ENDIAN);
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)0, BIG_ENDIAN);
        return HEADER_LENGTH;
    }

    /**
     * Compute and write the checksum of a datagram over IPv4; its length field gives its extent.
     *
     * @param buffer     holding the IPv4 header and the datagram.
     * @param ipv4Offset of the IPv4 header (for the addresses).
     * @param udpOffset  of the UDP header.
     * @return the checksum written.
     */
    public static int writeChecksumIpv4(final MutableDirectBuffer buffer, final int ipv4Offset, final int udpOffset)
    {
        final int length = length(buffer, udpOffset);
        checksum(buffer, udpOffset, 0);
        final int pseudo = Checksums.ipv4PseudoHeaderSum(buffer, ipv4Offset, IpProtocol.UDP, length);
        final int checksum = Checksums.udpChecksum(Checksums.checksum(buffer, udpOffset, length, pseudo));
        checksum(buffer, udpOffset, checksum);
        return checksum;
    }

    /**
     * Compute and write the checksum of a datagram over IPv6; its length field gives its extent.
     *
     * @param buffer     holding the IPv6 header and the datagram.
     * @param ipv6Offset of the IPv6 header (for the addresses; no routing header with segments left).
     * @param udpOffset  of the UDP header.
     * @return the checksum written.
     */
    public static int writeChecksumIpv6(final MutableDirectBuffer buffer, final int ipv6Offset, final int udpOffset)
    {
        final int length = length(buffer, udpOffset);
        checksum(buffer, udpOffset, 0);
        final int pseudo = Checksums.ipv6PseudoHeaderSum(buffer, ipv6Offset, IpProtocol.UDP, length);
        final int checksum = Checksums.udpChecksum(Checksums.checksum(buffer, udpOffset, length, pseudo));
        checksum(buffer, udpOffset, checksum);
        return checksum;
    }
}
