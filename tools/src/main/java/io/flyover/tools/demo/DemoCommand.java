package io.flyover.tools.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code flyover demo}: the {@link DemoModel}'s world on the in-memory engines with the real
 * optimizer, a live progress line, a summary and an HTML report. No root, no configuration.
 * Runs on the main thread. Bad arguments: one line on stderr, exit 2.
 */
@Command(
    name = "demo",
    description = {
        "Run Flyover in an embedded world: 8 POPs at real cities, clients in 7 of them, one region's backend, "
            + "real engines and packets on a simulated clock, the real optimizer. A congestion episode and a link cut "
            + "mid-run; a summary against the direct Internet path and an HTML report with plots.",
        "No root and no configuration needed. The network model is stated in the report and in docs/demo.md."})
public final class DemoCommand implements Callable<Integer>
{
    /** Default simulated seconds: ends well inside a minute of wall time on a small host. */
    public static final int DEFAULT_SECONDS = 40;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = { "-h", "--help" }, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--seconds", paramLabel = "N", description = "Simulated seconds, 10..600 (default: " + DEFAULT_SECONDS + ").")
    String seconds = Integer.toString(DEFAULT_SECONDS);

    @Option(names = "--seed", paramLabel = "N", description = "Seed of the model's draws and the flows (default: 1).")
    String seed = "1";

    @Option(names = "--out", paramLabel = "DIR",
        description = "Where report.html, its PNG plots and summary.json go (default: ./flyover-demo-out).")
    Path out = Path.of("flyover-demo-out");

    @Option(names = "--plain", description = "Print progress as plain lines even on a terminal.")
    boolean forcePlain;

    @Override
    public Integer call()
    {
        final PrintWriter stdout = spec.commandLine().getOut();
        final PrintWriter err = spec.commandLine().getErr();
        final long secondsValue;
        final long seedValue;
        try
        {
            secondsValue = parseLong("--seconds", seconds);
            if (secondsValue < 10 || secondsValue > 600)
            {
                throw new IllegalArgumentException("--seconds must be 10..600");
            }
            seedValue = parseLong("--seed", seed);
        }
        catch (final IllegalArgumentException ex)
        {
            err.println("flyover demo: " + ex.getMessage());
            err.flush();
            return 2;
        }
        final boolean tty = !forcePlain && System.console() != null && System.console().isTerminal();
        final DemoModel model = new DemoModel(seedValue, secondsValue * 1_000_000_000L);
        final ProgressLine progress = new ProgressLine(stdout, tty);
        stdout.printf(Locale.ROOT, "Flyover demo: %d POPs (%s), region %s; %d s simulated, seed %d%n", model.pops(), cityCodes(),
            DemoCity.of(DemoCity.REGION).name(), secondsValue, seedValue);
        stdout.printf(Locale.ROOT, "congestion on %s at %.1f-%.1f s, %s cut at %.1f s%n", model.congestion().linkName(),
            model.congestion().startNs() / 1e9, model.congestion().endNs() / 1e9, model.cut().linkName(), model.cut().startNs() / 1e9);
        stdout.flush();
        final long wallStartNs = System.nanoTime();
        final DemoResult result = new DemoRun(model, seedValue).run(progress::onProgress);
        progress.finish();
        final double wallS = (System.nanoTime() - wallStartNs) / 1e9;
        stdout.print(result.summary());
        try
        {
            final Path report = DemoReport.write(result, model, out);
            stdout.printf(Locale.ROOT, "report: %s (wall time %.1f s)%n", report, wallS);
        }
        catch (final IOException | RuntimeException ex)
        {
            stdout.flush();
            err.println("flyover demo: cannot write the report in " + out + ": " + ex.getMessage());
            err.flush();
            return 1;
        }
        catch (final java.awt.AWTError | InternalError | LinkageError ex)
        {
            // the JDK's headless java.awt draws the plots and needs fontconfig and a font
            stdout.flush();
            err.println("flyover demo: cannot draw the plots (" + ex + "); install fontconfig and a font, e.g. "
                + "apt-get install fontconfig fonts-dejavu-core");
            err.flush();
            return 1;
        }
        stdout.flush();
        return 0;
    }

    private static String cityCodes()
    {
        final StringBuilder sb = new StringBuilder();
        for (final DemoCity city : DemoCity.ALL)
        {
            sb.append(sb.isEmpty() ? "" : " ").append(city.code());
        }
        return sb.toString();
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
