package io.flyover.tools.gateway;

import io.flyover.dataplane.engine.Port;
import io.flyover.dataplane.engine.PortRole;
import io.flyover.nativeio.Ipv4;
import io.flyover.nativeio.NativeIoException;
import io.flyover.nativeio.NativePorts;
import io.flyover.nativeio.TunDevice;
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
     * not Linux). AF_PACKET is refused: the engine forwards raw IP and has no Ethernet framing yet.
     */
    PortOpener DEVICES = (role, config) -> switch (config)
    {
        case TunPort tun -> NativePorts.tun(role.label(), TunDevice.open(tun.device(), tun.queues(), tun.mtu()));
        case UdpPort udp -> udpBackbone(role, udp);
        case AfPacketPort af -> throw new UnsupportedOperationException("ports." + role.label() + ": afpacket on "
            + af.device() + " is not supported yet: the engine forwards raw IP and has no Ethernet framing (ARP, "
            + "MAC rewrite); use tun for edge/origin and udp for the backbone");
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

    private static boolean isAddressProblem(final int errno)
    {
        // EACCES 13, EADDRINUSE 98, EADDRNOTAVAIL 99: NIO would fail the same way.
        return 13 == errno || 98 == errno || 99 == errno;
    }
}
