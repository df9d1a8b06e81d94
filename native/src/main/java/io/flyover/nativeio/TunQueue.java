package io.flyover.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * One queue (fd) of a {@link TunDevice}: raw IP packets in and out. The kernel has no batch call
 * for TUN, so a batch is a loop of non-blocking {@code read}s (into one off-heap slot, handed to
 * the handler in place) and {@code write}s (straight from the caller's memory when it is
 * off-heap, so {@link #offer} transmits at once and {@link #flush()} has nothing to do).
 * <p>
 * The receive side is owned by one thread and the send side by one thread (they may differ).
 */
public final class TunQueue implements FrameReceiver, FrameSender
{
    private final int fd;
    private final String description;
    private final int maxPacketSize;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment rxErrnoState = Libc.allocateErrno(arena);
    private final MemorySegment txErrnoState = Libc.allocateErrno(arena);
    private final UnsafeBuffer rxSlot;
    private final UnsafeBuffer txSlot;
    private int receiveErrno;
    private int sendErrno;
    private long dropped;
    private boolean closed;

    TunQueue(final int fd, final String name, final int index, final int maxPacketSize)
    {
        this.fd = fd;
        this.description = "tun " + name + " queue " + index;
        this.maxPacketSize = maxPacketSize;
        rxSlot = new UnsafeBuffer(arena.allocate(maxPacketSize, 64).address(), maxPacketSize);
        txSlot = new UnsafeBuffer(arena.allocate(maxPacketSize, 64).address(), maxPacketSize);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int poll(final FrameHandler handler, final int limit)
    {
        final UnsafeBuffer slot = rxSlot;
        final long address = slot.addressOffset();
        int delivered = 0;
        while (delivered < limit)
        {
            final long length = Libc.read(rxErrnoState, fd, address, maxPacketSize);
            if (length < 0)
            {
                final int errno = Libc.errno(rxErrnoState);
                if (Errno.EAGAIN == errno || Errno.EINTR == errno)
                {
                    break;
                }
                receiveErrno = errno;
                return 0 == delivered ? RECEIVE_ERROR : delivered;
            }
            handler.onFrame(slot, 0, (int)length);
            delivered++;
        }
        return delivered;
    }

    /**
     * Write one IP packet now. Returns 0 when the kernel took it.
     * <p>
     * {@inheritDoc}
     */
    @Override
    public int offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length > maxPacketSize)
        {
            return FRAME_TOO_LARGE;
        }
        final long address;
        if (null == buffer.byteArray())
        {
            address = buffer.addressOffset() + offset;
        }
        else
        {
            txSlot.putBytes(0, buffer, offset, length);
            address = txSlot.addressOffset();
        }

        final long written = Libc.write(txErrnoState, fd, address, length);
        if (written < 0)
        {
            final int errno = Libc.errno(txErrnoState);
            if (Errno.EAGAIN == errno || Errno.ENOBUFS == errno || Errno.EINTR == errno)
            {
                return BACK_PRESSURED;
            }
            sendErrno = errno;
            dropped++;
            return SEND_ERROR;
        }
        return 0;
    }

    /**
     * Nothing is queued: {@link #offer} writes at once.
     *
     * @return 0.
     */
    @Override
    public int flush()
    {
        return 0;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int pending()
    {
        return 0;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int receiveErrno()
    {
        return receiveErrno;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int sendErrno()
    {
        return sendErrno;
    }

    /**
     * @return packets the kernel refused and that were dropped, since open. Send-side thread.
     */
    public long droppedFrames()
    {
        return dropped;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int fd()
    {
        return fd;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            Libc.close(rxErrnoState, fd);
            arena.close();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return description;
    }
}
