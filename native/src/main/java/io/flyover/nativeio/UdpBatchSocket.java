package io.flyover.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.flyover.nativeio.LinuxConstants.AF_INET;
import static io.flyover.nativeio.LinuxConstants.IPPROTO_IP;
import static io.flyover.nativeio.LinuxConstants.IP_PKTINFO;
import static io.flyover.nativeio.LinuxConstants.MSG_DONTWAIT;
import static io.flyover.nativeio.LinuxConstants.MSG_TRUNC;
import static io.flyover.nativeio.LinuxConstants.SOCK_CLOEXEC;
import static io.flyover.nativeio.LinuxConstants.SOCK_DGRAM;
import static io.flyover.nativeio.LinuxConstants.SOCK_NONBLOCK;
import static io.flyover.nativeio.LinuxConstants.SOL_SOCKET;
import static io.flyover.nativeio.LinuxConstants.SO_RCVBUF;
import static io.flyover.nativeio.LinuxConstants.SO_SNDBUF;
import static io.flyover.nativeio.SocketLayouts.CMSG_DATA_OFFSET;
import static io.flyover.nativeio.SocketLayouts.CMSG_LEN_OFFSET;
import static io.flyover.nativeio.SocketLayouts.CMSG_LEVEL_OFFSET;
import static io.flyover.nativeio.SocketLayouts.CMSG_SPACE_IN_PKTINFO;
import static io.flyover.nativeio.SocketLayouts.CMSG_TYPE_OFFSET;
import static io.flyover.nativeio.SocketLayouts.IPI_ADDR_BE_OFFSET;
import static io.flyover.nativeio.SocketLayouts.IPI_IFINDEX_OFFSET;
import static io.flyover.nativeio.SocketLayouts.IPI_SPEC_DST_BE_OFFSET;
import static io.flyover.nativeio.SocketLayouts.SIN_ADDR_BE_OFFSET;
import static io.flyover.nativeio.SocketLayouts.SIN_FAMILY_OFFSET;
import static io.flyover.nativeio.SocketLayouts.SIN_PORT_BE_OFFSET;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * A non-blocking IPv4 UDP socket moving datagrams in batches: one {@code recvmmsg} per
 * {@link #receive}/{@link #poll} and one {@code sendmmsg} per {@link #flush}. Every {@code mmsghdr},
 * {@code iovec}, {@code sockaddr_in} and control buffer is allocated off-heap once at open; steady
 * state allocates nothing.
 * <p>
 * Received datagrams carry their source address and port, and their header destination address
 * (through {@code IP_PKTINFO}), so a socket bound to the wildcard still knows which local address
 * (e.g. which VIP) a datagram was sent to; {@link #offerFrom} sends from a chosen local address the
 * same way.
 * <p>
 * The receive side is owned by one thread and the send side by one thread (they may differ). Open
 * and close from any thread, but not while either side is running.
 */
public final class UdpBatchSocket implements DatagramPort
{
    private static final int SOCKADDR_IN_SIZE = (int)SocketLayouts.SOCKADDR_IN.byteSize();

    private final int fd;
    private final int localAddress;
    private final int localPort;
    private final String description;

    private final Arena arena = Arena.ofShared();
    private final MmsgBatch rx;
    private final MemorySegment rxErrnoState = Libc.allocateErrno(arena);
    private final MmsgSendQueue tx;
    private final DatagramFrames frames = new DatagramFrames();
    private int receiveErrno;
    private long truncated;
    private int defaultAddress;
    private int defaultPort;
    private boolean closed;

    private UdpBatchSocket(
        final int fd, final int localAddress, final int localPort, final int batchSize, final int slotSize)
    {
        this.fd = fd;
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.description = "udp " + Ipv4.format(localAddress, localPort);
        rx = new MmsgBatch(batchSize, slotSize, SOCKADDR_IN_SIZE, CMSG_SPACE_IN_PKTINFO);
        tx = new MmsgSendQueue(batchSize, slotSize, SOCKADDR_IN_SIZE, CMSG_SPACE_IN_PKTINFO);
    }

    /**
     * Open and bind a socket with default kernel buffer sizes.
     *
     * @param bindAddress IPv4 address, host order; 0 for all.
     * @param bindPort    port; 0 lets the kernel choose (see {@link #localPort()}).
     * @param batchSize   most datagrams per system call, each way.
     * @param slotSize    largest datagram payload carried; longer ones are truncated on receive
     *                    (and counted) and refused on send.
     * @return the open socket.
     * @throws NativeIoException naming the call, the address and the errno, e.g. {@code EADDRINUSE}.
     */
    public static UdpBatchSocket open(final int bindAddress, final int bindPort, final int batchSize, final int slotSize)
    {
        return open(bindAddress, bindPort, batchSize, slotSize, 0, 0);
    }

    /**
     * Open and bind a socket.
     *
     * @param bindAddress       IPv4 address, host order; 0 for all.
     * @param bindPort          port; 0 lets the kernel choose.
     * @param batchSize         most datagrams per system call, each way.
     * @param slotSize          largest datagram payload carried.
     * @param receiveBufferSize {@code SO_RCVBUF} in bytes, 0 for the kernel default.
     * @param sendBufferSize    {@code SO_SNDBUF} in bytes, 0 for the kernel default.
     * @return the open socket.
     * @throws NativeIoException naming the call, the address and the errno.
     */
    public static UdpBatchSocket open(
        final int bindAddress,
        final int bindPort,
        final int batchSize,
        final int slotSize,
        final int receiveBufferSize,
        final int sendBufferSize)
    {
        final String target = "udp " + Ipv4.format(bindAddress, bindPort);
        try (SetupCalls setup = new SetupCalls())
        {
            final int fd = setup.check(
                Libc.socket(setup.errno, AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
                "socket(AF_INET, SOCK_DGRAM)", target);
            try
            {
                setup.setIntOption(fd, IPPROTO_IP, IP_PKTINFO, 1, "setsockopt(IP_PKTINFO)", target);
                if (receiveBufferSize > 0)
                {
                    setup.setIntOption(fd, SOL_SOCKET, SO_RCVBUF, receiveBufferSize, "setsockopt(SO_RCVBUF)", target);
                }
                if (sendBufferSize > 0)
                {
                    setup.setIntOption(fd, SOL_SOCKET, SO_SNDBUF, sendBufferSize, "setsockopt(SO_SNDBUF)", target);
                }

                final MemorySegment sin = setup.allocate(SOCKADDR_IN_SIZE);
                final UnsafeBuffer sinBuffer = new UnsafeBuffer(sin.address(), SOCKADDR_IN_SIZE);
                writeSockaddrIn(sinBuffer, 0, bindAddress, bindPort);
                setup.check(Libc.bind(setup.errno, fd, sin.address(), SOCKADDR_IN_SIZE), "bind", target);

                final MemorySegment length = setup.allocate(4);
                length.set(JAVA_INT, 0, SOCKADDR_IN_SIZE);
                setup.check(Libc.getsockname(setup.errno, fd, sin.address(), length.address()), "getsockname", target);
                final int boundPort = sinBuffer.getShort(SIN_PORT_BE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;

                return new UdpBatchSocket(fd, bindAddress, boundPort, batchSize, slotSize);
            }
            catch (final RuntimeException ex)
            {
                setup.closeQuietly(fd);
                throw ex;
            }
        }
    }

    static void writeSockaddrIn(final MutableDirectBuffer buffer, final int offset, final int address, final int port)
    {
        buffer.putShort(offset + SIN_FAMILY_OFFSET, (short)AF_INET);
        buffer.putShort(offset + SIN_PORT_BE_OFFSET, (short)port, ByteOrder.BIG_ENDIAN);
        buffer.putInt(offset + SIN_ADDR_BE_OFFSET, address, ByteOrder.BIG_ENDIAN);
        buffer.putLong(offset + SIN_ADDR_BE_OFFSET + 4, 0L);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int receive(final DatagramHandler handler, final int limit)
    {
        final MmsgBatch rx = this.rx;
        final int count = Math.min(limit, rx.capacity);
        rx.prepareReceive(count);
        final int received = Libc.recvmmsg(rxErrnoState, fd, rx.address, count, MSG_DONTWAIT, 0L);
        if (received < 0)
        {
            final int errno = Libc.errno(rxErrnoState);
            if (Errno.EAGAIN == errno || Errno.EINTR == errno)
            {
                return 0;
            }
            receiveErrno = errno;
            return RECEIVE_ERROR;
        }

        final UnsafeBuffer buffer = rx.buffer;
        for (int i = 0; i < received; i++)
        {
            final int name = rx.nameOffset(i);
            final int sourceAddress = buffer.getInt(name + SIN_ADDR_BE_OFFSET, ByteOrder.BIG_ENDIAN);
            final int sourcePort = buffer.getShort(name + SIN_PORT_BE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
            int destinationAddress = localAddress;
            if (rx.controlLengthOut(i) >= CMSG_DATA_OFFSET + IPI_ADDR_BE_OFFSET + 4)
            {
                final int control = rx.controlOffset(i);
                if (IPPROTO_IP == buffer.getInt(control + CMSG_LEVEL_OFFSET) &&
                    IP_PKTINFO == buffer.getInt(control + CMSG_TYPE_OFFSET))
                {
                    destinationAddress = buffer.getInt(
                        control + CMSG_DATA_OFFSET + IPI_ADDR_BE_OFFSET, ByteOrder.BIG_ENDIAN);
                }
            }
            if (0 != (rx.messageFlags(i) & MSG_TRUNC))
            {
                truncated++;
            }
            final int length = Math.min(rx.messageLength(i), rx.slotSize);
            handler.onDatagram(buffer, rx.slotOffset(i), length, sourceAddress, sourcePort, destinationAddress);
        }
        return received;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int poll(final FrameHandler handler, final int limit)
    {
        return frames.poll(this, handler, limit);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int offer(
        final DirectBuffer buffer, final int offset, final int length, final int destinationAddress, final int destinationPort)
    {
        final int index = tx.offer(buffer, offset, length);
        if (index < 0)
        {
            return index;
        }
        writeSockaddrIn(tx.batch.buffer, tx.batch.nameOffset(index), destinationAddress, destinationPort);
        return tx.pending();
    }

    /**
     * Queue a datagram with a chosen source address (an {@code IP_PKTINFO} control message with
     * {@code ipi_spec_dst}), so a socket bound to the wildcard answers from the address it was
     * reached at, e.g. a VIP. The address must be local to the host (or the socket allowed to bind
     * non-local addresses), else the kernel refuses the datagram at flush.
     *
     * @param buffer             holds the payload.
     * @param offset             where the payload starts.
     * @param length             payload length.
     * @param sourceAddress      IPv4 source address, host order; 0 for the kernel's choice.
     * @param destinationAddress IPv4 address, host order.
     * @param destinationPort    port.
     * @return as {@link FrameSender#offer(DirectBuffer, int, int)}.
     */
    public int offerFrom(
        final DirectBuffer buffer,
        final int offset,
        final int length,
        final int sourceAddress,
        final int destinationAddress,
        final int destinationPort)
    {
        final int index = tx.offer(buffer, offset, length);
        if (index < 0)
        {
            return index;
        }
        final MmsgBatch batch = tx.batch;
        final UnsafeBuffer b = batch.buffer;
        writeSockaddrIn(b, batch.nameOffset(index), destinationAddress, destinationPort);
        if (0 != sourceAddress)
        {
            final int control = batch.controlOffset(index);
            b.putLong(control + CMSG_LEN_OFFSET, CMSG_DATA_OFFSET + SocketLayouts.IN_PKTINFO.byteSize());
            b.putInt(control + CMSG_LEVEL_OFFSET, IPPROTO_IP);
            b.putInt(control + CMSG_TYPE_OFFSET, IP_PKTINFO);
            b.putInt(control + CMSG_DATA_OFFSET + IPI_IFINDEX_OFFSET, 0);
            b.putInt(control + CMSG_DATA_OFFSET + IPI_SPEC_DST_BE_OFFSET, sourceAddress, ByteOrder.BIG_ENDIAN);
            b.putInt(control + CMSG_DATA_OFFSET + IPI_ADDR_BE_OFFSET, 0);
            batch.controlLength(index, CMSG_SPACE_IN_PKTINFO);
        }
        return tx.pending();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int offer(final DirectBuffer buffer, final int offset, final int length)
    {
        return offer(buffer, offset, length, defaultAddress, defaultPort);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int flush()
    {
        return tx.flush(fd);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int pending()
    {
        return tx.pending();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void defaultDestination(final int address, final int port)
    {
        defaultAddress = address;
        defaultPort = port;
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
        return tx.lastErrno();
    }

    /**
     * @return datagrams longer than a slot, delivered truncated, since open. Receive-side thread.
     */
    public long truncatedDatagrams()
    {
        return truncated;
    }

    /**
     * @return frames the kernel refused for good and that were dropped, since open. Send-side thread.
     */
    public long droppedFrames()
    {
        return tx.dropped();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int localAddress()
    {
        return localAddress;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int localPort()
    {
        return localPort;
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
            rx.close();
            tx.close();
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
