package io.flyover.dataplane.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * TCP header (RFC 9293), network byte order, 20 to 60 bytes.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-------------------------------+
 * |          Source Port          |       Destination Port        |
 * +-------------------------------+-------------------------------+
 * |                        Sequence Number                        |
 * +---------------------------------------------------------------+
 * |                    Acknowledgment Number                      |
 * +-------+-------+-+-+-+-+-+-+-+-+-------------------------------+
 * |  Data |       |C|E|U|A|P|R|S|F|                               |
 * | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
 * |       |       |R|E|G|K|H|T|N|N|                               |
 * +-------+-------+-+-+-+-+-+-+-+-+-------------------------------+
 * |           Checksum            |         Urgent Pointer        |
 * +-------------------------------+-------------------------------+
 * |            Options (data offset > 5), padded to 32 bits       |
 * +---------------------------------------------------------------+
 * </pre>
 * Options: kind 0 ends the list, kind 1 is a one-byte no-op, every other kind is followed by a length
 * byte counting kind and length, so at least 2. The checksum covers a pseudo-header and the segment.
 * <p>
 * {@link #clampMss} rewrites the MSS option of a SYN and updates the checksum incrementally
 * (RFC 1624), also when the option sits at an odd offset.
 * <p>
 * Stateless, static accessors over (buffer, offset of the header): any thread.
 */
public final class TcpFlyweight
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
     * Offset of the sequence number.
     */
    public static final int SEQUENCE_OFFSET = 4;

    /**
     * Offset of the acknowledgment number.
     */
    public static final int ACKNOWLEDGMENT_OFFSET = 8;

    /**
     * Offset of the data offset (high nibble) and reserved bits.
     */
    public static final int DATA_OFFSET_OFFSET = 12;

    /**
     * Offset of the flags byte.
     */
    public static final int FLAGS_OFFSET = 13;

    /**
     * Offset of the window.
     */
    public static final int WINDOW_OFFSET = 14;

    /**
     * Offset of the checksum.
     */
    public static final int CHECKSUM_OFFSET = 16;

    /**
     * Offset of the urgent pointer.
     */
    public static final int URGENT_POINTER_OFFSET = 18;

    /**
     * Offset of the first option byte when the data offset is more than 5.
     */
    public static final int OPTIONS_OFFSET = 20;

    /**
     * Length of a header without options.
     */
    public static final int MIN_HEADER_LENGTH = 20;

    /**
     * Length of a header with the most options (data offset 15).
     */
    public static final int MAX_HEADER_LENGTH = 60;

    /**
     * FIN flag.
     */
    public static final int FLAG_FIN = 0x01;

    /**
     * SYN flag.
     */
    public static final int FLAG_SYN = 0x02;

    /**
     * RST flag.
     */
    public static final int FLAG_RST = 0x04;

    /**
     * PSH flag.
     */
    public static final int FLAG_PSH = 0x08;

    /**
     * ACK flag.
     */
    public static final int FLAG_ACK = 0x10;

    /**
     * URG flag.
     */
    public static final int FLAG_URG = 0x20;

    /**
     * ECE flag.
     */
    public static final int FLAG_ECE = 0x40;

    /**
     * CWR flag.
     */
    public static final int FLAG_CWR = 0x80;

    /**
     * Option kind ending the option list.
     */
    public static final int OPTION_END = 0;

    /**
     * Option kind of the one-byte no-op.
     */
    public static final int OPTION_NOP = 1;

    /**
     * Option kind of the maximum segment size.
     */
    public static final int OPTION_MSS = 2;

    /**
     * Option kind of the window scale.
     */
    public static final int OPTION_WINDOW_SCALE = 3;

    /**
     * Option kind of SACK permitted.
     */
    public static final int OPTION_SACK_PERMITTED = 4;

    /**
     * Option kind of SACK blocks.
     */
    public static final int OPTION_SACK = 5;

    /**
     * Option kind of timestamps.
     */
    public static final int OPTION_TIMESTAMPS = 8;

    /**
     * Length of the MSS option.
     */
    public static final int MSS_OPTION_LENGTH = 4;

    /**
     * Length of the window scale option.
     */
    public static final int WINDOW_SCALE_OPTION_LENGTH = 3;

    /**
     * Length of the SACK permitted option.
     */
    public static final int SACK_PERMITTED_OPTION_LENGTH = 2;

    /**
     * Length of the timestamps option.
     */
    public static final int TIMESTAMPS_OPTION_LENGTH = 10;

    /**
     * Returned by option lookups when the option list has no such option.
     */
    public static final int OPTION_NOT_FOUND = -1;

    /**
     * Returned by option lookups when an option's length byte is missing, below 2, or runs past the header.
     */
    public static final int OPTION_OVERRUN = -2;

    private TcpFlyweight()
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
     * @return the sequence number, as a 32-bit int.
     */
    public static int sequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SEQUENCE_OFFSET, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the acknowledgment number, as a 32-bit int.
     */
    public static int acknowledgment(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + ACKNOWLEDGMENT_OFFSET, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the data offset nibble, header length in 32-bit words.
     */
    public static int dataOffset(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset + DATA_OFFSET_OFFSET) & 0xFF) >>> 4;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return header length in bytes, data offset times 4.
     */
    public static int headerLength(final DirectBuffer buffer, final int offset)
    {
        return dataOffset(buffer, offset) << 2;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the flags byte (CWR ECE URG ACK PSH RST SYN FIN).
     */
    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the window.
     */
    public static int window(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + WINDOW_OFFSET, BIG_ENDIAN) & 0xFFFF;
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
     * @return the urgent pointer.
     */
    public static int urgentPointer(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + URGENT_POINTER_OFFSET, BIG_ENDIAN) & 0xFFFF;
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
     * @param buffer   holding the header.
     * @param offset   of the header.
     * @param checksum new checksum.
     */
    public static void checksum(final MutableDirectBuffer buffer, final int offset, final int checksum)
    {
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)checksum, BIG_ENDIAN);
    }

    /**
     * Walk the whole option list, checking every option's length, and find the first option of a kind.
     * Reads only bytes inside the header; the caller checks they were captured.
     *
     * @param buffer       holding the header.
     * @param offset       of the header.
     * @param headerLength of the header in bytes (data offset times 4).
     * @param kind         option kind to look for (not end or no-op).
     * @return buffer index of the option's kind byte, {@link #OPTION_NOT_FOUND}, or {@link #OPTION_OVERRUN}
     * if any option before the end of the list is malformed.
     */
    public static int findOption(final DirectBuffer buffer, final int offset, final int headerLength, final int kind)
    {
        final int end = offset + headerLength;
        int index = offset + OPTIONS_OFFSET;
        int found = OPTION_NOT_FOUND;

        while (index < end)
        {
            final int optionKind = buffer.getByte(index) & 0xFF;
            if (OPTION_END == optionKind)
            {
                break;
            }

            if (OPTION_NOP == optionKind)
            {
                index++;
                continue;
            }

            if (end - index < 2)
            {
                return OPTION_OVERRUN;
            }

            final int length = buffer.getByte(index + 1) & 0xFF;
            if (length < 2 || length > end - index)
            {
                return OPTION_OVERRUN;
            }

            if (optionKind == kind && OPTION_NOT_FOUND == found)
            {
                found = index;
            }

            index += length;
        }

        return found;
    }

    /**
     * Does the option area hold well-formed options?
     *
     * @param buffer       holding the header.
     * @param offset       of the header.
     * @param headerLength of the header in bytes.
     * @return true if every option's length is in range (or there are none).
     */
    public static boolean isOptionsValid(final DirectBuffer buffer, final int offset, final int headerLength)
    {
        return OPTION_OVERRUN != findOption(buffer, offset, headerLength, OPTION_END);
    }

    /**
     * The advertised MSS, if the option list is well formed and holds an MSS option of length 4.
     *
     * @param buffer       holding the header.
     * @param offset       of the header.
     * @param headerLength of the header in bytes.
     * @return the MSS, {@link #OPTION_NOT_FOUND} (also for an MSS option whose length is not 4), or
     * {@link #OPTION_OVERRUN}.
     */
    public static int mss(final DirectBuffer buffer, final int offset, final int headerLength)
    {
        final int index = findOption(buffer, offset, headerLength, OPTION_MSS);
        if (index < 0)
        {
            return index;
        }

        if (MSS_OPTION_LENGTH != (buffer.getByte(index + 1) & 0xFF))
        {
            return OPTION_NOT_FOUND;
        }

        return buffer.getShort(index + 2, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * Clamp the MSS option to at most {@code maxMss}, updating the checksum incrementally.
     *
     * @param buffer       holding the header.
     * @param offset       of the header.
     * @param headerLength of the header in bytes.
     * @param maxMss       largest MSS allowed.
     * @return the MSS before clamping (rewritten only if above {@code maxMss}), {@link #OPTION_NOT_FOUND}
     * or {@link #OPTION_OVERRUN}; nothing is written when negative.
     */
    public static int clampMss(
        final MutableDirectBuffer buffer, final int offset, final int headerLength, final int maxMss)
    {
        final int index = findOption(buffer, offset, headerLength, OPTION_MSS);
        if (index < 0)
        {
            return index;
        }

        if (MSS_OPTION_LENGTH != (buffer.getByte(index + 1) & 0xFF))
        {
            return OPTION_NOT_FOUND;
        }

        return clampMssAt(buffer, offset, index, maxMss);
    }

    /**
     * Clamp an MSS option already located (e.g. by the parser), updating the checksum incrementally.
     *
     * @param buffer         holding the header.
     * @param offset         of the TCP header.
     * @param mssOptionIndex buffer index of the MSS option's kind byte; its length must be 4.
     * @param maxMss         largest MSS allowed.
     * @return the MSS before clamping; rewritten only if above {@code maxMss}.
     */
    public static int clampMssAt(
        final MutableDirectBuffer buffer, final int offset, final int mssOptionIndex, final int maxMss)
    {
        final int valueIndex = mssOptionIndex + 2;
        final int oldMss = buffer.getShort(valueIndex, BIG_ENDIAN) & 0xFFFF;
        if (oldMss > maxMss)
        {
            final int newMss = maxMss & 0xFFFF;
            buffer.putShort(valueIndex, (short)newMss, BIG_ENDIAN);

            final int checksum = checksum(buffer, offset);
            final int updated = 0 == ((valueIndex - offset) & 1) ?
                Checksums.update16(checksum, oldMss, newMss) :
                Checksums.update16(checksum, swapBytes(oldMss), swapBytes(newMss));
            checksum(buffer, offset, updated);
        }

        return oldMss;
    }

    /**
     * Write a header with a zero checksum and no option bytes; write options after it with the
     * {@code write*Option} methods, then the checksum.
     *
     * @param buffer         to write to.
     * @param offset         of the header.
     * @param srcPort        source port.
     * @param dstPort        destination port.
     * @param sequence       sequence number.
     * @param acknowledgment acknowledgment number.
     * @param headerLength   header length in bytes including options, a multiple of 4 in 20..60.
     * @param flags          flags byte.
     * @param window         window.
     * @param urgentPointer  urgent pointer.
     * @return {@link #MIN_HEADER_LENGTH}: the index after the fixed part, where options go.
     * @throws IllegalArgumentException if the header length is out of range.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int srcPort,
        final int dstPort,
        final int sequence,
        final int acknowledgment,
        final int headerLength,
        final int flags,
        final int window,
        final int urgentPointer)
    {
        if (headerLength < MIN_HEADER_LENGTH || headerLength > MAX_HEADER_LENGTH || 0 != (headerLength & 3))
        {
            throw new IllegalArgumentException("TCP header length must be a multiple of 4 in 20..60: " + headerLength);
        }

        buffer.putShort(offset + SRC_PORT_OFFSET, (short)srcPort, BIG_ENDIAN);
        buffer.putShort(offset + DST_PORT_OFFSET, (short)dstPort, BIG_ENDIAN);
        buffer.putInt(offset + SEQUENCE_OFFSET, sequence, BIG_ENDIAN);
        buffer.putInt(offset + ACKNOWLEDGMENT_OFFSET, acknowledgment, BIG_ENDIAN);
        buffer.putByte(offset + DATA_OFFSET_OFFSET, (byte)((headerLength >>> 2) << 4));
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
        buffer.putShort(offset + WINDOW_OFFSET, (short)window, BIG_ENDIAN);
        buffer.putShort(offset + CHECKSUM_OFFSET, (short)0, BIG_ENDIAN);
        buffer.putShort(offset + URGENT_POINTER_OFFSET, (short)urgentPointer, BIG_ENDIAN);
        return MIN_HEADER_LENGTH;
    }

    /**
     * @param buffer to write to.
     * @param index  where the option goes.
     * @param mss    maximum segment size.
     * @return {@link #MSS_OPTION_LENGTH}.
     */
    public static int writeMssOption(final MutableDirectBuffer buffer, final int index, final int mss)
    {
        buffer.putByte(index, (byte)OPTION_MSS);
        buffer.putByte(index + 1, (byte)MSS_OPTION_LENGTH);
        buffer.putShort(index + 2, (short)mss, BIG_ENDIAN);
        return MSS_OPTION_LENGTH;
    }

    /**
     * @param buffer to write to.
     * @param index  where the option goes.
     * @param shift  window scale shift count.
     * @return {@link #WINDOW_SCALE_OPTION_LENGTH}.
     */
    public static int writeWindowScaleOption(final MutableDirectBuffer buffer, final int index, final int shift)
    {
        buffer.putByte(index, (byte)OPTION_WINDOW_SCALE);
        buffer.putByte(index + 1, (byte)WINDOW_SCALE_OPTION_LENGTH);
        buffer.putByte(index + 2, (byte)shift);
        return WINDOW_SCALE_OPTION_LENGTH;
    }

    /**
     * @param buffer to write to.
     * @param index  where the option goes.
     * @return {@link #SACK_PERMITTED_OPTION_LENGTH}.
     */
    public static int writeSackPermittedOption(final MutableDirectBuffer buffer, final int index)
    {
        buffer.putByte(index, (byte)OPTION_SACK_PERMITTED);
        buffer.putByte(index + 1, (byte)SACK_PERMITTED_OPTION_LENGTH);
        return SACK_PERMITTED_OPTION_LENGTH;
    }

    /**
     * @param buffer    to write to.
     * @param index     where the option goes.
     * @param value     timestamp value.
     * @param echoReply timestamp echo reply.
     * @return {@link #TIMESTAMPS_OPTION_LENGTH}.
     */
    public static int writeTimestampsOption(
        final MutableDirectBuffer buffer, final int index, final int value, final int echoReply)
    {
        buffer.putByte(index, (byte)OPTION_TIMESTAMPS);
        buffer.putByte(index + 1, (byte)TIMESTAMPS_OPTION_LENGTH);
        buffer.putInt(index + 2, value, BIG_ENDIAN);
        buffer.putInt(index + 6, echoReply, BIG_ENDIAN);
        return TIMESTAMPS_OPTION_LENGTH;
    }

    /**
     * @param buffer to write to.
     * @param index  where the no-op goes.
     * @return 1.
     */
    public static int writeNopOption(final MutableDirectBuffer buffer, final int index)
    {
        buffer.putByte(index, (byte)OPTION_NOP);
        return 1;
    }

    /**
     * Fill from {@code index} to the end of the header with end-of-list bytes.
     *
     * @param buffer    to write to.
     * @param index     where the padding starts.
     * @param headerEnd buffer index just past the header.
     * @return bytes written.
     */
    public static int writeEndOfOptions(final MutableDirectBuffer buffer, final int index, final int headerEnd)
    {
        final int length = Math.max(0, headerEnd - index);
        buffer.setMemory(index, length, (byte)OPTION_END);
        return length;
    }

    /**
     * Compute and write the checksum of a segment over IPv4.
     *
     * @param buffer     holding the IPv4 header and the segment.
     * @param ipv4Offset of the IPv4 header (for the addresses).
     * @param tcpOffset  of the TCP header.
     * @param tcpLength  of header and data in bytes.
     * @return the checksum written.
     */
    public static int writeChecksumIpv4(
        final MutableDirectBuffer buffer, final int ipv4Offset, final int tcpOffset, final int tcpLength)
    {
        checksum(buffer, tcpOffset, 0);
        final int pseudo = Checksums.ipv4PseudoHeaderSum(buffer, ipv4Offset, IpProtocol.TCP, tcpLength);
        final int checksum = Checksums.checksum(buffer, tcpOffset, tcpLength, pseudo);
        checksum(buffer, tcpOffset, checksum);
        return checksum;
    }

    /**
     * Compute and write the checksum of a segment over IPv6.
     *
     * @param buffer     holding the IPv6 header and the segment.
     * @param ipv6Offset of the IPv6 header (for the addresses; no routing header with segments left).
     * @param tcpOffset  of the TCP header.
     * @param tcpLength  of header and data in bytes.
     * @return the checksum written.
     */
    public static int writeChecksumIpv6(
        final MutableDirectBuffer buffer, final int ipv6Offset, final int tcpOffset, final int tcpLength)
    {
        checksum(buffer, tcpOffset, 0);
        final int pseudo = Checksums.ipv6PseudoHeaderSum(buffer, ipv6Offset, IpProtocol.TCP, tcpLength);
        final int checksum = Checksums.checksum(buffer, tcpOffset, tcpLength, pseudo);
        checksum(buffer, tcpOffset, checksum);
        return checksum;
    }

    private static int swapBytes(final int value)
    {
        return ((value & 0xFF) << 8) | ((value >>> 8) & 0xFF);
    }
}
