package io.flyover.optimizer.sim;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Latency matrices the optimizer was never tuned on, for robustness tests, and the WonderProxy
 * matrix (or a subset of it) when the shared data is present.
 */
final class SyntheticMatrices
{
    /** RTT per kilometre of great-circle distance over fibre, both ways (about 1 ms per 100 km). */
    private static final double MS_PER_KM = 0.01;
    private static final double EARTH_RADIUS_KM = 6371.0;

    private SyntheticMatrices()
    {
    }

    /**
     * A random geometric graph on the globe: POPs uniform on land-ish latitudes, the direct
     * Internet path's RTT = great-circle fibre RTT × a route inflation drawn per pair (log-normal,
     * median 1.4, so triangle-inequality violations are common and relaying pays), + 1–4 ms of
     * access; 8% of pairs have no direct link.
     *
     * @param pops POPs.
     * @param seed seed.
     * @return the matrix.
     */
    static SimMatrix geometric(final int pops, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] lat = new double[pops];
        final double[] lon = new double[pops];
        for (int i = 0; i < pops; i++)
        {
            lat[i] = Math.toDegrees(Math.asin(random.nextDouble(-0.85, 0.95)));
            lon[i] = random.nextDouble(-180, 180);
        }
        final List<String> lines = new ArrayList<>();
        lines.add("src,dst,rtt_ms");
        for (int a = 0; a < pops; a++)
        {
            for (int b = a + 1; b < pops; b++)
            {
                if (random.nextDouble() < 0.08)
                {
                    continue;
                }
                final double km = greatCircleKm(lat[a], lon[a], lat[b], lon[b]);
                final double inflation = Math.exp(Math.log(1.4) + 0.3 * random.nextGaussian());
                final double rtt = Math.max(1.0, km * MS_PER_KM * Math.max(1.0, inflation) + random.nextDouble(1, 4));
                lines.add(String.format(Locale.ROOT, "g%d,g%d,%.2f", a, b, rtt));
            }
        }
        return SimMatrix.parse(lines, "geometric-" + pops + "-" + seed);
    }

    /**
     * Two regions joined through a few gateway POPs: inside a region, a plane with mild inflation;
     * between regions, the direct Internet path crosses a congested transit (RTT × 1.3–2.2 + 20 ms),
     * while the gateways' inter-region links are clean. Relaying through a gateway pair is the
     * structure the optimizer must find.
     *
     * @param pops POPs (half per region).
     * @param seed seed.
     * @return the matrix.
     */
    static SimMatrix twoRegions(final int pops, final long seed)
    {
        final SplittableRandom random = new SplittableRandom(seed);
        final double[] x = new double[pops];
        final double[] y = new double[pops];
        final boolean[] gateway = new boolean[pops];
        for (int i = 0; i < pops; i++)
        {
            final boolean east = i % 2 == 1;
            x[i] = (east ? 90 : 0) + random.nextDouble(0, 40);
            y[i] = random.nextDouble(0, 30);
            gateway[i] = i < 6;
        }
        final List<String> lines = new ArrayList<>();
        lines.add("src,dst,rtt_ms");
        for (int a = 0; a < pops; a++)
        {
            for (int b = a + 1; b < pops; b++)
            {
                final double distance = Math.hypot(x[a] - x[b], y[a] - y[b]);
                double rtt = distance * random.nextDouble(1.0, 1.3) + 1;
                final boolean crossing = a % 2 != b % 2;
                if (crossing && !(gateway[a] && gateway[b]))
                {
                    rtt = rtt * random.nextDouble(1.3, 2.2) + 20;
                }
                lines.add(String.format(Locale.ROOT, "r%d,r%d,%.2f", a, b, rtt));
            }
        }
        return SimMatrix.parse(lines, "two-regions-" + pops + "-" + seed);
    }

    /**
     * @return the shared WonderProxy matrix file, or null when absent (looked for beside the
     * clone and beside its parent, for worktrees).
     */
    static Path wonderProxyFile()
    {
        final String root = System.getProperty("flyover.root", ".");
        for (final String up : new String[]{"..", "../.."})
        {
            final Path file = Path.of(root, up, "shared", "data", "latency", "wonderproxy-100.csv");
            if (Files.isReadable(file))
            {
                return file;
            }
        }
        return null;
    }

    /**
     * @param file the WonderProxy CSV.
     * @param pops how many POPs to keep: the first ones named in the file.
     * @return the sub-matrix among them.
     */
    static SimMatrix subset(final Path file, final int pops)
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(file);
        }
        catch (final java.io.IOException ex)
        {
            throw new IllegalStateException(ex);
        }
        final Set<String> keep = new LinkedHashSet<>();
        for (int i = 1; i < lines.size() && keep.size() < pops; i++)
        {
            final String[] f = lines.get(i).split(",");
            for (int j = 0; j < 2 && keep.size() < pops; j++)
            {
                keep.add(f[j].trim());
            }
        }
        final List<String> kept = new ArrayList<>();
        kept.add(lines.get(0));
        for (int i = 1; i < lines.size(); i++)
        {
            final String[] f = lines.get(i).split(",");
            if (f.length >= 3 && keep.contains(f[0].trim()) && keep.contains(f[1].trim()))
            {
                kept.add(lines.get(i));
            }
        }
        return SimMatrix.parse(kept, file + " (first " + pops + " POPs)");
    }

    private static double greatCircleKm(final double lat1, final double lon1, final double lat2, final double lon2)
    {
        final double p1 = Math.toRadians(lat1);
        final double p2 = Math.toRadians(lat2);
        final double dp = p2 - p1;
        final double dl = Math.toRadians(lon2 - lon1);
        final double h = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
        return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1.0, Math.sqrt(h)));
    }
}
