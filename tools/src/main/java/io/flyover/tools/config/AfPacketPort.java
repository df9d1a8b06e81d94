package io.flyover.tools.config;

import java.net.Inet4Address;

/**
 * An {@code AF_PACKET} socket on an Ethernet interface (TPACKET_V3 rings).
 *
 * @param device     the interface name, at most 15 bytes.
 * @param address    on the backbone, the local underlay IPv4 address written as the outer source;
 *                   {@code null} on the edge and origin, which carry client packets unchanged.
 * @param listenPort on the backbone, the UDP destination port Geneve arrives on (6081);
 *                   0 on the edge and origin.
 * @param mtu        MTU in bytes.
 * @param nextHop    the router packets to destinations off the link go to, resolved to a MAC
 *                   through the kernel's neighbor table; {@code null} if none.
 * @param nextHopMac the router's MAC given outright (see {@code MacAddress}), or
 *                   {@code MacAddress.NONE} to resolve {@code nextHop}.
 */
public record AfPacketPort(
    String device, Inet4Address address, int listenPort, int mtu, Inet4Address nextHop, long nextHopMac)
    implements PortConfig
{
    /**
     * A port with no next hop: every destination must be on the link.
     *
     * @param device     the interface name.
     * @param address    the local underlay address (backbone), or {@code null}.
     * @param listenPort the Geneve listen port (backbone), or 0.
     * @param mtu        MTU in bytes.
     */
    public AfPacketPort(final String device, final Inet4Address address, final int listenPort, final int mtu)
    {
        this(device, address, listenPort, mtu, null, io.flyover.nativeio.MacAddress.NONE);
    }

    @Override
    public String type()
    {
        return "afpacket";
    }
}
