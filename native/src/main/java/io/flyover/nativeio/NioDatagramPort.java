package io.flyover.nativeio;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * The portable {@link DatagramPort}: a non-blocking NIO {@link DatagramChannel} with direct
 * buffers, for hosts where the Linux FFM I/O is not available. One system call per datagram each
 * way (NIO has no batch call), so it is a fallback for the backbone, not the fast path.
 * <p>
 * Allocation: the JDK reuses the {@link InetSocketAddress} of a receive while the source does not
 * change, and this class decodes it only when it changes; destinations go through a small
 * direct-mapped cache of {@link InetSocketAddress}es, so steady traffic to a set of peers smaller
 * than the cache allocates nothing. The destination address reported on receive is the bound one
 * (NIO cannot read {@code IP_PKTINFO}).
 * <p>
 * NIO reports failures as exceptions, not errno: {@link #receiveErrno()} and {@link #sendErrno()}
 * report {@code EIO} and {@link #lastFailure()} keeps the exception.
 * <p>
 * The receive side is owned by one thread and the send side by one thread (they may differ).
 */
public final class NioDatagramPort implements DatagramPort
{
    private static final int DESTINATION_CACHE_SIZE = 64;

    private final DatagramChannel channel;
    private final int localAddress;
    private final int localPort;
    private final int slotSize;

    private final ByteBuffer rxByteBuffer;
    private final UnsafeBuffer rxBuffer;
    private InetSocketAddress lastSource;
    private int lastSourceAddress;
    private int lastSourcePort;
    private final DatagramFrames frames = new DatagramFrames();
    private int receiveErrno;

    private final ByteBuffer[] txSlots;
    private final UnsafeBuffer txBuffer;
    private final int[] txLengths;
    private final int[] txAddresses;
    private final int[] txPorts;
    private final int slotStride;
    private int queued;
    private int sent;
    private int sendErrno;
    private long dropped;
    private int defaultAddress;
    private int defaultPort;
    private final int[] cacheAddresses = new int[DESTINATION_CACHE_SIZE];
    private final int[] cachePorts = new int[DESTINATION_CACHE_SIZE];
    private final InetSocketAddress[] cacheEntries = new InetSocketAddress[DESTINATION_CACHE_SIZE];

    private volatile IOException lastFailure;

    private NioDatagramPort(final DatagramChannel channel, final int localAddress, final int localPort,
        final int batchSize, final int slotSize)
    {
        this.channel = channel;
        this.localAddress = localAddress;
        this.localPort = localPort;
        this.slotSize = slotSize;
        rxByteBuffer = ByteBuffer.allocateDirect(slotSize);
        rxBuffer = new UnsafeBuffer(rxByteBuffer);

        slotStride = SocketLayouts.align(slotSize, 64);
        final ByteBuffer tx = ByteBuffer.allocateDirect(slotStride * batchSize);
        txBuffer = new UnsafeBuffer(tx);
        txSlots = new ByteBuffer[batchSize];
        for (int i = 0; i < batchSize; i++)
        {
            txSlots[i] = tx.slice(i * slotStride, slotSize);
        }
        txLengths = new int[batchSize];
        txAddresses = new int[batchSize];
        txPorts = new int[batchSize];
    }

    /**
     * Open and bind a non-blocking IPv4 channel.
     *
     * @param bindAddress IPv4 address, host order; 0 for all.
     * @param bindPort    port; 0 lets the kernel choose.
     * @param batchSize   datagrams queued between flushes.
     * @param slotSize    largest datagram payload carried.
     * @return the open port.
     * @throws NativeIoException with errno {@code EIO} naming {@code bind} and the address (the
     *                           cause says what NIO reported).
     */
    public static NioDatagramPort open(final int bindAddress, final int bindPort, final int batchSize, final int slotSize)
    {
        if (batchSize < 1 || slotSize < 1)
        {
            throw new IllegalArgumentException("batch and slot size must be positive: " + batchSize + ", " + slotSize);
        }
        DatagramChannel channel = null;
        try
        {
            channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.configureBlocking(false);
            channel.bind(new InetSocketAddress(toInetAddress(bindAddress), bindPort));
            final int port = ((InetSocketAddress)channel.getLocalAddress()).getPort();
            return new NioDatagramPort(channel, bindAddress, port, batchSize, slotSize);
        }
        catch (final IOException ex)
        {
            closeQuietly(channel);
            final NativeIoException failure = new NativeIoException(
                "bind", "udp " + Ipv4.format(bindAddress, bindPort) + " (nio: " + ex.getMessage() + ")", Errno.EIO);
            failure.initCause(ex);
            throw failure;
        }
    }

    private static void closeQuietly(final DatagramChannel channel)
    {
        if (null != channel)
        {
            try
            {
                channel.close();
            }
            catch (final IOException ignore)
            {
                // keep the original failure
            }
        }
    }

    private static InetAddress toInetAddress(final int address)
    {
        try
        {
            return InetAddress.getByAddress(new byte[]{
                (byte)(address >>> 24), (byte)(address >>> 16), (byte)(address >>> 8), (byte)address});
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static int toInt(final InetAddress address)
    {
        if (!(address instanceof Inet4Address))
        {
            return 0;
        }
        final byte[] bytes = address.getAddress();
        return (bytes[0] & 0xFF) << 24 | (bytes[1] & 0xFF) << 16 | (bytes[2] & 0xFF) << 8 | (bytes[3] & 0xFF);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int receive(final DatagramHandler handler, final int limit)
    {
        final ByteBuffer byteBuffer = rxByteBuffer;
        int delivered = 0;
        try
        {
            while (delivered < limit)
            {
                byteBuffer.clear();
                final SocketAddress source = channel.receive(byteBuffer);
                if (null == source)
                {
                    break;
                }
                if (source != lastSource)
                {
                    final InetSocketAddress inet = (InetSocketAddress)source;
                    lastSource = inet;
                    lastSourceAddress = toInt(inet.getAddress());
                    lastSourcePort = inet.getPort();
                }
                handler.onDatagram(
                    rxBuffer, 0, byteBuffer.position(), lastSourceAddress, lastSourcePort, localAddress);
                delivered++;
            }
        }
        catch (final IOException ex)
        {
            lastFailure = ex;
            receiveErrno = Errno.EIO;
            return 0 == delivered ? RECEIVE_ERROR : delivered;
        }
        return delivered;
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
        if (length > slotSize)
        {
            return FRAME_TOO_LARGE;
        }
        final int index = queued;
        if (index == txSlots.length)
        {
            return BACK_PRESSURED;
        }
        txBuffer.putBytes(index * slotStride, buffer, offset, length);
        txLengths[index] = length;
        txAddresses[index] = destinationAddress;
        txPorts[index] = destinationPort;
        queued = index + 1;
        return queued - sent;
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
        int total = 0;
        while (sent < queued)
        {
            final int index = sent;
            final ByteBuffer slot = txSlots[index];
            slot.clear().limit(txLengths[index]);
            try
            {
                if (0 == channel.send(slot, destination(txAddresses[index], txPorts[index])))
                {
                    break;
                }
            }
            catch (final IOException ex)
            {
                lastFailure = ex;
                sendErrno = Errno.EIO;
                dropped++;
                sent++;
                resetIfDrained();
                return SEND_ERROR;
            }
            sent++;
            total++;
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

    private InetSocketAddress destination(final int address, final int port)
    {
        final int slot = ((address * 31 + port) * 0x9E3779B9 >>> 26) & (DESTINATION_CACHE_SIZE - 1);
        InetSocketAddress entry = cacheEntries[slot];
        if (null == entry || cacheAddresses[slot] != address || cachePorts[slot] != port)
        {
            entry = new InetSocketAddress(toInetAddress(address), port);
            cacheEntries[slot] = entry;
            cacheAddresses[slot] = address;
            cachePorts[slot] = port;
        }
        return entry;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public int pending()
    {
        return queued - sent;
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
        return sendErrno;
    }

    /**
     * @return the last exception NIO threw on either side, or {@code null}; for the control plane's log.
     */
    public IOException lastFailure()
    {
        return lastFailure;
    }

    /**
     * @return datagrams NIO refused and that were dropped, since open. Send-side thread.
     */
    public long droppedFrames()
    {
        return dropped;
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
     * No descriptor to wait on through {@code poll(2)}.
     *
     * @return -1.
     */
    @Override
    public int fd()
    {
        return -1;
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public void close()
    {
        closeQuietly(channel);
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "nio udp " + Ipv4.format(localAddress, localPort);
    }
}
