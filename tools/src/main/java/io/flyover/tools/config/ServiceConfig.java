package io.flyover.tools.config;

import java.net.InetAddress;
import java.util.List;

/**
 * A VIP listener bound to a backend pool in one region.
 *
 * @param id                    the service id, carried as the Geneve VNI, 1..16777215.
 * @param name                  a short unique name.
 * @param vip                   the anycast address, IPv4 or IPv6.
 * @param protocol              TCP, UDP or ICMP.
 * @param ports                 the listener's destination ports; {@link PortRange#NONE} for ICMP.
 * @param egressPop             the POP in front of the backends: this POP or a known peer.
 * @param bandwidthBitsPerSecond the policer's rate in bits per second, 0 for unlimited.
 * @param backends              the pool; used by the egress POP only.
 */
public record ServiceConfig(
    int id,
    String name,
    InetAddress vip,
    Protocol protocol,
    PortRange ports,
    int egressPop,
    long bandwidthBitsPerSecond,
    List<BackendConfig> backends)
{
    /**
     * The largest service id: the VNI is 24 bits.
     */
    public static final int MAX_ID = (1 << 24) - 1;

    public ServiceConfig
    {
        backends = List.copyOf(backends);
    }
}
