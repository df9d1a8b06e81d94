package io.flyover.tools.lab;

import io.flyover.nativeio.Libc;
import io.flyover.nativeio.LinuxConstants;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Watches interfaces with AF_PACKET sockets (SOCK_DGRAM, IPv4 only) for Geneve data packets
 * (O bit clear, UDP port 6081) whose inner packet is TCP with a non-empty payload, from one
 * underlay address to another: the lab's evidence of which backbone link carries a download.
 * Sockets see packets before netfilter, so a link cut with an iptables DROP in INPUT still shows
 * what arrives on it. Open, {@link #run} and close it on one {@link io.flyover.nativeio.NetworkNamespace} thread; the
 * counters and times are read from any thread.
 */
public final class TunnelSniffer implements AutoCloseable
{
    private static final int ETH_P_IP = 0x0800;
    private static final int POLLIN = 1;
    private static final int SNAP = 256;

    /**
     * One watched interface and the underlay source and destination it counts.
     */
    public static final class Watch
    {
        final String device;
        final int source;
        final int destination;
        int fd = -1;
        /** Data packets with TCP payload seen. */
        public final AtomicLong payloadPackets = new AtomicLong();
        /** {@link System#nanoTime()} of the first such packet after {@link #arm}, or 0. */
        public final AtomicLong firstAfterArmNs = new AtomicLong();
        volatile long armedAtNs;

        /**
         * @param device      the interface.
         * @param source      the outer source (underlay of the sender), as dotted quad.
         * @param destination the outer destination.
         */
        public Watch(final String device, final String source, final String destination)
        {
            this.device = device;
            this.source = ipv4(source);
            this.destination = ipv4(destination);
        }

        /**
         * From now on, record the time of the first payload packet.
         *
         * @param nowNs the arming time.
         */
        public void arm(final long nowNs)
        {
            firstAfterArmNs.set(0);
            armedAtNs = nowNs;
        }
    }

    private final Arena arena = Arena.ofShared();
    private final MemorySegment errno = Libc.allocateErrno(arena);
    private final MemorySegment buffer = arena.allocate(SNAP, 8);
    private final MemorySegment pollFds;
    private final List<Watch> watches;
    private volatile boolean stop;

    /**
     * Open one socket per watch, bound to its interface. Call on the namespace's thread.
     *
     * @param watches what to watch.
     * @throws LabException when a socket cannot be opened or bound.
     */
    public TunnelSniffer(final List<Watch> watches)
    {
        this.watches = watches;
        this.pollFds = arena.allocate(8L * watches.size(), 8);
        try
        {
            for (int i = 0; i < watches.size(); i++)
            {
                final Watch watch = watches.get(i);
                watch.fd = open(watch.device);
                pollFds.set(JAVA_INT, 8L * i, watch.fd);
                pollFds.set(JAVA_SHORT, 8L * i + 4, (short)POLLIN);
            }
        }
        catch (final RuntimeException ex)
        {
            close();
            throw ex;
        }
    }

    private int open(final String device)
    {
        final int index = Libc.ifNameToIndex(errno, arena.allocateFrom(device).address());
        if (0 == index)
        {
            throw new LabException("if_nametoindex " + device + " failed: " + Libc.strerror(Libc.errno(errno)));
        }
        final int protocol = Short.reverseBytes((short)ETH_P_IP) & 0xFFFF;
        final int fd = Libc.socket(errno, LinuxConstants.AF_PACKET, LinuxConstants.SOCK_DGRAM | LinuxConstants.SOCK_CLOEXEC,
            protocol);
        if (fd < 0)
        {
            throw new LabException("socket(AF_PACKET) failed: " + Libc.strerror(Libc.errno(errno)));
        }
        final MemorySegment address = arena.allocate(20, 8);
        address.set(JAVA_SHORT, 0, (short)LinuxConstants.AF_PACKET);
        address.set(JAVA_SHORT, 2, (short)protocol);
        address.set(JAVA_INT, 4, index);
        if (Libc.bind(errno, fd, address.address(), 20) < 0)
        {
            final int error = Libc.errno(errno);
            Libc.close(errno, fd);
            throw new LabException("bind(AF_PACKET) to " + device + " failed: " + Libc.strerror(error));
        }
        return fd;
    }

    /**
     * Count packets until {@link #stop()} or the deadline.
     *
     * @param deadlineNs when to stop at the latest ({@link System#nanoTime()}).
     * @return packets inspected.
     */
    public long run(final long deadlineNs)
    {
        long seen = 0;
        while (!stop && System.nanoTime() - deadlineNs < 0)
        {
            final int ready = Libc.poll(errno, pollFds.address(), watches.size(), 20);
            if (ready <= 0)
            {
                continue;
            }
            for (int i = 0; i < watches.size(); i++)
            {
                if (0 == (pollFds.get(JAVA_SHORT, 8L * i + 6) & POLLIN))
                {
                    continue;
                }
                final Watch watch = watches.get(i);
                for (int n = 0; n < 256; n++)
                {
                    final long length = Libc.recvfrom(errno, watch.fd, buffer.address(), SNAP,
                        LinuxConstants.MSG_DONTWAIT | LinuxConstants.MSG_TRUNC, 0, 0);
                    if (length <= 0)
                    {
                        break;
                    }
                    seen++;
                    if (isPayload(buffer, (int)Math.min(length, SNAP), watch.source, watch.destination))
                    {
                        watch.payloadPackets.incrementAndGet();
                        if (0 != watch.armedAtNs && 0 == watch.firstAfterArmNs.get())
                        {
                            watch.firstAfterArmNs.set(System.nanoTime());
                        }
                    }
                }
            }
        }
        return seen;
    }

    /**
     * Whether a captured IPv4 packet is a Geneve data packet from {@code source} to
     * {@code destination} carrying TCP with payload.
     *
     * @param packet      the packet from its IPv4 header.
     * @param length      captured bytes.
     * @param source      the expected outer source.
     * @param destination the expected outer destination.
     * @return whether it is one.
     */
    static boolean isPayload(final MemorySegment packet, final int length, final int source, final int destination)
    {
        if (length < 20 || (packet.get(JAVA_BYTE, 0) & 0xF0) != 0x40 || packet.get(JAVA_BYTE, 9) != 17)
        {
            return false;
        }
        if (be32(packet, 12) != source || be32(packet, 16) != destination)
        {
            return false;
        }
        final int ihl = (packet.get(JAVA_BYTE, 0) & 0x0F) * 4;
        if (length < ihl + 8 + 8 || be16(packet, ihl + 2) != 6081)
        {
            return false;
        }
        final int geneve = ihl + 8;
        final int optionBytes = (packet.get(JAVA_BYTE, geneve) & 0x3F) * 4;
        if (0 != (packet.get(JAVA_BYTE, geneve + 1) & 0x80) || be16(packet, geneve + 2) != 0x0800)
        {
            return false;
        }
        final int inner = geneve + 8 + optionBytes;
        if (length < inner + 20 || packet.get(JAVA_BYTE, inner + 9) != 6)
        {
            return false;
        }
        final int innerIhl = (packet.get(JAVA_BYTE, inner) & 0x0F) * 4;
        if (length < inner + innerIhl + 13)
        {
            return false;
        }
        final int total = be16(packet, inner + 2);
        final int tcpHeader = ((packet.get(JAVA_BYTE, inner + innerIhl + 12) & 0xF0) >>> 4) * 4;
        return total - innerIhl - tcpHeader > 0;
    }

    private static int be16(final MemorySegment segment, final int offset)
    {
        return ((segment.get(JAVA_BYTE, offset) & 0xFF) << 8) | (segment.get(JAVA_BYTE, offset + 1) & 0xFF);
    }

    private static int be32(final MemorySegment segment, final int offset)
    {
        return (be16(segment, offset) << 16) | be16(segment, offset + 2);
    }

    static int ipv4(final String dotted)
    {
        final String[] parts = dotted.split("\\.");
        int value = 0;
        for (final String part : parts)
        {
            value = (value << 8) | Integer.parseInt(part);
        }
        return value;
    }

    /**
     * Ask {@link #run} to return (any thread).
     */
    public void stop()
    {
        stop = true;
    }

    @Override
    public void close()
    {
        for (final Watch watch : watches)
        {
            if (watch.fd >= 0)
            {
                Libc.close(errno, watch.fd);
                watch.fd = -1;
            }
        }
        arena.close();
    }
}
