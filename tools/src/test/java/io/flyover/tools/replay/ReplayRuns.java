package io.flyover.tools.replay;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;

import io.flyover.tools.FlyoverCli;
import io.flyover.tools.gateway.JsonReader;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs {@code flyover} in process and reads {@code flyover replay --json} output, for the replay tests.
 */
final class ReplayRuns
{
    private ReplayRuns()
    {
    }

    /**
     * What a run printed and returned.
     *
     * @param exit its exit code.
     * @param out  stdout.
     * @param err  stderr.
     */
    record Run(int exit, String out, String err)
    {
        @SuppressWarnings("unchecked")
        Map<String, Object> json()
        {
            assertEquals(0, exit, () -> "exit code; stderr: " + err);
            return (Map<String, Object>)JsonReader.parse(out.trim());
        }
    }

    static Run run(final String... args)
    {
        final StringWriter out = new StringWriter();
        final StringWriter err = new StringWriter();
        final CommandLine cli = FlyoverCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        final int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static long count(final Map<String, Object> json, final String field)
    {
        return ((Number)json.get(field)).longValue();
    }

    @SuppressWarnings("unchecked")
    static long drop(final Map<String, Object> json, final String reason)
    {
        final Object n = ((Map<String, Object>)json.get("drops")).get(reason);
        return null == n ? 0 : ((Number)n).longValue();
    }

    @SuppressWarnings("unchecked")
    static long out(final Map<String, Object> json, final String port)
    {
        return ((Number)((Map<String, Object>)json.get("out")).get(port)).longValue();
    }

    /**
     * Asserts the three accounting invariants of one POP's counts, and that no drop reason is a catch-all.
     */
    @SuppressWarnings("unchecked")
    static void assertBalanced(final Map<String, Object> json)
    {
        final long in = count(json, "packets_in");
        final long forwarded = count(json, "forwarded");
        final long consumed = count(json, "consumed");
        final long dropped = count(json, "dropped");
        final long generated = count(json, "generated");
        assertEquals(in, forwarded + consumed + dropped, () -> "packets_in == forwarded + consumed + dropped: " + json);
        long drops = 0;
        for (final Map.Entry<String, Object> e : ((Map<String, Object>)json.get("drops")).entrySet())
        {
            drops += ((Number)e.getValue()).longValue();
            final String label = e.getKey();
            if (label.equals("other") || label.equals("unknown") || label.equals("error"))
            {
                throw new AssertionError("catch-all drop reason " + label);
            }
        }
        assertEquals(dropped, drops, () -> "sum of drops == dropped: " + json);
        long outs = 0;
        for (final Object n : ((Map<String, Object>)json.get("out")).values())
        {
            outs += ((Number)n).longValue();
        }
        assertEquals(forwarded + generated, outs, () -> "sum of out == forwarded + generated: " + json);
    }
}
