package io.flyover.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * Scratch memory and errno capture for one setup routine, turning failures into
 * {@link NativeIoException}s that name the call and its target. Allocates; setup only.
 * <p>
 * Confined to the thread that creates it; close it when the routine ends.
 */
final class SetupCalls implements AutoCloseable
{
    final Arena arena = Arena.ofConfined();
    final MemorySegment errno = Libc.allocateErrno(arena);

    int check(final int result, final String call, final String target)
    {
        if (result < 0)
        {
            throw new NativeIoException(call, target, Libc.errno(errno));
        }
        return result;
    }

    long cString(final String value)
    {
        return arena.allocateFrom(value).address();
    }

    MemorySegment allocate(final long bytes)
    {
        return arena.allocate(bytes, 16);
    }

    void setIntOption(
        final int fd, final int level, final int name, final int value, final String call, final String target)
    {
        final MemorySegment v = arena.allocate(JAVA_INT);
        v.set(JAVA_INT, 0, value);
        check(Libc.setsockopt(errno, fd, level, name, v.address(), 4), call, target);
    }

    int getIntOption(final int fd, final int level, final int name, final String call, final String target)
    {
        final MemorySegment v = arena.allocate(JAVA_INT);
        final MemorySegment length = arena.allocate(JAVA_INT);
        length.set(JAVA_INT, 0, 4);
        check(Libc.getsockopt(errno, fd, level, name, v.address(), length.address()), call, target);
        return v.get(JAVA_INT, 0);
    }

    /**
     * Close a descriptor after a failed setup, keeping the original failure.
     */
    void closeQuietly(final int fd)
    {
        if (fd >= 0)
        {
            Libc.close(errno, fd);
        }
    }

    @Override
    public void close()
    {
        arena.close();
    }
}
