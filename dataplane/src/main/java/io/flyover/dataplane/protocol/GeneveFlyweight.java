package io.flyover.dataplane.protocol;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The Geneve base header (RFC 8926), 8 bytes, as Flyover uses it: right after the outer UDP header,
 * followed by {@code Opt Len} words of options (Flyover's own option first, see
 * {@link FlyoverOptionFlyweight}) and then the inner IP packet, with no inner Ethernet header.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |Ver|  Opt Len  |O|C|    Rsvd.  |          Protocol Type        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |        Virtual Network Identifier (VNI)       |    Reserved   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    Variable-Length Options                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * <ul>
 *   <li>Ver: 0, the only version RFC 8926 defines.</li>
 *   <li>Opt Len: length of the options in 4-byte words (0..63), not counting this header.</li>
 *   <li>O: OAM frame. Flyover sets it on path probes only.</li>
 *   <li>C: critical options present. Flyover always sets it: its option is critical.</li>
 *   <li>Protocol Type: the EtherType of the inner packet, {@link #PROTOCOL_TYPE_IPV4} or
 *       {@link #PROTOCOL_TYPE_IPV6}.</li>
 *   <li>VNI: the Flyover service id (24 bits).</li>
 * </ul>
 * Every multi-byte field is in network byte order. Accessors are static over an Agrona buffer and
 * an offset (the first byte of the header), so the hot path wraps nothing and allocates nothing.
 * Readers do not check bounds beyond what the buffer itself checks: validate first with
 * {@link GeneveParser}. Stateless; any thread.
 */
public final class GeneveFlyweight
{
    /** The IANA-assigned UDP destination port for Geneve. */
    public static final int UDP_PORT = 6081;

    /** Base header length in bytes. */
    public static final int HEADER_LENGTH = 8;

    /** Offset of the byte holding Ver (2 high bits) and Opt Len (6 low bits). */
    public static final int VERSION_OPT_LEN_OFFSET = 0;
    /** Offset of the flags byte: O, C, then 6 reserved bits. */
    public static final int FLAGS_OFFSET = 1;
    /** Offset of the 16-bit protocol type. */
    public static final int PROTOCOL_TYPE_OFFSET = 2;
    /** Offset of the 24-bit VNI (the high 3 bytes of the 32-bit word; the low byte is reserved). */
    public static final int VNI_OFFSET = 4;
    /** Offset of the reserved byte after the VNI. */
    public static final int RESERVED_OFFSET = 7;
    /** Offset of the first option. */
    public static final int OPTIONS_OFFSET = HEADER_LENGTH;

    /** The only Geneve version. */
    public static final int VERSION = 0;
    /** Largest Opt Len value (6 bits), in 4-byte words. */
    public static final int MAX_OPT_LEN_WORDS = 0x3F;
    /** Flag bit: OAM frame (Flyover: probe). */
    public static final int FLAG_OAM = 0x80;
    /** Flag bit: critical options present. */
    public static final int FLAG_CRITICAL = 0x40;

    /** Inner packet is IPv4. */
    public static final int PROTOCOL_TYPE_IPV4 = 0x0800;
    /** Inner packet is IPv6. */
    public static final int PROTOCOL_TYPE_IPV6 = 0x86DD;

    /** Largest VNI (24 bits). */
    public static final int MAX_VNI = 0xFF_FFFF;

    /** Length of an option header in bytes (class, type, flags and length). */
    public static final int OPTION_HEADER_LENGTH = 4;
    /** Offset, within an option, of its 16-bit class. */
    public static final int OPTION_CLASS_OFFSET = 0;
    /** Offset, within an option, of its type byte; the high bit of the type is the critical bit. */
    public static final int OPTION_TYPE_OFFSET = 2;
    /** Offset, within an option, of the byte holding 3 reserved bits and the 5-bit data length. */
    public static final int OPTION_LENGTH_OFFSET = 3;
    /** Critical bit of an option type. */
    public static final int OPTION_TYPE_CRITICAL = 0x80;
    /** Mask of an option's data length (in 4-byte words, header excluded). */
    public static final int OPTION_LENGTH_MASK = 0x1F;

    private GeneveFlyweight()
    {
    }

    /**
     * @param buffer       holding the option.
     * @param optionOffset of the option header.
     * @return the option class, 0..0xFFFF.
     */
    public static int optionClass(final DirectBuffer buffer, final int optionOffset)
    {
        return buffer.getShort(optionOffset + OPTION_CLASS_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer       holding the option.
     * @param optionOffset of the option header.
     * @return the option type including its critical bit, 0..0xFF.
     */
    public static int optionType(final DirectBuffer buffer, final int optionOffset)
    {
        return buffer.getByte(optionOffset + OPTION_TYPE_OFFSET) & 0xFF;
    }

    /**
     * @param buffer       holding the option.
     * @param optionOffset of the option header.
     * @return the option's data length in 4-byte words (0..31), its 4-byte header excluded.
     */
    public static int optionLengthWords(final DirectBuffer buffer, final int optionOffset)
    {
        return buffer.getByte(optionOffset + OPTION_LENGTH_OFFSET) & OPTION_LENGTH_MASK;
    }

    /**
     * Writes an option header with its reserved bits zero.
     *
     * @param buffer       to write to.
     * @param optionOffset of the option header.
     * @param optionClass  0..0xFFFF.
     * @param optionType   0..0xFF, critical bit included.
     * @param lengthWords  data length in 4-byte words, 0..31.
     */
    public static void optionHeader(
        final MutableDirectBuffer buffer,
        final int optionOffset,
        final int optionClass,
        final int optionType,
        final int lengthWords)
    {
        buffer.putInt(
            optionOffset,
            (optionClass << 16) | ((optionType & 0xFF) << 8) | (lengthWords & OPTION_LENGTH_MASK),
            ByteOrder.BIG_ENDIAN);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the version, 0..3.
     */
    public static int version(final DirectBuffer buffer, final int offset)
    {
        return (buffer.getByte(offset + VERSION_OPT_LEN_OFFSET) & 0xFF) >>> 6;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return Opt Len, the options length in 4-byte words, 0..63.
     */
    public static int optLenWords(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + VERSION_OPT_LEN_OFFSET) & MAX_OPT_LEN_WORDS;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the options length in bytes, 0..252.
     */
    public static int optionsLength(final DirectBuffer buffer, final int offset)
    {
        return optLenWords(buffer, offset) << 2;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the length of the base header plus options: where the inner packet starts, relative
     * to {@code offset}.
     */
    public static int headerAndOptionsLength(final DirectBuffer buffer, final int offset)
    {
        return HEADER_LENGTH + optionsLength(buffer, offset);
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the flags byte: {@link #FLAG_OAM}, {@link #FLAG_CRITICAL} and reserved bits.
     */
    public static int flags(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + FLAGS_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return true if the O bit is set (Flyover: a probe).
     */
    public static boolean oam(final DirectBuffer buffer, final int offset)
    {
        return (flags(buffer, offset) & FLAG_OAM) != 0;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return true if the C bit is set.
     */
    public static boolean critical(final DirectBuffer buffer, final int offset)
    {
        return (flags(buffer, offset) & FLAG_CRITICAL) != 0;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the inner protocol type (an EtherType), 0..0xFFFF.
     */
    public static int protocolType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + PROTOCOL_TYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the header.
     * @param offset of the header.
     * @return the VNI (Flyover: service id), 0..{@link #MAX_VNI}.
     */
    public static int vni(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + VNI_OFFSET, ByteOrder.BIG_ENDIAN) >>> 8;
    }

    /**
     * Writes Ver and Opt Len.
     *
     * @param buffer     to write to.
     * @param offset     of the header.
     * @param version    0..3 (Flyover writes {@link #VERSION}).
     * @param optLenWords options length in 4-byte words, 0..63.
     */
    public static void versionOptLen(
        final MutableDirectBuffer buffer, final int offset, final int version, final int optLenWords)
    {
        buffer.putByte(offset + VERSION_OPT_LEN_OFFSET, (byte)((version << 6) | (optLenWords & MAX_OPT_LEN_WORDS)));
    }

    /**
     * @param buffer to write to.
     * @param offset of the header.
     * @param flags  the whole flags byte.
     */
    public static void flags(final MutableDirectBuffer buffer, final int offset, final int flags)
    {
        buffer.putByte(offset + FLAGS_OFFSET, (byte)flags);
    }

    /**
     * @param buffer       to write to.
     * @param offset       of the header.
     * @param protocolType an EtherType.
     */
    public static void protocolType(final MutableDirectBuffer buffer, final int offset, final int protocolType)
    {
        buffer.putShort(offset + PROTOCOL_TYPE_OFFSET, (short)protocolType, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Writes the VNI and zeroes the reserved byte after it.
     *
     * @param buffer to write to.
     * @param offset of the header.
     * @param vni    0..{@link #MAX_VNI}.
     */
    public static void vni(final MutableDirectBuffer buffer, final int offset, final int vni)
    {
        buffer.putInt(offset + VNI_OFFSET, vni << 8, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Writes a whole base header as Flyover sends it: version 0, the C bit set, reserved bits zero.
     *
     * @param buffer       to write to.
     * @param offset       of the header.
     * @param optLenWords  options length in 4-byte words (Flyover alone: {@link FlyoverOptionFlyweight#LENGTH_WORDS_TOTAL}).
     * @param oam          true for a probe.
     * @param protocolType {@link #PROTOCOL_TYPE_IPV4} or {@link #PROTOCOL_TYPE_IPV6}.
     * @param vni          the service id.
     */
    public static void write(
        final MutableDirectBuffer buffer,
        final int offset,
        final int optLenWords,
        final boolean oam,
        final int protocolType,
        final int vni)
    {
        final int flags = FLAG_CRITICAL | (oam ? FLAG_OAM : 0);
        final int word0 = (VERSION << 30) | ((optLenWords & MAX_OPT_LEN_WORDS) << 24) | (flags << 16) |
            (protocolType & 0xFFFF);
        buffer.putInt(offset, word0, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + VNI_OFFSET, vni << 8, ByteOrder.BIG_ENDIAN);
    }
}
