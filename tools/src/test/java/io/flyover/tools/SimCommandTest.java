package io.flyover.tools;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import io.flyover.optimizer.sim.SimConfig;
import io.flyover.optimizer.sim.SimMatrix;
import io.flyover.optimizer.sim.SimResult;
import io.flyover.optimizer.sim.SimScenario;
import io.flyover.optimizer.sim.Simulation;
import io.flyover.tools.gateway.JsonReader;
import io.flyover.tools.report.Chart;
import io.flyover.tools.report.SimReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
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
    @SuppressWarnings("unchecked")
    void shouldWritePlotsAndTheJsonOfTheRunIntoOut() throws IOException
    {
        final Path out = dir.resolve("out");
        final Run run = run("sim", "--matrix", matrix().toString(), "--duration", "40", "--seed", "5",
            "--scenario", "link-failure", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("wrote rtt-over-time.png"), run.out());

        final Run json = run("sim", "--matrix", matrix().toString(), "--duration", "40", "--seed", "5",
            "--scenario", "link-failure", "--json");
        assertEquals(json.out().strip(), Files.readString(out.resolve(SimReport.RESULT_JSON)).strip(),
            "result.json is the --json object of the same run");
        final Map<String, Object> parsed = (Map<String, Object>)JsonReader.parse(Files.readString(out.resolve(SimReport.RESULT_JSON)));
        assertEquals(List.of("policies", "failover", "probe_overhead_kbps_per_path"), List.copyOf(parsed.keySet()));
        assertInstanceOf(Double.class, ((Map<String, Object>)parsed.get("failover")).get("detect_ms_p50"));

        for (final String name : List.of(SimReport.RTT_OVER_TIME, SimReport.RTT_CDF))
        {
            final byte[] bytes = Files.readAllBytes(out.resolve(name));
            assertEquals((byte)0x89, bytes[0], name);
            assertEquals('P', bytes[1], name);
            final BufferedImage image = ImageIO.read(out.resolve(name).toFile());
            assertNotNull(image, name + " is a PNG ImageIO reads");
            assertEquals(SimReport.WIDTH, image.getWidth(), name);
            assertEquals(SimReport.HEIGHT, image.getHeight(), name);
        }

        // the plot is of this run: each outage's marker sits at its start time, and the flyover
        // line passes through the value the result holds for a sample time
        final SimResult result = new Simulation(SimMatrix.read(matrix()),
            SimConfig.defaults(SimScenario.LINK_FAILURE, 40, 5)).run();
        final BufferedImage overTime = ImageIO.read(out.resolve(SimReport.RTT_OVER_TIME).toFile());
        final Chart chart = SimReport.rttOverTime(result);
        final List<SimResult.Episode> downs = result.episodes().stream()
            .filter(e -> SimResult.Episode.DOWN.equals(e.kind())).toList();
        assertEquals(3, downs.size());
        for (final SimResult.Episode down : downs)
        {
            final int x = chart.pixelX(down.startS(), SimReport.WIDTH);
            assertTrue(countColor(overTime, x, Chart.MARKER) > 50,
                "a dashed marker in column " + x + " for the outage at " + down.startS() + " s");
        }
        final double[] times = result.series().timesS();
        final double[] flyover = result.series().rttMs("flyover");
        final int sample = times.length / 3;
        final int px = chart.pixelX(times[sample], SimReport.WIDTH);
        final int py = chart.pixelY(flyover[sample], SimReport.HEIGHT);
        assertEquals(Chart.PALETTE[0].getRGB(), overTime.getRGB(px, py), "flyover's line at (" + px + "," + py + ")");
        assertTrue(countColor(overTime, px, Chart.PALETTE[0]) < 12, "the line crosses the column once, not a fill");
    }

    private static int countColor(final BufferedImage image, final int x, final Color color)
    {
        int count = 0;
        for (int y = 0; y < image.getHeight(); y++)
        {
            count += image.getRGB(x, y) == color.getRGB() ? 1 : 0;
        }
        return count;
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
