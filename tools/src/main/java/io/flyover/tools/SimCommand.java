package io.flyover.tools;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import io.flyover.optimizer.sim.ScenarioFile;
import io.flyover.optimizer.sim.SimConfig;
import io.flyover.optimizer.sim.SimMatrix;
import io.flyover.optimizer.sim.SimResult;
import io.flyover.optimizer.sim.SimScenario;
import io.flyover.optimizer.sim.Simulation;
import io.flyover.tools.report.SimReport;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flyover sim}: a trace-driven simulation of the POPs of a latency matrix, each running the
 * real optimizer on a simulated clock, against baselines on the same flows; see {@link Simulation}.
 * Runs on the main thread. Bad arguments, an unreadable matrix or a bad scenario file: one line on
 * stderr, exit 2.
 */
@Command(
    name = "sim",
    description = "Simulate the optimizer on a latency matrix (src,dst,rtt_ms CSV) against baselines.")
public final class SimCommand implements Callable<Integer>
{
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--matrix", paramLabel = "FILE.csv", required = true,
        description = "Latency matrix: header src,dst,rtt_ms[,rtt_std_ms]; a missing pair means no direct link.")
    String matrix;

    @Option(names = "--scenario", paramLabel = "NAME|FILE",
        description = "steady, congestion, link-failure, flapping-link or gray-failure (default: steady); any other "
            + "value is a scenario file: one episode a line, e.g. 'down link=A,B start=30s end=50%%' "
            + "(format in docs/simulator.md).")
    String scenario = "steady";

    @Option(names = "--duration", paramLabel = "S", description = "Simulated seconds, warm-up of 10 s included (default: 600).")
    String duration = "600";

    @Option(names = "--seed", paramLabel = "N", description = "Seed of everything random (default: 1).")
    String seed = "1";

    @Option(names = "--pairs", paramLabel = "N", description = "Ingress-egress pairs that carry flows (default: 40).")
    String pairs = Integer.toString(SimConfig.DEFAULT_PAIRS);

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Option(names = "--out", paramLabel = "DIR",
        description = "Also write rtt-over-time.png, rtt-cdf.png and result.json (the --json object) into DIR.")
    Path outDir;

    @Override
    public Integer call()
    {
        final PrintWriter out = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final SimConfig config;
        final SimMatrix simMatrix;
        try
        {
            final double durationS = parseDouble("--duration", duration);
            if (!(durationS > 10) || durationS > 1e6)
            {
                throw new IllegalArgumentException("--duration must be more than 10 (the warm-up) and at most 1e6 seconds");
            }
            final long seedValue = parseLong("--seed", seed);
            final long pairCount = parseLong("--pairs", pairs);
            if (pairCount < 1 || pairCount > 100_000)
            {
                throw new IllegalArgumentException("--pairs must be 1..100000");
            }
            final SimScenario builtIn = SimScenario.find(scenario);
            final ScenarioFile file = builtIn == null ? scenarioFile(scenario) : null;
            final SimConfig defaults = SimConfig.defaults(builtIn == null ? SimScenario.STEADY : builtIn, durationS, seedValue);
            config = new SimConfig(defaults.scenario(), defaults.durationNs(), defaults.warmupNs(), defaults.seed(),
                (int)pairCount, defaults.flowsPerSecond(), defaults.paretoShape(), defaults.paretoMinNs(),
                defaults.linkStateIntervalNs(), defaults.candidateIntervalNs(), file);
            simMatrix = SimMatrix.read(Path.of(matrix));
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("flyover sim: " + ex.getMessage());
            err.flush();
            return 2;
        }
        final long startNs = System.nanoTime();
        final SimResult result;
        try
        {
            result = new Simulation(simMatrix, config).run();
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("flyover sim: " + ex.getMessage());
            err.flush();
            return 2;
        }
        if (outDir != null)
        {
            try
            {
                SimReport.write(result, outDir);
            }
            catch (final IOException | RuntimeException ex)
            {
                err.println("flyover sim: cannot write " + outDir + ": " + ex.getMessage());
                err.flush();
                return 1;
            }
        }
        if (json)
        {
            out.println(result.toJson());
        }
        else
        {
            out.printf("scenario %s, %.0f simulated s, seed %d%n", config.scenarioName(), config.durationNs() / 1e9, config.seed());
            out.print(result.toText());
            if (outDir != null)
            {
                out.printf("wrote %s, %s and %s in %s%n", SimReport.RTT_OVER_TIME, SimReport.RTT_CDF, SimReport.RESULT_JSON, outDir);
            }
            out.printf("wall time %.1f s%n", (System.nanoTime() - startNs) / 1e9);
        }
        out.flush();
        return 0;
    }

    /**
     * @param name not a built-in scenario's name.
     * @return the parsed scenario file of that path.
     * @throws IllegalArgumentException if no such file exists or it does not parse.
     */
    private static ScenarioFile scenarioFile(final String name)
    {
        Path path = null;
        try
        {
            path = Path.of(name);
        }
        catch (final InvalidPathException ex)
        {
            // not a path: reported as an unknown scenario below
        }
        if (path == null || !Files.isRegularFile(path))
        {
            throw new IllegalArgumentException("unknown scenario '" + name + "' (" + SimScenario.labels() +
                ", or a scenario file)");
        }
        return ScenarioFile.read(path);
    }

    private static double parseDouble(final String name, final String value)
    {
        try
        {
            return Double.parseDouble(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " must be a number, not '" + value + "'");
        }
    }

    private static long parseLong(final String name, final String value)
    {
        try
        {
            return Long.parseLong(value);
        }
        catch (final NumberFormatException ex)
        {
            throw new IllegalArgumentException(name + " must be an integer, not '" + value + "'");
        }
    }
}
