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
 */
public record AfPacketPort(String device, Inet4Address address, int listenPort, int mtu) implements PortConfig
{
    @Override
    public String type()
    {
        return "afpacket";
    }
}
