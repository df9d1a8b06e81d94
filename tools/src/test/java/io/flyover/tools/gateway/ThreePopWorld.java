package io.flyover.tools.gateway;

import io.flyover.tools.config.GatewayConfig;

import java.nio.file.Path;

import static io.flyover.tools.gateway.GatewayTraffic.otherFreePort;

/**
 * The three loopback POPs of {@link ThreePopConfigs} written to {@code a.yaml}, {@code b.yaml} and
 * {@code c.yaml} and loaded, on free ports, with the A–C link routed through relay ports so a
 * test can cut it ({@link #linkAC()}).
 *
 * @param portA    A's listen port.
 * @param portC    C's listen port.
 * @param relayAtA the port C sends to for A.
 * @param relayAtC the port A sends to for C.
 * @param fileA    A's configuration file.
 * @param fileB    B's configuration file.
 * @param fileC    C's configuration file.
 * @param configA  A's configuration.
 * @param configB  B's configuration.
 * @param configC  C's configuration.
 */
record ThreePopWorld(
    int portA,
    int portC,
    int relayAtA,
    int relayAtC,
    Path fileA,
    Path fileB,
    Path fileC,
    GatewayConfig configA,
    GatewayConfig configB,
    GatewayConfig configC)
{
    /**
     * @param dir           where the files, counters and journals go.
     * @param control       the control section, as {@link ThreePopConfigs} takes it.
     * @param adminPortBase A's admin port, as {@link ThreePopConfigs} takes it.
     * @return the world, written and loaded.
     */
    static ThreePopWorld write(final Path dir, final String control, final int adminPortBase)
    {
        final int portA = GatewayTestConfigs.freePortPair("127.0.0.1");
        final int portB = GatewayTestConfigs.freePortPair("127.0.0.2");
        final int portC = GatewayTestConfigs.freePortPair("127.0.0.3");
        final int relayAtA = otherFreePort("127.0.0.1", portA);
        final int relayAtC = otherFreePort("127.0.0.3", portC);

        final ThreePopConfigs configs = new ThreePopConfigs(dir, control, adminPortBase);
        final Path fileA = GatewayTestConfigs.write(dir.resolve("a.yaml"), configs.popA(portA, portB, relayAtC));
        final Path fileB = GatewayTestConfigs.write(dir.resolve("b.yaml"), configs.popB(portB, portA, portC));
        final Path fileC = GatewayTestConfigs.write(dir.resolve("c.yaml"), configs.popC(portC, relayAtA, portB));
        return new ThreePopWorld(portA, portC, relayAtA, relayAtC, fileA, fileB, fileC,
            GatewayEndToEndTest.load(fileA), GatewayEndToEndTest.load(fileB), GatewayEndToEndTest.load(fileC));
    }

    /**
     * @return the A–C link through its relay ports, not cut; the caller closes it.
     */
    LoopbackLink linkAC()
    {
        return new LoopbackLink("127.0.0.1", portA, relayAtA, "127.0.0.3", portC, relayAtC);
    }
}
