package io.flyover.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.agrona.concurrent.UnsafeBuffer;

import static io.flyover.nativeio.SocketLayouts.IOV_BASE_OFFSET;
import static io.flyover.nativeio.SocketLayouts.IOV_LEN_OFFSET;
import static io.flyover.nativeio.SocketLayouts.MSG_CONTROLLEN_OFFSET;
import static io.flyover.nativeio.SocketLayouts.MSG_CONTROL_OFFSET;
import static io.flyover.nativeio.SocketLayouts.MSG_FLAGS_OFFSET;
import static io.flyover.nativeio.SocketLayouts.MSG_IOVLEN_OFFSET;
import static io.flyover.nativeio.SocketLayouts.MSG_IOV_OFFSET;
import static io.flyover.nativeio.SocketLayouts.MSG_LEN_OFFSET;
import static io.flyover.nativeio.SocketLayouts.MSG_NAMELEN_OFFSET;
import static io.flyover.nativeio.SocketLayouts.MSG_NAME_OFFSET;

/**
 * One off-heap area holding everything a {@code sendmmsg}/{@code recvmmsg} batch needs, allocated
 * and linked once: {@code capacity} {@code mmsghdr}s, each with one {@code iovec} pointing at its
 * own data slot, an optional address ({@code msg_name}) and optional control space.
 * <pre>
 * | mmsghdr[capacity] | iovec[capacity] | name[capacity] | control[capacity] | slot[capacity] (64-byte aligned) |
 * </pre>
 * The whole area is wrapped once by {@link #buffer}; handlers see slots through it.
 * <p>
 * Owned by one thread (the side of the port that uses it).
 */
final class MmsgBatch implements AutoCloseable
{
    static final int MMSGHDR_SIZE = (int)SocketLayouts.MMSGHDR.byteSize();
    static final int IOVEC_SIZE = (int)SocketLayouts.IOVEC.byteSize();

    final int capacity;
    final int slotSize;
    final int nameLength;
    final int controlLength;
    final UnsafeBuffer buffer;
    final long address;

    private final Arena arena;
    private final int iovOffset;
    private final int namesOffset;
    private final int nameStride;
    private final int controlOffset;
    private final int slotsOffset;
    private final int slotStride;

    MmsgBatch(final int capacity, final int slotSize, final int nameLength, final int controlLength)
    {
        if (capacity < 1 || slotSize < 1)
        {
            throw new IllegalArgumentException("capacity and slot size must be positive: " + capacity + ", " + slotSize);
        }
        this.capacity = capacity;
        this.slotSize = slotSize;
        this.nameLength = nameLength;
        this.controlLength = controlLength;
        nameStride = SocketLayouts.align(nameLength, 16);
        slotStride = SocketLayouts.align(slotSize, 64);
        iovOffset = capacity * MMSGHDR_SIZE;
        namesOffset = iovOffset + capacity * IOVEC_SIZE;
        controlOffset = namesOffset + capacity * nameStride;
        slotsOffset = SocketLayouts.align(controlOffset + capacity * SocketLayouts.align(controlLength, 16), 64);
        final long total = (long)slotsOffset + (long)capacity * slotStride;
        if (total > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("batch too large: " + capacity + " x " + slotSize);
        }

        arena = Arena.ofShared();
        final MemorySegment segment = arena.allocate(total, 64);
        address = segment.address();
        buffer = new UnsafeBuffer(address, (int)total);

        for (int i = 0; i < capacity; i++)
        {
            final int msg = i * MMSGHDR_SIZE;
            final int iov = iovOffset + i * IOVEC_SIZE;
            buffer.putLong(msg + MSG_NAME_OFFSET, 0 == nameLength ? 0L : address + namesOffset + (long)i * nameStride);
            buffer.putInt(msg + MSG_NAMELEN_OFFSET, nameLength);
            buffer.putLong(msg + MSG_IOV_OFFSET, address + iov);
            buffer.putLong(msg + MSG_IOVLEN_OFFSET, 1L);
            buffer.putLong(
                msg + MSG_CONTROL_OFFSET, 0 == controlLength ? 0L : address + controlOffset(i));
            buffer.putLong(msg + MSG_CONTROLLEN_OFFSET, controlLength);
            buffer.putInt(msg + MSG_FLAGS_OFFSET, 0);
            buffer.putLong(iov + IOV_BASE_OFFSET, address + slotOffset(i));
            buffer.putLong(iov + IOV_LEN_OFFSET, slotSize);
        }
    }

    int slotOffset(final int index)
    {
        return slotsOffset + index * slotStride;
    }

    int nameOffset(final int index)
    {
        return namesOffset + index * nameStride;
    }

    int controlOffset(final int index)
    {
        return controlOffset + index * SocketLayouts.align(controlLength, 16);
    }

    long messageAddress(final int index)
    {
        return address + (long)index * MMSGHDR_SIZE;
    }

    /**
     * Reset the in/out fields the kernel rewrites on receive, for the first {@code count} messages.
     */
    void prepareReceive(final int count)
    {
        final UnsafeBuffer buffer = this.buffer;
        final int nameLength = this.nameLength;
        final long controlLength = this.controlLength;
        for (int i = 0; i < count; i++)
        {
            final int msg = i * MMSGHDR_SIZE;
            buffer.putInt(msg + MSG_NAMELEN_OFFSET, nameLength);
            buffer.putLong(msg + MSG_CONTROLLEN_OFFSET, controlLength);
            buffer.putInt(msg + MSG_FLAGS_OFFSET, 0);
        }
    }

    void dataLength(final int index, final int length)
    {
        buffer.putLong(iovOffset + index * IOVEC_SIZE + IOV_LEN_OFFSET, length);
    }

    void controlLength(final int index, final int length)
    {
        buffer.putLong(index * MMSGHDR_SIZE + MSG_CONTROLLEN_OFFSET, length);
    }

    int messageLength(final int index)
    {
        return buffer.getInt(index * MMSGHDR_SIZE + MSG_LEN_OFFSET);
    }

    int messageFlags(final int index)
    {
        return buffer.getInt(index * MMSGHDR_SIZE + MSG_FLAGS_OFFSET);
    }

    int nameLengthOut(final int index)
    {
        return buffer.getInt(index * MMSGHDR_SIZE + MSG_NAMELEN_OFFSET);
    }

    long controlLengthOut(final int index)
    {
        return buffer.getLong(index * MMSGHDR_SIZE + MSG_CONTROLLEN_OFFSET);
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
