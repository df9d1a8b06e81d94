package io.flyover.tools.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import io.flyover.tools.report.Chart;

/**
 * The files a demo run leaves in its output directory: {@value #REPORT} (the summary, the model
 * and the plots), {@value #RTT_OVER_TIME}, {@value #RTT_BY_CITY}, {@value #RTT_CDF} and
 * {@value #SUMMARY_JSON}.
 * Main thread.
 */
public final class DemoReport
{
    /** The HTML report. */
    public static final String REPORT = "report.html";
    /** RTT over time, PNG. */
    public static final String RTT_OVER_TIME = "rtt-over-time.png";
    /** RTT CDF, PNG. */
    public static final String RTT_CDF = "rtt-cdf.png";
    /** RTT via Flyover per city over time, PNG. */
    public static final String RTT_BY_CITY = "rtt-by-city.png";
    /** The summary as JSON. */
    public static final String SUMMARY_JSON = "summary.json";
    /** Width of the plots. */
    public static final int WIDTH = 1000;
    /** Height of the plots. */
    public static final int HEIGHT = 450;

    private DemoReport()
    {
    }

    /**
     * @param result a run's result.
     * @param model  its model.
     * @return mean RTT over time, Flyover and direct, the congestion shaded and the cut marked.
     */
    public static Chart rttOverTime(final DemoResult result, final DemoModel model)
    {
        final DemoModel.Episode congestion = model.congestion();
        final DemoModel.Episode cut = model.cut();
        return Chart.builder("Mean RTT of the pings sent in each half second, all client cities", "simulated time (s)", "RTT (ms)")
            .series(new Chart.Series("via Flyover (measured, real packets)", result.seriesTimesS(), result.seriesFlyoverMs(),
                Chart.PALETTE[0]))
            .series(new Chart.Series("direct Internet path (model)", result.seriesTimesS(), result.seriesDirectMs(),
                Chart.PALETTE[1]))
            .span(congestion.startNs() / 1e9, Math.min(congestion.endNs(), model.durationNs()) / 1e9,
                congestion.linkName() + " congested")
            .marker(cut.startNs() / 1e9, cut.linkName() + " cut")
            .build();
    }

    /**
     * @param result a run's result.
     * @param model  its model.
     * @return mean RTT via Flyover per client city over time, the congestion shaded and the cut marked.
     */
    public static Chart rttByCity(final DemoResult result, final DemoModel model)
    {
        final DemoModel.Episode congestion = model.congestion();
        final DemoModel.Episode cut = model.cut();
        final Chart.Builder chart = Chart.builder("Mean RTT via Flyover per client city (to " + DemoCity.of(DemoCity.REGION).name() + ")",
            "simulated time (s)", "RTT (ms)");
        for (int i = 0; i < result.cities().size(); i++)
        {
            final DemoResult.City city = result.cities().get(i);
            chart.series(new Chart.Series(city.code(), result.seriesTimesS(), city.seriesMs(), Chart.PALETTE[i % Chart.PALETTE.length]));
        }
        return chart.span(congestion.startNs() / 1e9, Math.min(congestion.endNs(), model.durationNs()) / 1e9,
                congestion.linkName() + " congested")
            .marker(cut.startNs() / 1e9, cut.linkName() + " cut")
            .build();
    }

    /**
     * @param result a run's result.
     * @return the CDF of ping RTT, Flyover and direct.
     */
    public static Chart rttCdf(final DemoResult result)
    {
        return Chart.builder("CDF of ping RTT", "RTT (ms)", "fraction of pings").legendBottomRight()
            .series(Chart.cdf("via Flyover", result.flyoverSamplesMs(), Chart.PALETTE[0]))
            .series(Chart.cdf("direct Internet path", result.directSamplesMs(), Chart.PALETTE[1]))
            .build();
    }

    /**
     * Writes every file into {@code dir} (created if missing).
     *
     * @param result a run's result.
     * @param model  its model.
     * @param dir    where.
     * @return the report's path.
     * @throws IOException if a file cannot be written.
     */
    public static Path write(final DemoResult result, final DemoModel model, final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        rttOverTime(result, model).writePng(dir.resolve(RTT_OVER_TIME), WIDTH, HEIGHT);
        rttCdf(result).writePng(dir.resolve(RTT_CDF), WIDTH, HEIGHT);
        rttByCity(result, model).writePng(dir.resolve(RTT_BY_CITY), WIDTH, HEIGHT);
        Files.writeString(dir.resolve(SUMMARY_JSON), result.toJson() + "\n", StandardCharsets.UTF_8);
        final Path report = dir.resolve(REPORT);
        Files.writeString(report, html(result, model), StandardCharsets.UTF_8);
        return report;
    }

    static String html(final DemoResult result, final DemoModel model)
    {
        final StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Flyover demo</title>\n")
            .append("<style>body{font-family:sans-serif;max-width:1040px;margin:2em auto;color:#222}")
            .append("table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}")
            .append("th{background:#f3f3f3}td.l,th.l{text-align:left}img{max-width:100%}</style></head><body>\n");
        h.append("<h1>Flyover demo</h1>\n<p>").append(model.pops()).append(" POPs, ")
            .append(fmt(result.seconds(), 0)).append(" simulated seconds, seed ").append(result.seed())
            .append(". Clients in ").append(result.cities().size()).append(" cities reach one service whose backends sit behind ")
            .append(DemoCity.of(DemoCity.REGION).name()).append(" (the region).</p>\n");

        h.append("<h2>Summary</h2>\n<table><tr><th class=\"l\"></th><th>via Flyover</th><th>direct Internet path</th></tr>\n")
            .append(row("mean RTT (ms)", result.flyover().meanMs(), result.direct().meanMs()))
            .append(row("median RTT (ms)", result.flyover().p50Ms(), result.direct().p50Ms()))
            .append(row("p95 RTT (ms)", result.flyover().p95Ms(), result.direct().p95Ms()))
            .append(row("loss (%)", result.flyoverLossPct(), result.directLossPct()))
            .append(row("mean RTT during the " + result.congestion().link() + " congestion (ms)",
                result.congestion().flyoverMs(), result.congestion().directMs()))
            .append("</table>\n");
        final DemoResult.Failover f = result.failover();
        h.append("<p>Mean RTT via Flyover is <b>").append(fmt(result.improvementPct(), 1)).append("% lower</b> than the direct path's. ")
            .append("Failover: ").append(f.link()).append(" was cut at ").append(fmt(f.atS(), 1)).append(" s; the path tables of ")
            .append(f.pops().isEmpty() ? "no POP" : String.join(", ", f.pops())).append(" stopped using it after <b>")
            .append(Double.isNaN(f.tablesMs()) ? "n/a" : fmt(f.tablesMs(), 0) + " ms").append("</b> (live flows re-pin on their next packet). ")
            .append(f.flowsAffected()).append(" of ").append(f.flowsAcross()).append(" flows alive across the cut lost pings; their first ")
            .append("answered ping was sent ").append(fmt(f.recoverP50Ms(), 0)).append(" ms after the cut (median), ")
            .append(fmt(f.recoverMaxMs(), 0)).append(" ms at worst (pings go every 100 ms). <b>Flows kept: ").append(f.flowsKept())
            .append(" of ").append(f.flowsAcross()).append("</b>. TCP transfers: ").append(result.tcpCompleted()).append(" of ")
            .append(result.tcpStarted()).append(" complete (the demo's TCP has no retransmission, so a segment lost to the cut or to ")
            .append("loss ends its transfer). ").append(result.pingsSent()).append(" pings, ").append(result.backbonePackets())
            .append(" backbone frames (data and probes).</p>\n");

        h.append("<h2>RTT over time</h2>\n<img src=\"").append(RTT_OVER_TIME).append("\" alt=\"RTT over time\">\n");
        h.append("<h2>Per city over time</h2>\n<img src=\"").append(RTT_BY_CITY).append("\" alt=\"RTT per city over time\">\n");
        h.append("<h2>RTT distribution</h2>\n<img src=\"").append(RTT_CDF).append("\" alt=\"RTT CDF\">\n");

        h.append("<h2>Per city</h2>\n<table><tr><th class=\"l\">city</th><th>via Flyover (ms)</th><th>direct (ms)</th>")
            .append("<th>lower by</th><th>pings</th></tr>\n");
        for (final DemoResult.City city : result.cities())
        {
            h.append("<tr><td class=\"l\">").append(escape(city.name())).append(" (").append(city.code()).append(")</td><td>")
                .append(fmt(city.flyoverMs(), 1)).append("</td><td>").append(fmt(city.directMs(), 1)).append("</td><td>")
                .append(fmt(100 * (city.directMs() - city.flyoverMs()) / city.directMs(), 1)).append("%</td><td>")
                .append(city.pings()).append("</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>The model</h2>\n").append(MODEL_TEXT);
        h.append("<table><tr><th class=\"l\">link</th><th class=\"l\">kind</th><th>great circle (km)</th><th>fiber RTT (ms)</th>")
            .append("<th>factor</th><th>link base RTT (ms)</th><th>public Internet base RTT (ms)</th></tr>\n");
        for (int a = 1; a <= model.pops(); a++)
        {
            for (int b = a + 1; b <= model.pops(); b++)
            {
                final boolean circuit = DemoModel.isCircuit(a, b);
                h.append("<tr><td class=\"l\">").append(DemoCity.of(a).code()).append('-').append(DemoCity.of(b).code())
                    .append("</td><td class=\"l\">").append(circuit ? "backbone circuit" : "public Internet").append("</td><td>")
                    .append(fmt(model.fiberMs(a, b) * DemoModel.KM_PER_RTT_MS, 0)).append("</td><td>").append(fmt(model.fiberMs(a, b), 1))
                    .append("</td><td>").append(fmt(circuit ? model.backboneFactor(a, b) : model.inflation(a, b), 2))
                    .append("</td><td>").append(fmt(model.baseRttMs(a, b), 1)).append("</td><td>")
                    .append(fmt(model.internetBaseMs(a, b), 1)).append("</td></tr>\n");
            }
        }
        h.append("</table>\n<p>Episodes in this run (times in simulated s):</p>\n<ul>\n");
        for (final DemoModel.Episode e : model.episodes())
        {
            h.append("<li>").append(e.linkName()).append(e.backbone() ? " circuit" : " public Internet").append(": ")
                .append("down".equals(e.kind()) ? "cut" : "congestion, +" + fmt(e.extraMs(), 0) + " ms RTT, "
                    + fmt(e.loss() * 100, 1) + "% loss")
                .append(", ").append(fmt(e.startNs() / 1e9, 1)).append(" s to ")
                .append(e.endNs() >= model.durationNs() ? "the end" : fmt(e.endNs() / 1e9, 1) + " s").append("</li>\n");
        }
        h.append("</ul>\n").append(SOURCES_TEXT).append("</body></html>\n");
        return h.toString();
    }

    private static final String MODEL_TEXT = """
        <p>Every RTT <i>via Flyover</i> is measured: a UDP ping (one every 100 ms per flow, six flows per city)
        goes from the client through its POP's real engine (classify, flow table, path table, Geneve encap and tag),
        across in-memory backbone links whose delay, loss and state the model sets every 10 ms, through relay POPs
        and the region's engine (verify, decap, NAT) to an echo backend, and back. Each POP runs the real optimizer
        through its control plane: Geneve OAM probes every 100 ms over the same engines, failure detection after 3
        missed probes, candidate paths via up to two relays, path tables published to the engine. Time is simulated
        (1 ms steps), so the run takes only as long as the CPU needs. The client's own access link is the same
        with or without Flyover and is left out of both.</p>
        <p>The <i>direct</i> RTT is the model's public Internet RTT from the client's city to the region at the moment
        each ping was sent (its loss drawn with the seed): what the same client would see without Flyover. It is
        not measured with packets.</p>
        <ul>
        <li><b>Fiber.</b> RTT over fiber along the great circle (haversine, Earth radius 6371 km) is distance /
        100 km per ms: light in silica fiber travels at about 2/3 of c (refractive index about 1.47).</li>
        <li><b>Backbone circuits</b> (FRA-LON, LON-NYC, FRA-NYC, NYC-SAO, FRA-MUM, MUM-SIN, SIN-TYO, SIN-SYD)
        run close to the fiber distance: fiber RTT &times; a route factor drawn per circuit in 1.15-1.35 (cables do not
        follow the great circle), plus queueing noise (exponential, mean 1% of base, redrawn every 100 ms).</li>
        <li>The world has one link per pair of POPs: the circuit where there is one, else the public
        Internet path.</li>
        <li><b>Public Internet</b> between every other pair, and for every direct path: fiber RTT &times; an
        inflation drawn per pair in 1.5-3 (BGP paths detour, networks peer far away, queues), slow noise &plusmn;5% of
        base (interpolated over 5 s), fast noise exponential with mean 3% of base; with probability 0.3 a pair gets one
        congestion episode lasting 10-30% of the run (+30-100% of base +5-30 ms, 0.2% loss).</li>
        <li><b>Scripted.</b> FRA-MUM circuit congested from 20% to 65% of the run (+150% of its base RTT +20 ms, 1% loss);
        FRA-NYC circuit cut at 75% until the end.</li>
        </ul>
        <p>The gains shown are the gains of this model: a private backbone near fiber distance against public paths
        1.5-3 times longer. Real gains depend on the real Internet between the real cities.</p>
        """;

    private static final String SOURCES_TEXT = """
        <h3>Where the model's numbers come from</h3>
        <ul>
        <li>Speed of light in fiber about 2/3 c: standard single-mode fiber (ITU-T G.652) has a group index near 1.47.</li>
        <li>Public Internet RTT 1.5-3 times the fiber RTT: Singla, Chandrasekaran, Godfrey, Maggs, <i>The Internet at the
        Speed of Light</i>, HotNets 2014, and Bozkurt et al., <i>Why Is the Internet so Slow?!</i>, PAM 2017, measured
        minimum ping RTTs around three times the c-latency of the great circle, that is about twice the fiber RTT
        at 2/3 c, with a wide spread between pairs.</li>
        <li>Backbone circuits 15-35% longer than the great circle: submarine and terrestrial cable routes follow coasts,
        landing stations and rights of way (public cable maps, e.g. TeleGeography's Submarine Cable Map).</li>
        <li>Congestion and cut sizes are the demo's choice, not a measurement: large enough to see.</li>
        </ul>
        """;

    private static String row(final String label, final double flyover, final double direct)
    {
        return "<tr><td class=\"l\">" + escape(label) + "</td><td>" + fmt(flyover, 2) + "</td><td>" + fmt(direct, 2) + "</td></tr>\n";
    }

    private static String fmt(final double value, final int decimals)
    {
        return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%." + decimals + "f", value);
    }

    private static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
