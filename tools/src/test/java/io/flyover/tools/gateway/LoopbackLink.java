package io.flyover.tools.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One underlay link between two loopback POPs, made of two UDP relays (one per direction) that can
 * be cut: while cut, datagrams are read and silently dropped, as an iptables DROP would. Each relay
 * listens on the receiver's own loopback address (the port the sender is configured to send to)
 * and forwards from a socket bound to the sender's loopback address, so the receiver still sees
 * the sender's underlay address (POPs identify peers by address). Loopback only; every loop ends
 * on {@link #close()} or after {@link #MAX_LIFETIME_MS}.
 */
final class LoopbackLink implements AutoCloseable
{
    static final long MAX_LIFETIME_MS = 120_000;

    private final Relay forward;
    private final Relay backward;
    private volatile boolean cut;

    /**
     * @param addressX  POP X's loopback address.
     * @param portX     X's real listen port.
     * @param relayAtX  port on addressX that Y sends to for X.
     * @param addressY  POP Y's loopback address.
     * @param portY     Y's real listen port.
     * @param relayAtY  port on addressY that X sends to for Y.
     */
    LoopbackLink(
        final String addressX, final int portX, final int relayAtX, final String addressY, final int portY, final int relayAtY)
    {
        forward = new Relay(addressY, relayAtY, addressX, addressY, portY, "x-to-y");
        backward = new Relay(addressX, relayAtX, addressY, addressX, portX, "y-to-x");
    }

    void cut(final boolean cut)
    {
        this.cut = cut;
    }

    long dropped()
    {
        return forward.dropped.get() + backward.dropped.get();
    }

    @Override
    public void close()
    {
        forward.close();
        backward.close();
    }

    private final class Relay implements AutoCloseable
    {
        private final DatagramSocket in;
        private final DatagramSocket out;
        private final InetSocketAddress to;
        private final Thread thread;
        private final AtomicLong dropped = new AtomicLong();
        private volatile boolean running = true;

        Relay(final String listenAddress, final int listenPort, final String fromAddress, final String toAddress,
            final int toPort, final String name)
        {
            try
            {
                in = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(listenAddress), listenPort));
                in.setSoTimeout(20);
                out = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(fromAddress), 0));
                to = new InetSocketAddress(InetAddress.getByName(toAddress), toPort);
            }
            catch (final IOException ex)
            {
                throw new UncheckedIOException(ex);
            }
            thread = new Thread(this::run, "loopback-link-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        private void run()
        {
            final byte[] bytes = new byte[65536];
            final DatagramPacket packet = new DatagramPacket(bytes, bytes.length);
            final long deadline = System.nanoTime() + MAX_LIFETIME_MS * 1_000_000L;
            while (running && System.nanoTime() - deadline < 0)
            {
                try
                {
                    packet.setData(bytes);
                    in.receive(packet);
                    if (cut)
                    {
                        dropped.incrementAndGet();
                        continue;
                    }
                    out.send(new DatagramPacket(bytes, packet.getOffset(), packet.getLength(), to));
                }
                catch (final SocketTimeoutException ex)
                {
                    // check running and the deadline
                }
                catch (final IOException ex)
                {
                    if (!running)
                    {
                        return;
                    }
                }
            }
        }

        @Override
        public void close()
        {
            running = false;
            in.close();
            out.close();
            try
            {
                thread.join(2_000);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
        }
    }
}
