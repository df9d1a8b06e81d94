package io.flyover.tools.pcap;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * One packet read from a capture, reused for every packet: the captured bytes at the start of
 * {@link #buffer()}, their link type and the timestamp in nanoseconds since the epoch. Owned by
 * the reader's thread.
 */
public final class CapturedPacket
{
    /** Largest captured length the reader accepts for one packet. */
    public static final int MAX_CAPTURED_LENGTH = 262_144;

    private final byte[] bytes = new byte[MAX_CAPTURED_LENGTH];
    private final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
    int length;
    int originalLength;
    int linkType;
    long timestampNs;
    long index;

    /**
     * @return the bytes, wrapped; the packet is {@code [0, length())}.
     */
    public UnsafeBuffer buffer()
    {
        return buffer;
    }

    /**
     * @return the backing array of {@link #buffer()}.
     */
    public byte[] bytes()
    {
        return bytes;
    }

    /**
     * @return bytes captured.
     */
    public int length()
    {
        return length;
    }

    /**
     * @return the packet's length on the wire (at least {@link #length()} in a sane capture).
     */
    public int originalLength()
    {
        return originalLength;
    }

    /**
     * @return the link type of the interface it was captured on.
     */
    public int linkType()
    {
        return linkType;
    }

    /**
     * @return capture time, ns since the epoch.
     */
    public long timestampNs()
    {
        return timestampNs;
    }

    /**
     * @return its number in the file, from 0.
     */
    public long index()
    {
        return index;
    }
}
