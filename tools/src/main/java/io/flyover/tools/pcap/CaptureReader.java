package io.flyover.tools.pcap;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.math.BigInteger;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a pcap or pcapng file, mapped into memory, one packet at a time into a reused
 * {@link CapturedPacket}. The format is told by the file's magic number. Every length read from
 * the file is checked against the file and against {@link CapturedPacket#MAX_CAPTURED_LENGTH}
 * before any byte is copied: a broken file is a {@link CaptureFormatException} naming the byte
 * offset, never a read out of bounds. Reading allocates nothing per packet. One thread.
 */
public final class CaptureReader implements AutoCloseable
{
    /** The file's format. */
    public enum Format
    {
        /** Classic libpcap format. */
        PCAP("pcap"),
        /** pcap next generation. */
        PCAPNG("pcapng");

        private final String label;

        Format(final String label)
        {
            this.label = label;
        }

        /**
         * @return the format's name.
         */
        public String label()
        {
            return label;
        }
    }

    private static final int PCAP_MAGIC_US = 0xA1B2C3D4;
    private static final int PCAP_MAGIC_NS = 0xA1B23C4D;
    private static final int PCAP_HEADER = 24;
    private static final int PCAP_RECORD_HEADER = 16;
    private static final int SHB = 0x0A0D0D0A;
    private static final int BYTE_ORDER_MAGIC = 0x1A2B3C4D;
    private static final int IDB = 1;
    private static final int OBSOLETE_PB = 2;
    private static final int SPB = 3;
    private static final int EPB = 6;
    private static final int MAX_INTERFACES = 1024;
    private static final int OPT_END = 0;
    private static final int OPT_IF_TSRESOL = 9;
    private static final int OPT_IF_TSOFFSET = 14;

    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort SHORT_LE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_LE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    private final Arena arena;
    private final MemorySegment file;
    private final long size;
    private final Format format;

    private boolean littleEndian;
    private long position;
    private long packets;

    // pcap
    private int pcapLinkType;
    private boolean pcapNanos;

    // pcapng: the current section's interfaces
    private int interfaceCount;
    private final int[] ifLinkType = new int[MAX_INTERFACES];
    private final int[] ifSnapLength = new int[MAX_INTERFACES];
    private final boolean[] ifBinaryResolution = new boolean[MAX_INTERFACES];
    private final int[] ifResolutionExponent = new int[MAX_INTERFACES];
    private final long[] ifOffsetNs = new long[MAX_INTERFACES];
    private long lastTimestampNs;

    private CaptureReader(final Arena arena, final MemorySegment file, final Format format)
    {
        this.arena = arena;
        this.file = file;
        this.size = file.byteSize();
        this.format = format;
    }

    /**
     * Opens and maps a capture file and reads its first header.
     *
     * @param path the file.
     * @return the reader, positioned before the first packet.
     * @throws CaptureFormatException if the file is missing, unreadable, empty or no capture.
     */
    public static CaptureReader open(final Path path) throws CaptureFormatException
    {
        final Arena arena = Arena.ofConfined();
        final MemorySegment segment;
        try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ))
        {
            segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), arena);
        }
        catch (final NoSuchFileException ex)
        {
            arena.close();
            throw new CaptureFormatException(path + ": no such file");
        }
        catch (final AccessDeniedException ex)
        {
            arena.close();
            throw new CaptureFormatException(path + ": permission denied");
        }
        catch (final IOException | UnsupportedOperationException ex)
        {
            arena.close();
            throw new CaptureFormatException(path + ": cannot read: " + ex.getMessage());
        }
        try
        {
            if (segment.byteSize() < 4)
            {
                throw new CaptureFormatException(segment.byteSize() == 0 ?
                    "empty file, not a capture" : "not a capture file: " + segment.byteSize() + " bytes");
            }
            final int magicBe = segment.get(INT_BE, 0);
            final int magicLe = segment.get(INT_LE, 0);
            final CaptureReader reader;
            if (SHB == magicBe)
            {
                reader = new CaptureReader(arena, segment, Format.PCAPNG);
            }
            else if (PCAP_MAGIC_US == magicBe || PCAP_MAGIC_NS == magicBe ||
                PCAP_MAGIC_US == magicLe || PCAP_MAGIC_NS == magicLe)
            {
                reader = new CaptureReader(arena, segment, Format.PCAP);
            }
            else
            {
                throw new CaptureFormatException(String.format(
                    "not a pcap or pcapng file (magic number 0x%08x)", magicBe));
            }
            reader.rewind();
            return reader;
        }
        catch (final CaptureFormatException ex)
        {
            arena.close();
            throw new CaptureFormatException(path + ": " + ex.getMessage());
        }
    }

    /**
     * @return the file's format.
     */
    public Format format()
    {
        return format;
    }

    /**
     * Goes back to the first packet.
     *
     * @throws CaptureFormatException if the file's first header is broken.
     */
    public void rewind() throws CaptureFormatException
    {
        packets = 0;
        lastTimestampNs = 0;
        interfaceCount = 0;
        if (Format.PCAP == format)
        {
            if (size < PCAP_HEADER)
            {
                throw new CaptureFormatException("truncated pcap file header: " + size + " of 24 bytes");
            }
            final int magicBe = file.get(INT_BE, 0);
            littleEndian = PCAP_MAGIC_US != magicBe && PCAP_MAGIC_NS != magicBe;
            pcapNanos = PCAP_MAGIC_NS == (littleEndian ? file.get(INT_LE, 0) : magicBe);
            final int major = u16(4);
            if (2 != major)
            {
                throw new CaptureFormatException("unsupported pcap version " + major + "." + u16(6));
            }
            pcapLinkType = i32(20) & 0x0FFF_FFFF;
            if (!LinkType.isSupported(pcapLinkType))
            {
                throw new CaptureFormatException("unsupported link type " + pcapLinkType
                    + " (replay reads ethernet, raw IPv4/IPv6, Linux cooked SLL and SLL2)");
            }
            position = PCAP_HEADER;
        }
        else
        {
            position = 0;
        }
    }

    /**
     * Walks the whole file, checking every header, then goes back to the first packet. Call it
     * before {@link #next} to refuse a broken file before anything is done with its packets.
     *
     * @param scratch a packet to read into.
     * @return the number of packets.
     * @throws CaptureFormatException at the first fault.
     */
    public long scan(final CapturedPacket scratch) throws CaptureFormatException
    {
        long count = 0;
        while (next(scratch))
        {
            count++;
        }
        rewind();
        return count;
    }

    /**
     * Reads the next packet.
     *
     * @param packet where to put it.
     * @return {@code false} at the end of the file.
     * @throws CaptureFormatException if the file is broken at this point.
     */
    public boolean next(final CapturedPacket packet) throws CaptureFormatException
    {
        return Format.PCAP == format ? nextPcap(packet) : nextPcapng(packet);
    }

    private boolean nextPcap(final CapturedPacket packet) throws CaptureFormatException
    {
        if (position == size)
        {
            return false;
        }
        if (size - position < PCAP_RECORD_HEADER)
        {
            throw new CaptureFormatException("truncated packet header of packet " + (packets + 1) + " at byte "
                + position + ": " + (size - position) + " of 16 bytes");
        }
        final long seconds = i32(position) & 0xFFFF_FFFFL;
        final long fraction = i32(position + 4) & 0xFFFF_FFFFL;
        final long captured = i32(position + 8) & 0xFFFF_FFFFL;
        final long original = i32(position + 12) & 0xFFFF_FFFFL;
        if (fraction >= (pcapNanos ? 1_000_000_000L : 1_000_000L))
        {
            throw new CaptureFormatException("packet " + (packets + 1) + " at byte " + position
                + ": sub-second timestamp " + fraction + " out of range");
        }
        if (captured > CapturedPacket.MAX_CAPTURED_LENGTH)
        {
            throw new CaptureFormatException("packet " + (packets + 1) + " at byte " + position
                + ": captured length " + captured + " above " + CapturedPacket.MAX_CAPTURED_LENGTH);
        }
        if (size - position - PCAP_RECORD_HEADER < captured)
        {
            throw new CaptureFormatException("truncated packet " + (packets + 1) + " at byte " + position
                + ": " + captured + " bytes captured, " + (size - position - PCAP_RECORD_HEADER) + " in the file");
        }
        copy(position + PCAP_RECORD_HEADER, (int)captured, packet);
        packet.originalLength = (int)Math.min(Integer.MAX_VALUE, original);
        packet.linkType = pcapLinkType;
        packet.timestampNs = seconds * 1_000_000_000L + (pcapNanos ? fraction : fraction * 1000L);
        packet.index = packets++;
        position += PCAP_RECORD_HEADER + captured;
        return true;
    }

    private boolean nextPcapng(final CapturedPacket packet) throws CaptureFormatException
    {
        while (position < size)
        {
            final long at = position;
            if (size - at < 12)
            {
                throw new CaptureFormatException("truncated block at byte " + at + ": " + (size - at) + " bytes left");
            }
            final int typeBe = file.get(INT_BE, at);
            if (SHB == typeBe)
            {
                final int orderBe = file.get(INT_BE, at + 8);
                if (BYTE_ORDER_MAGIC == orderBe)
                {
                    littleEndian = false;
                }
                else if (BYTE_ORDER_MAGIC == file.get(INT_LE, at + 8))
                {
                    littleEndian = true;
                }
                else
                {
                    throw new CaptureFormatException(String.format(
                        "section header at byte %d: bad byte-order magic 0x%08x", at, orderBe));
                }
                interfaceCount = 0;
            }
            else if (0 == at)
            {
                throw new CaptureFormatException("pcapng file does not start with a section header block");
            }
            final int type = i32(at);
            final long length = i32(at + 4) & 0xFFFF_FFFFL;
            if (length < 12 || (length & 3) != 0)
            {
                throw new CaptureFormatException("block at byte " + at + ": bad length " + length);
            }
            if (length > size - at)
            {
                throw new CaptureFormatException("truncated block at byte " + at + ": length " + length + ", "
                    + (size - at) + " bytes left in the file");
            }
            if ((i32(at + length - 4) & 0xFFFF_FFFFL) != length)
            {
                throw new CaptureFormatException("block at byte " + at + ": trailing length "
                    + (i32(at + length - 4) & 0xFFFF_FFFFL) + " differs from " + length);
            }
            position = at + length;
            switch (type)
            {
                case SHB ->
                {
                    if (length < 28)
                    {
                        throw new CaptureFormatException("section header at byte " + at + " too short: " + length);
                    }
                    final int major = u16(at + 12);
                    if (1 != major)
                    {
                        throw new CaptureFormatException("section header at byte " + at
                            + ": unsupported pcapng version " + major + "." + u16(at + 14));
                    }
                }
                case IDB -> onInterface(at, length);
                case EPB ->
                {
                    onEnhancedPacket(at, length, packet);
                    return true;
                }
                case SPB ->
                {
                    onSimplePacket(at, length, packet);
                    return true;
                }
                case OBSOLETE_PB ->
                {
                    onObsoletePacket(at, length, packet);
                    return true;
                }
                default ->
                {
                    // name resolution, statistics, secrets, custom: nothing replay uses
                }
            }
        }
        return false;
    }

    private void onInterface(final long at, final long length) throws CaptureFormatException
    {
        if (length < 20)
        {
            throw new CaptureFormatException("interface description at byte " + at + " too short: " + length);
        }
        if (interfaceCount == MAX_INTERFACES)
        {
            throw new CaptureFormatException("more than " + MAX_INTERFACES + " interfaces in a section");
        }
        final int linkType = u16(at + 8);
        if (!LinkType.isSupported(linkType))
        {
            throw new CaptureFormatException("interface " + interfaceCount + " at byte " + at + ": unsupported link type "
                + linkType + " (replay reads ethernet, raw IPv4/IPv6, Linux cooked SLL and SLL2)");
        }
        final int i = interfaceCount;
        ifLinkType[i] = linkType;
        ifSnapLength[i] = i32(at + 12);
        ifBinaryResolution[i] = false;
        ifResolutionExponent[i] = 6;
        ifOffsetNs[i] = 0;
        long option = at + 16;
        final long end = at + length - 4;
        while (option + 4 <= end)
        {
            final int code = u16(option);
            final int optionLength = u16(option + 2);
            if (OPT_END == code)
            {
                break;
            }
            if (option + 4 + optionLength > end)
            {
                throw new CaptureFormatException("interface description at byte " + at + ": option " + code
                    + " overruns the block");
            }
            if (OPT_IF_TSRESOL == code && optionLength >= 1)
            {
                final int resolution = file.get(ValueLayout.JAVA_BYTE, option + 4) & 0xFF;
                ifBinaryResolution[i] = (resolution & 0x80) != 0;
                ifResolutionExponent[i] = resolution & 0x7F;
                if (!ifBinaryResolution[i] && ifResolutionExponent[i] > 18)
                {
                    throw new CaptureFormatException("interface description at byte " + at
                        + ": timestamp resolution 10^-" + ifResolutionExponent[i] + " unsupported");
                }
            }
            else if (OPT_IF_TSOFFSET == code && optionLength >= 8)
            {
                final long seconds = littleEndian ? file.get(LONG_LE, option + 4) : file.get(LONG_BE, option + 4);
                if (Math.abs(seconds) > 1L << 32)
                {
                    throw new CaptureFormatException("interface description at byte " + at
                        + ": timestamp offset " + seconds + " s out of range");
                }
                ifOffsetNs[i] = seconds * 1_000_000_000L;
            }
            option += 4 + ((optionLength + 3) & ~3);
        }
        interfaceCount++;
    }

    private void onEnhancedPacket(final long at, final long length, final CapturedPacket packet)
        throws CaptureFormatException
    {
        if (length < 32)
        {
            throw new CaptureFormatException("packet block at byte " + at + " too short: " + length);
        }
        final long interfaceId = i32(at + 8) & 0xFFFF_FFFFL;
        final long units = ((i32(at + 12) & 0xFFFF_FFFFL) << 32) | (i32(at + 16) & 0xFFFF_FFFFL);
        final long captured = i32(at + 20) & 0xFFFF_FFFFL;
        final long original = i32(at + 24) & 0xFFFF_FFFFL;
        fill(at, length, 28, interfaceId, units, captured, original, packet);
    }

    private void onObsoletePacket(final long at, final long length, final CapturedPacket packet)
        throws CaptureFormatException
    {
        if (length < 32)
        {
            throw new CaptureFormatException("packet block at byte " + at + " too short: " + length);
        }
        final long interfaceId = u16(at + 8);
        final long units = ((i32(at + 12) & 0xFFFF_FFFFL) << 32) | (i32(at + 16) & 0xFFFF_FFFFL);
        final long captured = i32(at + 20) & 0xFFFF_FFFFL;
        final long original = i32(at + 24) & 0xFFFF_FFFFL;
        fill(at, length, 28, interfaceId, units, captured, original, packet);
    }

    private void onSimplePacket(final long at, final long length, final CapturedPacket packet)
        throws CaptureFormatException
    {
        if (length < 16)
        {
            throw new CaptureFormatException("simple packet block at byte " + at + " too short: " + length);
        }
        if (0 == interfaceCount)
        {
            throw new CaptureFormatException("simple packet block at byte " + at + " before any interface description");
        }
        final long original = i32(at + 8) & 0xFFFF_FFFFL;
        long captured = Math.min(original, length - 16);
        if (ifSnapLength[0] > 0)
        {
            captured = Math.min(captured, ifSnapLength[0] & 0xFFFF_FFFFL);
        }
        if (captured > CapturedPacket.MAX_CAPTURED_LENGTH)
        {
            throw new CaptureFormatException("simple packet block at byte " + at + ": captured length " + captured
                + " above " + CapturedPacket.MAX_CAPTURED_LENGTH);
        }
        copy(at + 12, (int)captured, packet);
        packet.originalLength = (int)Math.min(Integer.MAX_VALUE, original);
        packet.linkType = ifLinkType[0];
        packet.timestampNs = lastTimestampNs;
        packet.index = packets++;
    }

    private void fill(
        final long at,
        final long length,
        final int dataOffset,
        final long interfaceId,
        final long units,
        final long captured,
        final long original,
        final CapturedPacket packet) throws CaptureFormatException
    {
        if (interfaceId >= interfaceCount)
        {
            throw new CaptureFormatException("packet block at byte " + at + " names interface " + interfaceId
                + " of " + interfaceCount);
        }
        if (captured > CapturedPacket.MAX_CAPTURED_LENGTH)
        {
            throw new CaptureFormatException("packet block at byte " + at + ": captured length " + captured
                + " above " + CapturedPacket.MAX_CAPTURED_LENGTH);
        }
        if (dataOffset + captured + 4 > length)
        {
            throw new CaptureFormatException("packet block at byte " + at + ": captured length " + captured
                + " overruns the block of " + length + " bytes");
        }
        final int i = (int)interfaceId;
        copy(at + dataOffset, (int)captured, packet);
        packet.originalLength = (int)Math.min(Integer.MAX_VALUE, original);
        packet.linkType = ifLinkType[i];
        packet.timestampNs = toNanos(units, ifBinaryResolution[i], ifResolutionExponent[i], at) + ifOffsetNs[i];
        packet.index = packets++;
        lastTimestampNs = packet.timestampNs;
    }

    private static final long[] POWERS_OF_TEN = {
        1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L, 1_000_000_000L,
        10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
        1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L,
    };

    private static long toNanos(final long units, final boolean binary, final int exponent, final long at)
        throws CaptureFormatException
    {
        if (!binary)
        {
            if (exponent <= 9)
            {
                final long scale = POWERS_OF_TEN[9 - exponent];
                if (Long.compareUnsigned(units, Long.MAX_VALUE / scale) > 0)
                {
                    throw new CaptureFormatException("packet block at byte " + at + ": timestamp out of range");
                }
                return units * scale;
            }
            return Long.divideUnsigned(units, POWERS_OF_TEN[exponent - 9]);
        }
        if (exponent <= 30)
        {
            final long seconds = units >>> exponent;
            final long fraction = units & ((1L << exponent) - 1);
            if (seconds > Long.MAX_VALUE / 1_000_000_000L - 1)
            {
                throw new CaptureFormatException("packet block at byte " + at + ": timestamp out of range");
            }
            return seconds * 1_000_000_000L + ((fraction * 1_000_000_000L) >>> exponent);
        }
        final BigInteger ns = new BigInteger(Long.toUnsignedString(units))
            .multiply(BigInteger.valueOf(1_000_000_000L)).shiftRight(exponent);
        if (ns.bitLength() > 62)
        {
            throw new CaptureFormatException("packet block at byte " + at + ": timestamp out of range");
        }
        return ns.longValue();
    }

    private void copy(final long from, final int length, final CapturedPacket packet)
    {
        MemorySegment.copy(file, ValueLayout.JAVA_BYTE, from, packet.bytes(), 0, length);
        packet.length = length;
    }

    private int i32(final long at)
    {
        return littleEndian ? file.get(INT_LE, at) : file.get(INT_BE, at);
    }

    private int u16(final long at)
    {
        return (littleEndian ? file.get(SHORT_LE, at) : file.get(SHORT_BE, at)) & 0xFFFF;
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
