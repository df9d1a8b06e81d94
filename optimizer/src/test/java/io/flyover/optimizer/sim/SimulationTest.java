package io.flyover.optimizer.sim;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class SimulationTest
{
    private static final String[] POLICIES = {"flyover", "direct", "static_shortest", "greedy_ewma", "oracle"};
    private static final String[] FIELDS = {"mean_rtt_ms", "p50_rtt_ms", "p95_rtt_ms", "p99_rtt_ms", "ratio_to_oracle",
        "within10_pct", "path_changes_per_pair_hour"};
    private static final String NUMBER = "-?[0-9]+\\.[0-9]+";

    /**
     * Eight POPs on a plane, 1 ms per unit of distance; the direct Internet path of several pairs
     * is inflated 2.5× (so relaying through a third POP wins), one pair is 0 ms and one has no
     * direct link.
     */
    static SimMatrix relayMatrix()
    {
        final double[][] xy = {{0, 0}, {40, 0}, {80, 10}, {20, 35}, {60, 40}, {100, 45}, {30, 70}, {30, 70}};
        final List<String> lines = new ArrayList<>();
        lines.add("src,dst,rtt_ms");
        for (int a = 0; a < xy.length; a++)
        {
            for (int b = a + 1; b < xy.length; b++)
            {
                if (a == 0 && b == 5)
                {
                    continue;
                }
                double rtt = Math.hypot(xy[a][0] - xy[b][0], xy[a][1] - xy[b][1]);
                if ((a + b) % 3 == 0)
                {
                    rtt *= 2.5;
                }
                lines.add(String.format(Locale.ROOT, "p%d,p%d,%.1f", a, b, rtt));
            }
        }
        return SimMatrix.parse(lines, "relay");
    }

    static SimConfig config(final SimScenario scenario, final double seconds, final long seed)
    {
        final SimConfig d = SimConfig.defaults(scenario, seconds, seed);
        return new SimConfig(scenario, d.durationNs(), d.warmupNs(), seed, 20, d.flowsPerSecond(), d.paretoShape(),
            d.paretoMinNs(), d.linkStateIntervalNs(), d.candidateIntervalNs());
    }

    private static double field(final String json, final String policy, final String field)
    {
        final Matcher m = Pattern.compile("\"" + policy + "\": \\{[^}]*\"" + field + "\": (" + NUMBER + ")").matcher(json);
        assertTrue(m.find(), policy + "." + field + " in " + json);
        return Double.parseDouble(m.group(1));
    }

    @Test
    void shouldPrintTheIssueSchemaWithNullFailoverWithoutFailures()
    {
        final String json = new Simulation(relayMatrix(), config(SimScenario.STEADY, 60, 7)).run().toJson();
        final StringBuilder policies = new StringBuilder();
        for (int p = 0; p < POLICIES.length; p++)
        {
            policies.append(p == 0 ? "" : ", ").append('"').append(POLICIES[p]).append("\": \\{");
            for (int f = 0; f < FIELDS.length; f++)
            {
                policies.append(f == 0 ? "" : ", ").append('"').append(FIELDS[f]).append("\": ").append(NUMBER);
            }
            policies.append("\\}");
        }
        final String schema = "\\{\"policies\": \\{" + policies + "\\}, \"failover\": \\{\"detect_ms_p50\": null, " +
            "\"recover_ms_p50\": null, \"max_ms\": null\\}, \"probe_overhead_kbps_per_path\": " + NUMBER + "\\}";
        assertTrue(json.matches(schema), json);
    }

    @Test
    void shouldKeepTheOracleAtOrBelowEveryPolicyInEveryScenario()
    {
        for (final SimScenario scenario : SimScenario.values())
        {
            final String json = new Simulation(relayMatrix(), config(scenario, 60, 3)).run().toJson();
            final double oracle = field(json, "oracle", "mean_rtt_ms");
            for (final String policy : POLICIES)
            {
                assertTrue(oracle <= field(json, policy, "mean_rtt_ms") + 1e-9, scenario + " " + policy + ": " + json);
            }
        }
    }

    @Test
    void shouldBeatTheDirectPathWhereRelayingWins()
    {
        final String json = new Simulation(relayMatrix(), config(SimScenario.STEADY, 90, 11)).run().toJson();
        final double flyover = field(json, "flyover", "mean_rtt_ms");
        final double direct = field(json, "direct", "mean_rtt_ms");
        final double oracle = field(json, "oracle", "mean_rtt_ms");
        assertTrue(flyover < direct, json);
        assertTrue(direct - flyover >= 0.9 * (direct - oracle) - 1e-9, "at least 90% of the oracle's gain: " + json);
    }

    @Test
    void shouldDetectALinkFailureWithin350MsAtDefaults()
    {
        final String json = new Simulation(relayMatrix(), config(SimScenario.LINK_FAILURE, 120, 5)).run().toJson();
        final Matcher m = Pattern.compile("\"detect_ms_p50\": (" + NUMBER + "), \"recover_ms_p50\": (" + NUMBER +
            "|null), \"max_ms\": (" + NUMBER + "|null)").matcher(json);
        assertTrue(m.find(), json);
        assertTrue(Double.parseDouble(m.group(1)) <= 350.0, json);
    }

    @Test
    void shouldGiveTheSameJsonForTheSameSeed()
    {
        final String a = new Simulation(relayMatrix(), config(SimScenario.FLAPPING_LINK, 40, 42)).run().toJson();
        final String b = new Simulation(relayMatrix(), config(SimScenario.FLAPPING_LINK, 40, 42)).run().toJson();
        assertEquals(a, b);
    }

    @Test
    void shouldRejectAMalformedMatrixWithOneLineReason()
    {
        final IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
            () -> SimMatrix.parse(List.of("src,dst,rtt_ms", "a,b,fast"), "bad.csv"));
        assertEquals(1, ex.getMessage().lines().count());
        assertThrows(IllegalArgumentException.class, () -> SimMatrix.parse(List.of("a,b,c"), "bad.csv"));
        assertThrows(IllegalArgumentException.class, () -> SimMatrix.read(Path.of("/nonexistent/flyover.csv")));
    }

    @Test
    void shouldRunOnTheWonderProxyMatrix()
    {
        final Path file = SyntheticMatrices.wonderProxyFile();
        assumeTrue(file != null, "skipped: shared/data/latency/wonderproxy-100.csv is absent (CI keeps ../shared beside the clone)");
        final SimMatrix matrix = SimMatrix.read(file);
        assertEquals(100, matrix.size());
        final SimResult result = new Simulation(matrix, SimConfig.defaults(SimScenario.STEADY, 20, 1)).run();
        assertTrue(result.flows() > 0);
        assertTrue(result.meanRttMs("oracle") <= result.meanRttMs("flyover") + 1e-9, result.toJson());
        assertTrue(result.meanRttMs("flyover") < result.meanRttMs("direct"), result.toJson());
    }
}
