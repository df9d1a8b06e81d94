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
    /**
     * @param portA    A's listen port (A's pool is it and the next one).
     * @param portB    B's listen port.
     * @param relayAtC the port C listens on as A knows it.
     * @return A's configuration: direct to C, B as the standby relay.
     */
    String popA(final int portA, final int portB, final int relayAtC)
    {
        return common(PopYaml.pop(1, "pop-a")
            .tun("edge", "fly-edge")
            .udpBackbone("127.0.0.1", portA)
            .peer(2, "pop-b", "127.0.0.2", portB)
            .peer(3, "pop-c", "127.0.0.3", relayAtC)
            .route(3)
            .path("direct", 1)
            .path("[2]", 0)
            .admin(adminPortBase), "a");
    }

    /**
     * @param portB B's listen port.
     * @param portA A's listen port.
     * @param portC C's listen port.
     * @return B's configuration: a relay-only POP.
     */
    String popB(final int portB, final int portA, final int portC)
    {
        return common(PopYaml.pop(2, "pop-b")
            .udpBackbone("127.0.0.2", portB)
            .peer(1, "pop-a", "127.0.0.1", portA)
            .peer(3, "pop-c", "127.0.0.3", portC)
            .admin(adminPortBase - 1), "b");
    }

    /**
     * @param portC    C's listen port.
     * @param relayAtA the port A listens on as C knows it.
     * @param portB    B's listen port.
     * @return C's configuration: the egress, with the backend.
     */
    String popC(final int portC, final int relayAtA, final int portB)
    {
        return common(PopYaml.pop(3, "pop-c")
            .udpBackbone("127.0.0.3", portC)
            .tun("origin", "fly-origin")
            .peer(1, "pop-a", "127.0.0.1", relayAtA)
            .peer(2, "pop-b", "127.0.0.2", portB)
            .admin(adminPortBase - 2), "c");
    }

    private String common(final PopYaml pop, final String prefix)
    {
        return pop.keys()
            .dnsService(GatewayTestConfigs.VIP)
            .backend(GatewayTestConfigs.BACKEND, 5353)
            .raw(control)
            .threads("shared", 1)
            .folders(dir, prefix)
            .build();
    }
}
