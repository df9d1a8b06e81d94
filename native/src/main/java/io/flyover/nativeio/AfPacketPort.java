package io.flyover.nativeio;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import static io.flyover.nativeio.LinuxConstants.AF_PACKET;
import static io.flyover.nativeio.LinuxConstants.ETH_P_ALL;
import static io.flyover.nativeio.LinuxConstants.MAP_FAILED;
import static io.flyover.nativeio.LinuxConstants.MAP_POPULATE;
import static io.flyover.nativeio.LinuxConstants.MAP_SHARED;
import static io.flyover.nativeio.LinuxConstants.PACKET_IGNORE_OUTGOING;
import static io.flyover.nativeio.LinuxConstants.PACKET_QDISC_BYPASS;
import static io.flyover.nativeio.LinuxConstants.PACKET_RX_RING;
import static io.flyover.nativeio.LinuxConstants.PACKET_STATISTICS;
import static io.flyover.nativeio.LinuxConstants.PACKET_VERSION;
import static io.flyover.nativeio.LinuxConstants.PROT_READ;
import static io.flyover.nativeio.LinuxConstants.PROT_WRITE;
import static io.flyover.nativeio.LinuxConstants.SIOCGIFHWADDR;
import static io.flyover.nativeio.LinuxConstants.SOCK_CLOEXEC;
import static io.flyover.nativeio.LinuxConstants.SOCK_NONBLOCK;
import static io.flyover.nativeio.LinuxConstants.SOCK_RAW;
import static io.flyover.nativeio.LinuxConstants.SOL_PACKET;
import static io.flyover.nativeio.LinuxConstants.TPACKET_V3;
import static io.flyover.nativeio.LinuxConstants.TP_STATUS_CSUMNOTREADY;
import static io.flyover.nativeio.LinuxConstants.TP_STATUS_KERNEL;
import static io.flyover.nativeio.LinuxConstants.TP_STATUS_LOSING;
import static io.flyover.nativeio.LinuxConstants.TP_STATUS_USER;
import static io.flyover.nativeio.TpacketLayouts.BLOCK_NUM_PKTS_OFFSET;
import static io.flyover.nativeio.TpacketLayouts.BLOCK_OFFSET_TO_FIRST_PKT_OFFSET;
import static io.flyover.nativeio.TpacketLayouts.BLOCK_STATUS_OFFSET;
import static io.flyover.nativeio.TpacketLayouts.TP_MAC_OFFSET;
import static io.flyover.nativeio.TpacketLayouts.TP_NEXT_OFFSET_OFFSET;
import static io.flyover.nativeio.TpacketLayouts.TP_SNAPLEN_OFFSET;
import static io.flyover.nativeio.TpacketLayouts.TP_STATUS_OFFSET;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * An {@code AF_PACKET} socket on one interface: Ethernet frames in through a memory-mapped
 * {@code TPACKET_V3} receive ring, out through {@code sendmmsg} batches.
 * <p>
 * <b>Receive</b>: the kernel fills blocks of the ring with packed frames and flips a block's status
 * to {@code TP_STATUS_USER} when it is full or its retire timeout passed. {@link #poll} walks the
 * block ({@code offset_to_first_pkt}, then each {@code tp_next_offset}) and hands each frame to the
 * handler in place, through one {@link UnsafeBuffer} wrapped over the whole ring at open (no copy,
 * no allocation). A block is given back ({@code TP_STATUS_KERNEL}, a release store) once its last
 * frame was handled, so a frame's bytes are valid only during its handler call. A poll may stop in
 * the middle of a block; the next one resumes there. Outgoing packets of the host are not
 * delivered ({@code PACKET_IGNORE_OUTGOING}).
 * <p>
 * <b>Send</b>: {@code sendmmsg} over frames copied into preallocated slots rather than a
 * {@code PACKET_TX_RING}. The TX ring saves the copy into the skb, but every slot stays owned by the
 * kernel until the driver frees its skb, so the sender must poll slot status, size a second ring,
 * and handle a ring stalled by a slow qdisc; {@code sendmmsg} shares its code and error handling
 * with the UDP backbone, one system call per batch either way, and the copy of a frame already in
 * cache is cheap next to the rest of the per-packet work. A TX ring remains an option if profiles
 * show the copy.
 * <p>
 * The receive side is owned by one thread and the send side by one thread (they may differ). The
 * socket lives in the network namespace of the thread that opened it.
 */
public final class AfPacketPort implements FrameReceiver, FrameSender
{
    private static final int SOCKADDR_LL_SIZE = (int)SocketLayouts.SOCKADDR_LL.byteSize();

    private final int fd;
    private final int interfaceIndex;
    private final long macAddress;
    private final AfPacketConfig config;
    private final long ringAddress;
    private final long ringSize;
    private final int blockSize;
    private final int blockCount;
    private final UnsafeBuffer ring;
    private final MmsgSendQueue tx;
    private final Arena arena = Arena.ofShared();
    private final MemorySegment rxErrnoState = Libc.allocateErrno(arena);
    private final MemorySegment stats = arena.allocate(TpacketLayouts.TPACKET_STATS_V3);
    private final MemorySegment statsLength = arena.allocate(JAVA_INT);

    private int blockIndex;
    private int blockOffset;
    private int packetsLeft;
    private int packetOffset;
    private long losingBlocks;
    private volatile long checksumsCompleted;
    private long kernelPackets;
    private long kernelDrops;
    private int receiveErrno;
    private boolean closed;

    private AfPacketPort(
        final int fd,
        final int interfaceIndex,
        final long macAddress,
        final AfPacketConfig config,
        final long ringAddress,
        final long ringSize)
    {
        this.fd = fd;
        this.interfaceIndex = interfaceIndex;
        this.macAddress = macAddress;
        this.config = config;
        this.ringAddress = ringAddress;
        this.ringSize = ringSize;
        this.blockSize = config.blockSize();
        this.blockCount = config.blockCount();
        ring = new UnsafeBuffer(ringAddress, (int)ringSize);
        tx = new MmsgSendQueue(config.sendBatchSize(), config.sendSlotSize(), 0, 0);
    }

    /**
     * Open the socket, set up and map the receive ring, bind to the interface.
     *
     * @param config settings.
     * @return the open port.
     * @throws NativeIoException naming the call, the interface and the errno (e.g. {@code EPERM}
     *                           without {@code CAP_NET_RAW}, {@code ENODEV} for an unknown interface).
     */
    public static AfPacketPort open(final AfPacketConfig config)
    {
        final String name = config.interfaceName();
        try (SetupCalls setup = new SetupCalls())
        {
            final int interfaceIndex = Libc.ifNameToIndex(setup.errno, setup.cString(name));
            if (0 == interfaceIndex)
            {
                throw new NativeIoException("if_nametoindex", name, Libc.errno(setup.errno));
            }

            // protocol 0: the socket sees nothing until bind, so the ring does not fill with other interfaces' traffic
            final int fd = setup.check(
                Libc.socket(setup.errno, AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0),
                "socket(AF_PACKET, SOCK_RAW)", name);
            long ringAddress = MAP_FAILED;
            final long ringSize = (long)config.blockSize() * config.blockCount();
            try
            {
                setup.setIntOption(fd, SOL_PACKET, PACKET_VERSION, TPACKET_V3, "setsockopt(PACKET_VERSION)", name);
                setup.setIntOption(
                    fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, "setsockopt(PACKET_IGNORE_OUTGOING)", name);
                if (config.qdiscBypass())
                {
                    setup.setIntOption(fd, SOL_PACKET, PACKET_QDISC_BYPASS, 1, "setsockopt(PACKET_QDISC_BYPASS)", name);
                }

                final MemorySegment req = setup.allocate(TpacketLayouts.TPACKET_REQ3.byteSize());
                req.set(JAVA_INT, TpacketLayouts.REQ3_BLOCK_SIZE_OFFSET, config.blockSize());
                req.set(JAVA_INT, TpacketLayouts.REQ3_BLOCK_NR_OFFSET, config.blockCount());
                req.set(JAVA_INT, TpacketLayouts.REQ3_FRAME_SIZE_OFFSET, config.frameSize());
                req.set(
                    JAVA_INT, TpacketLayouts.REQ3_FRAME_NR_OFFSET,
                    config.blockSize() / config.frameSize() * config.blockCount());
                req.set(JAVA_INT, TpacketLayouts.REQ3_RETIRE_BLK_TOV_OFFSET, config.retireTimeoutMs());
                req.set(JAVA_INT, TpacketLayouts.REQ3_SIZEOF_PRIV_OFFSET, 0);
                req.set(JAVA_INT, TpacketLayouts.REQ3_FEATURE_REQ_WORD_OFFSET, 0);
                setup.check(
                    Libc.setsockopt(setup.errno, fd, SOL_PACKET, PACKET_RX_RING, req.address(), (int)req.byteSize()),
                    "setsockopt(PACKET_RX_RING)", name);

                ringAddress = Libc.mmap(
                    setup.errno, 0L, ringSize, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd, 0L);
                if (MAP_FAILED == ringAddress)
                {
                    throw new NativeIoException("mmap(PACKET_RX_RING)", name, Libc.errno(setup.errno));
                }

                final MemorySegment sll = setup.allocate(SOCKADDR_LL_SIZE);
                sll.fill((byte)0);
                final UnsafeBuffer sllBuffer = new UnsafeBuffer(sll.address(), SOCKADDR_LL_SIZE);
                sllBuffer.putShort(SocketLayouts.SLL_FAMILY_OFFSET, (short)AF_PACKET);
                sllBuffer.putShort(SocketLayouts.SLL_PROTOCOL_BE_OFFSET, (short)ETH_P_ALL, ByteOrder.BIG_ENDIAN);
                sllBuffer.putInt(SocketLayouts.SLL_IFINDEX_OFFSET, interfaceIndex);
                setup.check(Libc.bind(setup.errno, fd, sll.address(), SOCKADDR_LL_SIZE), "bind", name);

                final MemorySegment ifreq = setup.allocate(SocketLayouts.IFREQ.byteSize());
                ifreq.fill((byte)0);
                ifreq.setString(SocketLayouts.IFR_NAME_OFFSET, name, StandardCharsets.US_ASCII);
                setup.check(Libc.ioctl(setup.errno, fd, SIOCGIFHWADDR, ifreq.address()), "ioctl(SIOCGIFHWADDR)", name);
                final long mac = MacAddress.read(
                    new UnsafeBuffer(ifreq.address(), (int)ifreq.byteSize()), SocketLayouts.IFR_HWADDR_DATA_OFFSET);

                return new AfPacketPort(fd, interfaceIndex, mac, config, ringAddress, ringSize);
            }
            catch (final RuntimeException ex)
            {
                if (MAP_FAILED != ringAddress)
                {
                    Libc.munmap(setup.errno, ringAddress, ringSize);
                }
                setup.closeQuietly(fd);
                throw ex;
            }
        }
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int poll(final FrameHandler handler, final int limit)
    {
        final UnsafeBuffer ring = this.ring;
        int delivered = 0;
        while (delivered < limit)
        {
            if (0 == packetsLeft)
            {
                final int block = blockIndex * blockSize;
                final int status = ring.getIntAcquire(block + BLOCK_STATUS_OFFSET);
                if (0 == (status & TP_STATUS_USER))
                {
                    break;
                }
                if (0 != (status & TP_STATUS_LOSING))
                {
                    losingBlocks++;
                }
                blockOffset = block;
                packetsLeft = ring.getInt(block + BLOCK_NUM_PKTS_OFFSET);
                packetOffset = block + ring.getInt(block + BLOCK_OFFSET_TO_FIRST_PKT_OFFSET);
                if (0 == packetsLeft)
                {
                    releaseBlock();
                    continue;
                }
            }

            final int header = packetOffset;
            final int snapLength = ring.getInt(header + TP_SNAPLEN_OFFSET);
            final int macOffset = ring.getShort(header + TP_MAC_OFFSET) & 0xFFFF;
            packetOffset = header + ring.getInt(header + TP_NEXT_OFFSET_OFFSET);
            if (0 != (ring.getInt(header + TP_STATUS_OFFSET) & TP_STATUS_CSUMNOTREADY) &&
                PartialChecksums.complete(ring, header + macOffset, snapLength))
            {
                checksumsCompleted++;
            }
            try
            {
                handler.onFrame(ring, header + macOffset, snapLength);
            }
            finally
            {
                delivered++;
                if (0 == --packetsLeft)
                {
                    releaseBlock();
                }
            }
        }
        return delivered;
    }

    private void releaseBlock()
    {
        ring.putIntRelease(blockOffset + BLOCK_STATUS_OFFSET, TP_STATUS_KERNEL);
        final int next = blockIndex + 1;
        blockIndex = next == blockCount ? 0 : next;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int offer(final DirectBuffer buffer, final int offset, final int length)
    {
        final int index = tx.offer(buffer, offset, length);
        return index < 0 ? index : tx.pending();
    }

    /**
     * Queues a frame made of a header (e.g. Ethernet) and a body (e.g. an IP packet), copied one
     * after the other into one send slot: one copy, no intermediate buffer.
     *
     * @param header       holds the header.
     * @param headerOffset where it starts.
     * @param headerLength its length.
     * @param body         holds the body.
     * @param bodyOffset   where it starts.
     * @param bodyLength   its length.
     * @return the slot index the frame went to (see {@link #queuedFrame}), or a negative
     * {@link FrameSender} code.
     */
    public int offer(
        final DirectBuffer header,
        final int headerOffset,
        final int headerLength,
        final DirectBuffer body,
        final int bodyOffset,
        final int bodyLength)
    {
        return tx.offer(header, headerOffset, headerLength, body, bodyOffset, bodyLength);
    }

    /**
     * The send buffer holding queued frames, so a frame can be edited in its slot before
     * {@link #flush} (e.g. a per-peer port); valid until the next flush.
     *
     * @return the buffer over every send slot.
     */
    public MutableDirectBuffer queuedFrames()
    {
        return tx.batch.buffer;
    }

    /**
     * @param index a slot index {@link #offer(DirectBuffer, int, int, DirectBuffer, int, int)} returned.
     * @return where that frame starts in {@link #queuedFrames()}.
     */
    public int queuedFrame(final int index)
    {
        return tx.slotOffset(index);
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
     * Read and accumulate the kernel's ring counters ({@code PACKET_STATISTICS} resets them on each
     * read). Receive-side thread, not per batch: once per reporting period.
     *
     * @return 0, or {@link #RECEIVE_ERROR} with {@link #receiveErrno()}.
     */
    public int updateStatistics()
    {
        statsLength.set(JAVA_INT, 0, (int)stats.byteSize());
        if (Libc.getsockopt(rxErrnoState, fd, SOL_PACKET, PACKET_STATISTICS, stats.address(), statsLength.address()) < 0)
        {
            receiveErrno = Libc.errno(rxErrnoState);
            return RECEIVE_ERROR;
        }
        kernelPackets += Integer.toUnsignedLong(stats.get(JAVA_INT, TpacketLayouts.STATS_PACKETS_OFFSET));
        kernelDrops += Integer.toUnsignedLong(stats.get(JAVA_INT, TpacketLayouts.STATS_DROPS_OFFSET));
        return 0;
    }

    /**
     * @return packets the kernel counted for this socket, as of the last {@link #updateStatistics()}.
     */
    public long kernelPackets()
    {
        return kernelPackets;
    }

    /**
     * @return packets the kernel dropped because the ring was full, as of the last
     *         {@link #updateStatistics()}.
     */
    public long kernelDrops()
    {
        return kernelDrops;
    }

    /**
     * @return blocks seen with {@code TP_STATUS_LOSING} (drops happened). Receive-side thread.
     */
    public long losingBlocks()
    {
        return losingBlocks;
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
     * @return frames the kernel refused and that were dropped, since open. Send-side thread.
     */
    public long droppedFrames()
    {
        return tx.dropped();
    }

    /**
     * @return frames whose TCP or UDP checksum the kernel left partial (a local sender over a
     * virtual link) and this port completed; see {@link PartialChecksums}.
     */
    public long checksumsCompleted()
    {
        return checksumsCompleted;
    }

    /**
     * @return the interface's hardware (MAC) address, in the low 48 bits (see {@link MacAddress}).
     */
    public long macAddress()
    {
        return macAddress;
    }

    /**
     * @return the interface index bound to.
     */
    public int interfaceIndex()
    {
        return interfaceIndex;
    }

    /**
     * @return the settings.
     */
    public AfPacketConfig config()
    {
        return config;
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
     * Unmap the ring and close the socket.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            Libc.munmap(rxErrnoState, ringAddress, ringSize);
            Libc.close(rxErrnoState, fd);
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
        return "af_packet " + config.interfaceName();
    }
}
