package io.flyover.dataplane.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * ICMP for IPv4 (RFC 792, RFC 1191), network byte order, an 8-byte header then data. The checksum
 * covers the whole ICMP message, no pseudo-header.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+-------------------------------+
 * |     Type      |     Code      |          Checksum             |
 * +---------------+---------------+-------------------------------+
 * |  echo: Identifier             |  echo: Sequence Number        |
 * |  frag needed (3/4): unused    |  Next-Hop MTU                 |
 * +-------------------------------+-------------------------------+
 * |  echo: data ...                                               |
 * |  errors: the original IP header + at least 8 bytes of its data|
 * +---------------------------------------------------------------+
 * </pre>
 * Error messages (destination unreachable, source quench, redirect, time exceeded, parameter problem)
 * quote the packet that caused them from {@link #QUOTE_OFFSET}.
 * <p>
 * Stateless, static accessors over (buffer, offset of the ICMP header): any thread.
 */
public final class Icmpv4Flyweight
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
     * Offset of the next-hop MTU in a fragmentation-needed message.
     */
    public static final int NEXT_HOP_MTU_OFFSET = 6;

    /**
     * Offset of the quoted original datagram in an error message, or of echo data.
     */
    public static final int QUOTE_OFFSET = 8;

    /**
     * Length of the header.
     */
    public static final int HEADER_LENGTH = 8;

    /**
     * Bytes of the original datagram's data an error must quote after its IP header (RFC 792).
     */
    public static final int MIN_QUOTED_DATA = 8;

    /**
     * Type of echo reply.
     */
    public static final int TYPE_ECHO_REPLY = 0;

    /**
     * Type of destination unreachable.
     */
    public static final int TYPE_DESTINATION_UNREACHABLE = 3;

    /**
     * Type of source quench (deprecated, still an error that quotes).
     */
    public static final int TYPE_SOURCE_QUENCH = 4;

    /**
     * Type of redirect.
     */
    public static final int TYPE_REDIRECT = 5;

    /**
     * Type of echo request.
     */
    public static final int TYPE_ECHO_REQUEST = 8;

    /**
     * Type of time exceeded.
     */
    public static final int TYPE_TIME_EXCEEDED = 11;

    /**
     * Type of parameter problem.
     */
    public static final int TYPE_PARAMETER_PROBLEM = 12;

    /**
     * Destination unreachable code: fragmentation needed and DF set.
     */
    public static final int CODE_FRAGMENTATION_NEEDED = 4;

    private Icmpv4Flyweight()
    {
    }

    /**
     * @param type an ICMP type.
     * @return true if messages of this type quote the datagram that caused them.
     */
    public static boolean isError(final int type)
    {
        return TYPE_DESTINATION_UNREACHABLE == type ||
            TYPE_SOURCE_QUENCH == type ||
            TYPE_REDIRECT == type ||
            TYPE_TIME_EXCEEDED == type ||
            TYPE_PARAMETER_PROBLEM == type;
    }

    /**
     * @param type an ICMP type.
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
     * @param buffer holding a fragmentation-needed message.
     * @param offset of the message.
     * @return the next-hop MTU.
     */
    public static int nextHopMtu(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + NEXT_HOP_MTU_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param offset of the message.
     * @return offset of the quoted IP header of an error message.
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
     * @param type         ICMP type.
     * @param code         ICMP code.
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
     * Write a destination unreachable / fragmentation needed header with a zero checksum; the quoted
     * datagram goes at {@link #QUOTE_OFFSET}.
     *
     * @param buffer     to write to.
     * @param offset     of the message.
     * @param nextHopMtu MTU of the next hop (RFC 1191).
     * @return {@link #HEADER_LENGTH}.
     */
    public static int writeFragmentationNeededHeader(
        final MutableDirectBuffer buffer, final int offset, final int nextHopMtu)
    {
        return writeHeader(buffer, offset, TYPE_DESTINATION_UNREACHABLE, CODE_FRAGMENTATION_NEEDED,
            nextHopMtu & 0xFFFF);
    }

    /**
     * Compute and write the checksum over the whole message.
     *
     * @param buffer holding the message.
     * @param offset of the message.
     * @param length of header and data in bytes.
     * @return the checksum written.
     */
    public static int writeChecksum(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        checksum(buffer, offset, 0);
        final int checksum = Checksums.checksum(buffer, offset, length);
        checksum(buffer, offset, checksum);
        return checksum;
    }
}
