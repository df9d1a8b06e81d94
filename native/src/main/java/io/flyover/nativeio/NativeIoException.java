package io.flyover.nativeio;

/**
 * An OS call failed while setting up packet I/O (opening a device, binding a socket, mapping a
 * ring). The message names the call, what it acted on and the errno, e.g.
 * {@code "ioctl(TUNSETIFF) on tun0 failed: EPERM (1) Operation not permitted"}.
 * <p>
 * Thrown only on setup and teardown paths; per-batch calls return negative codes instead.
 */
public final class NativeIoException extends RuntimeException
{
    private static final long serialVersionUID = 1L;

    /** @serial the failing call. */
    private final String call;
    /** @serial what the call acted on. */
    private final String target;
    /** @serial the errno the call left. */
    private final int errno;

    /**
     * @param call   the failing call, e.g. {@code "ioctl(TUNSETIFF)"}.
     * @param target what it acted on, e.g. an interface name or a socket address.
     * @param errno  the errno the call left.
     */
    public NativeIoException(final String call, final String target, final int errno)
    {
        super(Errno.message(call, target, errno));
        this.call = call;
        this.target = target;
        this.errno = errno;
    }

    /**
     * @return the failing call, e.g. {@code "ioctl(TUNSETIFF)"}.
     */
    public String call()
    {
        return call;
    }

    /**
     * @return what the call acted on.
     */
    public String target()
    {
        return target;
    }

    /**
     * @return the errno the call left.
     */
    public int errno()
    {
        return errno;
    }
}
