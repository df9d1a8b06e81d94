package io.flyover.tools.pcap;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Writes packets of one link type to a pcap file (microsecond or nanosecond timestamps) or a
 * pcapng file (one section, one interface, {@code if_tsresol} 6 or 9), in either byte order.
 * Buffered; allocates nothing per packet. One thread. I/O failures are
 * {@link UncheckedIOException}s: the caller reports them in one line.
 */
public final class CaptureWriter implements AutoCloseable
{
    /** Snap length written into headers. */
    public static final int SNAP_LENGTH = 262_144;

    private final OutputStream out;
    private final boolean pcapng;
    private final boolean nanos;
    private final ByteOrder order;
    private final byte[] header = new byte[64];
    private final UnsafeBuffer headerBuffer = new UnsafeBuffer(header);
    private final byte[] data = new byte[CapturedPacket.MAX_CAPTURED_LENGTH + 4];
    private long packets;

    private CaptureWriter(
        final Path path, final boolean pcapng, final int linkType, final boolean nanos, final ByteOrder order)
    {
        this.pcapng = pcapng;
        this.nanos = nanos;
        this.order = order;
        try
        {
            this.out = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
            if (pcapng)
            {
                writeSectionAndInterface(linkType);
            }
            else
            {
                headerBuffer.putInt(0, nanos ? 0xA1B23C4D : 0xA1B2C3D4, order);
                headerBuffer.putShort(4, (short)2, order);
                headerBuffer.putShort(6, (short)4, order);
                headerBuffer.putInt(8, 0, order);
                headerBuffer.putInt(12, 0, order);
                headerBuffer.putInt(16, SNAP_LENGTH, order);
                headerBuffer.putInt(20, linkType, order);
                out.write(header, 0, 24);
            }
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(path + ": " + ex.getMessage(), ex);
        }
    }

    /**
     * @param path     the file, replaced if it exists.
     * @param linkType the packets' link type.
     * @param nanos    nanosecond timestamps, else microseconds.
     * @return a pcap writer in little-endian order.
     */
    public static CaptureWriter pcap(final Path path, final int linkType, final boolean nanos)
    {
        return new CaptureWriter(path, false, linkType, nanos, ByteOrder.LITTLE_ENDIAN);
    }

    /**
     * @param path     the file, replaced if it exists.
     * @param pcapng   pcapng, else pcap.
     * @param linkType the packets' link type.
     * @param nanos    nanosecond timestamps, else microseconds.
     * @param order    byte order of the file.
     * @return a writer.
     */
    public static CaptureWriter open(
        final Path path, final boolean pcapng, final int linkType, final boolean nanos, final ByteOrder order)
    {
        return new CaptureWriter(path, pcapng, linkType, nanos, order);
    }

    private void writeSectionAndInterface(final int linkType) throws IOException
    {
        // section header block: no options
        headerBuffer.putInt(0, 0x0A0D0D0A, order);
        headerBuffer.putInt(4, 28, order);
        headerBuffer.putInt(8, 0x1A2B3C4D, order);
        headerBuffer.putShort(12, (short)1, order);
        headerBuffer.putShort(14, (short)0, order);
        headerBuffer.putLong(16, -1L, order);
        headerBuffer.putInt(24, 28, order);
        out.write(header, 0, 28);
        // interface description block: if_tsresol, end of options
        headerBuffer.putInt(0, 1, order);
        headerBuffer.putInt(4, 32, order);
        headerBuffer.putShort(8, (short)linkType, order);
        headerBuffer.putShort(10, (short)0, order);
        headerBuffer.putInt(12, SNAP_LENGTH, order);
        headerBuffer.putShort(16, (short)9, order);
        headerBuffer.putShort(18, (short)1, order);
        headerBuffer.putInt(20, 0, order);
        headerBuffer.putByte(20, (byte)(nanos ? 9 : 6));
        headerBuffer.putInt(24, 0, order);
        headerBuffer.putInt(28, 32, order);
        out.write(header, 0, 32);
    }

    /**
     * Appends one packet.
     *
     * @param timestampNs capture time, ns since the epoch (not negative).
     * @param buffer      holds the packet.
     * @param offset      where it starts.
     * @param length      its length.
     */
    public void write(final long timestampNs, final DirectBuffer buffer, final int offset, final int length)
    {
        write(timestampNs, buffer, offset, length, length);
    }

    /**
     * Appends one packet, perhaps cut short of its length on the wire.
     *
     * @param timestampNs    capture time, ns since the epoch (not negative).
     * @param buffer         holds the captured bytes.
     * @param offset         where they start.
     * @param length         bytes captured.
     * @param originalLength its length on the wire.
     */
    public void write(
        final long timestampNs, final DirectBuffer buffer, final int offset, final int length, final int originalLength)
    {
        try
        {
            buffer.getBytes(offset, data, 0, length);
            if (pcapng)
            {
                final int padded = (length + 3) & ~3;
                final int blockLength = 32 + padded;
                final long units = nanos ? timestampNs : timestampNs / 1000;
                headerBuffer.putInt(0, 6, order);
                headerBuffer.putInt(4, blockLength, order);
                headerBuffer.putInt(8, 0, order);
                headerBuffer.putInt(12, (int)(units >>> 32), order);
                headerBuffer.putInt(16, (int)units, order);
                headerBuffer.putInt(20, length, order);
                headerBuffer.putInt(24, originalLength, order);
                out.write(header, 0, 28);
                for (int i = length; i < padded; i++)
                {
                    data[i] = 0;
                }
                out.write(data, 0, padded);
                headerBuffer.putInt(0, blockLength, order);
                out.write(header, 0, 4);
            }
            else
            {
                final long seconds = timestampNs / 1_000_000_000L;
                final long fraction = timestampNs % 1_000_000_000L;
                headerBuffer.putInt(0, (int)seconds, order);
                headerBuffer.putInt(4, (int)(nanos ? fraction : fraction / 1000), order);
                headerBuffer.putInt(8, length, order);
                headerBuffer.putInt(12, originalLength, order);
                out.write(header, 0, 16);
                out.write(data, 0, length);
            }
            packets++;
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @return packets written.
     */
    public long packets()
    {
        return packets;
    }

    @Override
    public void close()
    {
        try
        {
            out.close();
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
