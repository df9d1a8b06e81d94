package io.flyover.tools.config;

import java.net.InetAddress;

/**
 * The backbone over ordinary UDP sockets: a pool of sockets, one bound to each local port of
 * {@code ports}, so a packet can leave with a source port chosen by its flow hash (ECMP and RSS
 * entropy for the underlay) while its destination port stays the peer's Geneve port (6081 by
 * default). Every socket of the pool receives; peers send to {@code listenPort}, which therefore
 * lies inside the range.
 *
 * @param bind       the local underlay address the pool binds to; IPv4 while the outer header is
 *                   IPv4 (0.0.0.0 binds every address).
 * @param listenPort the local port peers send Geneve to (6081 unless the peers say otherwise).
 * @param ports      the local ports of the pool, one socket each; includes {@code listenPort}.
 * @param mtu        MTU of the underlay path in bytes; the tunnel takes
 *                   {@link GatewayConfig#TUNNEL_OVERHEAD_IPV4} of it.
 */
public record UdpPort(InetAddress bind, int listenPort, PortRange ports, int mtu) implements PortConfig
{
    @Override
    public String type()
    {
        return "udp";
    }
}
