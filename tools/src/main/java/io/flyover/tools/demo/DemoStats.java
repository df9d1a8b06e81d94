package io.flyover.tools.demo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.WeightedRoute;
import io.flyover.dataplane.world.InMemoryWorld;

/**
 * What a demo run measures, as it runs: every ping sent (its time, city, the direct Internet path's
 * RTT and loss at that moment, from the model) and when its answer came back through the engines;
 * and, around the cut, when each ingress POP's path table stopped using the cut link.
 * Single-threaded (the run's thread).
 */
final class DemoStats
{
    private final DemoModel model;
    private int sends;
    private long[] sendNs = new long[1 << 14];
    private int[] city = new int[1 << 14];
    private int[] flowOf = new int[1 << 14];
    private double[] directMs = new double[1 << 14];
    private boolean[] directLost = new boolean[1 << 14];
    private long[] answeredNs = new long[1 << 14];
    private final long[] tablesClearNs;
    private final boolean[] crossedAtCut;
    private boolean cutSeen;

    DemoStats(final DemoModel model)
    {
        this.model = model;
        this.tablesClearNs = new long[model.pops() + 1];
        this.crossedAtCut = new boolean[model.pops() + 1];
        Arrays.fill(tablesClearNs, -1);
    }

    void onSent(final DemoRun.Flow flow, final int seq, final long nowNs, final double direct, final boolean lost)
    {
        if (sends == sendNs.length)
        {
            final int size = sends * 2;
            sendNs = Arrays.copyOf(sendNs, size);
            city = Arrays.copyOf(city, size);
            flowOf = Arrays.copyOf(flowOf, size);
            directMs = Arrays.copyOf(directMs, size);
            directLost = Arrays.copyOf(directLost, size);
            answeredNs = Arrays.copyOf(answeredNs, size);
        }
        sendNs[sends] = nowNs;
        city[sends] = flow.city;
        flowOf[sends] = flow.id;
        directMs[sends] = direct;
        directLost[sends] = lost;
        answeredNs[sends] = -1;
        flow.indexOf(seq, sends);
        sends++;
    }

    void onAnswer(final DemoRun.Flow flow, final int seq, final long sendTimeNs, final long nowNs)
    {
        if (seq < 0 || seq >= flow.sent)
        {
            return;
        }
        final int index = flow.sendIndex[seq];
        if (sendNs[index] == sendTimeNs && answeredNs[index] < 0)
        {
            answeredNs[index] = nowNs;
        }
    }

    /**
     * Around the cut: which ingress POPs' tables used the cut link when it was cut, and when each
     * stopped.
     */
    void onTables(final long nowNs, final InMemoryWorld world)
    {
        final DemoModel.Episode cut = model.cut();
        if (nowNs < cut.startNs() || nowNs > cut.startNs() + 10_000_000_000L)
        {
            return;
        }
        for (final DemoCity c : DemoCity.ALL)
        {
            if (c.id() == DemoCity.REGION)
            {
                continue;
            }
            final PathTable table = world.pop(c.id()).tables().current().pathTable(DemoCity.REGION);
            boolean crosses = false;
            if (table != null)
            {
                for (final WeightedRoute r : table.routes())
                {
                    // listed at all, share or not: flows pinned to it stay while it is listed
                    crosses |= DemoRun.crosses(r.route(), cut.a(), cut.b());
                }
            }
            if (!cutSeen)
            {
                crossedAtCut[c.id()] = crosses;
            }
            else if (crossedAtCut[c.id()] && !crosses && tablesClearNs[c.id()] < 0)
            {
                tablesClearNs[c.id()] = nowNs;
            }
        }
        cutSeen = true;
    }

    /**
     * @return mean RTT via Flyover and of the direct path, over the pings sent between
     *         {@code windowNs} + 0.5 s and 0.5 s ago that were answered.
     */
    double[] recentMeans(final long nowNs, final long windowNs)
    {
        double fly = 0;
        double direct = 0;
        int count = 0;
        for (int i = sends - 1; i >= 0 && sendNs[i] >= nowNs - windowNs - 500_000_000L; i--)
        {
            if (sendNs[i] <= nowNs - 500_000_000L && answeredNs[i] >= 0)
            {
                fly += (answeredNs[i] - sendNs[i]) / 1e6;
                direct += directMs[i];
                count++;
            }
        }
        return count == 0 ? new double[] {Double.NaN, Double.NaN} : new double[] {fly / count, direct / count};
    }

    DemoResult result(
        final long seed, final List<DemoRun.Flow> flows, final int tcpStarted, final int tcpCompleted, final long malformed,
        final long backbonePackets)
    {
        final long durationNs = model.durationNs();
        // pings sent in the last second may still be in flight: leave them out
        final long lastNs = durationNs - 1_000_000_000L;
        final List<Double> fly = new ArrayList<>();
        final List<Double> direct = new ArrayList<>();
        int sentCounted = 0;
        int flyLost = 0;
        int directLostCount = 0;
        final int buckets = (int)((durationNs + DemoRun.BUCKET_NS - 1) / DemoRun.BUCKET_NS);
        final double[][] cityBucketFly = new double[model.pops() + 1][buckets];
        final int[][] cityBucketCount = new int[model.pops() + 1][buckets];
        final double[] bucketFly = new double[buckets];
        final double[] bucketDirect = new double[buckets];
        final int[] bucketCount = new int[buckets];
        final int n = model.pops();
        final double[] cityFly = new double[n + 1];
        final double[] cityDirect = new double[n + 1];
        final int[] cityCount = new int[n + 1];
        double congFly = 0;
        double congDirect = 0;
        int congCount = 0;
        final DemoModel.Episode congestion = model.congestion();
        for (int i = 0; i < sends; i++)
        {
            if (sendNs[i] > lastNs)
            {
                continue;
            }
            sentCounted++;
            directLostCount += directLost[i] ? 1 : 0;
            if (answeredNs[i] < 0)
            {
                flyLost++;
                continue;
            }
            final double f = (answeredNs[i] - sendNs[i]) / 1e6;
            fly.add(f);
            direct.add(directMs[i]);
            final int b = (int)(sendNs[i] / DemoRun.BUCKET_NS);
            bucketFly[b] += f;
            bucketDirect[b] += directMs[i];
            bucketCount[b]++;
            cityBucketFly[city[i]][b] += f;
            cityBucketCount[city[i]][b]++;
            cityFly[city[i]] += f;
            cityDirect[city[i]] += directMs[i];
            cityCount[city[i]]++;
            if (congestion.activeAt(sendNs[i]))
            {
                congFly += f;
                congDirect += directMs[i];
                congCount++;
            }
        }
        final double[] times = new double[buckets];
        final double[] seriesFly = new double[buckets];
        final double[] seriesDirect = new double[buckets];
        for (int b = 0; b < buckets; b++)
        {
            times[b] = (b + 0.5) * DemoRun.BUCKET_NS / 1e9;
            seriesFly[b] = bucketCount[b] == 0 ? Double.NaN : bucketFly[b] / bucketCount[b];
            seriesDirect[b] = bucketCount[b] == 0 ? Double.NaN : bucketDirect[b] / bucketCount[b];
        }
        final List<DemoResult.City> cities = new ArrayList<>();
        for (final DemoCity c : DemoCity.ALL)
        {
            if (c.id() != DemoCity.REGION)
            {
                final int count = cityCount[c.id()];
                final double[] series = new double[buckets];
                for (int b = 0; b < buckets; b++)
                {
                    series[b] = cityBucketCount[c.id()][b] == 0 ? Double.NaN : cityBucketFly[c.id()][b] / cityBucketCount[c.id()][b];
                }
                cities.add(new DemoResult.City(c.code(), c.name(), count == 0 ? Double.NaN : cityFly[c.id()] / count,
                    count == 0 ? Double.NaN : cityDirect[c.id()] / count, count, series));
            }
        }
        final double[] flySamples = fly.stream().mapToDouble(Double::doubleValue).toArray();
        final double[] directSamples = direct.stream().mapToDouble(Double::doubleValue).toArray();
        final DemoResult.Latency flyLatency = DemoResult.Latency.of(flySamples);
        final DemoResult.Latency directLatency = DemoResult.Latency.of(directSamples);
        return new DemoResult(seed, durationNs / 1e9, flyLatency, directLatency,
            sentCounted == 0 ? Double.NaN : 100.0 * flyLost / sentCounted,
            sentCounted == 0 ? Double.NaN : 100.0 * directLostCount / sentCounted,
            cities, failover(flows), new DemoResult.Congestion(congestion.linkName(), congestion.startNs() / 1e9,
                congestion.endNs() / 1e9, congCount == 0 ? Double.NaN : congFly / congCount,
                congCount == 0 ? Double.NaN : congDirect / congCount),
            flows.size(), sentCounted, sentCounted - flyLost, tcpStarted, tcpCompleted, malformed, backbonePackets,
            times, seriesFly, seriesDirect, flySamples, directSamples);
    }

    private DemoResult.Failover failover(final List<DemoRun.Flow> flows)
    {
        final DemoModel.Episode cut = model.cut();
        final long cutNs = cut.startNs();
        final List<String> pops = new ArrayList<>();
        long tablesNs = -1;
        boolean allCleared = true;
        for (final DemoCity c : DemoCity.ALL)
        {
            if (crossedAtCut[c.id()])
            {
                pops.add(c.code());
                if (tablesClearNs[c.id()] < 0)
                {
                    allCleared = false;
                }
                else
                {
                    tablesNs = Math.max(tablesNs, tablesClearNs[c.id()] - cutNs);
                }
            }
        }
        int across = 0;
        int affected = 0;
        int kept = 0;
        final List<Double> recover = new ArrayList<>();
        for (final DemoRun.Flow flow : flows)
        {
            if (flow.startNs >= cutNs || flow.endNs < cutNs + DemoRun.KEEP_WINDOW_NS || flow.sent == 0)
            {
                continue;
            }
            across++;
            long firstLostNs = -1;
            long recoveredNs = -1;
            boolean answered = false;
            for (int seq = 0; seq < flow.sent; seq++)
            {
                final int i = flow.sendIndex[seq];
                if (sendNs[i] < cutNs || sendNs[i] >= cutNs + DemoRun.KEEP_WINDOW_NS)
                {
                    continue;
                }
                if (answeredNs[i] >= 0)
                {
                    answered = true;
                    if (firstLostNs >= 0 && recoveredNs < 0)
                    {
                        recoveredNs = sendNs[i];
                    }
                }
                else if (firstLostNs < 0 && sendNs[i] < cutNs + 1_000_000_000L)
                {
                    firstLostNs = sendNs[i];
                }
            }
            if (firstLostNs >= 0)
            {
                affected++;
                if (recoveredNs >= 0)
                {
                    kept++;
                    recover.add((recoveredNs - cutNs) / 1e6);
                }
            }
            else if (answered)
            {
                kept++;
            }
        }
        recover.sort(Double::compare);
        return new DemoResult.Failover(cut.linkName(), cutNs / 1e9, pops, allCleared && tablesNs >= 0 ? tablesNs / 1e6 : Double.NaN,
            across, affected, kept, recover.isEmpty() ? Double.NaN : recover.get((recover.size() - 1) / 2),
            recover.isEmpty() ? Double.NaN : recover.get(recover.size() - 1));
    }
}
