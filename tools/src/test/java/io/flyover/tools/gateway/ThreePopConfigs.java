package io.flyover.tools.gateway;

import java.nio.file.Path;

/**
 * Configurations of three POPs on loopback for the in-process failover tests: A (1, ingress) on
 * 127.0.0.1, B (2, relay) on 127.0.0.2 and C (3, egress) on 127.0.0.3, with one UDP service and
 * the control section the test chooses (liveness keepalives or the optimizer).
 *
 * @param dir           where counters and journal folders go.
 * @param control       the YAML of the control section, at top level, ending in a newline.
 * @param adminPortBase A's admin port; B's is one below, C's two below.
 */
record ThreePopConfigs(Path dir, String control, int adminPortBase)
{
    private String common(final String counters)
    {
        return """
            keys:
              send: 1
              active:
                - id: 1
                  secret: 000102030405060708090a0b0c0d0e0f
            services:
              - id: 100
                name: dns
                vip: %1$s
                protocol: udp
                ports: 53
                egress: 3
                backends:
                  - address: %2$s
                    port: 5353
            %3$sthreads:
              mode: shared
              workers: 1
              idle: backoff
            flow-table:
              capacity: 1K
            counters-dir: %4$s
            journal-dir: %5$s
            """.formatted(GatewayTestConfigs.VIP, GatewayTestConfigs.BACKEND, control,
            dir.resolve(counters + "-counters"), dir.resolve(counters + "-journal"));
    }

    /**
     * @param portA    A's listen port (A's pool is it and the next one).
     * @param portB    B's listen port.
     * @param relayAtC the port C listens on as A knows it.
     * @return A's configuration: direct to C, B as the standby relay.
     */
    String popA(final int portA, final int portB, final int relayAtC)
    {
        return """
            pop:
              id: 1
              name: pop-a
            ports:
              edge:
                type: tun
                device: fly-edge
              backbone:
                type: udp
                bind: 127.0.0.1
                listen-port: %1$d
                ports: %1$d-%2$d
            peers:
              - id: 2
                name: pop-b
                address: 127.0.0.2
                port: %3$d
              - id: 3
                name: pop-c
                address: 127.0.0.3
                port: %4$d
            routes:
              - to: 3
                paths:
                  - via: direct
                    weight: 1
                  - via: [2]
                    weight: 0
            admin:
              listen: 127.0.0.1:%5$d
            """.formatted(portA, portA + 1, portB, relayAtC, adminPortBase) + common("a");
    }

    /**
     * @param portB B's listen port.
     * @param portA A's listen port.
     * @param portC C's listen port.
     * @return B's configuration: a relay-only POP.
     */
    String popB(final int portB, final int portA, final int portC)
    {
        return """
            pop:
              id: 2
              name: pop-b
            ports:
              backbone:
                type: udp
                bind: 127.0.0.2
                listen-port: %1$d
                ports: %1$d-%2$d
            peers:
              - id: 1
                name: pop-a
                address: 127.0.0.1
                port: %3$d
              - id: 3
                name: pop-c
                address: 127.0.0.3
                port: %4$d
            admin:
              listen: 127.0.0.1:%5$d
            """.formatted(portB, portB + 1, portA, portC, adminPortBase - 1) + common("b");
    }

    /**
     * @param portC    C's listen port.
     * @param relayAtA the port A listens on as C knows it.
     * @param portB    B's listen port.
     * @return C's configuration: the egress, with the backend.
     */
    String popC(final int portC, final int relayAtA, final int portB)
    {
        return """
            pop:
              id: 3
              name: pop-c
            ports:
              backbone:
                type: udp
                bind: 127.0.0.3
                listen-port: %1$d
                ports: %1$d-%2$d
              origin:
                type: tun
                device: fly-origin
            peers:
              - id: 1
                name: pop-a
                address: 127.0.0.1
                port: %3$d
              - id: 2
                name: pop-b
                address: 127.0.0.2
                port: %4$d
            admin:
              listen: 127.0.0.1:%5$d
            """.formatted(portC, portC + 1, relayAtA, portB, adminPortBase - 2) + common("c");
    }
}
