package io.flyover.dataplane.table;

import java.net.InetAddress;
import java.util.Objects;

/**
 * What a service listens on: an anycast address, an IP protocol and a port range. ICMP echo is
 * looked up with port 0, so an ICMP listener's range is {@code 0..0}.
 *
 * @param address  the VIP (IPv4 or IPv6).
 * @param protocol IP protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6).
 * @param portFrom first port, {@code 0..65535}.
 * @param portTo   last port, {@code portFrom..65535}.
 */
public record Vip(InetAddress address, int protocol, int portFrom, int portTo)
{
    /**
     * Validates.
     */
    public Vip
    {
        Objects.requireNonNull(address, "address");
        if (protocol < 0 || protocol > 255)
        {
            throw new IllegalArgumentException("protocol out of range: " + protocol);
        }
        if (portFrom < 0 || portTo > 0xFFFF || portFrom > portTo)
        {
            throw new IllegalArgumentException("bad port range " + portFrom + ".." + portTo);
        }
    }

    /**
     * @param address  the VIP.
     * @param protocol IP protocol number.
     * @param port     the one port.
     * @return a VIP with a single port.
     */
    public static Vip of(final InetAddress address, final int protocol, final int port)
    {
        return new Vip(address, protocol, port, port);
    }
}
