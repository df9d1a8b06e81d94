package io.flyover.tools;

import java.nio.file.Path;

import io.flyover.optimizer.journal.ChronicleJournal;
import io.flyover.optimizer.path.Route;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JournalCommandTest
{
    @TempDir
    Path dir;

    @Test
    void shouldPrintTheNewestEntriesReadablyOldestFirst()
    {
        try (ChronicleJournal journal = new ChronicleJournal(dir, () -> 1_795_000_000_000L))
        {
            for (int seq = 1; seq <= 5; seq++)
            {
                journal.probeAnswered(Route.of(1, 3), seq, 20_000_000L + seq * 1000, seq);
            }
            journal.pathState(Route.of(1, 3), false, 6);
        }
        final CliRun run = CliRun.of("journal", "tail", "--dir", dir.toString(), "-n", "3");
        assertEquals(0, run.exit(), run.err());
        final String[] lines = run.out().split("\n");
        assertEquals(3, lines.length, run.out());
        assertTrue(lines[0].endsWith("probe 1>3 seq=4 rtt=20.004ms"), lines[0]);
        assertTrue(lines[1].endsWith("probe 1>3 seq=5 rtt=20.005ms"), lines[1]);
        assertTrue(lines[2].endsWith("path 1>3 down"), lines[2]);
        assertTrue(lines[2].startsWith("2026-11-18T"), lines[2]);
    }

    @Test
    void shouldSayWhereNoJournalIs()
    {
        final CliRun run = CliRun.of("journal", "tail", "--dir", dir.resolve("none").toString());
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("no journal in " + dir.resolve("none")), run.err());
        final CliRun bad = CliRun.of("journal", "tail", "--dir", dir.toString(), "-n", "-1");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("-n must be"), bad.err());
    }

    @Test
    void shouldDescribeTheLineFormatInItsHelp()
    {
        final CliRun run = CliRun.of("journal", "tail", "--help");
        assertEquals(0, run.exit());
        assertTrue(run.out().contains("--follow") && run.out().contains("probe ROUTE seq=N rtt=MS"), run.out());
    }
}
