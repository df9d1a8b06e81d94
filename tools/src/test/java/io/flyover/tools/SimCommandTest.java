package io.flyover.tools;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import io.flyover.optimizer.sim.ScenarioFile;
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
        final CliRun run = CliRun.of("sim", "--matrix", matrix().toString(), "--duration", "30", "--seed", "3", "--json");
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
        final CliRun run = CliRun.of("sim", "--matrix", matrix().toString(), "--duration", "40", "--seed", "5",
            "--scenario", "link-failure", "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("wrote rtt-over-time.png"), run.out());

        final CliRun json = CliRun.of("sim", "--matrix", matrix().toString(), "--duration", "40", "--seed", "5",
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

    private Path scenario(final String name, final String text) throws IOException
    {
        final Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    @Test
    @SuppressWarnings("unchecked")
    void shouldRunAScenarioFileAndPrintItsJson() throws IOException
    {
        final Path file = scenario("outage.scenario", """
            # a-c fails while a-c-b is a->b's shortest route
            down link=a,c start=15s end=25s
            congestion link=auto start=60% end=end delay=+50%+10ms
            """);
        final CliRun run = CliRun.of("sim", "--matrix", matrix().toString(), "--duration", "35", "--seed", "3",
            "--scenario", file.toString(), "--json");
        assertEquals(0, run.exit(), run.err());
        assertEquals("", run.err());
        final Map<String, Object> parsed = (Map<String, Object>)JsonReader.parse(run.out().strip());
        assertEquals(List.of("policies", "failover", "probe_overhead_kbps_per_path"), List.copyOf(parsed.keySet()));
        final Map<String, Object> failover = (Map<String, Object>)parsed.get("failover");
        assertInstanceOf(Double.class, failover.get("detect_ms_p50"), "the file's outage was detected: " + run.out());
        assertInstanceOf(Double.class, failover.get("recover_ms_p50"), "and flows re-pinned: " + run.out());

        final CliRun text = CliRun.of("sim", "--matrix", matrix().toString(), "--duration", "35", "--seed", "3",
            "--scenario", file.toString());
        assertEquals(0, text.exit(), text.err());
        assertTrue(text.out().startsWith("scenario outage, 35 simulated s, seed 3"), text.out());
        final Path named = scenario("x.scenario", "name lunch-rush\nloss link=b,c start=20s end=end loss=2%\n");
        final CliRun labelled = CliRun.of("sim", "--matrix", matrix().toString(), "--duration", "25", "--scenario", named.toString());
        assertEquals(0, labelled.exit(), labelled.err());
        assertTrue(labelled.out().startsWith("scenario lunch-rush, 25 simulated s"), labelled.out());
    }

    @Test
    void shouldMarkTheFilesEpisodesOnThePlot() throws IOException
    {
        final Path file = scenario("marks.scenario", """
            down link=a,c start=15s end=17s
            down link=d,b start=28s end=30s
            """);
        final Path out = dir.resolve("plots");
        final CliRun run = CliRun.of("sim", "--matrix", matrix().toString(), "--duration", "40", "--seed", "2",
            "--scenario", file.toString(), "--out", out.toString());
        assertEquals(0, run.exit(), run.err());
        final SimResult result = new Simulation(SimMatrix.read(matrix()),
            SimConfig.defaults(SimScenario.STEADY, 40, 2).withScenarioFile(ScenarioFile.read(file))).run();
        assertEquals(List.of(new SimResult.Episode(SimResult.Episode.DOWN, "a", "c", 15.0, 17.0),
            new SimResult.Episode(SimResult.Episode.DOWN, "b", "d", 28.0, 30.0)), result.episodes());
        final BufferedImage overTime = ImageIO.read(out.resolve(SimReport.RTT_OVER_TIME).toFile());
        final Chart chart = SimReport.rttOverTime(result);
        for (final SimResult.Episode down : result.episodes())
        {
            final int x = chart.pixelX(down.startS(), SimReport.WIDTH);
            assertTrue(countColor(overTime, x, Chart.MARKER) > 50,
                "a dashed marker in column " + x + " for the file's outage at " + down.startS() + " s");
        }
    }

    @Test
    void shouldExitTwoWithTheFileAndLineOfABadScenarioFile() throws IOException
    {
        final Path file = scenario("bad.scenario", """
            # fine so far
            down link=a,c start=15s end=25s

            down link=a,c start=15s end=sometime
            """);
        final CliRun bad = CliRun.of("sim", "--matrix", matrix().toString(), "--duration", "30", "--scenario", file.toString());
        assertEquals(2, bad.exit());
        assertEquals("", bad.out());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
        assertTrue(bad.err().startsWith("flyover sim: scenario " + file + ":4: bad time end=sometime"), bad.err());

        final Path noLink = scenario("nolink.scenario", "name x\nloss link=b,q start=15s end=25s loss=1%\n");
        final CliRun unknown = CliRun.of("sim", "--matrix", matrix().toString(), "--duration", "30", "--scenario", noLink.toString());
        assertEquals(2, unknown.exit());
        assertEquals("flyover sim: scenario " + noLink + ":2: unknown POP 'q' (not in the matrix)", unknown.err().strip());

        final CliRun late = CliRun.of("sim", "--matrix", matrix().toString(), "--duration", "20", "--scenario", file.toString());
        assertEquals(2, late.exit());
        assertEquals(1, late.err().strip().lines().count(), late.err());

        final CliRun missing = CliRun.of("sim", "--matrix", matrix().toString(), "--scenario", dir.resolve("nope.scenario").toString());
        assertEquals(2, missing.exit());
        assertEquals("flyover sim: unknown scenario '" + dir.resolve("nope.scenario") + "' (steady, congestion, "
            + "link-failure, flapping-link, gray-failure, or a scenario file)", missing.err().strip());
    }

    @Test
    void shouldShowBothFormsOfScenarioInHelp()
    {
        final CliRun help = CliRun.of("sim", "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("--scenario=NAME|FILE"), help.out());
        final String flat = help.out().replaceAll("\\s+", " ");
        assertTrue(flat.contains("any other value is a scenario file: one episode a line, e.g. 'down link=A,B "
            + "start=30s end=50%'"), help.out());
    }

    @Test
    void shouldExitTwoWithOneLineOnBadInput() throws IOException
    {
        final CliRun missing = CliRun.of("sim", "--matrix", dir.resolve("absent.csv").toString());
        assertEquals(2, missing.exit());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        final CliRun scenario = CliRun.of("sim", "--matrix", matrix().toString(), "--scenario", "meteor");
        assertEquals(2, scenario.exit());
        assertEquals(1, scenario.err().strip().lines().count(), scenario.err());
        final CliRun duration = CliRun.of("sim", "--matrix", matrix().toString(), "--duration", "soon");
        assertEquals(2, duration.exit());
        assertEquals(1, duration.err().strip().lines().count(), duration.err());
    }
}
