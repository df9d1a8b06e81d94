package io.flyover.tools.config;

/**
 * A TUN device ({@code IFF_TUN | IFF_NO_PI}): IP packets without an Ethernet header.
 *
 * @param device the interface name, at most 15 bytes (Linux {@code IFNAMSIZ} - 1).
 * @param queues how many queues to open ({@code IFF_MULTI_QUEUE} when more than one), 1..256.
 * @param mtu    MTU in bytes.
 */
public record TunPort(String device, int queues, int mtu) implements PortConfig
{
    @Override
    public String type()
    {
        return "tun";
    }
}
