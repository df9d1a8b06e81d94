package io.flyover.tools.config;

/**
 * One packet port of the gateway: how frames enter and leave on the edge (clients), backbone
 * (other POPs) or origin (backends) side.
 */
public sealed interface PortConfig permits TunPort, AfPacketPort, UdpPort
{
    /**
     * The largest IP packet this port sends or receives, in bytes.
     *
     * @return the MTU in bytes.
     */
    int mtu();

    /**
     * The {@code type} keyword of this port in YAML.
     *
     * @return {@code tun}, {@code afpacket} or {@code udp}.
     */
    String type();
}
