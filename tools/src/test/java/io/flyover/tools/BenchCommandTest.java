package io.flyover.tools;

import java.util.List;
import java.util.Map;

import io.flyover.tools.gateway.JsonReader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BenchCommandTest
{
    private static final List<String> KEYS = List.of(
        "ingress_mpps", "relay_mpps", "egress_mpps", "new_flows_per_s", "bytes_per_flow",
        "alloc_bytes_per_packet", "flows", "zipf", "threads", "cpu");

    private static double number(final Map<String, Object> json, final String key)
    {
        return assertInstanceOf(Double.class, json.get(key), key + " is a number").doubleValue();
    }

    @Test
    void shouldPrintOneJsonObjectWithEveryKey()
    {
        final CliRun run = CliRun.of("bench", "pipeline", "--json", "--flows", "10000", "--seconds", "1");
        assertEquals(0, run.exit(), run.err());
        final String json = run.out().strip();
        assertEquals(1, json.lines().count(), "one line on stdout: " + run.out());
        @SuppressWarnings("unchecked")
        final Map<String, Object> parsed = (Map<String, Object>)JsonReader.parse(json);
        assertEquals(KEYS, List.copyOf(parsed.keySet()), json);
        for (final String key : List.of("ingress_mpps", "relay_mpps", "egress_mpps", "new_flows_per_s", "bytes_per_flow"))
        {
            assertTrue(number(parsed, key) > 0, key + ": " + json);
        }
        assertTrue(number(parsed, "alloc_bytes_per_packet") >= 0, json);
        assertEquals(10_000.0, number(parsed, "flows"));
        assertEquals(1.0, number(parsed, "zipf"));
        assertEquals(1.0, number(parsed, "threads"));
        assertInstanceOf(String.class, parsed.get("cpu"));
        assertTrue(run.err().contains("bounds checks"), run.err());
    }

    @Test
    void shouldPrintATableWithUniformAndThreads()
    {
        final CliRun run = CliRun.of("bench", "pipeline", "--flows", "2000", "--seconds", "0.2", "--warmup", "0",
            "--threads", "2", "--uniform");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("uniform"), run.out());
        assertTrue(run.out().contains("2 thread(s)"), run.out());
        assertTrue(run.out().contains("ingress"), run.out());
        assertTrue(run.out().contains("agrona bounds checks: ON"), run.out());
    }

    @Test
    void shouldRejectZipfAndUniformTogetherAndBadValues()
    {
        assertEquals(2, CliRun.of("bench", "pipeline", "--zipf", "1.2", "--uniform").exit());
        assertEquals(2, CliRun.of("bench", "pipeline", "--threads", "0").exit());
        assertEquals(2, CliRun.of("bench", "pipeline", "--zipf", "-1").exit());
    }

    @Test
    void shouldShowTheOptionsWithHelp()
    {
        final CliRun run = CliRun.of("bench", "pipeline", "--help");
        assertEquals(0, run.exit(), run.err());
        for (final String option : List.of("--flows", "--seconds", "--threads", "--zipf", "--uniform", "--json",
            "agrona.disable.bounds.checks"))
        {
            assertTrue(run.out().contains(option), option + " in " + run.out());
        }
    }

    @Test
    void shouldListBenchInHelp()
    {
        final CliRun run = CliRun.of("--help");
        assertTrue(run.out().contains("bench"), run.out());
    }
}
