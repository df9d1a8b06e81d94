package io.flyover.nativeio;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static io.flyover.nativeio.LinuxConstants.IFF_MULTI_QUEUE;
import static io.flyover.nativeio.LinuxConstants.IFF_NO_PI;
import static io.flyover.nativeio.LinuxConstants.IFF_TUN;
import static io.flyover.nativeio.LinuxConstants.IFNAMSIZ;
import static io.flyover.nativeio.LinuxConstants.O_CLOEXEC;
import static io.flyover.nativeio.LinuxConstants.O_NONBLOCK;
import static io.flyover.nativeio.LinuxConstants.O_RDWR;
import static io.flyover.nativeio.LinuxConstants.TUNSETIFF;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * A layer-3 TUN device ({@code IFF_TUN | IFF_NO_PI}): frames are raw IP packets. With more than
 * one queue it is opened {@code IFF_MULTI_QUEUE}, one non-blocking fd per {@link TunQueue}, and
 * the kernel spreads transmitted flows over the queues by hash, so each queue can be owned by a
 * different port agent.
 * <p>
 * The device is not persistent: it exists while a queue is open and disappears at {@link #close()}.
 * Addresses, routes and link state are the operator's (or {@code ip}'s) business, not this class's.
 * <p>
 * Open and close on any thread; each queue is then owned by one thread. The fds live in the
 * network namespace of the thread that opened them.
 */
public final class TunDevice implements AutoCloseable
{
    /** The TUN clone device. */
    public static final String CLONE_DEVICE = "/dev/net/tun";

    private final String name;
    private final TunQueue[] queues;

    private TunDevice(final String name, final TunQueue[] queues)
    {
        this.name = name;
        this.queues = queues;
    }

    /**
     * Create (or attach to) a TUN device.
     *
     * @param name          interface name, at most 15 bytes; a pattern like {@code "flo%d"} lets the
     *                      kernel number it (see {@link #name()}).
     * @param queueCount    queues (fds) to open; more than 1 sets {@code IFF_MULTI_QUEUE}.
     * @param maxPacketSize largest packet a queue reads or writes (the device MTU at least).
     * @return the open device.
     * @throws NativeIoException naming the call, the interface and the errno, e.g.
     *                           {@code "ioctl(TUNSETIFF) on tun0 failed: EPERM (1) Operation not permitted"}.
     */
    public static TunDevice open(final String name, final int queueCount, final int maxPacketSize)
    {
        final byte[] nameBytes = name.getBytes(StandardCharsets.US_ASCII);
        if (nameBytes.length >= IFNAMSIZ || 0 == nameBytes.length)
        {
            throw new IllegalArgumentException("interface name must be 1 to 15 bytes: '" + name + "'");
        }
        if (queueCount < 1)
        {
            throw new IllegalArgumentException("queue count must be positive: " + queueCount);
        }

        final short flags = (short)(IFF_TUN | IFF_NO_PI | (queueCount > 1 ? IFF_MULTI_QUEUE : 0));
        final TunQueue[] queues = new TunQueue[queueCount];
        String assignedName = name;
        try (SetupCalls setup = new SetupCalls())
        {
            final long clonePath = setup.cString(CLONE_DEVICE);
            final MemorySegment ifreq = setup.allocate(SocketLayouts.IFREQ.byteSize());
            for (int i = 0; i < queueCount; i++)
            {
                final int fd = setup.check(
                    Libc.open(setup.errno, clonePath, O_RDWR | O_NONBLOCK | O_CLOEXEC, 0), "open", CLONE_DEVICE);
                try
                {
                    ifreq.fill((byte)0);
                    ifreq.setString(SocketLayouts.IFR_NAME_OFFSET, assignedName, StandardCharsets.US_ASCII);
                    ifreq.set(JAVA_SHORT, SocketLayouts.IFR_FLAGS_OFFSET, flags);
                    setup.check(Libc.ioctl(setup.errno, fd, TUNSETIFF, ifreq.address()), "ioctl(TUNSETIFF)", assignedName);
                    assignedName = ifreq.getString(SocketLayouts.IFR_NAME_OFFSET, StandardCharsets.US_ASCII);
                }
                catch (final RuntimeException ex)
                {
                    setup.closeQuietly(fd);
                    throw ex;
                }
                queues[i] = new TunQueue(fd, assignedName, i, maxPacketSize);
            }
        }
        catch (final RuntimeException ex)
        {
            for (final TunQueue queue : queues)
            {
                if (null != queue)
                {
                    queue.close();
                }
            }
            throw ex;
        }
        return new TunDevice(assignedName, queues);
    }

    /**
     * @return the interface name the kernel gave the device.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return number of queues.
     */
    public int queueCount()
    {
        return queues.length;
    }

    /**
     * @param index 0 to {@code queueCount() - 1}.
     * @return that queue.
     */
    public TunQueue queue(final int index)
    {
        return queues[index];
    }

    /**
     * Close every queue; the device goes away with the last one.
     */
    @Override
    public void close()
    {
        for (final TunQueue queue : queues)
        {
            queue.close();
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "tun " + name + " (" + queues.length + " queues)";
    }
}
