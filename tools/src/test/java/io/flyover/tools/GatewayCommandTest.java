package io.flyover.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GatewayCommandTest
{
    @TempDir
    Path dir;

    private static Path example(final String name)
    {
        final String root = System.getProperty("flyover.root");
        return (null != root ? Path.of(root) : Path.of("..")).resolve("examples").resolve(name);
    }

    @Test
    void shouldPassCheckOnEveryLabExample()
    {
        for (final String name : new String[]{"pop-a.yaml", "pop-b.yaml", "pop-c.yaml"})
        {
            final CliRun run = CliRun.of("gateway", "--config", example(name).toString(), "--check");
            assertEquals(0, run.exit(), run.err());
            assertTrue(run.out().contains(": OK: POP "), run.out());
        }
    }

    @Test
    void shouldFailCheckWithFileLineAndFieldAndNoStackTrace() throws Exception
    {
        final String good = Files.readString(example("pop-b.yaml"));
        final Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, good.replace("  mode: shared", "  mode: sideways"));
        final CliRun run = CliRun.of("gateway", "--config", broken.toString(), "--check");
        assertEquals(2, run.exit());
        final int line = lineOf(good, "  mode: shared");
        assertTrue(run.err().contains(broken + ":" + line + ": threads.mode"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
        assertFalse(run.err().contains("\tat "), run.err());
    }

    @Test
    void shouldFailCheckWhenTheEngineRefusesWhatTheConfigAllows() throws Exception
    {
        final Path tooMany = dir.resolve("workers.yaml");
        Files.writeString(tooMany, Files.readString(example("pop-b.yaml")).replace("workers: 1", "workers: 65"));
        final CliRun run = CliRun.of("gateway", "--config", tooMany.toString(), "--check");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("threads.workers: the engine runs at most 64 worker shards, got 65"), run.err());
    }

    @Test
    void shouldFailCheckOnMissingFile()
    {
        final CliRun run = CliRun.of("gateway", "--config", dir.resolve("nope.yaml").toString(), "--check");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("nope.yaml"), run.err());
        assertFalse(run.err().contains("Exception"), run.err());
    }

    @Test
    void shouldListTheAdminEndpointsAndTheFlowsOrdersInItsHelp()
    {
        final CliRun run = CliRun.of("gateway", "--help");
        assertEquals(0, run.exit());
        final String help = run.out().replaceAll("\\s+", " ");
        assertTrue(help.contains("GET /flows?limit=N&sort=newest|oldest|largest"), run.out());
        assertTrue(help.contains("largest ranks by packets"), run.out());
    }

    @Test
    void shouldRequireConfigOption()
    {
        final CliRun run = CliRun.of("gateway", "--check");
        assertEquals(2, run.exit());
        assertTrue(run.err().contains("--config"), run.err());
    }

    @Test
    void shouldExitOneNamingTheDeviceCallAndErrnoWhenItCannotBeOpened() throws Exception
    {
        // 192.0.2.1 (TEST-NET-1) is on no interface here: bind fails with EADDRNOTAVAIL, nothing is sent
        final Path config = dir.resolve("unbindable.yaml");
        final String yaml = Files.readString(example("pop-b.yaml"))
            .replace("bind: 10.77.0.2", "bind: 192.0.2.1")
            .replace("/var/lib/flyover/pop-b/counters", dir.resolve("counters").toString())
            .replace("/var/lib/flyover/pop-b/journal", dir.resolve("journal").toString());
        Files.writeString(config, yaml);
        final CliRun run = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CliRun.of("gateway", "--config", config.toString()));
        assertEquals(1, run.exit(), run.out() + run.err());
        assertTrue(run.err().startsWith("flyover gateway: "), run.err());
        assertTrue(run.err().contains("bind"), run.err());
        assertTrue(run.err().contains("192.0.2.1:6081"), run.err());
        assertTrue(run.err().contains("EADDRNOTAVAIL"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }

    private static int lineOf(final String text, final String needle)
    {
        final String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++)
        {
            if (lines[i].equals(needle) || lines[i].startsWith(needle + " ") || lines[i].startsWith(needle + "#"))
            {
                return i + 1;
            }
        }
        throw new AssertionError("no line " + needle);
    }
}
