package io.flyover.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Collections;

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

    private static final Downcall SOCKET = downcall("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final Downcall BIND = downcall("bind", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final Downcall GETSOCKNAME = downcall("getsockname", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final Downcall CLOSE = downcall("close", JAVA_INT, JAVA_INT);
    private static final Downcall OPEN = downcallVariadic(
        "open", 2, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
    private static final Downcall IOCTL = downcallVariadic(
        "ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final Downcall SETSOCKOPT = downcall(
        "setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final Downcall GETSOCKOPT = downcall(
        "getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final Downcall MMAP = downcall(
        "mmap", JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final Downcall MUNMAP = downcall("munmap", JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final Downcall POLL = downcall("poll", JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT);
    private static final Downcall READ = downcall("read", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final Downcall WRITE = downcall("write", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final Downcall SENDTO = downcall(
        "sendto", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final Downcall RECVFROM = downcall(
        "recvfrom", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final Downcall SENDMMSG = downcall(
        "sendmmsg", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT);
    private static final Downcall RECVMMSG = downcall(
        "recvmmsg", JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final Downcall IF_NAMETOINDEX = downcall("if_nametoindex", JAVA_INT, JAVA_LONG);
    private static final Downcall SETNS = downcall("setns", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
        LINKER.defaultLookup().findOrThrow("strerror"), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc()
    {
    }

    private static Downcall downcall(final String name, final MemoryLayout result, final MemoryLayout... args)
    {
        return Downcall.of(name, LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow(name), FunctionDescriptor.of(result, args), CAPTURE_ERRNO));
    }

    private static Downcall downcallVariadic(
        final String name, final int firstVariadicArg, final MemoryLayout result, final MemoryLayout... args)
    {
        return Downcall.of(name, LINKER.downcallHandle(
            LINKER.defaultLookup().findOrThrow(name),
            FunctionDescriptor.of(result, args),
            CAPTURE_ERRNO,
            Linker.Option.firstVariadicArg(firstVariadicArg)));
    }

    /**
     * Runs one downcall: the errno segment, then up to {@link Downcall#MAX_ARGS} arguments (the unused
     * trailing ones are ignored; pass 0), returning the C result widened to {@code long}. A throw from
     * the handle becomes an {@link IllegalStateException} naming the function.
     */
    private static long call(
        final Downcall downcall,
        final MemorySegment errno,
        final long a0,
        final long a1,
        final long a2,
        final long a3,
        final long a4,
        final long a5)
    {
        try
        {
            return (long)downcall.handle().invokeExact(errno, a0, a1, a2, a3, a4, a5);
        }
        catch (final Throwable t)
        {
            throw downcallFailed(downcall.name(), t);
        }
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
        return (int)call(SOCKET, errno, domain, type, protocol, 0, 0, 0);
    }

    /** {@code int bind(int fd, const struct sockaddr *addr, socklen_t len)}. */
    public static int bind(final MemorySegment errno, final int fd, final long address, final int length)
    {
        return (int)call(BIND, errno, fd, address, length, 0, 0, 0);
    }

    /** {@code int getsockname(int fd, struct sockaddr *addr, socklen_t *len)}. */
    public static int getsockname(final MemorySegment errno, final int fd, final long address, final long length)
    {
        return (int)call(GETSOCKNAME, errno, fd, address, length, 0, 0, 0);
    }

    /** {@code int close(int fd)}. */
    public static int close(final MemorySegment errno, final int fd)
    {
        return (int)call(CLOSE, errno, fd, 0, 0, 0, 0, 0);
    }

    /** {@code int open(const char *path, int flags, mode_t mode)}. */
    public static int open(final MemorySegment errno, final long path, final int flags, final int mode)
    {
        return (int)call(OPEN, errno, path, flags, mode, 0, 0, 0);
    }

    /** {@code int ioctl(int fd, unsigned long request, void *arg)}. */
    public static int ioctl(final MemorySegment errno, final int fd, final long request, final long arg)
    {
        return (int)call(IOCTL, errno, fd, request, arg, 0, 0, 0);
    }

    /** {@code int setsockopt(int fd, int level, int name, const void *value, socklen_t length)}. */
    public static int setsockopt(
        final MemorySegment errno, final int fd, final int level, final int name, final long value, final int length)
    {
        return (int)call(SETSOCKOPT, errno, fd, level, name, value, length, 0);
    }

    /** {@code int getsockopt(int fd, int level, int name, void *value, socklen_t *length)}. */
    public static int getsockopt(
        final MemorySegment errno, final int fd, final int level, final int name, final long value, final long length)
    {
        return (int)call(GETSOCKOPT, errno, fd, level, name, value, length, 0);
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
        return call(MMAP, errno, address, length, prot, flags, fd, offset);
    }

    /** {@code int munmap(void *addr, size_t length)}. */
    public static int munmap(final MemorySegment errno, final long address, final long length)
    {
        return (int)call(MUNMAP, errno, address, length, 0, 0, 0, 0);
    }

    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}. */
    public static int poll(final MemorySegment errno, final long fds, final long count, final int timeoutMs)
    {
        return (int)call(POLL, errno, fds, count, timeoutMs, 0, 0, 0);
    }

    /** {@code ssize_t read(int fd, void *buf, size_t count)}. */
    public static long read(final MemorySegment errno, final int fd, final long buffer, final long length)
    {
        return call(READ, errno, fd, buffer, length, 0, 0, 0);
    }

    /** {@code ssize_t write(int fd, const void *buf, size_t count)}. */
    public static long write(final MemorySegment errno, final int fd, final long buffer, final long length)
    {
        return call(WRITE, errno, fd, buffer, length, 0, 0, 0);
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
        return call(SENDTO, errno, fd, buffer, length, flags, address, addressLength);
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
        return call(RECVFROM, errno, fd, buffer, length, flags, address, addressLength);
    }

    /** {@code int sendmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags)}. */
    public static int sendmmsg(final MemorySegment errno, final int fd, final long messages, final int count, final int flags)
    {
        return (int)call(SENDMMSG, errno, fd, messages, count, flags, 0, 0);
    }

    /** {@code int recvmmsg(int fd, struct mmsghdr *msgvec, unsigned int vlen, int flags, struct timespec *timeout)}. */
    public static int recvmmsg(
        final MemorySegment errno, final int fd, final long messages, final int count, final int flags, final long timeout)
    {
        return (int)call(RECVMMSG, errno, fd, messages, count, flags, timeout, 0);
    }

    /** {@code unsigned int if_nametoindex(const char *ifname)}; 0 when there is no such interface. */
    public static int ifNameToIndex(final MemorySegment errno, final long name)
    {
        return (int)call(IF_NAMETOINDEX, errno, name, 0, 0, 0, 0, 0);
    }

    /** {@code int setns(int fd, int nstype)}: moves the calling thread (only) into a namespace. */
    public static int setns(final MemorySegment errno, final int fd, final int nsType)
    {
        return (int)call(SETNS, errno, fd, nsType, 0, 0, 0, 0);
    }

    /**
     * A C function's handle adapted to one shape, {@code (MemorySegment errno, long x 6) -> long}, so
     * {@link #call} serves them all. Every {@code int} argument and result of the C signature is
     * carried in a {@code long} (sign-extended in, truncated back out: the values round-trip exactly);
     * the conversions are primitive casts in the handle, so a call allocates nothing.
     */
    private record Downcall(String name, MethodHandle handle)
    {
        static final int MAX_ARGS = 6;
        private static final MethodType SHAPE = MethodType
            .methodType(long.class, Collections.<Class<?>>nCopies(MAX_ARGS, long.class))
            .insertParameterTypes(0, MemorySegment.class);

        static Downcall of(final String name, final MethodHandle exact)
        {
            final int given = exact.type().parameterCount();
            final MethodHandle padded = MethodHandles.dropArguments(
                exact, given, Collections.<Class<?>>nCopies(SHAPE.parameterCount() - given, long.class));
            return new Downcall(name, MethodHandles.explicitCastArguments(padded, SHAPE));
        }
    }
}
