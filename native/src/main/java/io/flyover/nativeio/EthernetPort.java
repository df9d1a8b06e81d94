package io.flyover.nativeio;

import io.flyover.dataplane.engine.Port;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.UdpFlyweight;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Int2IntHashMap;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.ByteOrder;

/**
 * An {@link AfPacketPort} as an engine {@link Port} that carries raw IP: Ethernet framing is taken
 * off on receive and put on at send, so the engine sees the same packets as from a TUN device or
 * the UDP backbone.
 * <p>
 * <b>Receive</b>: a frame reaches the engine only if it is addressed to the interface's own MAC
 * and carries IPv4 or IPv6 (on the backbone: IPv4/UDP to the local underlay address and the Geneve
 * listen port). Everything else on the wire — ARP, broadcasts, VLAN-tagged frames, the host's own
 * traffic on a shared interface — is left to the kernel, which sees every frame too, and is
 * counted here under {@link #notForUs()}, {@link #notIp()} or {@link #hostTraffic()}; the engine's
 * receive count plus these counts is every frame the socket took.
 * <p>
 * <b>Send</b>: the destination MAC is the kernel's neighbor entry for the packet's IPv4
 * destination if the destination is on the link, otherwise the next hop's (configured as a MAC, or
 * as an address resolved through the neighbor table); the source MAC is the interface's. A packet
 * with no MAC to send to is refused with {@link Port#NO_NEIGHBOR} and its destination noted, so
 * the control thread can ask the kernel to resolve it ({@link #unresolvedAddress()}). The
 * Ethernet header and the packet are copied into the send slot together (one copy). On the
 * backbone, the outer UDP destination port is set to the peer's configured Geneve port in the slot.
 * <p>
 * Threads: the receive side belongs to the port's RX agent, the send side to its TX agent;
 * {@link #neighbors} and {@link #peerPorts} are called by the control thread and take effect by a
 * volatile write; the counters are read from any thread.
 */
public final class EthernetPort implements Port
{
    /** Ethernet header length (no VLAN tag). */
    public static final int HEADER_LENGTH = 14;

    /** Ethertype of IPv4. */
    public static final int ETHERTYPE_IPV4 = 0x0800;

    /** Ethertype of IPv6. */
    public static final int ETHERTYPE_IPV6 = 0x86DD;

    private static final int ETHERTYPE_OFFSET = 12;

    private final String name;
    private final AfPacketPort device;
    private final long localMac;
    private final boolean backbone;
    private final int localAddress;
    private final int listenPort;
    private final int nextHop;
    private final long configuredNextHopMac;
    private final UnsafeBuffer header = new UnsafeBuffer(new byte[HEADER_LENGTH]);
    private final FrameHandler onFrame = this::onFrame;
    private io.flyover.dataplane.engine.FrameHandler handler;

    private AutoCloseable companion;
    private volatile NeighborTable neighbors = NeighborTable.EMPTY;
    private volatile long nextHopMac;
    private volatile Int2IntHashMap peerPorts = new Int2IntHashMap(NativePorts.NO_PORT);
    private volatile long notForUs;
    private volatile long notIp;
    private volatile long hostTraffic;
    private volatile long unresolved;
    private volatile int unresolvedAddress;

    private EthernetPort(
        final String name,
        final AfPacketPort device,
        final boolean backbone,
        final int localAddress,
        final int listenPort,
        final int nextHop,
        final long nextHopMac)
    {
        this.name = name;
        this.device = device;
        this.localMac = device.macAddress();
        this.backbone = backbone;
        this.localAddress = localAddress;
        this.listenPort = listenPort;
        this.nextHop = nextHop;
        this.configuredNextHopMac = nextHopMac;
        this.nextHopMac = nextHopMac;
        MacAddress.write(header, MacAddress.LENGTH, localMac);
    }

    /**
     * An edge or origin port: any IPv4 or IPv6 packet addressed to the interface's MAC.
     *
     * @param name       the port's name.
     * @param device     the open socket.
     * @param nextHop    IPv4 address (host order) of the router for destinations not on the link,
     *                   resolved through the neighbor table; 0 for none.
     * @param nextHopMac the router's MAC if configured ({@link MacAddress#NONE} to resolve {@code nextHop}).
     * @return the port; closing it closes the socket.
     */
    public static EthernetPort ip(
        final String name, final AfPacketPort device, final int nextHop, final long nextHopMac)
    {
        return new EthernetPort(name, device, false, 0, 0, nextHop, nextHopMac);
    }

    /**
     * A backbone port: IPv4/UDP to the local underlay address and the Geneve listen port.
     *
     * @param name         the port's name.
     * @param device       the open socket.
     * @param localAddress the local underlay IPv4 address, host order.
     * @param listenPort   the UDP port Geneve arrives on.
     * @param nextHop      as for {@link #ip}.
     * @param nextHopMac   as for {@link #ip}.
     * @return the port; closing it closes the socket.
     */
    public static EthernetPort backbone(
        final String name,
        final AfPacketPort device,
        final int localAddress,
        final int listenPort,
        final int nextHop,
        final long nextHopMac)
    {
        return new EthernetPort(name, device, true, localAddress, listenPort, nextHop, nextHopMac);
    }

    /**
     * Installs a new neighbor table snapshot (control thread).
     *
     * @param table the kernel's entries for this interface.
     */
    public void neighbors(final NeighborTable table)
    {
        nextHopMac = MacAddress.NONE != configuredNextHopMac ? configuredNextHopMac :
            0 == nextHop ? MacAddress.NONE : table.lookup(nextHop);
        neighbors = table;
    }

    /**
     * Sets the UDP port each peer receives Geneve on (backbone); peers not listed get the port the
     * engine wrote (6081). The map must not change after it is handed over.
     *
     * @param portsByAddress peer port by IPv4 address (host order), missing value {@link NativePorts#NO_PORT}.
     */
    public void peerPorts(final Int2IntHashMap portsByAddress)
    {
        peerPorts = portsByAddress;
    }

    /**
     * Closes a resource with this port, e.g. a socket that only holds the Geneve port. Control
     * thread, before the port is handed to the engine.
     *
     * @param resource closed after the AF_PACKET socket.
     */
    public void closeWith(final AutoCloseable resource)
    {
        companion = resource;
    }

    /**
     * @return the socket (for its statistics).
     */
    public AfPacketPort device()
    {
        return device;
    }

    /**
     * @return the configured next hop, host order, or 0.
     */
    public int nextHop()
    {
        return nextHop;
    }

    /**
     * @return the MAC that packets to destinations off the link go to, or {@link MacAddress#NONE}.
     */
    public long nextHopMac()
    {
        return nextHopMac;
    }

    /**
     * @return frames not addressed to this interface's MAC (broadcast, multicast, other hosts).
     */
    public long notForUs()
    {
        return notForUs;
    }

    /**
     * @return frames to this MAC that are not IPv4 or IPv6 (or are VLAN tagged, or too short).
     */
    public long notIp()
    {
        return notIp;
    }

    /**
     * @return backbone frames that are IP but not Geneve to this gateway: the host's own traffic.
     */
    public long hostTraffic()
    {
        return hostTraffic;
    }

    /**
     * @return packets refused at send for want of a destination MAC.
     */
    public long unresolved()
    {
        return unresolved;
    }

    /**
     * @return the IPv4 destination (host order) of the latest packet refused for want of a MAC, or 0.
     */
    public int unresolvedAddress()
    {
        return unresolvedAddress;
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
        return device.poll(onFrame, limit);
    }

    private void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        if (length < HEADER_LENGTH)
        {
            notIp++;
            return;
        }
        if (MacAddress.read(buffer, offset) != localMac)
        {
            notForUs++;
            return;
        }
        final int etherType = buffer.getShort(offset + ETHERTYPE_OFFSET, ByteOrder.BIG_ENDIAN) & 0xFFFF;
        final int packet = offset + HEADER_LENGTH;
        final int packetLength = length - HEADER_LENGTH;
        if (backbone)
        {
            if (ETHERTYPE_IPV4 != etherType)
            {
                notIp++;
                return;
            }
            if (!isGeneveToUs(buffer, packet, packetLength))
            {
                hostTraffic++;
                return;
            }
        }
        else if (ETHERTYPE_IPV4 != etherType && ETHERTYPE_IPV6 != etherType)
        {
            notIp++;
            return;
        }
        handler.onFrame(buffer, packet, packetLength);
    }

    private boolean isGeneveToUs(final DirectBuffer buffer, final int packet, final int length)
    {
        if (length < Ipv4Flyweight.MIN_HEADER_LENGTH + UdpFlyweight.HEADER_LENGTH ||
            Ipv4Flyweight.VERSION != Ipv4Flyweight.version(buffer, packet))
        {
            return false;
        }
        final int headerLength = Ipv4Flyweight.headerLength(buffer, packet);
        return IpProtocol.UDP == Ipv4Flyweight.protocol(buffer, packet) &&
            Ipv4Flyweight.dstAddress(buffer, packet) == localAddress &&
            headerLength >= Ipv4Flyweight.MIN_HEADER_LENGTH &&
            length >= headerLength + UdpFlyweight.HEADER_LENGTH &&
            UdpFlyweight.dstPort(buffer, packet + headerLength) == listenPort;
    }

    @Override
    public int offer(final DirectBuffer buffer, final int offset, final int length)
    {
        if (length < 1)
        {
            return Port.BACK_PRESSURED;
        }
        final int version = (buffer.getByte(offset) & 0xF0) >>> 4;
        final long mac;
        final int etherType;
        int destination = 0;
        if (4 == version && length >= Ipv4Flyweight.MIN_HEADER_LENGTH)
        {
            etherType = ETHERTYPE_IPV4;
            destination = Ipv4Flyweight.dstAddress(buffer, offset);
            final long neighbor = neighbors.lookup(destination);
            mac = MacAddress.NONE != neighbor ? neighbor : nextHopMac;
        }
        else if (6 == version)
        {
            etherType = ETHERTYPE_IPV6;
            mac = nextHopMac;
        }
        else
        {
            return Port.BACK_PRESSURED;
        }
        if (MacAddress.NONE == mac)
        {
            unresolved++;
            unresolvedAddress = 0 != nextHop ? nextHop : destination;
            return Port.NO_NEIGHBOR;
        }
        MacAddress.write(header, 0, mac);
        header.putShort(ETHERTYPE_OFFSET, (short)etherType, ByteOrder.BIG_ENDIAN);
        int index = device.offer(header, 0, HEADER_LENGTH, buffer, offset, length);
        if (FrameSender.BACK_PRESSURED == index)
        {
            device.flush();
            index = device.offer(header, 0, HEADER_LENGTH, buffer, offset, length);
        }
        if (index < 0)
        {
            return FrameSender.FRAME_TOO_LARGE == index ? Port.FRAME_TOO_LARGE : Port.BACK_PRESSURED;
        }
        if (backbone)
        {
            final int port = peerPorts.get(destination);
            if (NativePorts.NO_PORT != port)
            {
                final MutableDirectBuffer frames = device.queuedFrames();
                final int ip = device.queuedFrame(index) + HEADER_LENGTH;
                UdpFlyweight.dstPort(frames, ip + Ipv4Flyweight.headerLength(frames, ip), port);
            }
        }
        return index;
    }

    @Override
    public int flush()
    {
        return Math.max(0, device.flush());
    }

    @Override
    public void close()
    {
        device.close();
        if (null != companion)
        {
            try
            {
                companion.close();
            }
            catch (final Exception ex)
            {
                // closing a socket nothing reads; there is nothing left to do about a failure
            }
        }
    }

    @Override
    public String toString()
    {
        return name + " (afpacket on " + device.config().interfaceName() + ")";
    }
}
