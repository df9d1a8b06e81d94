package io.flyover.tools.demo;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What a demo run measured. Every RTT "via Flyover" is a real ping's round trip through the
 * engines on the simulated clock; every "direct" RTT is the model's public Internet RTT from the
 * same city to the region at the moment the same ping was sent (see {@link DemoModel}).
 *
 * @param seed             the seed.
 * @param seconds          simulated length.
 * @param flyover          RTT via Flyover over answered pings.
 * @param direct           RTT of the direct path over the same pings.
 * @param flyoverLossPct   pings via Flyover never answered, %.
 * @param directLossPct    pings the direct path would have lost, %.
 * @param cities           per client city.
 * @param failover         around the cut.
 * @param congestion       during the backbone congestion.
 * @param flows            UDP flows opened.
 * @param pingsSent        pings counted (all but the last second's).
 * @param pingsAnswered    of them, answered.
 * @param tcpStarted       TCP transfers started (all but the last 3 s's).
 * @param tcpCompleted     of them, complete (every byte, FIN).
 * @param malformed        packets at clients that were not a ping answer.
 * @param backbonePackets  frames the backbone links carried (data and probes).
 * @param seriesTimesS     bucket centres, s.
 * @param seriesFlyoverMs  mean RTT via Flyover of the pings sent in each bucket.
 * @param seriesDirectMs   mean direct RTT of the same pings.
 * @param flyoverSamplesMs every answered ping's RTT via Flyover.
 * @param directSamplesMs  the direct RTT for the same pings.
 */
public record DemoResult(
    long seed,
    double seconds,
    Latency flyover,
    Latency direct,
    double flyoverLossPct,
    double directLossPct,
    List<City> cities,
    Failover failover,
    Congestion congestion,
    int flows,
    long pingsSent,
    long pingsAnswered,
    int tcpStarted,
    int tcpCompleted,
    long malformed,
    long backbonePackets,
    double[] seriesTimesS,
    double[] seriesFlyoverMs,
    double[] seriesDirectMs,
    double[] flyoverSamplesMs,
    double[] directSamplesMs)
{
    /**
     * Mean and percentiles (nearest rank).
     *
     * @param meanMs mean.
     * @param p50Ms  median.
     * @param p95Ms  95th percentile.
     */
    public record Latency(double meanMs, double p50Ms, double p95Ms)
    {
        static Latency of(final double[] samples)
        {
            if (samples.length == 0)
            {
                return new Latency(Double.NaN, Double.NaN, Double.NaN);
            }
            final double[] sorted = samples.clone();
            Arrays.sort(sorted);
            double sum = 0;
            for (final double v : sorted)
            {
                sum += v;
            }
            return new Latency(sum / sorted.length, rank(sorted, 0.5), rank(sorted, 0.95));
        }

        private static double rank(final double[] sorted, final double p)
        {
            return sorted[Math.max(0, (int)Math.ceil(p * sorted.length) - 1)];
        }
    }

    /**
     * One client city.
     *
     * @param code      POP code.
     * @param name      city.
     * @param flyoverMs mean RTT via Flyover.
     * @param directMs  mean direct RTT.
     * @param pings     answered pings.
     * @param seriesMs  mean RTT via Flyover of its pings sent in each bucket of {@link #seriesTimesS}.
     */
    public record City(String code, String name, double flyoverMs, double directMs, int pings, double[] seriesMs)
    {
    }

    /**
     * Around the cut.
     *
     * @param link          the cut circuit.
     * @param atS           when.
     * @param pops          ingress POPs whose path table to the region used it at the cut.
     * @param tablesMs      cut → the last of those tables without it (the flows' next packets
     *                      re-pin); NaN if one never moved or none used it.
     * @param flowsAcross   UDP flows alive from before the cut to 2 s after it.
     * @param flowsAffected of them, flows that lost a ping sent in the first second after the cut.
     * @param flowsKept     of the flows across, answered after the cut (the affected after their loss).
     * @param recoverP50Ms  affected flows: cut → send time of the first answered ping after the loss, median.
     * @param recoverMaxMs  the same, worst.
     */
    public record Failover(
        String link, double atS, List<String> pops, double tablesMs, int flowsAcross, int flowsAffected, int flowsKept,
        double recoverP50Ms, double recoverMaxMs)
    {
    }

    /**
     * During the scripted backbone congestion.
     *
     * @param link      the congested circuit.
     * @param fromS     start.
     * @param toS       end.
     * @param flyoverMs mean RTT via Flyover of pings sent during it.
     * @param directMs  mean direct RTT of the same pings.
     */
    public record Congestion(String link, double fromS, double toS, double flyoverMs, double directMs)
    {
    }

    /**
     * @return how much lower the mean RTT via Flyover is than the direct path's, %.
     */
    public double improvementPct()
    {
        return 100.0 * (direct.meanMs() - flyover.meanMs()) / direct.meanMs();
    }

    /**
     * @return the summary printed at the end of the run.
     */
    public String summary()
    {
        final StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Flyover demo: %d POPs, %.0f simulated s, seed %d%n",
            cities.size() + 1, seconds, seed));
        sb.append(String.format(Locale.ROOT, "  latency   via Flyover mean %.1f ms, p95 %.1f ms | direct Internet mean %.1f ms, "
            + "p95 %.1f ms | %.1f%% lower%n", flyover.meanMs(), flyover.p95Ms(), direct.meanMs(), direct.p95Ms(), improvementPct()));
        sb.append(String.format(Locale.ROOT, "  loss      via Flyover %.2f%% of %d pings | direct %.2f%%%n",
            flyoverLossPct, pingsSent, directLossPct));
        sb.append(String.format(Locale.ROOT, "  congestion %s %.1f-%.1f s: via Flyover %.1f ms, direct %.1f ms%n",
            congestion.link(), congestion.fromS(), congestion.toS(), congestion.flyoverMs(), congestion.directMs()));
        sb.append(String.format(Locale.ROOT, "  failover  %s cut at %.1f s: path tables of %s off it in %s; %d of %d flows "
            + "hit, first answer after %s ms (p50), %s ms (worst)%n", failover.link(), failover.atS(),
            failover.pops().isEmpty() ? "no POP" : String.join(",", failover.pops()),
            Double.isNaN(failover.tablesMs()) ? "n/a" : String.format(Locale.ROOT, "%.0f ms", failover.tablesMs()),
            failover.flowsAffected(), failover.flowsAcross(), number(failover.recoverP50Ms(), 0),
            number(failover.recoverMaxMs(), 0)));
        sb.append(String.format(Locale.ROOT, "  flows kept %d of %d across the cut; TCP transfers %d of %d complete%n",
            failover.flowsKept(), failover.flowsAcross(), tcpCompleted, tcpStarted));
        sb.append("  per city (mean ms, Flyover / direct):");
        for (final City city : cities)
        {
            sb.append(String.format(Locale.ROOT, " %s %.0f/%.0f", city.code(), city.flyoverMs(), city.directMs()));
        }
        sb.append(String.format("%n"));
        return sb.toString();
    }

    /**
     * @return the summary as one JSON object.
     */
    public String toJson()
    {
        final StringBuilder sb = new StringBuilder(1024);
        sb.append("{\"seed\": ").append(seed)
            .append(", \"seconds\": ").append(number(seconds, 3))
            .append(", \"flyover\": ").append(latency(flyover))
            .append(", \"direct\": ").append(latency(direct))
            .append(", \"improvement_pct\": ").append(number(improvementPct(), 3))
            .append(", \"flyover_loss_pct\": ").append(number(flyoverLossPct, 3))
            .append(", \"direct_loss_pct\": ").append(number(directLossPct, 3))
            .append(", \"congestion\": {\"link\": \"").append(congestion.link())
            .append("\", \"from_s\": ").append(number(congestion.fromS(), 3))
            .append(", \"to_s\": ").append(number(congestion.toS(), 3))
            .append(", \"flyover_mean_ms\": ").append(number(congestion.flyoverMs(), 3))
            .append(", \"direct_mean_ms\": ").append(number(congestion.directMs(), 3))
            .append("}, \"failover\": {\"link\": \"").append(failover.link())
            .append("\", \"at_s\": ").append(number(failover.atS(), 3))
            .append(", \"pops\": [");
        for (int i = 0; i < failover.pops().size(); i++)
        {
            sb.append(i == 0 ? "" : ", ").append('"').append(failover.pops().get(i)).append('"');
        }
        sb.append("], \"tables_ms\": ").append(number(failover.tablesMs(), 3))
            .append(", \"flows_across\": ").append(failover.flowsAcross())
            .append(", \"flows_affected\": ").append(failover.flowsAffected())
            .append(", \"flows_kept\": ").append(failover.flowsKept())
            .append(", \"recover_p50_ms\": ").append(number(failover.recoverP50Ms(), 3))
            .append(", \"recover_max_ms\": ").append(number(failover.recoverMaxMs(), 3))
            .append("}, \"cities\": {");
        for (int i = 0; i < cities.size(); i++)
        {
            final City city = cities.get(i);
            sb.append(i == 0 ? "" : ", ").append('"').append(city.code()).append("\": {\"flyover_mean_ms\": ")
                .append(number(city.flyoverMs(), 3)).append(", \"direct_mean_ms\": ").append(number(city.directMs(), 3))
                .append(", \"pings\": ").append(city.pings()).append('}');
        }
        sb.append("}, \"flows\": ").append(flows)
            .append(", \"pings_sent\": ").append(pingsSent)
            .append(", \"pings_answered\": ").append(pingsAnswered)
            .append(", \"tcp_started\": ").append(tcpStarted)
            .append(", \"tcp_completed\": ").append(tcpCompleted)
            .append(", \"malformed\": ").append(malformed)
            .append(", \"backbone_packets\": ").append(backbonePackets)
            .append('}');
        return sb.toString();
    }

    private static String latency(final Latency latency)
    {
        return "{\"mean_ms\": " + number(latency.meanMs(), 3) + ", \"p50_ms\": " + number(latency.p50Ms(), 3)
            + ", \"p95_ms\": " + number(latency.p95Ms(), 3) + "}";
    }

    static String number(final double value, final int decimals)
    {
        if (Double.isNaN(value) || Double.isInfinite(value))
        {
            return "null";
        }
        return String.format(Locale.ROOT, "%." + decimals + "f", value);
    }
}
