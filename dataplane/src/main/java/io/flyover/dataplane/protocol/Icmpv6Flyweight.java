package io.flyover.dataplane.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * ICMP for IPv6 (RFC 4443), network byte order, an 8-byte header then data. The checksum covers the
 * IPv6 pseudo-header (next header 58) and the whole message.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+-------------------------------+
 * |     Type      |     Code      |          Checksum             |
 * +---------------+---------------+-------------------------------+
 * |  echo: Identifier             |  echo: Sequence Number        |
 * |  packet too big (2): MTU (32 bits)                            |
 * +-------------------------------+-------------------------------+
 * |  echo: data ...                                               |
 * |  errors: as much of the invoking packet as fits in 1280 bytes |
 * +---------------------------------------------------------------+
 * </pre>
 * Types below 128 are errors and quote the invoking packet from {@link #QUOTE_OFFSET}; types from 128
 * are informational.
 * <p>
 * Stateless, static accessors over (buffer, offset of the ICMPv6 header): any thread.
 */
public final class Icmpv6Flyweight
{
    /**
     * Offset of the type.
     */
    public static final int TYPE_OFFSET = 0;

    /**
     * Offset of the code.
     */
    public static final int CODE_OFFSET = 1;

    /**
     * Offset of the checksum.
     */
    public static final int CHECKSUM_OFFSET = 2;

    /**
     * Offset of the echo identifier.
     */
    public static final int IDENTIFIER_OFFSET = 4;

    /**
     * Offset of the echo sequence number.
     */
    public static final int SEQUENCE_OFFSET = 6;

    /**
     * Offset of the MTU in a packet-too-big message.
     */
    public static final int MTU_OFFSET = 4;

    /**
     * Offset of the quoted invoking packet in an error message, or of echo data.
     */
    public static final int QUOTE_OFFSET = 8;

    /**
     * Length of the header.
     */
    public static final int HEADER_LENGTH = 8;

    /**
     * Type of destination unreachable.
     */
    public static final int TYPE_DESTINATION_UNREACHABLE = 1;

    /**
     * Type of packet too big.
     */
    public static final int TYPE_PACKET_TOO_BIG = 2;

    /**
     * Type of time exceeded.
     */
    public static final int TYPE_TIME_EXCEEDED = 3;

    /**
     * Type of parameter problem.
     */
    public static final int TYPE_PARAMETER_PROBLEM = 4;

    /**
     * Type of echo request.
     */
    public static final int TYPE_ECHO_REQUEST = 128;

    /**
     * Type of echo reply.
     */
    public static final int TYPE_ECHO_REPLY = 129;

    private Icmpv6Flyweight()
    {
    }

    /**
     * @param type an ICMPv6 type.
     * @return true if messages of this type are errors quoting the invoking packet (types 0..127).
     */
    public static boolean isError(final int type)
    {
        return type < 128;
    }

    /**
     * @param type an ICMPv6 type.
     * @return true for echo request and echo reply.
     */
    public static boolean isEcho(final int type)
    {
        return TYPE_ECHO_REQUEST == type || TYPE_ECHO_REPLY == type;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @return the type.
     */
    public static int type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @return the code.
     */
    public static int code(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + CODE_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the message.
     * @param offset of the message.
     * @return the checksum as on the wire.
     */
    public static int checksum(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + CHECKSUM_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding an echo message.
     * @param offset of the message.
     * @return the identifier.
     */
    public static int identifier(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + IDENTIFIER_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding an echo message.
     * @param offset of the message.
     * @return the sequence number.
     */
    public static int sequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + SEQUENCE_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding a packet-too-big message.
     * @param offset of the message.
     * @return the MTU, a 32-bit unsigned value.
     */
    public static long mtu(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + MTU_OFFSET, BIG_ENDIAN) & 0xFFFF_FFFFL;
    }

    /**
     * @param offset of the message.
     * @return offset of the quoted IPv6 header of an error message.
     */
    public static int quotedIpOffset(final int offset)
    {
        return offset + QUOTE_OFFSET;
    }

    /**
     * @param buffer   holding the message.
     * @param offset   of the message.
     * @param checksum new checksum.
     */
    public static void checksum(final MutableDirectBuffer buffer, final int offset, final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, BIG_ENDIAN);
    }

    /**
     * Write a header with a zero checksum and the given 32-bit rest-of-header.
     *
     * @param buffer       to write to.
     * @param offset       of the message.
     * @param type         ICMPv6 type.
     * @param code         ICMPv6 code.
     * @param restOfHeader bytes 4 to 7, big-endian.
     * @return {@link #HEADER_LENGTH}.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer, final int offset, final int type, final int code, final int restOfHeader)
    {
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        buffer.putByte(offset + CODE_OFFSET, (byte)code);
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)0, BIG_ENDIAN);
        buffer.putInt(offset + IDENTIFIER_OFFSET, restOfHeader, BIG_ENDIAN);
        return HEADER_LENGTH;
    }

    /**
     * Write an echo request or reply header with a zero checksum.
     *
     * @param buffer     to write to.
     * @param offset     of the message.
     * @param type       {@link #TYPE_ECHO_REQUEST} or {@link #TYPE_ECHO_REPLY}.
     * @param identifier echo identifier.
     * @param sequence   echo sequence number.
     * @return {@link #HEADER_LENGTH}.
     */
    public static int writeEchoHeader(
        final MutableDirectBuffer buffer, final int offset, final int type, final int identifier, final int sequence)
    {
        return writeHeader(buffer, offset, type, 0, ((identifier & 0xFFFF) << 16) | (sequence & 0xFFFF));
    }

    /**
     * Write a packet-too-big header with a zero checksum; the invoking packet goes at {@link #QUOTE_OFFSET}.
     *
     * @param buffer to write to.
     * @param offset of the message.
     * @param mtu    MTU of the next-hop link.
     * @return {@link #HEADER_LENGTH}.
     */
    public static int writePacketTooBigHeader(final MutableDirectBuffer buffer, final int offset, final int mtu)
    {
        return writeHeader(buffer, offset, TYPE_PACKET_TOO_BIG, 0, mtu);
    }

    /**
     * Compute and write the checksum over the pseudo-header and the whole message.
     *
     * @param buffer     holding the IPv6 header and the message.
     * @param ipv6Offset of the IPv6 header (for the addresses).
     * @param offset     of the message.
     * @param length     of header and data in bytes.
     * @return the checksum written.
     */
    public static int writeChecksum(
        final MutableDirectBuffer buffer, final int ipv6Offset, final int offset, final int length)
    {
        checksum(buffer, offset, 0);
        final int pseudo = Checksums.ipv6PseudoHeaderSum(buffer, ipv6Offset, IpProtocol.ICMPV6, length);
        final int checksum = Checksums.checksum(buffer, offset, length, pseudo);
        checksum(buffer, offset, checksum);
        return checksum;
    }
}
