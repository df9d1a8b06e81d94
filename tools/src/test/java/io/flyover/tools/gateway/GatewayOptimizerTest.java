package io.flyover.tools.gateway;

import io.flyover.dataplane.engine.InMemoryPort;
import io.flyover.optimizer.journal.JournalFormat;
import io.flyover.optimizer.journal.JournalRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import static io.flyover.tools.gateway.GatewayTraffic.opener;
import static io.flyover.tools.gateway.GatewayTraffic.peerState;
import static io.flyover.tools.gateway.GatewayTraffic.routeFlows;
import static io.flyover.tools.gateway.GatewayTraffic.sendClientPacket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three gateways with the optimizer enabled, in this process over a loopback UDP backbone: A (1,
 * ingress), B (2, relay), C (3, egress). The optimizer replaces keepalives: it probes A–C and,
 * learning B's link to C from B's probes, A–B–C; it publishes A's path table to C from its
 * weights. The A–C link runs through a {@link LoopbackLink} the test cuts silently: A must take
 * the direct path out of its table, send new flows through B, show the estimates in /status,
 * /metrics and /flows, journal it all, and warm up from that journal when restarted.
 * <p>
 * Wall-clock waits are for behaviour, not speed: each condition gets up to {@link #WAIT_MS}, so a
 * loaded 2-core CI machine passes it late rather than failing it. How fast a cut is re-pinned is
 * measured on simulated time by {@code ControlPlaneInMemoryTest} (≤ 350 ms); here the time is only
 * printed. Probes every 100 ms with 5 missed before down, so a scheduling stall of a few hundred
 * ms on a busy machine does not take a path down.
 */
class GatewayOptimizerTest
{
    private static final long WAIT_MS = 60_000;
    private static final GatewayTraffic TRAFFIC = new GatewayTraffic(WAIT_MS);
    private static final int INTERVAL_MS = 100;
    private static final int MULTIPLIER = 5;

    @TempDir
    Path dir;

    @Test
    void shouldProbeLearnRepinAroundACutJournalAndWarmUpARestartedPop() throws Exception
    {
        final ThreePopWorld world = ThreePopWorld.write(dir, """
            optimizer:
              enabled: true
              probe-interval: %dms
              detect-multiplier: %d
            """.formatted(INTERVAL_MS, MULTIPLIER), 9887);
        assertTrue(world.configA().optimizer().enabled());

        final InMemoryPort edgeA = new InMemoryPort("edge", false, 1024, 2048);
        final InMemoryPort originC = new InMemoryPort("origin", false, 1024, 2048);
        final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        try (LoopbackLink linkAC = world.linkAC();
            Gateway c = Gateway.start(world.fileC(), world.configC(), opener(originC), errors::add);
            Gateway b = Gateway.start(world.fileB(), world.configB(), opener(null), errors::add))
        {
            try (Gateway a = Gateway.start(world.fileA(), world.configA(), opener(edgeA), errors::add))
            {
                assertNull(a.liveness(), "the optimizer replaces keepalives");
                TRAFFIC.await("A's probes find the direct path and the relay path through B up", () ->
                    "up".equals(route(a, "1>3", "state")) && "up".equals(route(a, "1>2>3", "state")));
                TRAFFIC.await("A sees its peers up", () -> peerState(a, 2).equals("up") && peerState(a, 3).equals("up"));
                assertTrue((Double)route(a, "1>3", "rtt_ms") > 0, AdminServer.status(a));
                TRAFFIC.await("A's path table to C comes from the optimizer", () -> pathWeight(a, "1>3") + pathWeight(a, "1>2>3")
                    == io.flyover.optimizer.control.ControlPlane.WEIGHT_SCALE);

                final long cutNs = System.nanoTime();
                linkAC.cut(true);
                TRAFFIC.await("A's path table to C holds only the path through B", () ->
                    pathWeight(a, "1>3") == 0 && pathWeight(a, "1>2>3") > 0);
                final long repinnedMs = (System.nanoTime() - cutNs) / 1_000_000;
                System.out.println("loopback, 100 ms x 5: A's table re-pinned " + repinnedMs + " ms after the cut");
                TRAFFIC.await("status shows the direct path down (refreshed every 100 ms) and B up",
                    () -> "down".equals(route(a, "1>3", "state")) && "down".equals(peerState(a, 3)) && "up".equals(peerState(a, 2)));

                sendClientPacket(edgeA, 40_002);
                TRAFFIC.awaitFrameAt(originC, 40_002);
                TRAFFIC.await("a new flow takes the route through B", () -> routeFlows(a, "1>2>3") >= 1);
                TRAFFIC.await("C sees the flow arrive along A>B>C", () -> routeFlows(c, "1>2>3") >= 1);

                TRAFFIC.await("metrics show the direct path down with its lost probes, and the path through B up", () ->
                {
                    final String m = Metrics.render(a);
                    return 0.0 == MetricsText.value(m, "flyover_route_up", "to", "3", "route", "1>3")
                        && 1.0 == MetricsText.value(m, "flyover_route_up", "to", "3", "route", "1>2>3")
                        && MetricsText.value(m, "flyover_route_loss_ratio", "to", "3", "route", "1>3") > 0;
                });
                final String metrics = Metrics.render(a);
                assertTrue(MetricsText.value(metrics, "flyover_route_rtt_seconds", "to", "3", "route", "1>2>3",
                    "stat", "ewma") > 0, metrics);
                assertTrue(MetricsText.value(metrics, "flyover_route_rtt_seconds", "to", "3", "route", "1>2>3",
                    "stat", "p95") > 0, metrics);
                assertEquals(0.0, MetricsText.value(metrics, "flyover_peer_up", "peer", "3"), metrics);
                assertTrue(MetricsText.value(metrics, "flyover_optimizer_probes_total", "event", "sent") > 10, metrics);
                assertTrue(MetricsText.value(metrics, "flyover_optimizer_table_publishes_total") >= 2, metrics);
                assertTrue(MetricsText.value(metrics, "flyover_optimizer_path_tables_total", "event", "built") >= 2, metrics);
                assertEquals(0.0, MetricsText.value(metrics, "flyover_optimizer_journal_cycles_deleted_total"), metrics);
                assertTrue(MetricsText.value(Metrics.render(c), "flyover_optimizer_probes_total", "event", "reflected")
                    > 10, "C reflects probes");
                assertTrue(MetricsText.value(Metrics.render(b), "flyover_optimizer_probes_total", "event", "reflected")
                    > 10, "B reflects probes");

                final List<FlowsReport.Flow> atA = FlowsReport.read(a, 10, FlowsReport.Sort.NEWEST, System.nanoTime());
                assertEquals(1, atA.size(), atA.toString());
                assertEquals(io.flyover.dataplane.flow.FlowKind.INGRESS, atA.get(0).kind());
                assertEquals(40_002, atA.get(0).srcPort());
                final String flowsJson = FlowsReport.json(
                    FlowsReport.read(c, 10, FlowsReport.Sort.NEWEST, System.nanoTime()), c.tables(), FlowsReport.Sort.NEWEST);
                assertTrue(flowsJson.contains("\"route\":\"1>2>3\"") &&
                    flowsJson.contains("\"backend\":\"" + GatewayTestConfigs.BACKEND + ":5353\""), flowsJson);

                linkAC.cut(false);
                TRAFFIC.await("the direct path is up again after good probes", () -> "up".equals(route(a, "1>3", "state")));
                TRAFFIC.await("and back in the path table", () -> pathWeight(a, "1>3") > 0);
            }

            final List<JournalRecord> journal = JournalFormat.tail(dir.resolve("a-journal"), 1_000_000, 0);
            assertTrue(journal.stream().anyMatch(r -> JournalRecord.PATH_STATE == r.type() && 0 == r.a()
                && io.flyover.optimizer.path.Route.of(1, 3) == r.route()), "the cut is journaled");
            assertTrue(journal.stream().anyMatch(r -> JournalRecord.PROBE_ANSWERED == r.type()));
            assertTrue(journal.stream().anyMatch(r -> JournalRecord.WEIGHTS == r.type()));

            // restart A: it warms its estimates from the journal before its first probe is answered
            try (Gateway a = Gateway.start(world.fileA(), world.configA(), opener(edgeA), errors::add))
            {
                final Object warmed = route(a, "1>2>3", "passive_samples");
                assertTrue(warmed instanceof Double d && d > 0, "warm samples of the relay path: " + AdminServer.status(a) + journal.stream()
                    .filter(r -> r.type() == JournalRecord.LINK_STATE).map(JournalRecord::format).toList());
                TRAFFIC.await("the restarted POP probes its paths up", () -> "up".equals(route(a, "1>3", "state")));
            }
        }
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @SuppressWarnings("unchecked")
    private static Object route(final Gateway gateway, final String path, final String field)
    {
        final Map<String, Object> status = (Map<String, Object>)JsonReader.parse(AdminServer.status(gateway));
        final Object routes = status.get("routes");
        if (null == routes)
        {
            return null;
        }
        for (final Object o : (List<Object>)routes)
        {
            final Map<String, Object> route = (Map<String, Object>)o;
            if (path.equals(route.get("route")))
            {
                return route.get(field);
            }
        }
        return null;
    }

    @SuppressWarnings("unchecked")
    private static int pathWeight(final Gateway gateway, final String path)
    {
        final Map<String, Object> status = (Map<String, Object>)JsonReader.parse(AdminServer.status(gateway));
        for (final Object o : (List<Object>)status.get("paths"))
        {
            final Map<String, Object> p = (Map<String, Object>)o;
            if (path.equals(p.get("route")))
            {
                return ((Number)p.get("weight")).intValue();
            }
        }
        return 0;
    }
}
