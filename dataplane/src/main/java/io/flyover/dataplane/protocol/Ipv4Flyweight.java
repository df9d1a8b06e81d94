package io.flyover.dataplane.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * IPv4 header (RFC 791), network byte order, 20 to 60 bytes.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------+-------+---------------+-------------------------------+
 * |Version|  IHL  |  DSCP   |ECN  |          Total Length         |
 * +-------+-------+---------------+-----+-------------------------+
 * |         Identification        |R|D|M|    Fragment Offset      |
 * +---------------+---------------+-----+-------------------------+
 * |  Time to Live |    Protocol   |        Header Checksum        |
 * +---------------+---------------+-------------------------------+
 * |                       Source Address                          |
 * +---------------------------------------------------------------+
 * |                    Destination Address                        |
 * +---------------------------------------------------------------+
 * |              Options (IHL > 5), padded to 32 bits             |
 * +---------------------------------------------------------------+
 * </pre>
 * Addresses are handled as {@code int}s in network order (first byte most significant). The fragment
 * offset is in units of 8 bytes on the wire; {@link #fragmentOffsetBytes} converts.
 * <p>
 * Options: type 0 ends the list, type 1 is a one-byte no-op, every other type is followed by a length
 * byte counting the type and length bytes, so at least 2.
 * <p>
 * Stateless, static accessors over (buffer, offset of the header): any thread.
 */
public final class Ipv4Flyweight
{
    /**
     * Offset of the version (high nibble) and IHL (low nibble, header length in 32-bit words).
     */
    public static final int VERSION_IHL_OFFSET = 0;

    /**
     * Offset of the DSCP / ECN byte (the former type of service).
     */
    public static final int TOS_OFFSET = 1;

    /**
     * Offset of the total length (header and data) in bytes.
     */
    public static final int TOTAL_LENGTH_OFFSET = 2;

    /**
     * Offset of the identification.
     */
    public static final int IDENTIFICATION_OFFSET = 4;

    /**
     * Offset of the 3 flag bits and the 13-bit fragment offset.
     */
    public static final int FLAGS_FRAGMENT_OFFSET = 6;

    /**
     * Offset of the time to live.
     */
    public static final int TTL_OFFSET = 8;

    /**
     * Offset of the protocol.
     */
    public static final int PROTOCOL_OFFSET = 9;

    /**
     * Offset of the header checksum.
     */
    public static final int HEADER_CHECKSUM_OFFSET = 10;

    /**
     * Offset of the source address.
     */
    public static final int SRC_ADDRESS_OFFSET = 12;

    /**
     * Offset of the destination address.
     */
    public static final int DST_ADDRESS_OFFSET = 16;

    /**
     * Offset of the first option byte when IHL is more than 5.
     */
    public static final int OPTIONS_OFFSET = 20;

    /**
     * Length of a header without options (IHL 5).
     */
    public static final int MIN_HEADER_LENGTH = 20;

    /**
     * Length of a header with the most options (IHL 15).
     */
    public static final int MAX_HEADER_LENGTH = 60;

    /**
     * The version field's value.
     */
    public static final int VERSION = 4;

    /**
     * Don't-fragment flag in the 16-bit flags/fragment-offset field.
     */
    public static final int FLAG_DONT_FRAGMENT = 0x4000;

    /**
     * More-fragments flag in the 16-bit flags/fragment-offset field.
     */
    public static final int FLAG_MORE_FRAGMENTS = 0x2000;

    /**
     * Fragment offset mask in the 16-bit flags/fragment-offset field.
     */
    public static final int FRAGMENT_OFFSET_MASK = 0x1FFF;

    /**
     * Option type ending the option list.
     */
    public static final int OPTION_END = 0;

    /**
     * Option type of the one-byte no-op.
     */
    public static final int OPTION_NOP = 1;

    private Ipv4Flyweight()
    {
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the version nibble.
     */
    public static int version(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset + VERSION_IHL_OFFSET) & 0xFF) >>> 4;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the IHL nibble, header length in 32-bit words.
     */
    public static int ihl(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + VERSION_IHL_OFFSET) & 0xF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return header length in bytes, IHL times 4.
     */
    public static int headerLength(final DirectBuffer buffer, final int offset)
    {
        return ihl(buffer, offset) << 2;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the DSCP / ECN byte.
     */
    public static int tos(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TOS_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return total length of header and data in bytes.
     */
    public static int totalLength(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + TOTAL_LENGTH_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the identification.
     */
    public static int identification(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + IDENTIFICATION_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the flags and fragment offset as one 16-bit field.
     */
    public static int flagsAndFragmentOffset(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + FLAGS_FRAGMENT_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return true if DF is set.
     */
    public static boolean dontFragment(final DirectBuffer buffer, final int offset)
    {
        return 0 != (flagsAndFragmentOffset(buffer, offset) & FLAG_DONT_FRAGMENT);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return true if MF is set.
     */
    public static boolean moreFragments(final DirectBuffer buffer, final int offset)
    {
        return 0 != (flagsAndFragmentOffset(buffer, offset) & FLAG_MORE_FRAGMENTS);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the fragment offset in bytes (the 13-bit field times 8).
     */
    public static int fragmentOffsetBytes(final DirectBuffer buffer, final int offset)
    {
        return (flagsAndFragmentOffset(buffer, offset) & FRAGMENT_OFFSET_MASK) << 3;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return true if this is a fragment: MF set or a non-zero fragment offset.
     */
    public static boolean isFragment(final DirectBuffer buffer, final int offset)
    {
        return 0 != (flagsAndFragmentOffset(buffer, offset) & (FLAG_MORE_FRAGMENTS | FRAGMENT_OFFSET_MASK));
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the time to live.
     */
    public static int ttl(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TTL_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the protocol.
     */
    public static int protocol(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + PROTOCOL_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the header checksum as on the wire.
     */
    public static int headerChecksum(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + HEADER_CHECKSUM_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the source address, network order as an int.
     */
    public static int srcAddress(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SRC_ADDRESS_OFFSET, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the destination address, network order as an int.
     */
    public static int dstAddress(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + DST_ADDRESS_OFFSET, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @param value  new time to live; the checksum is not updated.
     */
    public static void ttl(final MutableDirectBuffer buffer, final int offset, final int value)
    {
        buffer.putByte(offset + TTL_OFFSET, (byte)value);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @param value  new total length; the checksum is not updated.
     */
    public static void totalLength(final MutableDirectBuffer buffer, final int offset, final int value)
    {
        buffer.putShort(offset + TOTAL_LENGTH_OFFSET, (short)value, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @param value  new header checksum.
     */
    public static void headerChecksum(final MutableDirectBuffer buffer, final int offset, final int value)
    {
        buffer.putShort(offset + HEADER_CHECKSUM_OFFSET, (short)value, BIG_ENDIAN);
    }

    /**
     * @param buffer  holding the header.
     * @param offset  of the header.
     * @param address new source address; the checksum is not updated.
     */
    public static void srcAddress(final MutableDirectBuffer buffer, final int offset, final int address)
    {
        buffer.putInt(offset + SRC_ADDRESS_OFFSET, address, BIG_ENDIAN);
    }

    /**
     * @param buffer  holding the header.
     * @param offset  of the header.
     * @param address new destination address; the checksum is not updated.
     */
    public static void dstAddress(final MutableDirectBuffer buffer, final int offset, final int address)
    {
        buffer.putInt(offset + DST_ADDRESS_OFFSET, address, BIG_ENDIAN);
    }

    /**
     * Compute the header checksum, treating the checksum field as zero.
     *
     * @param buffer       holding the header.
     * @param offset       of the header.
     * @param headerLength of the header in bytes (IHL times 4).
     * @return the checksum the header should carry.
     */
    public static int computeHeaderChecksum(final DirectBuffer buffer, final int offset, final int headerLength)
    {
        final long sum = Checksums.sum(buffer, offset, HEADER_CHECKSUM_OFFSET) +
            (long)Checksums.sum(buffer, offset + SRC_ADDRESS_OFFSET, headerLength - SRC_ADDRESS_OFFSET);

        return ~Checksums.fold(sum) & 0xFFFF;
    }

    /**
     * Compute and write the header checksum.
     *
     * @param buffer holding the header.
     * @param offset of the header; its IHL gives the length.
     */
    public static void writeHeaderChecksum(final MutableDirectBuffer buffer, final int offset)
    {
        headerChecksum(buffer, offset, computeHeaderChecksum(buffer, offset, headerLength(buffer, offset)));
    }

    /**
     * @param buffer       holding the header.
     * @param offset       of the header.
     * @param headerLength of the header in bytes (IHL times 4).
     * @return true if the header checksum verifies.
     */
    public static boolean isHeaderChecksumValid(final DirectBuffer buffer, final int offset, final int headerLength)
    {
        return Checksums.isValid(buffer, offset, headerLength, 0);
    }

    /**
     * Decrement the time to live by one and update the header checksum incrementally (RFC 1624). The
     * caller checks the TTL is above 1 first.
     *
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the new time to live.
     */
    public static int decrementTtl(final MutableDirectBuffer buffer, final int offset)
    {
        final int oldWord = buffer.getShort(offset + TTL_OFFSET, BIG_ENDIAN) & 0xFFFF;
        final int newWord = (oldWord - 0x100) & 0xFFFF;
        buffer.putShort(offset + TTL_OFFSET, (short)newWord, BIG_ENDIAN);
        headerChecksum(buffer, offset, Checksums.update16(headerChecksum(buffer, offset), oldWord, newWord));
        return newWord >>> 8;
    }

    /**
     * Does the option area (bytes 20 to the header length) hold well-formed options? Every option
     * other than end and no-op needs a length byte of at least 2 that does not run past the header.
     * Reads only bytes inside the header; the caller checks they were captured.
     *
     * @param buffer       holding the header.
     * @param offset       of the header.
     * @param headerLength of the header in bytes (IHL times 4).
     * @return true if the options are well formed (or there are none).
     */
    public static boolean isOptionsValid(final DirectBuffer buffer, final int offset, final int headerLength)
    {
        final int end = offset + headerLength;
        int index = offset + OPTIONS_OFFSET;

        while (index < end)
        {
            final int type = buffer.getByte(index) & 0xFF;
            if (OPTION_END == type)
            {
                return true;
            }

            if (OPTION_NOP == type)
            {
                index++;
                continue;
            }

            if (end - index < 2)
            {
                return false;
            }

            final int length = buffer.getByte(index + 1) & 0xFF;
            if (length < 2 || length > end - index)
            {
                return false;
            }

            index += length;
        }

        return true;
    }

    /**
     * Write a header without options, checksum included.
     *
     * @param buffer                 to write to.
     * @param offset                 of the header.
     * @param tos                    DSCP / ECN byte.
     * @param totalLength            of header and data in bytes.
     * @param identification         16-bit identification.
     * @param flagsAndFragmentOffset flags ({@link #FLAG_DONT_FRAGMENT}, {@link #FLAG_MORE_FRAGMENTS}) ORed
     *                               with the fragment offset in 8-byte units.
     * @param ttl                    time to live.
     * @param protocol               protocol of the payload.
     * @param srcAddress             source address, network order as an int.
     * @param dstAddress             destination address, network order as an int.
     * @return header length, {@link #MIN_HEADER_LENGTH}.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int tos,
        final int totalLength,
        final int identification,
        final int flagsAndFragmentOffset,
        final int ttl,
        final int protocol,
        final int srcAddress,
        final int dstAddress)
    {
        writeFixedFields(
            buffer, offset, MIN_HEADER_LENGTH, tos, totalLength, identification, flagsAndFragmentOffset, ttl,
            protocol, srcAddress, dstAddress);
        headerChecksum(buffer, offset, computeHeaderChecksum(buffer, offset, MIN_HEADER_LENGTH));
        return MIN_HEADER_LENGTH;
    }

    /**
     * Write a header with options, checksum included. The options are copied as given and padded with
     * end-of-list bytes to a multiple of 4.
     *
     * @param buffer                 to write to.
     * @param offset                 of the header.
     * @param tos                    DSCP / ECN byte.
     * @param totalLength            of header and data in bytes.
     * @param identification         16-bit identification.
     * @param flagsAndFragmentOffset flags ORed with the fragment offset in 8-byte units.
     * @param ttl                    time to live.
     * @param protocol               protocol of the payload.
     * @param srcAddress             source address, network order as an int.
     * @param dstAddress             destination address, network order as an int.
     * @param options                buffer holding the option bytes.
     * @param optionsOffset          of the option bytes.
     * @param optionsLength          number of option bytes, at most 40.
     * @return header length in bytes.
     * @throws IllegalArgumentException if the options are longer than 40 bytes.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int tos,
        final int totalLength,
        final int identification,
        final int flagsAndFragmentOffset,
        final int ttl,
        final int protocol,
        final int srcAddress,
        final int dstAddress,
        final DirectBuffer options,
        final int optionsOffset,
        final int optionsLength)
    {
        if (optionsLength < 0 || optionsLength > MAX_HEADER_LENGTH - MIN_HEADER_LENGTH)
        {
            throw new IllegalArgumentException("IPv4 options length must be 0..40: " + optionsLength);
        }

        final int headerLength = MIN_HEADER_LENGTH + ((optionsLength + 3) & ~3);
        writeFixedFields(
            buffer, offset, headerLength, tos, totalLength, identification, flagsAndFragmentOffset, ttl,
            protocol, srcAddress, dstAddress);
        buffer.putBytes(offset + OPTIONS_OFFSET, options, optionsOffset, optionsLength);
        buffer.setMemory(offset + OPTIONS_OFFSET + optionsLength, headerLength - MIN_HEADER_LENGTH - optionsLength,
            (byte)OPTION_END);
        headerChecksum(buffer, offset, computeHeaderChecksum(buffer, offset, headerLength));
        return headerLength;
    }

    private static void writeFixedFields(
        final MutableDirectBuffer buffer,
        final int offset,
        final int headerLength,
        final int tos,
        final int totalLength,
        final int identification,
        final int flagsAndFragmentOffset,
        final int ttl,
        final int protocol,
        final int srcAddress,
        final int dstAddress)
    {
        buffer.putByte(offset + VERSION_IHL_OFFSET, (byte)((VERSION << 4) | (headerLength >>> 2)));
        buffer.putByte(offset + TOS_OFFSET, (byte)tos);
        buffer.putShort(offset + TOTAL_LENGTH_OFFSET, (short)totalLength, BIG_ENDIAN);
        buffer.putShort(offset + IDENTIFICATION_OFFSET, (short)identification, BIG_ENDIAN);
        buffer.putShort(offset + FLAGS_FRAGMENT_OFFSET, (short)flagsAndFragmentOffset, BIG_ENDIAN);
        buffer.putByte(offset + TTL_OFFSET, (byte)ttl);
        buffer.putByte(offset + PROTOCOL_OFFSET, (byte)protocol);
        buffer.putShort(offset + HEADER_CHECKSUM_OFFSET, (short)0, BIG_ENDIAN);
        buffer.putInt(offset + SRC_ADDRESS_OFFSET, srcAddress, BIG_ENDIAN);
        buffer.putInt(offset + DST_ADDRESS_OFFSET, dstAddress, BIG_ENDIAN);
    }
}
