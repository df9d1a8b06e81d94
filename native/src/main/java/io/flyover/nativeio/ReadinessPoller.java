package io.flyover.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.agrona.concurrent.UnsafeBuffer;

import static io.flyover.nativeio.SocketLayouts.POLLFD_EVENTS_OFFSET;
import static io.flyover.nativeio.SocketLayouts.POLLFD_FD_OFFSET;
import static io.flyover.nativeio.SocketLayouts.POLLFD_REVENTS_OFFSET;

/**
 * Waits until one of a fixed set of descriptors is readable, with {@code poll(2)} over a
 * {@code pollfd} array allocated once: for an idle strategy that sleeps in the kernel instead of
 * spinning, and for tests. For a {@code TPACKET_V3} ring, readable means a block was handed to
 * user space.
 * <p>
 * Owned by one thread.
 */
public final class ReadinessPoller implements AutoCloseable
{
    private static final int POLLFD_SIZE = (int)SocketLayouts.POLLFD.byteSize();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment errnoState = Libc.allocateErrno(arena);
    private final UnsafeBuffer pollfds;
    private final int count;
    private int lastErrno;

    /**
     * @param fds descriptors to watch for {@code POLLIN}.
     */
    public ReadinessPoller(final int... fds)
    {
        count = fds.length;
        final MemorySegment segment = arena.allocate((long)Math.max(1, count) * POLLFD_SIZE, 8);
        pollfds = new UnsafeBuffer(segment.address(), (int)segment.byteSize());
        for (int i = 0; i < count; i++)
        {
            pollfds.putInt(i * POLLFD_SIZE + POLLFD_FD_OFFSET, fds[i]);
            pollfds.putShort(i * POLLFD_SIZE + POLLFD_EVENTS_OFFSET, LinuxConstants.POLLIN);
        }
    }

    /**
     * @param timeoutMs longest wait; 0 checks and returns at once.
     * @return descriptors ready (0 on timeout or {@code EINTR}), or -1 with {@link #lastErrno()}.
     */
    public int await(final int timeoutMs)
    {
        final int ready = Libc.poll(errnoState, pollfds.addressOffset(), count, timeoutMs);
        if (ready < 0)
        {
            final int errno = Libc.errno(errnoState);
            if (Errno.EINTR == errno)
            {
                return 0;
            }
            lastErrno = errno;
        }
        return ready;
    }

    /**
     * @param index position of the descriptor in the constructor's list.
     * @return whether the last {@link #await(int)} found it readable (or in error).
     */
    public boolean isReady(final int index)
    {
        return 0 != pollfds.getShort(index * POLLFD_SIZE + POLLFD_REVENTS_OFFSET);
    }

    /**
     * @return errno of the last failed {@link #await(int)}.
     */
    public int lastErrno()
    {
        return lastErrno;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void close()
    {
        arena.close();
    }
}
