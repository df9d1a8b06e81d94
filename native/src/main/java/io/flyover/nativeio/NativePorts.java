package io.flyover.nativeio;

import io.flyover.dataplane.engine.Port;
import io.flyover.dataplane.protocol.GeneveFlyweight;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.UdpFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteBuffer;

/**
 * Adapters from this module's devices to the engine's {@link Port}: a TUN device (raw IP both
 * ways) and a UDP socket pool facing the backbone.
 * <p>
 * The backbone pipeline expects each frame to start with the outer IPv4 and UDP headers in front
 * of Geneve, as AF_PACKET would deliver them. A UDP socket delivers only the Geneve payload, so
 * {@link #udpBackbone} synthesizes the outer headers on receive (from the datagram's addresses and
 * ports, with a valid IPv4 header checksum and destination port 6081, since the socket already
 * picked Geneve out) and strips them on send, sending the payload to the outer destination
 * address at that peer's configured port, from the pool socket the outer UDP source port picks
 * (the flow hash's entropy becomes a real source port). Each adapter's receive side belongs to
 * the port's RX agent thread and its send side to its TX agent thread.
 */
public final class NativePorts
{
    /** Missing value of a peer-port map: the peer gets the Geneve port 6081. */
    public static final int NO_PORT = -1;

    /** Bytes of the synthesized outer IPv4 + UDP headers. */
    public static final int OUTER_HEADERS = Ipv4Flyweight.MIN_HEADER_LENGTH + UdpFlyweight.HEADER_LENGTH;

    private static final int TTL = 64;

    private NativePorts()
    {
    }

    /**
     * A TUN device as a port: receives from every queue in turn, sends on the first queue.
     *
     * @param name   the port's name for counters and logs.
     * @param device an open TUN device.
     * @return the port; closing it closes the device.
     */
    public static Port tun(final String name, final TunDevice device)
    {
        return new TunPort(name, device);
    }

    /**
     * A UDP socket pool as the backbone port.
     *
     * @param name         the port's name.
     * @param pool         the sockets, bound to the local underlay address.
     * @param localAddress the local underlay IPv4 address, host order (the synthesized destination
     *                     when the socket cannot tell the datagram's own).
     * @param maxPayload   largest Geneve payload a datagram may carry.
     * @return the port; closing it closes the pool.
     */
    public static UdpBackbonePort udpBackbone(
        final String name, final UdpSocketPool pool, final int localAddress, final int maxPayload)
    {
        return new UdpBackbonePort(name, pool, localAddress, maxPayload);
    }

    private static final class TunPort implements Port
    {
        private final String name;
        private final TunDevice device;
        private final TunQueue[] queues;
        private io.flyover.dataplane.engine.FrameHandler handler;
        private final FrameHandler onFrame = this::onFrame;
        private int next;

        TunPort(final String name, final TunDevice device)
        {
            this.name = name;
            this.device = device;
            this.queues = new TunQueue[device.queueCount()];
            for (int i = 0; i < queues.length; i++)
            {
                queues[i] = device.queue(i);
            }
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public boolean carriesEthernet()
        {
            return false;
        }

        @Override
        public int poll(final io.flyover.dataplane.engine.FrameHandler handler, final int limit)
        {
            this.handler = handler;
            int total = 0;
            final int count = queues.length;
            for (int i = 0; i < count && total < limit; i++)
            {
                final TunQueue queue = queues[next];
                next = next + 1 == count ? 0 : next + 1;
                final int received = queue.poll(onFrame, limit - total);
                if (received > 0)
                {
                    total += received;
                }
            }
            return total;
        }

        private void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
        {
            handler.onFrame(buffer, offset, length);
        }

        @Override
        public int offer(final DirectBuffer buffer, final int offset, final int length)
        {
            final int result = queues[0].offer(buffer, offset, length);
            return FrameSender.SEND_ERROR == result ? Port.BACK_PRESSURED : result;
        }

        @Override
        public int flush()
        {
            return 0;
        }

        @Override
        public void close()
        {
            device.close();
        }

        @Override
        public String toString()
        {
            return name + " (" + device + ")";
        }
    }

    /**
     * The UDP backbone port; see {@link NativePorts}.
     */
    public static final class UdpBackbonePort implements Port
    {
        private final String name;
        private final UdpSocketPool pool;
        private final int localAddress;
        private final int maxPayload;
        private final UnsafeBuffer scratch;
        private final DatagramHandler onDatagram = this::onDatagram;
        private volatile Int2IntHashMap peerPorts = new Int2IntHashMap(NO_PORT);
        private io.flyover.dataplane.engine.FrameHandler handler;

        UdpBackbonePort(final String name, final UdpSocketPool pool, final int localAddress, final int maxPayload)
        {
            this.name = name;
            this.pool = pool;
            this.localAddress = localAddress;
            this.maxPayload = maxPayload;
            this.scratch = new UnsafeBuffer(ByteBuffer.allocateDirect(OUTER_HEADERS + maxPayload));
        }

        /**
         * Sets the UDP port each peer receives Geneve on; peers not listed get 6081. Control thread;
         * the map must not change after it is handed over.
         *
         * @param portsByAddress peer port by IPv4 address (host order), missing value {@link #NO_PORT}
         *                       (Agrona's map cannot hold its missing value, so 6081 cannot be it).
         */
        public void peerPorts(final Int2IntHashMap portsByAddress)
        {
            peerPorts = portsByAddress;
        }

        /**
         * @return the socket pool (for its ports; its sides belong to the agent threads).
         */
        public UdpSocketPool pool()
        {
            return pool;
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public boolean carriesEthernet()
        {
            return false;
        }

        @Override
        public int poll(final io.flyover.dataplane.engine.FrameHandler handler, final int limit)
        {
            this.handler = handler;
            final int received = pool.receive(onDatagram, limit);
            return Math.max(0, received);
        }

        private void onDatagram(
            final MutableDirectBuffer buffer,
            final int offset,
            final int length,
            final int sourceAddress,
            final int sourcePort,
            final int destinationAddress)
        {
            if (length > maxPayload)
            {
                return;
            }
            final UnsafeBuffer frame = scratch;
            Ipv4Flyweight.writeHeader(frame, 0, 0, OUTER_HEADERS + length, 0, Ipv4Flyweight.FLAG_DONT_FRAGMENT, TTL,
                IpProtocol.UDP, sourceAddress, 0 != destinationAddress ? destinationAddress : localAddress);
            final int udp = Ipv4Flyweight.MIN_HEADER_LENGTH;
            UdpFlyweight.srcPort(frame, udp, sourcePort);
            UdpFlyweight.dstPort(frame, udp, GeneveFlyweight.UDP_PORT);
            UdpFlyweight.length(frame, udp, UdpFlyweight.HEADER_LENGTH + length);
            UdpFlyweight.checksum(frame, udp, 0);
            frame.putBytes(OUTER_HEADERS, buffer, offset, length);
            handler.onFrame(frame, 0, OUTER_HEADERS + length);
        }

        @Override
        public int offer(final DirectBuffer buffer, final int offset, final int length)
        {
            if (length < OUTER_HEADERS || Ipv4Flyweight.VERSION != Ipv4Flyweight.version(buffer, offset))
            {
                return Port.BACK_PRESSURED;
            }
            final int headerLength = Ipv4Flyweight.headerLength(buffer, offset);
            final int payloadOffset = offset + headerLength + UdpFlyweight.HEADER_LENGTH;
            final int payloadLength = length - headerLength - UdpFlyweight.HEADER_LENGTH;
            if (payloadLength < 0)
            {
                return Port.BACK_PRESSURED;
            }
            if (payloadLength > maxPayload)
            {
                return Port.FRAME_TOO_LARGE;
            }
            final int destination = Ipv4Flyweight.dstAddress(buffer, offset);
            final int sourcePort = UdpFlyweight.srcPort(buffer, offset + headerLength);
            final int configured = peerPorts.get(destination);
            final int port = NO_PORT == configured ? GeneveFlyweight.UDP_PORT : configured;
            final DatagramPort socket = pool.socketForHash(sourcePort);
            int result = socket.offer(buffer, payloadOffset, payloadLength, destination, port);
            if (FrameSender.BACK_PRESSURED == result)
            {
                socket.flush();
                result = socket.offer(buffer, payloadOffset, payloadLength, destination, port);
            }
            return FrameSender.SEND_ERROR == result ? Port.BACK_PRESSURED : result;
        }

        @Override
        public int flush()
        {
            return Math.max(0, pool.flush());
        }

        @Override
        public void close()
        {
            pool.close();
        }

        @Override
        public String toString()
        {
            return name + " (udp pool of " + pool.size() + ")";
        }
    }
}
