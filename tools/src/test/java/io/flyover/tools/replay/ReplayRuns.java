package io.flyover.tools.replay;

import java.util.Map;

import io.flyover.tools.CliRun;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs {@code flyover} in process and reads {@code flyover replay --json} output, for the replay tests.
 */
final class ReplayRuns
{
    private ReplayRuns()
    {
    }

    static CliRun run(final String... args)
    {
        return CliRun.of(args);
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
