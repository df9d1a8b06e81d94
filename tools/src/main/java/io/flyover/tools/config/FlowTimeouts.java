package io.flyover.tools.config;

import java.time.Duration;

/**
 * Idle timeouts of flow table entries by protocol and TCP state.
 *
 * @param tcpEmbryonic   TCP before the handshake completes, default 5s.
 * @param tcpEstablished TCP after the handshake, default 300s.
 * @param tcpClosing     TCP after a FIN or RST, default 10s.
 * @param udp            UDP, default 60s.
 * @param icmp           ICMP, default 30s.
 */
public record FlowTimeouts(
    Duration tcpEmbryonic, Duration tcpEstablished, Duration tcpClosing, Duration udp, Duration icmp)
{
    /**
     * The defaults: 5s, 300s, 10s, 60s, 30s.
     */
    public static final FlowTimeouts DEFAULT = new FlowTimeouts(
        Duration.ofSeconds(5), Duration.ofSeconds(300), Duration.ofSeconds(10), Duration.ofSeconds(60),
        Duration.ofSeconds(30));
}
