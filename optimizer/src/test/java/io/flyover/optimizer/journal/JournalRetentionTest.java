package io.flyover.optimizer.journal;

import io.flyover.optimizer.path.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Journal retention on a real Chronicle Queue whose clock the test moves: a journal written over
 * several hours rolls one file per hour, and {@link ChronicleJournal#deleteExpired()} deletes the
 * files of hours that ended more than the retention ago, never the current one, never a file that
 * is not a cycle; what is left still reads (tail, as a warm-up does) and still takes new entries.
 */
class JournalRetentionTest
{
    private static final long HOUR_MS = 3_600_000L;
    private static final long START_MS = Instant.parse("2026-11-20T00:10:00Z").toEpochMilli();

    @TempDir
    Path dir;

    private final long[] wallMs = {START_MS};

    @Test
    void shouldRollHourlyAndDeleteOnlyWholeCyclesOlderThanTheRetention() throws IOException
    {
        final long retentionMs = 2 * HOUR_MS;
        try (ChronicleJournal journal = new ChronicleJournal(dir, () -> wallMs[0], retentionMs))
        {
            assertEquals(HOUR_MS, journal.cycleLengthMs(), "new queues roll hourly");
            for (int hour = 0; hour < 5; hour++)
            {
                wallMs[0] = START_MS + hour * HOUR_MS;
                journal.probeAnswered(Route.of(1, 3), hour, 20_000_000L + hour, hour);
                journal.linkState(2, 3, 8_000 + hour, 0, hour);
            }
            // now 04:10; retention 2 h: hours 00 and 01 ended at or before 02:10, hour 02 ended at 03:00
            assertEquals(5, cycles().size(), "one file per hour: " + cycles());
            final int current = journal.currentCycle();
            assertEquals(current, cycles().last(), "the newest file is the current cycle");
            Files.writeString(dir.resolve("notes.txt"), "not a cycle");
            Files.writeString(dir.resolve("20261120-00F.cq4.bak"), "not a cycle either");

            assertEquals(2, journal.deleteExpired());
            assertEquals(new TreeSet<>(List.of(current - 2, current - 1, current)), cycles());
            assertTrue(Files.exists(dir.resolve("notes.txt")), "a file that is not a cycle is left alone");
            assertTrue(Files.exists(dir.resolve("20261120-00F.cq4.bak")), "a copy of an old cycle is left alone");
            assertTrue(Files.exists(dir.resolve("metadata.cq4t")), "the queue's metadata is left alone");
            assertEquals(0, journal.deleteExpired(), "nothing more is old enough");
            assertEquals(2, journal.cyclesDeleted());
            assertEquals(0, journal.deleteFailures());

            // what is left reads as before, oldest first, and the current cycle still takes entries
            final List<JournalRecord> left = JournalFormat.tail(dir, 1_000, 0);
            assertEquals(List.of(2L, 2L, 3L, 3L, 4L, 4L), left.stream().map(r -> r.nowNs()).toList());
            journal.probeLost(Route.of(1, 3), 99, 5);
            assertEquals(7, JournalFormat.tail(dir, 1_000, 0).size());

            // a warm-up reads the newest window only: the last hour, from the current file
            final List<JournalRecord> window = JournalFormat.tail(dir, 1_000, wallMs[0] - HOUR_MS / 2);
            assertEquals(List.of(JournalRecord.PROBE_ANSWERED, JournalRecord.LINK_STATE, JournalRecord.PROBE_LOST),
                window.stream().map(JournalRecord::type).toList());

            // an hour and a bit later, hour 02 goes too; the current cycle (05) was made by the write
            wallMs[0] += HOUR_MS + 60_000;
            journal.probeLost(Route.of(1, 3), 100, 6);
            assertEquals(1, journal.deleteExpired());
            assertEquals(new TreeSet<>(List.of(current - 1, current, current + 1)), cycles());
        }

        // a restart on the same directory appends and reads across the files left
        wallMs[0] += 60_000;
        try (ChronicleJournal again = new ChronicleJournal(dir, () -> wallMs[0], retentionMs))
        {
            again.pathState(Route.of(1, 3), true, 7);
            assertEquals(0, again.deleteExpired());
        }
        final List<JournalRecord> all = JournalFormat.tail(dir, 1_000, 0);
        assertEquals(List.of(3L, 3L, 4L, 4L, 5L, 6L, 7L), all.stream().map(JournalRecord::nowNs).toList());
    }

    @Test
    void shouldNeverDeleteTheCurrentCycleNorAnythingWhenKeepingAll()
    {
        try (ChronicleJournal keepAll = new ChronicleJournal(dir, () -> wallMs[0]))
        {
            for (int hour = 0; hour < 3; hour++)
            {
                wallMs[0] = START_MS + hour * HOUR_MS;
                keepAll.probeLost(Route.of(1, 3), hour, hour);
            }
            assertEquals(0, keepAll.deleteExpired(), "no retention: everything stays");
            assertEquals(3, cycles().size());
        }
        wallMs[0] += 10 * HOUR_MS;
        try (ChronicleJournal tiny = new ChronicleJournal(dir, () -> wallMs[0], 1))
        {
            assertEquals(3, tiny.deleteExpired(), "every past hour is older than 1 ms");
            tiny.probeLost(Route.of(1, 3), 9, 9);
            wallMs[0] += 1_000;
            assertEquals(0, tiny.deleteExpired(), "the current cycle, just written, stays");
            assertEquals(1, cycles().size());
            assertEquals(tiny.currentCycle(), cycles().first());
        }
        assertEquals(1, JournalFormat.tail(dir, 10, 0).size());
    }

    @Test
    void shouldKeepTheDailyCycleOfAQueueMadeBeforeHourlyFilesAndDeleteWholeDays()
    {
        // a queue created with daily files (as earlier builds made them) keeps its cycle
        try (var daily = net.openhft.chronicle.queue.ChronicleQueue.singleBuilder(dir)
            .rollCycle(net.openhft.chronicle.queue.RollCycles.FAST_DAILY).timeProvider(() -> wallMs[0]).build();
            var appender = daily.createAppender())
        {
            for (int day = 0; day < 3; day++)
            {
                wallMs[0] = START_MS + day * 24 * HOUR_MS;
                try (var dc = appender.writingDocument())
                {
                    dc.wire().bytes().writeByte((byte)JournalFormat.VERSION).writeByte((byte)JournalRecord.PROBE_LOST)
                        .writeLong(wallMs[0]).writeLong(day).writeLong(Route.of(1, 3)).writeLong(day).writeLong(0);
                }
            }
        }
        try (ChronicleJournal journal = new ChronicleJournal(dir, () -> wallMs[0], 24 * HOUR_MS))
        {
            assertEquals(24 * HOUR_MS, journal.cycleLengthMs(), "the queue's own cycle wins");
            assertEquals(1, journal.deleteExpired(), "day 0 ended more than 24 h ago, day 1 did not");
            assertEquals(2, cycles().size());
            assertFalse(JournalFormat.tail(dir, 10, 0).stream().anyMatch(r -> r.nowNs() == 0));
        }
    }

    private TreeSet<Integer> cycles()
    {
        final TreeSet<Integer> cycles = new TreeSet<>();
        try (ChronicleJournal reader = new ChronicleJournal(dir, () -> wallMs[0]))
        {
            final File[] files = dir.toFile().listFiles();
            Arrays.stream(null == files ? new File[0] : files).mapToInt(reader::cycleOf).filter(c -> c >= 0)
                .forEach(cycles::add);
        }
        return cycles;
    }
}
