package io.flyover.tools.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import io.flyover.optimizer.sim.SimResult;

/**
 * What {@code flyover sim --out DIR} writes: {@value #RTT_OVER_TIME} (mean RTT of the active flows
 * per policy, every simulated second, outages as dashed markers, congestion and loss as shaded
 * spans), {@value #RTT_CDF} (CDF of the flows' mean RTT per policy) and {@value #RESULT_JSON} (the
 * {@code --json} object). Main thread.
 */
public final class SimReport
{
    /** RTT over time, PNG. */
    public static final String RTT_OVER_TIME = "rtt-over-time.png";
    /** Flow RTT CDF, PNG. */
    public static final String RTT_CDF = "rtt-cdf.png";
    /** The {@code --json} object. */
    public static final String RESULT_JSON = "result.json";
    /** Width of both images. */
    public static final int WIDTH = 1000;
    /** Height of both images. */
    public static final int HEIGHT = 500;

    private static final int LABELLED_MARKERS = 6;

    private SimReport()
    {
    }

    /**
     * @param result a simulation's result.
     * @return the RTT-over-time chart.
     */
    public static Chart rttOverTime(final SimResult result)
    {
        final SimResult.TimeSeries series = result.series();
        final Chart.Builder chart = Chart.builder("Mean RTT of active flows per policy (dead path = 1000 ms)",
            "simulated time (s)", "RTT (ms)");
        final List<String> policies = series.policies();
        for (int p = 0; p < policies.size(); p++)
        {
            chart.series(new Chart.Series(policies.get(p), series.timesS(), series.rttMs(policies.get(p)),
                Chart.PALETTE[p % Chart.PALETTE.length]));
        }
        int labelled = 0;
        for (final SimResult.Episode episode : result.episodes())
        {
            final String label = labelled < LABELLED_MARKERS ? episode.a() + "-" + episode.b() + " " + episode.kind() : "";
            if (SimResult.Episode.DOWN.equals(episode.kind()))
            {
                chart.marker(episode.startS(), label);
                labelled++;
            }
            else
            {
                chart.span(episode.startS(), episode.endS(), "");
            }
        }
        return chart.build();
    }

    /**
     * @param result a simulation's result.
     * @return the flow RTT CDF, its x axis cut at 1.2 × the largest 99th percentile of the policies.
     */
    public static Chart rttCdf(final SimResult result)
    {
        final Chart.Builder chart = Chart.builder("CDF of flow RTT (each flow's time-weighted mean)",
            "flow RTT (ms)", "fraction of flows").legendBottomRight();
        double cap = 0;
        final List<String> policies = result.policies();
        for (int p = 0; p < policies.size(); p++)
        {
            final double[] samples = result.flowRttMs(policies.get(p));
            chart.series(Chart.cdf(policies.get(p), samples, Chart.PALETTE[p % Chart.PALETTE.length]));
            final double[] sorted = samples.clone();
            Arrays.sort(sorted);
            if (sorted.length > 0)
            {
                cap = Math.max(cap, sorted[Math.max(0, (int)Math.ceil(0.99 * sorted.length) - 1)]);
            }
        }
        if (cap > 0)
        {
            chart.xCap(cap * 1.2);
        }
        return chart.build();
    }

    /**
     * Writes the two PNGs and the JSON into a directory (created if missing).
     *
     * @param result a simulation's result.
     * @param dir    where.
     * @throws IOException if a file cannot be written.
     */
    public static void write(final SimResult result, final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        rttOverTime(result).writePng(dir.resolve(RTT_OVER_TIME), WIDTH, HEIGHT);
        rttCdf(result).writePng(dir.resolve(RTT_CDF), WIDTH, HEIGHT);
        Files.writeString(dir.resolve(RESULT_JSON), result.toJson() + "\n", StandardCharsets.UTF_8);
    }
}
