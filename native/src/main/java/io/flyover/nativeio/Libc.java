package io.flyover.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Downcalls into the C library through the Java 25 FFM API ({@link Linker#nativeLinker()}); no C
 * compiled at build time.
 * <p>
 * Every call but {@link #strerror(int)} captures {@code errno} into a caller-owned segment (the
 * first argument, from {@link #allocateErrno(Arena)}), read back with {@link #errno(MemorySegment)}.
 * Each owner (a port's receive side, its send side, a setup routine) keeps its own segment, so
 * concurrent owners never share one. Calls return the C result unchanged: {@code -1} means failure
 * and the errno says why.
 * <p>
 * Pointers are passed as {@code long} addresses (the ABI treats them the same as a 64-bit integer),
 * so a call on an Agrona buffer's {@code addressOffset()} allocates nothing.
 * <p>
 * Stateless; any thread (errno segments are per owner, see above).
 */
@SuppressWarnings("restricted")
public final class Libc
{
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    private static final MethodHandle SOCKET = downcall("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = downcall("bind", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle GETSOCKNAME = downcall("getsockname", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle CLOSE = downcall("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle OPEN = downcallVariadic(
        "open", 2, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
    private static final MethodHandle IOCTL = downcallVariadic(
        "ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SETSOCKOPT = downcall(
        "setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle GETSOCKOPT = downcall(
        "getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle MMAP = downcall(
        "mmap", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle MUNMAP = downcall("munmap", JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle POLL = downcall("poll", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final MethodHandle READ = downcall("read", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle WRITE = downcall("write", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SENDTO = downcall(
        "sendto", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle RECVFROM = downcall(
        "recvfrom", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SENDMMSG = downcall(
        "sendmmsg", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
    private static final MethodHandle RECVMMSG = downcall(
        "recvmmsg", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle IF_NAMETOINDEX = downcall("if_nametoindex", JAVA_INT, JAVA_LONG);
    private static final MethodHandle SETNS = downcall("setns", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
        LINKER.defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc()
    {
    }

    private static MethodHandle downcall(final String name, final MemoryLayout result, final MemoryLayout... args)
    {
        return LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow(name), FunctionDescriptor.of(result, args), CAPTURE_ERRNO);
    }

    private static MethodHandle downcallVariadic(
        final String name, final int firstVariadicArg, final MemoryLayout result, final MemoryLayout... args)
    {
        return LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow(name),
            FunctionDescriptor.of(result, args),
            CAPTURE_ERRNO,
            Linker.Option.firstVariadicArg(firstVariadicArg));
    }

    private static IllegalStateException downcallFailed(final String name, final Throwable t)
    {
        return new IllegalStateException("downcall " + name + " threw", t);
    }

    /**
     * @param arena owns the segment; it must outlive every call that captures into it.
     * @return a segment the calls capture {@code errno} into.
     */
    public static MemorySegment allocateErrno(final Arena arena)
    {
        return arena.allocate(CAPTURE_LAYOUT);
    }

    /**
     * @param errnoState a segment from {@link #allocateErrno(Arena)}.
     * @return the errno the last call through it left.
     */
    public static int errno(final MemorySegment errnoState)
    {
        return (int)ERRNO.get(errnoState, 0L);
    }

    /**
     * @param errno an errno value.
     * @return the C library's description of it.
     */
    public static String strerror(final int errno)
    {
        try
        {
            final MemorySegment s = (MemorySegment)STRERROR.invokeExact(errno);
            return s.reinterpret(1024).getString(0);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("strerror", t);
        }
    }

    /** {@code int socket(int domain, int type, int protocol)}. */
    public static int socket(final MemorySegment errno, final int domain, final int type, final int protocol)
    {
        try
        {
            return (int)SOCKET.invokeExact(errno, domain, type, protocol);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("socket", t);
        }
    }

    /** {@code int bind(int fd, const struct sockaddr *addr, socklen_t len)}. */
    public static int bind(final MemorySegment errno, final int fd, final long address, final int length)
    {
        try
        {
            return (int)BIND.invokeExact(errno, fd, address, length);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("bind", t);
        }
    }

    /** {@code int getsockname(int fd, struct sockaddr *addr, socklen_t *len)}. */
    public static int getsockname(final MemorySegment errno, final int fd, final long address, final long length)
    {
        try
        {
            return (int)GETSOCKNAME.invokeExact(errno, fd, address, length);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("getsockname", t);
        }
    }

    /** {@code int close(int fd)}. */
    public static int close(final MemorySegment errno, final int fd)
    {
        try
        {
            return (int)CLOSE.invokeExact(errno, fd);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("close", t);
        }
    }

    /** {@code int open(const char *path, int flags, mode_t mode)}. */
    public static int open(final MemorySegment errno, final long path, final int flags, final int mode)
    {
        try
        {
            return (int)OPEN.invokeExact(errno, path, flags, mode);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("open", t);
        }
    }

    /** {@code int ioctl(int fd, unsigned long request, void *arg)}. */
    public static int ioctl(final MemorySegment errno, final int fd, final long request, final long arg)
    {
        try
        {
            return (int)IOCTL.invokeExact(errno, fd, request, arg);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("ioctl", t);
        }
    }

    /** {@code int setsockopt(int fd, int level, int name, const void *value, socklen_t length)}. */
    public static int setsockopt(
        final MemorySegment errno, final int fd, final int level, final int name, final long value, final int length)
    {
        try
        {
            return (int)SETSOCKOPT.invokeExact(errno, fd, level, name, value, length);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("setsockopt", t);
        }
    }

    /** {@code int getsockopt(int fd, int level, int name, void *value, socklen_t *length)}. */
    public static int getsockopt(
        final MemorySegment errno, final int fd, final int level, final int name, final long value, final long length)
    {
        try
        {
            return (int)GETSOCKOPT.invokeExact(errno, fd, level, name, value, length);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("getsockopt", t);
        }
    }

    /** {@code void *mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)}. */
    public static long mmap(
        final MemorySegment errno,
        final long address,
        final long length,
        final int prot,
        final int flags,
        final int fd,
        final long offset)
    {
        try
        {
            return (long)MMAP.invokeExact(errno, address, length, prot, flags, fd, offset);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("mmap", t);
        }
    }

    /** {@code int munmap(void *addr, size_t length)}. */
    public static int munmap(final MemorySegment errno, final long address, final long length)
    {
        try
        {
            return (int)MUNMAP.invokeExact(errno, address, length);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("munmap", t);
        }
    }

    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}. */
    public static int poll(final MemorySegment errno, final long fds, final long count, final int timeoutMs)
    {
        try
        {
            return (int)POLL.invokeExact(errno, fds, count, timeoutMs);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("poll", t);
        }
    }

    /** {@code ssize_t read(int fd, void *buf, size_t count)}. */
    public static long read(final MemorySegment errno, final int fd, final long buffer, final long length)
    {
        try
        {
            return (long)READ.invokeExact(errno, fd, buffer, length);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("read", t);
        }
    }

    /** {@code ssize_t write(int fd, const void *buf, size_t count)}. */
    public static long write(final MemorySegment errno, final int fd, final long buffer, final long length)
    {
        try
        {
            return (long)WRITE.invokeExact(errno, fd, buffer, length);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("write", t);
        }
    }

    /** {@code ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to, socklen_t tolen)}. */
    public static long sendto(
        final MemorySegment errno,
        final int fd,
        final long buffer,
        final long length,
        final int flags,
        final long address,
        final int addressLength)
    {
        try
        {
            return (long)SENDTO.invokeExact(errno, fd, buffer, length, flags, address, addressLength);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("sendto", t);
        }
    }

    /** {@code ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from, socklen_t *fromlen)}. */
    public static long recvfrom(
        final MemorySegment errno,
        final int fd,
        final long buffer,
        final long length,
        final int flags,
        final long address,
        final long addressLength)
    {
        try
        {
            return (long)RECVFROM.invokeExact(errno, fd, buffer, length, flags, address, addressLength);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("recvfrom", t);
        }
    }

    /** {@code int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags)}. */
    public static int sendmmsg(final MemorySegment errno, final int fd, final long messages, final int count, final int flags)
    {
        try
        {
            return (int)SENDMMSG.invokeExact(errno, fd, messages, count, flags);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("sendmmsg", t);
        }
    }

    /** {@code int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout)}. */
    public static int recvmmsg(
        final MemorySegment errno, final int fd, final long messages, final int count, final int flags, final long timeout)
    {
        try
        {
            return (int)RECVMMSG.invokeExact(errno, fd, messages, count, flags, timeout);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("recvmmsg", t);
        }
    }

    /** {@code unsigned int if_nametoindex(const char *ifname)}; 0 when there is no such interface. */
    public static int ifNameToIndex(final MemorySegment errno, final long name)
    {
        try
        {
            return (int)IF_NAMETOINDEX.invokeExact(errno, name);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("if_nametoindex", t);
        }
    }

    /** {@code int setns(int fd, int nstype)}: moves the calling thread (only) into a namespace. */
    public static int setns(final MemorySegment errno, final int fd, final int nsType)
    {
        try
        {
            return (int)SETNS.invokeExact(errno, fd, nsType);
        }
        catch (final Throwable t)
        {
            throw downcallFailed("setns", t);
        }
    }
}
