package io.flyover.optimizer.sim;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a simulation measured, and its JSON form. Immutable.
 */
public final class SimResult
{
    private final List<String> policies;
    private final double[][] rttMs;
    private final long[] changes;
    private final double pairHours;
    private final List<Double> detectMs;
    private final List<Double> recoverMs;
    private final boolean failures;
    private final double overheadKbpsPerPath;
    private final int pops;
    private final int pairs;
    private final int probedPaths;
    private final boolean[] touched;
    private final TimeSeries series;
    private final List<Episode> episodes;

    /**
     * The mean effective RTT of the active flows per pinned policy, sampled every simulated second
     * after the warm-up (the oracle is chosen in hindsight per flow, so it has no series).
     *
     * @param timesS   sample times, simulated seconds.
     * @param policies the policies with a series, in order.
     * @param rttMs    per policy, one value per time (ms; NaN when no flow was active).
     */
    public record TimeSeries(double[] timesS, List<String> policies, double[][] rttMs)
    {
        /**
         * @param policy a policy name.
         * @return its series (a copy), or {@code null} if it has none.
         */
        public double[] rttMs(final String policy)
        {
            final int index = policies.indexOf(policy);
            return index < 0 ? null : rttMs[index].clone();
        }

        @Override
        public double[] timesS()
        {
            return timesS.clone();
        }
    }

    /**
     * One scenario episode on a link, as it happened.
     *
     * @param kind   {@link #DOWN}, {@link #CONGESTION} or {@link #LOSS}.
     * @param a      one POP's name.
     * @param b      the other's.
     * @param startS start, simulated seconds.
     * @param endS   end, simulated seconds.
     */
    public record Episode(String kind, String a, String b, double startS, double endS)
    {
        /** The link was down. */
        public static final String DOWN = "down";
        /** The link carried extra delay (and loss). */
        public static final String CONGESTION = "congestion";
        /** The link lost packets. */
        public static final String LOSS = "loss";
    }

    SimResult(
        final List<String> policies, final double[][] rttMs, final long[] changes, final double pairHours,
        final List<Double> detectMs, final List<Double> recoverMs, final boolean failures,
        final double overheadKbpsPerPath, final int pops, final int pairs, final int probedPaths, final boolean[] touched,
        final TimeSeries series, final List<Episode> episodes)
    {
        this.series = series;
        this.episodes = List.copyOf(episodes);
        this.policies = policies;
        this.rttMs = rttMs;
        this.changes = changes;
        this.pairHours = pairHours;
        this.detectMs = List.copyOf(detectMs);
        this.recoverMs = List.copyOf(recoverMs);
        this.failures = failures;
        this.overheadKbpsPerPath = overheadKbpsPerPath;
        this.pops = pops;
        this.pairs = pairs;
        this.probedPaths = probedPaths;
        this.touched = touched.clone();
    }

    /**
     * @return flows measured.
     */
    public int flows()
    {
        return rttMs[0].length;
    }

    /**
     * @param policy policy name.
     * @return mean flow RTT in ms, NaN without flows.
     */
    public double meanRttMs(final String policy)
    {
        return mean(rttMs[policies.indexOf(policy)]);
    }

    /**
     * @param policy policy name.
     * @return mean flow RTT over the flows of the pairs an episode touched, NaN if none.
     */
    public double touchedMeanRttMs(final String policy)
    {
        final double[] rtt = rttMs[policies.indexOf(policy)];
        double sum = 0;
        int n = 0;
        for (int i = 0; i < rtt.length; i++)
        {
            if (touched[i])
            {
                sum += rtt[i];
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }

    /**
     * @param policy policy name.
     * @return changes of its route per pair and hour after the warm-up, as in the JSON.
     */
    public double changesPerPairHour(final String policy)
    {
        return pairHours > 0 ? changes[policies.indexOf(policy)] / pairHours : 0.0;
    }

    /**
     * @return median time from an outage's start to the last affected flow re-pinned, null without samples.
     */
    public Double recoverMsP50()
    {
        return percentile(recoverMs, 0.5);
    }

    /**
     * @return the longest time from an outage's start to the last affected flow re-pinned, null without samples.
     */
    public Double recoverMsMax()
    {
        return recoverMs.isEmpty() ? null : recoverMs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    }

    /**
     * @return the policies, in the JSON's order.
     */
    public List<String> policies()
    {
        return policies;
    }

    /**
     * @param policy policy name.
     * @return each finished flow's RTT under it (ms), in flow order; a copy.
     */
    public double[] flowRttMs(final String policy)
    {
        final int index = policies.indexOf(policy);
        if (index < 0)
        {
            throw new IllegalArgumentException("no policy '" + policy + "'");
        }
        return rttMs[index].clone();
    }

    /**
     * @return the RTT-over-time series.
     */
    public TimeSeries series()
    {
        return series;
    }

    /**
     * @return the scenario's episodes, by start time.
     */
    public List<Episode> episodes()
    {
        return episodes;
    }

    /**
     * @return median time from a failure to a path crossing it being marked down, null without samples.
     */
    public Double detectMsP50()
    {
        return percentile(detectMs, 0.5);
    }

    /**
     * @return the one JSON object of {@code flyover sim --json}.
     */
    public String toJson()
    {
        final StringBuilder sb = new StringBuilder(1024).append("{\"policies\": {");
        final double[] oracle = rttMs[policies.indexOf("oracle")];
        final double oracleMean = mean(oracle);
        for (int p = 0; p < policies.size(); p++)
        {
            final double[] values = rttMs[p];
            final double[] sorted = values.clone();
            Arrays.sort(sorted);
            int within = 0;
            for (int i = 0; i < values.length; i++)
            {
                if (values[i] <= oracle[i] * 1.1 + 1e-9)
                {
                    within++;
                }
            }
            final double mean = mean(values);
            sb.append(p == 0 ? "" : ", ").append('"').append(policies.get(p)).append("\": {")
                .append("\"mean_rtt_ms\": ").append(number(mean))
                .append(", \"p50_rtt_ms\": ").append(number(percentile(sorted, 0.5)))
                .append(", \"p95_rtt_ms\": ").append(number(percentile(sorted, 0.95)))
                .append(", \"p99_rtt_ms\": ").append(number(percentile(sorted, 0.99)))
                .append(", \"ratio_to_oracle\": ").append(oracleMean > 0 ? number(mean / oracleMean) : "null")
                .append(", \"within10_pct\": ").append(values.length == 0 ? "null" : number(100.0 * within / values.length))
                .append(", \"path_changes_per_pair_hour\": ").append(pairHours > 0 ? number(changes[p] / pairHours) : "null")
                .append('}');
        }
        sb.append("}, \"failover\": {");
        if (failures)
        {
            sb.append("\"detect_ms_p50\": ").append(number(percentile(detectMs, 0.5)))
                .append(", \"recover_ms_p50\": ").append(number(percentile(recoverMs, 0.5)))
                .append(", \"max_ms\": ").append(number(recoverMsMax()));
        }
        else
        {
            sb.append("\"detect_ms_p50\": null, \"recover_ms_p50\": null, \"max_ms\": null");
        }
        sb.append("}, \"probe_overhead_kbps_per_path\": ").append(number(overheadKbpsPerPath)).append('}');
        return sb.toString();
    }

    /**
     * @return a readable table.
     */
    public String toText()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d POPs, %d pairs, %d probed paths, %d flows%n", pops, pairs, probedPaths, flows()));
        sb.append(String.format(Locale.ROOT, "%-16s %9s %9s %9s %9s %8s %9s %13s%n",
            "policy", "mean_ms", "p50_ms", "p95_ms", "p99_ms", "/oracle", "within10%", "changes/pair-h"));
        final double oracleMean = meanRttMs("oracle");
        for (int p = 0; p < policies.size(); p++)
        {
            final double[] sorted = rttMs[p].clone();
            Arrays.sort(sorted);
            final double[] oracle = rttMs[policies.indexOf("oracle")];
            int within = 0;
            for (int i = 0; i < sorted.length; i++)
            {
                if (rttMs[p][i] <= oracle[i] * 1.1 + 1e-9)
                {
                    within++;
                }
            }
            final double mean = mean(rttMs[p]);
            sb.append(String.format(Locale.ROOT, "%-16s %9.2f %9.2f %9.2f %9.2f %8.4f %9.1f %13.2f%n", policies.get(p), mean,
                percentile(sorted, 0.5), percentile(sorted, 0.95), percentile(sorted, 0.99),
                oracleMean > 0 ? mean / oracleMean : Double.NaN, sorted.length == 0 ? Double.NaN : 100.0 * within / sorted.length,
                pairHours > 0 ? changes[p] / pairHours : Double.NaN));
        }
        int touchedFlows = 0;
        for (final boolean t : touched)
        {
            touchedFlows += t ? 1 : 0;
        }
        if (touchedFlows > 0)
        {
            sb.append(String.format(Locale.ROOT, "flows of pairs whose preferred route crossed an episode's link (%d):", touchedFlows));
            for (int p = 0; p < policies.size(); p++)
            {
                double sum = 0;
                for (int i = 0; i < touched.length; i++)
                {
                    sum += touched[i] ? rttMs[p][i] : 0;
                }
                sb.append(String.format(Locale.ROOT, " %s %.2f", policies.get(p), sum / touchedFlows));
            }
            sb.append(String.format("%n"));
        }
        if (failures)
        {
            sb.append(String.format(Locale.ROOT, "failover: detect p50 %s ms, recover p50 %s ms, max %s ms (%d detections, %d recoveries)%n",
                number(percentile(detectMs, 0.5)), number(percentile(recoverMs, 0.5)),
                recoverMs.isEmpty() ? "null" : number(recoverMs.stream().mapToDouble(Double::doubleValue).max().orElse(0)),
                detectMs.size(), recoverMs.size()));
        }
        sb.append(String.format(Locale.ROOT, "probe overhead: %.2f kbps per probed path%n", overheadKbpsPerPath));
        return sb.toString();
    }

    private static double mean(final double[] values)
    {
        if (values.length == 0)
        {
            return Double.NaN;
        }
        double sum = 0;
        for (final double v : values)
        {
            sum += v;
        }
        return sum / values.length;
    }

    private static Double percentile(final List<Double> values, final double p)
    {
        if (values.isEmpty())
        {
            return null;
        }
        final List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        return sorted.get(Math.max(0, (int)Math.ceil(p * sorted.size()) - 1));
    }

    private static double percentile(final double[] sorted, final double p)
    {
        if (sorted.length == 0)
        {
            return Double.NaN;
        }
        return sorted[Math.max(0, (int)Math.ceil(p * sorted.length) - 1)];
    }

    private static String number(final Double value)
    {
        if (value == null || value.isNaN() || value.isInfinite())
        {
            return "null";
        }
        return String.format(Locale.ROOT, "%.3f", value);
    }
}
