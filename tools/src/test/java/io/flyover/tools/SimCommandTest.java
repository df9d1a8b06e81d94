package io.flyover.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.flyover.tools.gateway.JsonReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimCommandTest
{
    private static final List<String> POLICIES = List.of("flyover", "direct", "static_shortest", "greedy_ewma", "oracle");
    private static final List<String> FIELDS = List.of("mean_rtt_ms", "p50_rtt_ms", "p95_rtt_ms", "p99_rtt_ms",
        "ratio_to_oracle", "within10_pct", "path_changes_per_pair_hour");

    @TempDir
    Path dir;

    private record Run(int exit, String out, String err)
    {
    }

    private static Run run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = FlyoverCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        final int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private Path matrix() throws IOException
    {
        final Path file = dir.resolve("m.csv");
        Files.writeString(file, """
            src,dst,rtt_ms
            a,b,100
            a,c,20
            c,b,30
            a,d,45
            d,b,40
            c,d,0
            """);
        return file;
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldPrintOneJsonObjectInTheIssueSchema() throws IOException
    {
        final Run run = run("sim", "--matrix", matrix().toString(), "--duration", "30", "--seed", "3", "--json");
        assertEquals(0, run.exit(), run.err());
        final String json = run.out().strip();
        assertEquals(1, json.lines().count(), run.out());
        final Map<String, Object> parsed = (Map<String, Object>)JsonReader.parse(json);
        assertEquals(List.of("policies", "failover", "probe_overhead_kbps_per_path"), List.copyOf(parsed.keySet()));
        final Map<String, Object> policies = (Map<String, Object>)parsed.get("policies");
        assertEquals(POLICIES, List.copyOf(policies.keySet()));
        for (final String policy : POLICIES)
        {
            final Map<String, Object> stats = (Map<String, Object>)policies.get(policy);
            assertEquals(FIELDS, List.copyOf(stats.keySet()));
            for (final String field : FIELDS)
            {
                assertInstanceOf(Double.class, stats.get(field), policy + "." + field);
            }
        }
        final Map<String, Object> failover = (Map<String, Object>)parsed.get("failover");
        assertEquals(List.of("detect_ms_p50", "recover_ms_p50", "max_ms"), List.copyOf(failover.keySet()));
        assertNull(failover.get("detect_ms_p50"));
        assertTrue((Double)parsed.get("probe_overhead_kbps_per_path") > 0);
    }

    @Test
    void shouldExitTwoWithOneLineOnBadInput() throws IOException
    {
        final Run missing = run("sim", "--matrix", dir.resolve("absent.csv").toString());
        assertEquals(2, missing.exit());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        final Run scenario = run("sim", "--matrix", matrix().toString(), "--scenario", "meteor");
        assertEquals(2, scenario.exit());
        assertEquals(1, scenario.err().strip().lines().count(), scenario.err());
        final Run duration = run("sim", "--matrix", matrix().toString(), "--duration", "soon");
        assertEquals(2, duration.exit());
        assertEquals(1, duration.err().strip().lines().count(), duration.err());
    }
}
