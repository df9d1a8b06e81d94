package io.flyover.tools.gateway;

import io.flyover.dataplane.engine.EngineConfig;
import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.Route;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.WeightedRoute;
import io.flyover.tools.config.BackendConfig;
import io.flyover.tools.config.ConfigLoader;
import io.flyover.tools.config.GatewayConfig;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigCompilerTest
{
    static Path example(final String name)
    {
        final String root = System.getProperty("flyover.root");
        return (null != root ? Path.of(root) : Path.of("..")).resolve("examples").resolve(name);
    }

    static GatewayConfig load(final String name)
    {
        return ConfigLoader.load(example(name)).config();
    }

    @Test
    void shouldUseStandbyRouteWhenTheDirectPathsFirstHopIsDown()
    {
        final GatewayConfig a = load("pop-a.yaml");
        final ForwardingTables tables = ConfigCompiler.tables(a, 2, peer -> 3 != peer);
        assertEquals(List.of(new WeightedRoute(Route.of(1, 2, 3), 1)), tables.pathTable(3).routes(),
            "C down: the standby through B takes every bucket");
        assertEquals(List.of(new WeightedRoute(Route.of(1, 2), 1)), tables.pathTable(2).routes());
    }

    @Test
    void shouldKeepTheWeightedRouteWhenNoPathHasALiveFirstHop()
    {
        final GatewayConfig a = load("pop-a.yaml");
        assertEquals(List.of(new WeightedRoute(Route.of(1, 3), 1)), ConfigCompiler.routes(a, 3, peer -> false),
            "nothing live: keep the configured weighted paths rather than an empty table");
        assertEquals(List.of(new WeightedRoute(Route.of(1, 3), 1)), ConfigCompiler.routes(a, 3, peer -> 2 != peer),
            "the standby's relay is down, the direct path is live");
        assertEquals(List.of(new WeightedRoute(Route.of(1, 2), 1)), ConfigCompiler.routes(a, 2, peer -> false),
            "a peer without a route is always direct");
    }

    @Test
    void shouldCompileIngressPopWithDirectRouteAndStandbyLeftOut()
    {
        final GatewayConfig a = load("pop-a.yaml");
        final ForwardingTables tables = ConfigCompiler.tables(a, 7);
        assertEquals(7, tables.version());
        assertEquals(1, tables.localPop().id());
        assertEquals("10.77.0.1", tables.localPop().underlay().getAddress().getHostAddress());
        assertEquals(6081, tables.localPop().underlayPort());
        assertEquals(3, tables.pops().size());
        assertEquals(1, tables.localPop().keys().sendKey().keyId());
        assertEquals(2, tables.localPop().keys().keys().size());

        final List<WeightedRoute> toC = tables.pathTable(3).routes();
        assertEquals(List.of(new WeightedRoute(Route.of(1, 3), 1)), toC, "standby via B is left out");
        final List<WeightedRoute> toB = tables.pathTable(2).routes();
        assertEquals(List.of(new WeightedRoute(Route.of(1, 2), 1)), toB, "no route: direct");

        final Service web = tables.service(100);
        assertEquals(100_000_000L / 8, web.bandwidthCapBytesPerSecond());
        assertEquals(6, web.vip().protocol());
        assertEquals(80, web.vip().portFrom());
        assertEquals(3, web.egressPopId());
        final Service ping = tables.service(101);
        assertEquals(Service.UNCAPPED, ping.bandwidthCapBytesPerSecond());
        assertEquals(1, ping.vip().protocol());
    }

    @Test
    void shouldCompileRelayPopWithNoServices()
    {
        final ForwardingTables tables = ConfigCompiler.tables(load("pop-b.yaml"), 1);
        assertEquals(2, tables.localPop().id());
        assertTrue(tables.services().isEmpty());
        assertNotNull(tables.pathTable(1));
        assertNotNull(tables.pathTable(3));
    }

    @Test
    void shouldCompileEgressPopWithBackendsAndDrainedBackend()
    {
        final ForwardingTables tables = ConfigCompiler.tables(load("pop-c.yaml"), 1);
        final Service web = tables.service(100);
        assertEquals(2, web.backends().size());
        final Backend first = web.backends().get(0);
        final Backend second = web.backends().get(1);
        assertNotEquals(first.id(), second.id());
        assertEquals(first, web.backend(first.id()));
        final int picked = web.pickBackend(0x1234_5678_9ABC_DEF0L);
        assertEquals(first.id(), picked, "the draining backend (weight 0) gets no new flows");
        assertEquals(List.of(new WeightedRoute(Route.of(3, 1), 1)), tables.pathTable(1).routes());
    }

    @Test
    void shouldKeepBackendIdsWhenOthersAreRemovedOrReordered() throws UnknownHostException
    {
        final BackendConfig x = new BackendConfig(InetAddress.getByName("10.0.0.1"), 80, 1);
        final BackendConfig y = new BackendConfig(InetAddress.getByName("10.0.0.2"), 80, 1);
        final BackendConfig z = new BackendConfig(InetAddress.getByName("10.0.0.3"), 8080, 1);
        final List<Backend> all = ConfigCompiler.backends(List.of(x, y, z));
        final List<Backend> reordered = ConfigCompiler.backends(List.of(z, x));
        assertEquals(all.get(0).id(), reordered.get(1).id());
        assertEquals(all.get(2).id(), reordered.get(0).id());
        assertEquals("10.0.0.3:8080", reordered.get(0).name());
    }

    @Test
    void shouldGiveCollidingBackendsDistinctIds() throws UnknownHostException
    {
        final List<BackendConfig> many = new java.util.ArrayList<>();
        for (int i = 0; i < 2000; i++)
        {
            many.add(new BackendConfig(InetAddress.getByName("10.1." + (i >> 8) + "." + (i & 0xFF)), 80, 1));
        }
        final List<Backend> compiled = ConfigCompiler.backends(many);
        assertEquals(2000, compiled.stream().mapToInt(Backend::id).distinct().count());
    }

    @Test
    void shouldMapEngineShapeFromThreadsFlowTableAndBackboneMtu()
    {
        final EngineConfig engine = ConfigCompiler.engine(load("pop-c.yaml"), 1, 2);
        assertEquals(1, engine.workers());
        assertEquals(64 * 1024, engine.flowTable().capacity());
        assertEquals(TimeUnit.SECONDS.toNanos(5), engine.flowTable().tcpEmbryonicTimeoutNs());
        assertEquals(TimeUnit.SECONDS.toNanos(300), engine.flowTable().tcpEstablishedTimeoutNs());
        assertEquals(TimeUnit.SECONDS.toNanos(10), engine.flowTable().tcpClosingTimeoutNs());
        assertEquals(TimeUnit.SECONDS.toNanos(60), engine.flowTable().udpTimeoutNs());
        assertEquals(TimeUnit.SECONDS.toNanos(30), engine.flowTable().icmpTimeoutNs());
        assertEquals(1500, engine.pipeline().pathMtu());
        assertEquals(ConfigCompiler.DEFAULT_FLOW_HASH_KEY, engine.pipeline().flowHashKey());
        assertEquals(2048, engine.slotSize());
        assertEquals(1024, ConfigCompiler.engine(load("pop-b.yaml"), 1, 2).flowTable().capacity());
    }

    @Test
    void shouldUseTheConfiguredFlowHashKey() throws java.io.IOException
    {
        final Path file = java.nio.file.Files.createTempFile("flow-hash-key", ".yaml");
        try
        {
            java.nio.file.Files.writeString(file,
                java.nio.file.Files.readString(example("pop-b.yaml")) + "flow-hash-key: 00000000deadbeef\n");
            final GatewayConfig config = ConfigLoader.load(file).config();
            assertEquals(0xDEADBEEFL, ConfigCompiler.engine(config, 1, 2).pipeline().flowHashKey());
        }
        finally
        {
            java.nio.file.Files.deleteIfExists(file);
        }
    }

    @Test
    void shouldConvertBitsToBytes()
    {
        assertEquals(Service.UNCAPPED, ConfigCompiler.bytesPerSecond(0));
        assertEquals(1, ConfigCompiler.bytesPerSecond(7));
        assertEquals(125_000, ConfigCompiler.bytesPerSecond(1_000_000));
    }

    @Test
    void shouldCompileTheOptimizerSectionIntoControlPlaneSettings() throws Exception
    {
        final String base = java.nio.file.Files.readString(example("pop-a.yaml"));
        final GatewayConfig config = ConfigLoader.parse("pop-a.yaml", base + """
            optimizer:
              enabled: true
              probe-interval: 20ms
              detect-multiplier: 255
              up-after: 2
              candidates: 3
              exploration-percent: 10
              hold: 1s
              loss-penalty: 2s
            """, example("pop-a.yaml").getParent()).config();
        final io.flyover.optimizer.control.ControlPlaneConfig cp = ConfigCompiler.controlPlane(config, 9);
        assertEquals(20_000_000L, cp.prober().failure().intervalNs());
        assertEquals(255, cp.prober().failure().detectMultiplier());
        assertEquals(2, cp.prober().failure().upThreshold());
        assertTrue(cp.prober().pendingWindow() >= 255 / 0.9 + 1, "room for every probe in flight: " + cp.prober().pendingWindow());
        assertEquals(3, cp.candidatePaths());
        assertEquals(0.10, cp.policy().explorationShare(), 1e-12);
        assertEquals(1_000_000_000L, cp.policy().holdNs());
        assertEquals(2_000_000_000L, cp.policy().lossPenaltyNs());
        assertEquals(ConfigCompiler.HOP_LIMIT, cp.hopLimit());
        assertEquals(9, cp.seed());
    }

    @Test
    void shouldLayLearnedPathTablesOverTheConfiguredOnesOnlyForKnownPeers()
    {
        final GatewayConfig a = load("pop-a.yaml");
        final int local = a.pop().id();
        final int peer = a.peers().get(0).id();
        final PathTable learned = PathTable.build(peer, java.util.List.of(
            new WeightedRoute(Route.of(local, peer), 7)));
        final PathTable throughStranger = PathTable.build(peer, java.util.List.of(
            new WeightedRoute(Route.of(local, 999, peer), 1)));
        assertEquals(7, ConfigCompiler.tables(a, 2, p -> true, java.util.Map.of(peer, learned))
            .pathTable(peer).routes().get(0).weight());
        assertEquals(ConfigCompiler.tables(a, 2).pathTable(peer).routes(),
            ConfigCompiler.tables(a, 2, p -> true, java.util.Map.of(peer, throughStranger)).pathTable(peer).routes(),
            "a learned route through a POP the configuration does not know is not used");
        assertEquals(null, ConfigCompiler.tables(a, 2, p -> true, java.util.Map.of(999, learned)).pathTable(999));
    }
}
