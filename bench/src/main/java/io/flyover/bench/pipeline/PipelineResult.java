package io.flyover.bench.pipeline;

import java.util.List;
import java.util.Locale;

/**
 * What a harness run measured. Rates are per core: the sum over workers divided by the number
 * of workers.
 *
 * @param stages               per stage: rate, ns per packet, allocation, drops.
 * @param flows                active flows in total.
 * @param zipfExponent         the sending order's Zipf exponent, {@code null} for uniform.
 * @param threads              workers.
 * @param cpu                  the processor's model name.
 * @param boundsChecks         whether Agrona's bounds checks were on.
 * @param ingressBytesPerFlow  A's flow-table memory per active flow (one entry per flow).
 * @param egressBytesPerFlow   C's flow-table memory per active flow (two entries per flow).
 */
public record PipelineResult(
    List<StageResult> stages,
    int flows,
    Double zipfExponent,
    int threads,
    String cpu,
    boolean boundsChecks,
    double ingressBytesPerFlow,
    double egressBytesPerFlow)
{
    /** The JSON keys, in the order {@link #toJson()} writes them. */
    public static final List<String> JSON_KEYS = List.of(
        "ingress_mpps", "relay_mpps", "egress_mpps", "new_flows_per_s", "bytes_per_flow",
        "alloc_bytes_per_packet", "flows", "zipf", "threads", "cpu");

    /**
     * One stage's figures.
     *
     * @param name                stage name.
     * @param packetsPerSecond    per core.
     * @param packets             packets measured, all workers.
     * @param dropped             of which not forwarded (0 expected).
     * @param allocBytesPerPacket bytes allocated by the workers during the measured loop / packets.
     * @param cpuNsPerPacket      the workers' thread CPU time during the measured loop / packets
     *                            (excludes time the OS gave other processes).
     */
    public record StageResult(
        String name, double packetsPerSecond, long packets, long dropped, double allocBytesPerPacket,
        double cpuNsPerPacket)
    {
        /**
         * @return nanoseconds per packet on one core.
         */
        public double nsPerPacket()
        {
            return 1e9 / packetsPerSecond;
        }
    }

    /** Stage name: ingress. */
    public static final String INGRESS = "ingress";
    /** Stage name: relay. */
    public static final String RELAY = "relay";
    /** Stage name: egress. */
    public static final String EGRESS = "egress";
    /** Stage name: new flows. */
    public static final String NEW_FLOWS = "new_flows";

    /**
     * @param name a stage name.
     * @return its figures.
     */
    public StageResult stage(final String name)
    {
        for (final StageResult stage : stages)
        {
            if (stage.name().equals(name))
            {
                return stage;
            }
        }
        throw new IllegalArgumentException("no stage " + name);
    }

    /**
     * @return the largest per-stage allocation per packet: any stage that allocates shows.
     */
    public double allocBytesPerPacket()
    {
        double max = 0;
        for (final StageResult stage : stages)
        {
            max = Math.max(max, stage.allocBytesPerPacket());
        }
        return max;
    }

    /**
     * One JSON object, keys {@link #JSON_KEYS}: {@code ingress_mpps}, {@code relay_mpps},
     * {@code egress_mpps} and {@code new_flows_per_s} per core; {@code bytes_per_flow} the
     * egress POP's figure (two entries per flow); {@code alloc_bytes_per_packet} the largest
     * stage's; {@code zipf} the exponent, or the string {@code "uniform"}.
     *
     * @return the object, on one line.
     */
    public String toJson()
    {
        final StringBuilder out = new StringBuilder(256);
        out.append('{');
        number(out, "ingress_mpps", stage(INGRESS).packetsPerSecond() / 1e6, 3).append(", ");
        number(out, "relay_mpps", stage(RELAY).packetsPerSecond() / 1e6, 3).append(", ");
        number(out, "egress_mpps", stage(EGRESS).packetsPerSecond() / 1e6, 3).append(", ");
        number(out, "new_flows_per_s", stage(NEW_FLOWS).packetsPerSecond(), 0).append(", ");
        number(out, "bytes_per_flow", egressBytesPerFlow, 1).append(", ");
        number(out, "alloc_bytes_per_packet", allocBytesPerPacket(), 4).append(", ");
        out.append("\"flows\": ").append(flows).append(", ");
        if (null == zipfExponent)
        {
            out.append("\"zipf\": \"uniform\", ");
        }
        else
        {
            number(out, "zipf", zipfExponent, 3).append(", ");
        }
        out.append("\"threads\": ").append(threads).append(", ");
        out.append("\"cpu\": ");
        string(out, cpu);
        out.append('}');
        return out.toString();
    }

    private static StringBuilder number(final StringBuilder out, final String key, final double value, final int digits)
    {
        out.append('"').append(key).append("\": ");
        if (Double.isFinite(value))
        {
            out.append(String.format(Locale.ROOT, "%." + digits + "f", value));
        }
        else
        {
            out.append("null");
        }
        return out;
    }

    static void string(final StringBuilder out, final String value)
    {
        out.append('"');
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default ->
                {
                    if (c < 0x20 || (c >= 0x7F && c < 0xA0) || c == 0x2028 || c == 0x2029)
                    {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int)c));
                    }
                    else
                    {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * @return a readable table with the machine and settings.
     */
    public String toTable()
    {
        final StringBuilder out = new StringBuilder(1024);
        out.append(String.format(Locale.ROOT, "flyover bench pipeline: %,d flows, %s, %d thread(s), cpu: %s%n",
            flows, null == zipfExponent ? "uniform" : "Zipf " + zipfExponent, threads, cpu));
        out.append(String.format(Locale.ROOT, "agrona bounds checks: %s%s%n", boundsChecks ? "ON" : "off",
            boundsChecks ? " (set -Dagrona.disable.bounds.checks=true, e.g. through FLYOVER_JAVA_OPTS, to measure without)" :
                " (-Dagrona.disable.bounds.checks=true)"));
        out.append(String.format(Locale.ROOT, "%-10s %16s %10s %12s %14s %10s %12s%n",
            "stage", "per core", "ns/packet", "cpu ns/pkt", "packets", "dropped", "alloc B/pkt"));
        for (final StageResult stage : stages)
        {
            final boolean flowsStage = NEW_FLOWS.equals(stage.name());
            out.append(String.format(Locale.ROOT, "%-10s %16s %10.1f %12.1f %,14d %,10d %12.4f%n",
                stage.name(),
                flowsStage ? String.format(Locale.ROOT, "%,.0f flows/s", stage.packetsPerSecond()) :
                    String.format(Locale.ROOT, "%.2f Mpps", stage.packetsPerSecond() / 1e6),
                stage.nsPerPacket(), stage.cpuNsPerPacket(), stage.packets(), stage.dropped(),
                stage.allocBytesPerPacket()));
        }
        out.append("ns/packet is wall clock per core; cpu ns/pkt is the workers' thread CPU time per packet\n");
        out.append(String.format(Locale.ROOT,
            "flow-table memory per active flow: ingress POP %.1f B (1 entry per flow), egress POP %.1f B " +
            "(2 entries per flow; the JSON's bytes_per_flow); 64 B entries, load <= %.0f%%%n",
            ingressBytesPerFlow, egressBytesPerFlow, PipelineRig.MAX_LOAD * 100));
        return out.toString();
    }
}
