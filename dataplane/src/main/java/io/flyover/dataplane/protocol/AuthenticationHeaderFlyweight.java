package io.flyover.dataplane.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * IP authentication header (RFC 4302), network byte order. Its length byte counts 32-bit words minus 2;
 * in IPv6 the whole header is a multiple of 8 bytes.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------+---------------+-------------------------------+
 * | Next Header   |  Payload Len  |          RESERVED             |
 * +---------------+---------------+-------------------------------+
 * |                 Security Parameters Index (SPI)               |
 * +---------------------------------------------------------------+
 * |                    Sequence Number Field                      |
 * +---------------------------------------------------------------+
 * |                Integrity Check Value (variable)               |
 * +---------------------------------------------------------------+
 * </pre>
 * Stateless, static accessors over (buffer, offset of the header): any thread.
 */
public final class AuthenticationHeaderFlyweight
{
    /**
     * Offset of the next header.
     */
    public static final int NEXT_HEADER_OFFSET = 0;

    /**
     * Offset of the payload length byte.
     */
    public static final int PAYLOAD_LENGTH_OFFSET = 1;

    /**
     * Offset of the reserved field.
     */
    public static final int RESERVED_OFFSET = 2;

    /**
     * Offset of the SPI.
     */
    public static final int SPI_OFFSET = 4;

    /**
     * Offset of the sequence number.
     */
    public static final int SEQUENCE_OFFSET = 8;

    /**
     * Offset of the integrity check value.
     */
    public static final int ICV_OFFSET = 12;

    /**
     * Shortest valid header: fixed fields without ICV.
     */
    public static final int MIN_HEADER_LENGTH = 12;

    private AuthenticationHeaderFlyweight()
    {
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the next header.
     */
    public static int nextHeader(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + NEXT_HEADER_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return header length in bytes, (payload length + 2) * 4.
     */
    public static int headerLength(final DirectBuffer buffer, final int offset)
    {
        return ((buffer.getByte(offset + PAYLOAD_LENGTH_OFFSET) & 0xFF) + 2) << 2;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the security parameters index.
     */
    public static int spi(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SPI_OFFSET, BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the sequence number.
     */
    public static int sequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + SEQUENCE_OFFSET, BIG_ENDIAN);
    }

    /**
     * Write a header with a zeroed integrity check value.
     *
     * @param buffer     to write to.
     * @param offset     of the header.
     * @param nextHeader protocol number of what follows.
     * @param icvLength  integrity check value length in bytes, a multiple of 4 (of 8, less 4, for IPv6).
     * @param spi        security parameters index.
     * @param sequence   sequence number.
     * @return header length in bytes.
     * @throws IllegalArgumentException if the ICV length is not a multiple of 4 in 0..1008.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int nextHeader,
        final int icvLength,
        final int spi,
        final int sequence)
    {
        if (icvLength < 0 || 0 != (icvLength & 3) || icvLength > (255 + 2) * 4 - MIN_HEADER_LENGTH)
        {
            throw new IllegalArgumentException("ICV length must be a multiple of 4 in 0..1008: " + icvLength);
        }

        final int headerLength = MIN_HEADER_LENGTH + icvLength;
        buffer.putByte(offset + NEXT_HEADER_OFFSET, (byte)nextHeader);
        buffer.putByte(offset + PAYLOAD_LENGTH_OFFSET, (byte)((headerLength >>> 2) - 2));
        buffer.putShort(offset + RESERVED_OFFSET, (short)0, BIG_ENDIAN);
        buffer.putInt(offset + SPI_OFFSET, spi, BIG_ENDIAN);
        buffer.putInt(offset + SEQUENCE_OFFSET, sequence, BIG_ENDIAN);
        buffer.setMemory(offset + ICV_OFFSET, icvLength, (byte)0);
        return headerLength;
    }
}
