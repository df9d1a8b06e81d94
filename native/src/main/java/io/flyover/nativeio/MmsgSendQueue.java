package io.flyover.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.agrona.DirectBuffer;

import static io.flyover.nativeio.LinuxConstants.MSG_DONTWAIT;

/**
 * The send side shared by {@link UdpBatchSocket} and {@link AfPacketPort}: frames are copied into
 * preallocated slots by {@link #offer} and handed to the kernel by one {@code sendmmsg} per
 * {@link #flush}. Frames the kernel cannot take yet ({@code EAGAIN}, {@code ENOBUFS}) stay queued;
 * a frame it refuses for good is dropped and counted.
 * <p>
 * Owned by one thread (the port's send side).
 */
final class MmsgSendQueue implements AutoCloseable
{
    final MmsgBatch batch;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment errnoState = Libc.allocateErrno(arena);
    private int queued;
    private int sent;
    private int lastErrno;
    private long dropped;

    MmsgSendQueue(final int capacity, final int slotSize, final int nameLength, final int controlLength)
    {
        batch = new MmsgBatch(capacity, slotSize, nameLength, controlLength);
    }

    /**
     * @return the slot index the frame went to, or a negative {@link FrameSender} code.
     */
    int offer(final DirectBuffer source, final int offset, final int length)
    {
        return offer(source, offset, 0, source, offset, length);
    }

    /**
     * Queues a frame made of a header and a body, copied one after the other into one slot.
     *
     * @return the slot index the frame went to, or a negative {@link FrameSender} code.
     */
    int offer(
        final DirectBuffer header,
        final int headerOffset,
        final int headerLength,
        final DirectBuffer body,
        final int bodyOffset,
        final int bodyLength)
    {
        final MmsgBatch batch = this.batch;
        final int length = headerLength + bodyLength;
        if (length > batch.slotSize)
        {
            return FrameSender.FRAME_TOO_LARGE;
        }
        final int index = queued;
        if (index == batch.capacity)
        {
            return FrameSender.BACK_PRESSURED;
        }
        final int slot = batch.slotOffset(index);
        batch.buffer.putBytes(slot, header, headerOffset, headerLength);
        batch.buffer.putBytes(slot + headerLength, body, bodyOffset, bodyLength);
        batch.dataLength(index, length);
        if (0 != batch.controlLength)
        {
            batch.controlLength(index, 0);
        }
        queued = index + 1;
        return index;
    }

    /**
     * @param index a slot {@link #offer} returned and not yet flushed.
     * @return the offset of that slot's frame in {@link MmsgBatch#buffer}.
     */
    int slotOffset(final int index)
    {
        return batch.slotOffset(index);
    }

    int pending()
    {
        return queued - sent;
    }

    int flush(final int fd)
    {
        int total = 0;
        while (sent < queued)
        {
            final int n = Libc.sendmmsg(errnoState, fd, batch.messageAddress(sent), queued - sent, MSG_DONTWAIT);
            if (n < 0)
            {
                final int errno = Libc.errno(errnoState);
                if (Errno.EAGAIN == errno || Errno.ENOBUFS == errno || Errno.EINTR == errno)
                {
                    break;
                }
                lastErrno = errno;
                dropped++;
                sent++;
                resetIfDrained();
                return FrameSender.SEND_ERROR;
            }
            sent += n;
            total += n;
        }
        resetIfDrained();
        return total;
    }

    private void resetIfDrained()
    {
        if (sent == queued)
        {
            sent = 0;
            queued = 0;
        }
    }

    int lastErrno()
    {
        return lastErrno;
    }

    long dropped()
    {
        return dropped;
    }

    @Override
    public void close()
    {
        batch.close();
        arena.close();
    }
}
