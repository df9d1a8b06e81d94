package io.flyover.tools.gateway;

import io.flyover.dataplane.engine.Port;
import io.flyover.dataplane.engine.PortRole;
import io.flyover.nativeio.AfPacketConfig;
import io.flyover.nativeio.EthernetPort;
import io.flyover.nativeio.Ipv4;
import io.flyover.nativeio.NativeIoException;
import io.flyover.nativeio.NativePorts;
import io.flyover.nativeio.TunDevice;
import io.flyover.nativeio.UdpBatchSocket;
import io.flyover.nativeio.UdpSocketPool;
import io.flyover.tools.config.AfPacketPort;
import io.flyover.tools.config.PortConfig;
import io.flyover.tools.config.TunPort;
import io.flyover.tools.config.UdpPort;


/**
 * Opens the device behind one configured port. Control thread, at start.
 */
@FunctionalInterface
public interface PortOpener
{
    /**
     * @param role   the side.
     * @param config its configuration.
     * @return the open port.
     * @throws NativeIoException naming the device, the call and the errno.
     * @throws UnsupportedOperationException for a port type the engine cannot run yet.
     */
    Port open(PortRole role, PortConfig config);

    /**
     * The real devices: TUN through {@link TunDevice}, a UDP backbone through a
     * {@link UdpSocketPool} of {@code recvmmsg}/{@code sendmmsg} sockets, falling back to NIO
     * sockets when the native ones cannot be opened for a reason other than the address (e.g.
     * not Linux), and AF_PACKET through an {@link EthernetPort} that frames and unframes raw IP.
     */
    PortOpener DEVICES = (role, config) -> switch (config)
    {
        case TunPort tun -> NativePorts.tun(role.label(), TunDevice.open(tun.device(), tun.queues(), tun.mtu()));
        case UdpPort udp -> udpBackbone(role, udp);
        case AfPacketPort af -> afPacket(role, af);
    };

    /**
     * Opens a UDP backbone pool.
     *
     * @param role the side (the backbone).
     * @param udp  its configuration.
     * @return the port.
     */
    static NativePorts.UdpBackbonePort udpBackbone(final PortRole role, final UdpPort udp)
    {
        final int address = Ipv4.parse(udp.bind().getHostAddress());
        final int first = udp.ports().first();
        final int count = udp.ports().size();
        final int maxPayload = udp.mtu();
        UdpSocketPool pool;
        try
        {
            pool = UdpSocketPool.openNative(address, first, count, 64, maxPayload);
        }
        catch (final NativeIoException ex)
        {
            if (isAddressProblem(ex.errno()))
            {
                throw ex;
            }
            pool = UdpSocketPool.openNio(address, first, count, 64, maxPayload);
        }
        catch (final UnsupportedOperationException | LinkageError ex)
        {
            pool = UdpSocketPool.openNio(address, first, count, 64, maxPayload);
        }
        return NativePorts.udpBackbone(role.label(), pool, address, maxPayload);
    }

    /**
     * Opens an AF_PACKET port. On the backbone a plain UDP socket is also bound to the Geneve
     * address and port and never read: the kernel sees every frame the AF_PACKET socket sees, and
     * without a socket on the port it would answer each Geneve packet with an ICMP port
     * unreachable. The socket closes with the port.
     *
     * @param role the side.
     * @param af   its configuration.
     * @return the port.
     */
    static EthernetPort afPacket(final PortRole role, final AfPacketPort af)
    {
        final int slot = af.mtu() + EthernetPort.HEADER_LENGTH;
        final int frameSize = Math.max(2048, (slot + 128 + 15) & ~15);
        final int blockSize = Math.max(1 << 18, Integer.highestOneBit(frameSize * 4 - 1) << 1);
        final AfPacketConfig settings = new AfPacketConfig(af.device(), blockSize, 64, frameSize, 1, 64, slot, false);
        final int nextHop = null == af.nextHop() ? 0 : Ipv4.parse(af.nextHop().getHostAddress());
        if (PortRole.BACKBONE != role)
        {
            return EthernetPort.ip(role.label(), io.flyover.nativeio.AfPacketPort.open(settings), nextHop, af.nextHopMac());
        }
        final UdpBatchSocket guard = UdpBatchSocket.open(Ipv4.parse(af.address().getHostAddress()), af.listenPort(), 1, 64);
        try
        {
            final EthernetPort port = EthernetPort.backbone(role.label(), io.flyover.nativeio.AfPacketPort.open(settings),
                Ipv4.parse(af.address().getHostAddress()), af.listenPort(), nextHop, af.nextHopMac());
            port.closeWith(guard);
            return port;
        }
        catch (final RuntimeException ex)
        {
            guard.close();
            throw ex;
        }
    }

    private static boolean isAddressProblem(final int errno)
    {
        // EACCES 13, EADDRINUSE 98, EADDRNOTAVAIL 99: NIO would fail the same way.
        return 13 == errno || 98 == errno || 99 == errno;
    }
}
