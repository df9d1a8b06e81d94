package io.flyover.optimizer.journal;

import io.flyover.optimizer.control.ControlPlane;
import io.flyover.optimizer.latency.LatencyEstimator;
import io.flyover.optimizer.path.Route;
import io.flyover.optimizer.policy.PathWeights;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalWarmUpTest
{
    private static final int A = 1;
    private static final int B = 2;
    private static final int C = 3;

    @TempDir
    Path dir;

    @Test
    void shouldWriteEveryRecordTypeAndReadItBackReadably()
    {
        final long[] wall = {1_795_000_000_000L};
        try (ChronicleJournal journal = new ChronicleJournal(dir, () -> wall[0]))
        {
            journal.probeAnswered(Route.of(A, C), 41, 20_114_000, 5);
            wall[0]++;
            journal.probeLost(Route.of(A, C), 42, 6);
            wall[0]++;
            journal.linkState(B, C, 8_000, 2_500, 7);
            wall[0]++;
            journal.pathState(Route.of(A, C), false, 8);
            wall[0]++;
            journal.weights(new PathWeights(C, new long[] {Route.of(A, C), Route.of(A, B, C)},
                new double[] {0.0, 1.0}, Route.of(A, B, C), true), 9);
            assertEquals(5, journal.written());
        }
        final List<JournalRecord> all = JournalFormat.tail(dir, 100, 0);
        assertEquals(5, all.size());
        assertEquals(JournalRecord.PROBE_ANSWERED, all.get(0).type());
        assertEquals(20_114_000, all.get(0).b());
        assertTrue(all.get(0).format().endsWith("probe 1>3 seq=41 rtt=20.114ms"), all.get(0).format());
        assertTrue(all.get(1).format().endsWith("lost 1>3 seq=42"), all.get(1).format());
        assertTrue(all.get(2).format().endsWith("link 2>3 rtt=8.000ms loss=0.0025"), all.get(2).format());
        assertTrue(all.get(3).format().endsWith("path 1>3 down"), all.get(3).format());
        assertTrue(all.get(4).format().endsWith("weights dst=3 preferred=1>2>3 1>3=0.000 1>2>3=1.000"),
            all.get(4).format());
        assertTrue(all.get(4).format().startsWith("2026-11-18T"), all.get(4).format());

        final List<JournalRecord> lastTwo = JournalFormat.tail(dir, 2, 0);
        assertEquals(List.of(JournalRecord.PATH_STATE, JournalRecord.WEIGHTS),
            lastTwo.stream().map(JournalRecord::type).toList(), "tail keeps the newest, oldest first");
        assertEquals(2, JournalFormat.tail(dir, 100, 1_795_000_000_003L).size(), "older than the window: not read");
    }

    @Test
    void shouldSkipEntriesOfAnotherVersionOrTruncated()
    {
        try (ChronicleJournal journal = new ChronicleJournal(dir, () -> 1L))
        {
            journal.probeLost(Route.of(A, C), 1, 1);
        }
        try (ChronicleQueue queue = JournalFormat.open(dir, false))
        {
            final ExcerptAppender appender = queue.createAppender();
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().writeByte((byte)9).writeByte((byte)1).writeLong(1); // unknown version
            }
            try (DocumentContext dc = appender.writingDocument())
            {
                dc.wire().bytes().writeByte((byte)1).writeByte((byte)1).writeLong(1); // truncated
            }
        }
        final List<JournalRecord> records = JournalFormat.tail(dir, 10, 0);
        assertEquals(1, records.size());
        assertEquals(JournalRecord.PROBE_LOST, records.get(0).type());
    }

    @Test
    void shouldWarmTheLatencyTableOfARestartedPopFromTheJournal()
    {
        final long direct = Route.of(A, C);
        final long viaB = Route.of(A, B, C);
        double learnedDirect;
        double learnedViaB;
        final io.flyover.optimizer.control.InMemoryControlWorldAccess first = new io.flyover.optimizer.control
            .InMemoryControlWorldAccess(21, id -> A == id ? new ChronicleJournal(dir, System::currentTimeMillis) :
                OptimizerJournal.NONE);
        try (first)
        {
            first.run(6_000);
            learnedDirect = first.control(A).optimizer().prober().estimator(direct).srttNs();
            learnedViaB = first.control(A).optimizer().prober().estimator(viaB).srttNs();
        }
        final List<JournalRecord> records = JournalFormat.tail(dir, 100_000, System.currentTimeMillis() - 60_000);
        assertTrue(records.stream().anyMatch(r -> r.type() == JournalRecord.LINK_STATE && r.route() == Route.of(B, C)),
            "B's link to C, learned from B's probes, is journaled");
        assertTrue(records.stream().anyMatch(r -> r.type() == JournalRecord.WEIGHTS && r.a() == C));

        // a restart: a new world, nothing learned yet, warmed from the journal before its first probe
        final io.flyover.optimizer.control.InMemoryControlWorldAccess second =
            new io.flyover.optimizer.control.InMemoryControlWorldAccess(22, id -> OptimizerJournal.NONE);
        try (second)
        {
            final ControlPlane control = second.control(A);
            assertNull(control.optimizer().prober().estimator(viaB), "a cold POP knows no relay path");
            final int taken = control.warmUp(records);
            assertTrue(taken >= 2 * ControlPlane.WARM_SAMPLES_PER_ROUTE, "direct and via B warmed (and the routes to B): " + taken);
            final LatencyEstimator warmDirect = control.optimizer().prober().estimator(direct);
            final LatencyEstimator warmViaB = control.optimizer().prober().estimator(viaB);
            assertNotNull(warmViaB, "the relay path is a candidate at once, from the journaled link state");
            assertEquals(0, warmDirect.probeSamples(), "no probe answered yet");
            assertEquals(learnedDirect, warmDirect.srttNs(), 1.0e6);
            assertEquals(learnedViaB, warmViaB.srttNs(), 1.0e6);
            assertTrue(control.optimizer().policy(C).costNs(direct, 0) < control.optimizer().policy(C).costNs(viaB, 0),
                "the policy already ranks the direct path cheaper");
        }
    }
}
