package io.flyover.tools.config;

import java.net.InetAddress;

/**
 * A real server behind a service, reached from the egress POP's origin port.
 *
 * @param address the backend's address, in the VIP's address family (DNAT keeps the client's).
 * @param port    the port to rewrite the destination to, or 0 to keep the client's destination port.
 * @param weight  share of new flows, 0..65535; 0 drains the backend (existing flows stay).
 */
public record BackendConfig(InetAddress address, int port, int weight)
{
}
