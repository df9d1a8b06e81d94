package io.flyover.tools.config;

import java.net.Inet4Address;

/**
 * Another POP this one exchanges tunnel packets with.
 *
 * @param id      the peer's POP id, 1..65535, different from this POP's.
 * @param name    the peer's name for logs and status.
 * @param address the peer's underlay IPv4 address.
 * @param port    the UDP port the peer receives Geneve on, 6081 by default.
 */
public record PeerConfig(int id, String name, Inet4Address address, int port)
{
}
