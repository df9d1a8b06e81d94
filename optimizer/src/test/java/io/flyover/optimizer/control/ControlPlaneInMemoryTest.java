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

    @Test
    void shouldRebuildOnlyTheDestinationWhoseWeightsChangedAndMatchAFullRebuild()
    {
        final RecordingJournal journal = new RecordingJournal();
        w = new InMemoryControlWorld(14, id -> A == id ? journal : OptimizerJournal.NONE);
        final int[] dsts = {B, C};
        final PathTable[] expected = new PathTable[C + 1];
        final long[] differentSinceMs = {-1, -1, -1, -1};
        final int[] rebuilt = new int[C + 1];
        int kept = 0;
        int deferredTicks = 0;
        for (int ms = 0; ms < 10_000; ms++)
        {
            if (4_000 == ms || 5_000 == ms)
            {
                w.world.link(A, C).loss(4_000 == ms ? 1.0 : 0.0); // a cut, then healed: C's weights move
            }
            final PathTable[] before = new PathTable[C + 1];
            for (final int dst : dsts)
            {
                before[dst] = w.world.pop(A).tables().current().pathTable(dst);
            }
            journal.changedThisTick.clear();
            w.tick();
            for (final int dst : dsts)
            {
                if (journal.changedThisTick.contains(dst))
                {
                    expected[dst] = fullRebuild(journal.latest.get(dst));
                }
                final PathTable now = w.world.pop(A).tables().current().pathTable(dst);
                if (null == expected[dst])
                {
                    continue; // no live learned weights: the static table (or none) serves
                }
                assertNotNull(now);
                if (now != before[dst])
                {
                    // a new table is exactly what a fresh full build of the latest weights gives
                    assertEquals(expected[dst].routes(), now.routes(), "at " + ms + " ms to " + dst);
                    assertEquals(expected[dst].digest(), now.digest(), "same buckets as a full rebuild, to " + dst);
                    rebuilt[dst]++;
                }
                else
                {
                    kept++;
                }
                if (now.routes().equals(expected[dst].routes()))
                {
                    differentSinceMs[dst] = -1;
                    continue;
                }
                // a deferred share change: no route of the table lost its share, the heaviest route is
                // the same, and the table follows within the rebuild interval
                deferredTicks++;
                for (final WeightedRoute r : now.routes())
                {
                    assertTrue(expected[dst].routes().stream().anyMatch(e -> e.route().equals(r.route())),
                        "a route without share stays in the table at " + ms + " ms: " + now.routes());
                }
                assertEquals(heaviest(expected[dst]), heaviest(now), "the heaviest route changed but waits");
                differentSinceMs[dst] = differentSinceMs[dst] < 0 ? ms : differentSinceMs[dst];
                assertTrue(ms - differentSinceMs[dst] <= ControlPlane.TABLE_REBUILD_INTERVAL_NS / 1_000_000 + 1,
                    "deferred since " + differentSinceMs[dst] + " ms, now " + ms + " ms");
            }
        }
        assertTrue(rebuilt[B] >= 1 && rebuilt[C] >= 3, "weights changed and tables followed: " + Arrays.toString(rebuilt));
        assertTrue(kept > 10_000, "unchanged destinations kept their table: " + kept);
        final ControlPlaneStatus status = w.control(A).status();
        assertTrue(status.tablesBuilt() + status.tablesReused() <= journal.weightChanges + status.tablesDeferred(),
            "at most one build per weight change, not one per destination: " + status);
        assertTrue(status.tablesBuilt() >= rebuilt[B] + rebuilt[C], status.toString());
        assertTrue(status.tablePublishes() <= status.tablesBuilt(), "a publish only when a table changed");
        System.out.println("A: " + journal.weightChanges + " weight changes, " + status.tablesBuilt() + " built, "
            + status.tablesReused() + " reused, " + status.tablesDeferred() + " deferred; " + deferredTicks
            + " ms with a deferred share change");
    }

    private static io.flyover.dataplane.table.Route heaviest(final PathTable table)
    {
        WeightedRoute best = table.routes().get(0);
        for (final WeightedRoute r : table.routes())
        {
            best = r.weight() > best.weight() ? r : best;
        }
        return best.route();
    }

    @Test
    void shouldBuildAtOnceWhenARouteLeavesOrTheHeaviestChangesAndDeferShareOnlyChanges()
    {
        w = new InMemoryControlWorld(16, id -> OptimizerJournal.NONE);
        final io.flyover.dataplane.table.ForwardingTables tables = w.world.pop(A).tables().current();
        final long[] nowNs = {0};
        final java.util.List<java.util.Map<Integer, PathTable>> published = new java.util.ArrayList<>();
        final ControlPlane plane = new ControlPlane(ControlPlaneConfig.defaults(4), () -> tables,
            new io.flyover.dataplane.engine.EngineEvents(1 << 16), (buffer, offset, length) -> true, () -> nowNs[0],
            published::add, OptimizerJournal.NONE);
        plane.doWork(); // the policies' own first (empty) weights
        final int before = published.size();

        final PathTable first = step(plane, nowNs, published, 1_000, 0.95, 0.05, DIRECT);
        assertNotNull(first, "a destination's first table is built at once");
        assertEquals(fullRebuild(weights(0.95, 0.05, DIRECT)).digest(), first.digest());

        assertEquals(first, step(plane, nowNs, published, 1_500, 0.97, 0.03, DIRECT), "share-only: deferred");
        assertEquals(first, step(plane, nowNs, published, 2_999, 0.97, 0.03, DIRECT), "still within 2 s");
        nowNs[0] = 3_000_000_000L;
        plane.doWork();
        final PathTable second = published.get(published.size() - 1).get(C);
        assertEquals(fullRebuild(weights(0.97, 0.03, DIRECT)).digest(), second.digest(), "built 2 s after the first");

        final PathTable viaBGone = step(plane, nowNs, published, 3_100, 1.0, 0.0, DIRECT);
        assertEquals(1, viaBGone.routes().size(), "a route losing its share leaves at once");
        final PathTable failover = step(plane, nowNs, published, 3_200, 0.0, 1.0, VIA_B);
        assertEquals(VIA_B, failover.routes().get(0).route().packed(), "the direct path down: at once");
        final PathTable backExplored = step(plane, nowNs, published, 3_300, 0.05, 0.95, VIA_B);
        assertEquals(failover, backExplored, "a route coming back for exploration waits");
        nowNs[0] = 5_200_000_000L;
        plane.doWork();
        assertEquals(2, published.get(published.size() - 1).get(C).routes().size(), "and is in 2 s later");
        final PathTable heavier = step(plane, nowNs, published, 5_300, 0.95, 0.05, DIRECT);
        assertEquals(fullRebuild(weights(0.95, 0.05, DIRECT)).digest(), heavier.digest(),
            "a new heaviest route is built at once");
        nowNs[0] = 5_400_000_000L;
        plane.onPathWeights(new io.flyover.optimizer.policy.PathWeights(C, new long[] {DIRECT, VIA_B},
            new double[] {1.0, 0.0}, new boolean[] {true, true}, DIRECT, true), nowNs[0]);
        plane.doWork();
        final PathTable noShare = published.get(published.size() - 1).get(C);
        assertEquals(2, noShare.routes().size(), "a live route without share stays listed: " + noShare.routes());
        assertEquals(0.0, share(noShare, VIA_B), "at once, with no buckets");
        assertEquals(7, published.size() - before, "one publish per build, none for deferrals");
        assertTrue(plane.status().tablesDeferred() >= 2, plane.status().toString());
    }

    private static io.flyover.optimizer.policy.PathWeights weights(final double direct, final double viaB, final long preferred)
    {
        return new io.flyover.optimizer.policy.PathWeights(C, new long[] {DIRECT, VIA_B}, new double[] {direct, viaB},
            preferred, true);
    }

    private static PathTable step(
        final ControlPlane plane, final long[] nowNs, final java.util.List<java.util.Map<Integer, PathTable>> published,
        final long atMs, final double direct, final double viaB, final long preferred)
    {
        nowNs[0] = atMs * 1_000_000L;
        plane.onPathWeights(weights(direct, viaB, preferred), nowNs[0]);
        plane.doWork();
        return published.isEmpty() ? null : published.get(published.size() - 1).get(C);
    }

    @Test
    void shouldAskTheJournalToDeleteExpiredFilesAtStartAndThenEveryMinute()
    {
        w = new InMemoryControlWorld(15, id -> OptimizerJournal.NONE);
        final io.flyover.dataplane.table.ForwardingTables tables = w.world.pop(A).tables().current();
        final RecordingJournal journal = new RecordingJournal();
        journal.expiredPerCall = 2;
        final long[] nowNs = {1_000_000_000L};
        final ControlPlane plane = new ControlPlane(ControlPlaneConfig.defaults(3), () -> tables,
            new io.flyover.dataplane.engine.EngineEvents(1 << 16), (buffer, offset, length) -> true, () -> nowNs[0],
            learned -> { }, journal);
        final long[] callsAt = new long[8];
        for (int s = 0; s <= 150; s++)
        {
            plane.doWork();
            callsAt[Math.min(journal.deleteCalls, callsAt.length - 1)] = s;
            nowNs[0] += 1_000_000_000L;
        }
        assertEquals(3, journal.deleteCalls, "at 0 s, 60 s and 120 s");
        assertEquals(0, callsAt[0]);
        assertEquals(6, plane.status().journalCyclesDeleted(), "deleted files are counted");
        plane.pause();
        nowNs[0] += 3_600_000_000_000L;
        plane.doWork();
        assertEquals(3, journal.deleteCalls, "a paused control plane does nothing");
    }

    private static PathTable fullRebuild(final io.flyover.optimizer.policy.PathWeights weights)
    {
        if (null == weights || !weights.anyLive())
        {
            return null;
        }
        final int[] counts = weights.bucketCounts(ControlPlane.WEIGHT_SCALE);
        final java.util.List<WeightedRoute> routes = new java.util.ArrayList<>();
        boolean anyShare = false;
        for (int i = 0; i < weights.size(); i++)
        {
            // a live route without share is listed with weight 0, for the flows pinned to it
            if ((counts[i] > 0 || weights.isLive(i)) && Route.ingress(weights.route(i)) == A)
            {
                routes.add(new WeightedRoute(io.flyover.dataplane.table.Route.unpack(weights.route(i)), counts[i]));
                anyShare |= counts[i] > 0;
            }
        }
        return anyShare ? PathTable.build(weights.dstPop(), routes) : null;
    }

    /** Remembers the weights the control plane journals, and answers its housekeeping calls. */
    private static final class RecordingJournal implements OptimizerJournal
    {
        final java.util.Map<Integer, io.flyover.optimizer.policy.PathWeights> latest = new java.util.HashMap<>();
        final java.util.Set<Integer> changedThisTick = new java.util.HashSet<>();
        int weightChanges;
        int deleteCalls;
        int expiredPerCall;

        @Override
        public void weights(final io.flyover.optimizer.policy.PathWeights weights, final long nowNs)
        {
            latest.put(weights.dstPop(), weights);
            changedThisTick.add(weights.dstPop());
            weightChanges++;
        }

        @Override
        public int deleteExpired()
        {
            deleteCalls++;
            return expiredPerCall;
        }
    }
}
