package io.flyover.nativeio;

import java.util.function.IntFunction;

/**
 * {@code N} UDP sockets bound to consecutive ports of one address, so the backbone can pick the
 * outer source port from the flow hash ({@link #socketForHash(int)}) and give ECMP and RSS the
 * entropy that a single socket would not.
 * <p>
 * {@link #receive} takes from every socket, starting one further each call so no socket starves;
 * {@link #flush()} flushes every socket. Per-socket send and receive go through {@link #socket(int)}.
 * <p>
 * Receive side owned by one thread, send side by one thread, like the sockets it holds.
 */
public final class UdpSocketPool implements AutoCloseable
{
    private final DatagramPort[] sockets;
    private int nextReceive;

    private UdpSocketPool(final DatagramPort[] sockets)
    {
        this.sockets = sockets;
    }

    /**
     * Bind {@code count} {@link UdpBatchSocket}s to {@code firstPort .. firstPort + count - 1}.
     *
     * @param bindAddress IPv4 address, host order.
     * @param firstPort   first port of the range.
     * @param count       sockets (and ports).
     * @param batchSize   datagrams per system call, per socket.
     * @param slotSize    largest datagram payload.
     * @return the pool.
     * @throws NativeIoException naming the port that failed (every socket opened before it is closed).
     */
    public static UdpSocketPool openNative(
        final int bindAddress, final int firstPort, final int count, final int batchSize, final int slotSize)
    {
        return open(firstPort, count, port -> UdpBatchSocket.open(bindAddress, port, batchSize, slotSize));
    }

    /**
     * Bind {@code count} {@link NioDatagramPort}s to {@code firstPort .. firstPort + count - 1}.
     *
     * @param bindAddress IPv4 address, host order.
     * @param firstPort   first port of the range.
     * @param count       sockets (and ports).
     * @param batchSize   datagrams queued per socket between flushes.
     * @param slotSize    largest datagram payload.
     * @return the pool.
     * @throws NativeIoException naming the port that failed (every socket opened before it is closed).
     */
    public static UdpSocketPool openNio(
        final int bindAddress, final int firstPort, final int count, final int batchSize, final int slotSize)
    {
        return open(firstPort, count, port -> NioDatagramPort.open(bindAddress, port, batchSize, slotSize));
    }

    private static UdpSocketPool open(final int firstPort, final int count, final IntFunction<DatagramPort> opener)
    {
        if (count < 1 || firstPort < 1 || firstPort + count - 1 > 65535)
        {
            throw new IllegalArgumentException("port range out of bounds: " + firstPort + " + " + count);
        }
        final DatagramPort[] sockets = new DatagramPort[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                sockets[i] = opener.apply(firstPort + i);
            }
        }
        catch (final RuntimeException ex)
        {
            for (final DatagramPort socket : sockets)
            {
                if (null != socket)
                {
                    socket.close();
                }
            }
            throw ex;
        }
        return new UdpSocketPool(sockets);
    }

    /**
     * @return sockets in the pool.
     */
    public int size()
    {
        return sockets.length;
    }

    /**
     * @param index 0 to {@code size() - 1}; socket {@code i} is bound to {@code firstPort + i}.
     * @return that socket.
     */
    public DatagramPort socket(final int index)
    {
        return sockets[index];
    }

    /**
     * @param hash a flow hash.
     * @return the socket whose port carries that flow; the same hash always picks the same socket.
     */
    public DatagramPort socketForHash(final int hash)
    {
        return sockets[(int)(Integer.toUnsignedLong(hash) % sockets.length)];
    }

    /**
     * Receive from every socket, up to {@code limit} datagrams in all.
     *
     * @param handler called per datagram.
     * @param limit   most datagrams in this call.
     * @return datagrams delivered ({@link FrameReceiver#RECEIVE_ERROR} only if every socket failed).
     */
    public int receive(final DatagramHandler handler, final int limit)
    {
        final DatagramPort[] sockets = this.sockets;
        final int count = sockets.length;
        final int start = nextReceive;
        nextReceive = start + 1 == count ? 0 : start + 1;
        int delivered = 0;
        int errors = 0;
        for (int i = 0; i < count && delivered < limit; i++)
        {
            final int index = start + i < count ? start + i : start + i - count;
            final int n = sockets[index].receive(handler, limit - delivered);
            if (n < 0)
            {
                errors++;
            }
            else
            {
                delivered += n;
            }
        }
        return errors == count ? FrameReceiver.RECEIVE_ERROR : delivered;
    }

    /**
     * Flush every socket.
     *
     * @return datagrams the kernel took in all; a socket's failure shows in its {@code sendErrno()}.
     */
    public int flush()
    {
        int total = 0;
        for (final DatagramPort socket : sockets)
        {
            final int n = socket.flush();
            if (n > 0)
            {
                total += n;
            }
        }
        return total;
    }

    /**
     * Close every socket.
     */
    @Override
    public void close()
    {
        for (final DatagramPort socket : sockets)
        {
            socket.close();
        }
    }
}
