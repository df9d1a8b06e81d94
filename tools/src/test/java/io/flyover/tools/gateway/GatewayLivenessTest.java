package io.flyover.tools.gateway;

import io.flyover.dataplane.engine.InMemoryPort;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static io.flyover.tools.gateway.GatewayTraffic.opener;
import static io.flyover.tools.gateway.GatewayTraffic.peerState;
import static io.flyover.tools.gateway.GatewayTraffic.routeFlows;
import static io.flyover.tools.gateway.GatewayTraffic.sendClientPacket;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three gateways in this process over a loopback UDP backbone: A (1, ingress, 127.0.0.1), B (2,
 * relay, 127.0.0.2) and C (3, egress, 127.0.0.3). A's route to C is direct (weight 1) with A→B→C
 * as a standby (weight 0). The A–C link runs through a {@link LoopbackLink} that the test cuts
 * silently: A must declare C down within the detection time (plus slack for a loaded host), send
 * new flows through B, and go direct again once the link heals and C answers again.
 */
class GatewayLivenessTest
{
    private static final long WAIT_MS = 8_000;
    private static final GatewayTraffic TRAFFIC = new GatewayTraffic(WAIT_MS);
    private static final int INTERVAL_MS = 50;
    private static final int MULTIPLIER = 3;

    @TempDir
    Path dir;

    @Test
    void shouldFailOverToStandbyRelayWhenDirectLinkIsSilentlyCutAndComeBackWhenItHeals() throws Exception
    {
        final ThreePopWorld world = ThreePopWorld.write(dir, """
            liveness:
              interval: %dms
              multiplier: %d
            """.formatted(INTERVAL_MS, MULTIPLIER), 9897);

        final InMemoryPort edgeA = new InMemoryPort("edge", false, 1024, 2048);
        final InMemoryPort originC = new InMemoryPort("origin", false, 1024, 2048);
        final List<Throwable> errors = Collections.synchronizedList(new ArrayList<>());
        try (LoopbackLink linkAC = world.linkAC();
            Gateway c = Gateway.start(world.fileC(), world.configC(), opener(originC), errors::add);
            Gateway b = Gateway.start(world.fileB(), world.configB(), opener(null), errors::add);
            Gateway a = Gateway.start(world.fileA(), world.configA(), opener(edgeA), errors::add))
        {
            TRAFFIC.await("A sees B and C up", () -> peerState(a, 2).equals("up") && peerState(a, 3).equals("up"));
            TRAFFIC.await("C sees A up", () -> peerState(c, 1).equals("up"));
            TRAFFIC.await("B sees A and C up", () -> peerState(b, 1).equals("up") && peerState(b, 3).equals("up"));

            TRAFFIC.await("A's path table to C is direct", () ->
            {
                final String status = AdminServer.status(a);
                return status.contains("\"route\":\"1>3\"") && !status.contains("\"route\":\"1>2>3\"");
            });
            sendClientPacket(edgeA, 40_001);
            TRAFFIC.awaitFrameAt(originC, 40_001);
            TRAFFIC.await("the first flow is pinned to the direct route", () -> routeFlows(a, "1>3") == 1);
            assertEquals(0.0, routeFlows(a, "1>2>3"));

            final long cutNs = System.nanoTime();
            linkAC.cut(true);
            TRAFFIC.await("A declares C down", () -> peerState(a, 3).equals("down"));
            final long detectedMs = (System.nanoTime() - cutNs) / 1_000_000;
            assertTrue(detectedMs >= (long)INTERVAL_MS * (MULTIPLIER - 1),
                "not before about the detection time, took " + detectedMs + " ms");
            assertTrue(detectedMs < 3_000, "within the detection time plus slack, took " + detectedMs + " ms");
            assertEquals("up", peerState(a, 2), "B stays up");

            TRAFFIC.await("A's path table to C holds only the standby through B", () ->
            {
                final String status = AdminServer.status(a);
                return status.contains("\"route\":\"1>2>3\"") && !status.contains("\"route\":\"1>3\"");
            });

            sendClientPacket(edgeA, 40_002);
            TRAFFIC.awaitFrameAt(originC, 40_002);
            TRAFFIC.await("a new flow takes the standby route through B", () -> routeFlows(a, "1>2>3") == 1);
            assertEquals(1.0, routeFlows(a, "1>3"), "no new flow went direct");
            TRAFFIC.await("C sees the flow arrive along A>B>C", () -> routeFlows(c, "1>2>3") == 1);

            final String metricsDown = Metrics.render(a);
            assertEquals(0.0, MetricsText.value(metricsDown, "flyover_peer_up", "peer", "3"), metricsDown);
            assertEquals(1.0, MetricsText.value(metricsDown, "flyover_peer_up", "peer", "2"), metricsDown);
            TRAFFIC.await("A counts keepalives to C lost", () -> MetricsText.value(Metrics.render(a),
                "flyover_peer_keepalives_total", "peer", "3", "event", "lost") >= 1);
            assertTrue(MetricsText.value(metricsDown, "flyover_peer_keepalives_total", "peer", "2", "event", "received")
                >= 3, metricsDown);
            assertTrue(MetricsText.value(metricsDown, "flyover_liveness_table_publishes_total") >= 2, metricsDown);
            assertTrue(linkAC.dropped() > 0, "the cut dropped keepalives");

            linkAC.cut(false);
            TRAFFIC.await("A sees C up again", () -> peerState(a, 3).equals("up"));
            TRAFFIC.await("A's path table to C is direct again", () ->
            {
                final String status = AdminServer.status(a);
                return status.contains("\"route\":\"1>3\"") && !status.contains("\"route\":\"1>2>3\"");
            });

            sendClientPacket(edgeA, 40_003);
            TRAFFIC.awaitFrameAt(originC, 40_003);
            TRAFFIC.await("new flows go direct again", () -> routeFlows(a, "1>3") == 2);
            assertEquals(1.0, routeFlows(a, "1>2>3"));

            final String metricsUp = Metrics.render(a);
            assertEquals(1.0, MetricsText.value(metricsUp, "flyover_peer_up", "peer", "3"), metricsUp);
            assertTrue(MetricsText.value(metricsUp, "flyover_peer_state_changes_total", "peer", "3") >= 3, metricsUp);
            assertTrue(MetricsText.value(Metrics.render(c), "flyover_peer_keepalives_total", "peer", "1", "event",
                "reflected") >= 3, "C answered A's keepalives");
        }
        assertTrue(errors.isEmpty(), errors.toString());
    }
}
