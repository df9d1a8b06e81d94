package io.flyover.optimizer.control;

import io.flyover.dataplane.protocol.PacketParser;
import io.flyover.dataplane.protocol.ParseVerdict;
import io.flyover.dataplane.protocol.ParsedPacket;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.WeightedRoute;
import io.flyover.dataplane.world.IpPackets;
import io.flyover.optimizer.journal.OptimizerJournal;
import io.flyover.optimizer.path.Route;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static io.flyover.optimizer.control.InMemoryControlWorld.A;
import static io.flyover.optimizer.control.InMemoryControlWorld.B;
import static io.flyover.optimizer.control.InMemoryControlWorld.C;
import static io.flyover.optimizer.control.InMemoryControlWorld.CLIENT;
import static io.flyover.optimizer.control.InMemoryControlWorld.SERVICE_PORT;
import static io.flyover.optimizer.control.InMemoryControlWorld.VIP;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ControlPlaneInMemoryTest
{
    private static final long DIRECT = Route.of(A, C);
    private static final long VIA_B = Route.of(A, B, C);
    private static final int FLOWS = 64;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
    private InMemoryControlWorld w;

    @AfterEach
    void close()
    {
        if (null != w)
        {
            w.close();
        }
    }

    private static double share(final PathTable table, final long route)
    {
        int total = 0;
        int of = 0;
        for (int i = 0; i < table.routes().size(); i++)
        {
            final WeightedRoute r = table.routes().get(i);
            total += r.weight();
            of += r.route().packed() == route ? r.weight() : 0;
        }
        return total == 0 ? 0 : (double)of / total;
    }

    private PathTable tableAtA()
    {
        return w.world.pop(A).tables().current().pathTable(C);
    }

    private void sendFlows()
    {
        for (int i = 0; i < FLOWS; i++)
        {
            payload.putInt(0, i);
            final int length = IpPackets.udp4(frame, 0, CLIENT, 20_000 + i, VIP, SERVICE_PORT, payload, 0, 4);
            assertTrue(w.world.pop(A).edge().inject(frame, 0, length));
        }
    }

    /** Drains C's origin and marks which flows (by client port) arrived. */
    private int deliveredFlows(final boolean[] seen)
    {
        final int[] count = {0};
        w.world.pop(C).origin().drain((buffer, offset, length) ->
        {
            final ParsedPacket p = new ParsedPacket();
            if (ParseVerdict.OK == PacketParser.parseIp(buffer, offset, length, p))
            {
                final int flow = p.srcPort - 20_000;
                if (flow >= 0 && flow < FLOWS && !seen[flow])
                {
                    seen[flow] = true;
                    count[0]++;
                }
            }
        }, 100_000);
        return count[0];
    }

    @Test
    void shouldLearnRttsOverRealEnginePacketsAndPublishTheBestPath()
    {
        w = new InMemoryControlWorld(11, id -> OptimizerJournal.NONE);
        w.run(6_000);

        final ControlPlaneStatus status = w.control(A).status();
        final RouteStatus direct = status.route(DIRECT);
        final RouteStatus viaB = status.route(VIA_B);
        assertNotNull(direct, "direct path probed: " + status.routes());
        assertNotNull(viaB, "relay path through B probed (learned from link state): " + status.routes());
        assertTrue(direct.up() && viaB.up(), status.routes().toString());
        assertEquals(20e6, direct.srttNs(), 1.5e6, "A-C RTT is 2 x 10 ms");
        assertEquals(32e6, viaB.srttNs(), 1.5e6, "A-B-C RTT is 2 x 16 ms, probes relayed by B");
        assertTrue(direct.p50Ns() > 0 && direct.p95Ns() >= direct.p50Ns());
        assertEquals(0.0, direct.loss());
        assertTrue(direct.preferred(), "the cheaper path is preferred");
        assertTrue(w.control(C).status().repliesSent() > 50, "C reflects A's and B's probes");

        final PathTable table = tableAtA();
        assertTrue(share(table, DIRECT) > 0.9, "path table follows the weights: " + table.routes());
        assertTrue(w.overlays.get(A).published() > 0);
    }

    @Test
    void shouldRepinFlowsWithin350MsOfACutAndBringThePathBackAfterGoodProbes()
    {
        w = new InMemoryControlWorld(12, id -> OptimizerJournal.NONE);
        w.run(6_000);
        assertTrue(share(tableAtA(), DIRECT) > 0.9, tableAtA().routes().toString());

        // pin flows on the direct path
        sendFlows();
        w.run(50);
        final boolean[] before = new boolean[FLOWS];
        assertEquals(FLOWS, deliveredFlows(before));
        final long viaBBefore = w.world.link(A, B).carried();

        final long cutNs = w.world.nowNs();
        w.world.link(A, C).loss(1.0);
        long detectedNs = -1;
        long allRepinnedNs = -1;
        final boolean[] after = new boolean[FLOWS];
        int delivered = 0;
        for (int ms = 0; ms < 1_000 && allRepinnedNs < 0; ms++)
        {
            if (ms % 10 == 0)
            {
                sendFlows(); // every flow sends every 10 ms
            }
            w.tick();
            if (detectedNs < 0 && share(tableAtA(), DIRECT) == 0)
            {
                detectedNs = w.world.nowNs();
            }
            delivered += deliveredFlows(after);
            if (delivered == FLOWS)
            {
                allRepinnedNs = w.world.nowNs();
            }
        }
        assertTrue(detectedNs > 0, "the direct path left the table");
        final long detectMs = (detectedNs - cutNs) / 1_000_000;
        final long repinMs = (allRepinnedNs - cutNs) / 1_000_000;
        assertTrue(detectMs <= 350, "detected and table re-pinned " + detectMs + " ms after the cut");
        assertTrue(allRepinnedNs > 0, "every flow reached the backend again");
        // a flow is re-pinned on its next packet (every 10 ms) and then takes 16 ms through B
        assertTrue(repinMs <= 350 + 10 + 16, "every flow delivered again " + repinMs + " ms after the cut");
        assertFalse(w.control(A).optimizer().prober().detector(DIRECT).isUp());
        assertTrue(w.world.link(A, B).carried() - viaBBefore >= FLOWS, "re-pinned flows go through B");
        assertEquals(1.0, share(tableAtA(), VIA_B));

        // heal: the direct path comes back after good probes in a row, not before
        w.world.link(A, C).loss(0.0);
        final long healNs = w.world.nowNs();
        long upNs = -1;
        for (int ms = 0; ms < 2_000 && upNs < 0; ms++)
        {
            w.tick();
            w.control(A).doWork();
            if (w.control(A).optimizer().prober().detector(DIRECT).isUp())
            {
                upNs = w.world.nowNs();
            }
        }
        assertTrue(upNs > 0, "direct path came back");
        final long upMs = (upNs - healNs) / 1_000_000;
        assertTrue(upMs >= 4 * 90, "needs 5 good probes in a row, came up after " + upMs + " ms");
        w.run(3_000);
        // back in the table (explored); it is preferred again once its loss evidence decays
        assertTrue(share(tableAtA(), DIRECT) > 0, "the healed path is back in the table: " + tableAtA().routes());
        System.out.println("cut: table re-pinned after " + detectMs + " ms, all flows delivered after " + repinMs
            + " ms; healed path up after " + upMs + " ms; " + Arrays.toString(new long[] {detectMs, repinMs, upMs}));
    }

    @Test
    void shouldStopProbingAPopThatLeavesTheTablesAndNeverRouteThroughIt()
    {
        w = new InMemoryControlWorld(13, id -> OptimizerJournal.NONE);
        w.run(4_000);
        final io.flyover.optimizer.probe.Prober prober = w.control(A).optimizer().prober();
        assertNotNull(prober.estimator(Route.of(A, B)));
        assertNotNull(prober.estimator(VIA_B));

        // a reload at A drops B from its configuration
        final io.flyover.dataplane.table.ForwardingTables t = w.world.pop(A).tables().current();
        w.world.pop(A).tables().publish(io.flyover.dataplane.table.ForwardingTables.build(t.version() + 1, A,
            java.util.List.of(t.pop(A), t.pop(C)), t.services().values(), java.util.List.of(PathTable.build(C,
                java.util.List.of(new WeightedRoute(io.flyover.dataplane.table.Route.of(A, C), 1))))));
        w.run(2_000);
        assertEquals(null, prober.estimator(Route.of(A, B)), "B is no longer probed");
        assertEquals(null, prober.estimator(VIA_B), "nor relayed through");
        assertEquals(null, w.control(A).optimizer().policy(B));
        for (final long route : prober.routes())
        {
            assertFalse(Route.toString(route).contains("2"), Route.toString(route));
        }
        assertEquals(1.0, share(tableAtA(), DIRECT) + share(tableAtA(), VIA_B));
        assertEquals(0.0, share(tableAtA(), VIA_B));
    }
}
