package io.flyover.tools.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The demo's network, a pure function of (seed, pair, time) so any moment can be asked in any
 * order. Between every two POPs there is one link in the world: a backbone circuit where the
 * operator has one ({@link #CIRCUITS}), else a public Internet path. The direct Internet path a
 * client would take to the region without Flyover is the public Internet model of its city and
 * the region, whether or not a circuit joins them.
 * <ul>
 * <li><b>Fiber.</b> RTT over fiber along the great circle = 2 × distance / (2/3 c) = distance /
 * 100 km per ms (light in silica fiber travels at about c / 1.47).</li>
 * <li><b>Backbone circuit.</b> Fiber RTT × a route factor drawn per circuit in
 * [{@value #BACKBONE_FACTOR_MIN}, {@value #BACKBONE_FACTOR_MAX}] (cables do not follow the great
 * circle), plus queueing noise: exponential, mean {@value #BACKBONE_NOISE} of base, redrawn every
 * 100 ms.</li>
 * <li><b>Public Internet.</b> Fiber RTT × an inflation drawn per pair in
 * [{@value #INTERNET_INFLATION_MIN}, {@value #INTERNET_INFLATION_MAX}] (BGP paths detour, peer far
 * away, and queue), slow noise ±{@value #INTERNET_SLOW} of base (knots every 5 s) and fast noise
 * exponential with mean {@value #INTERNET_NOISE} of base; some pairs get a congestion episode.</li>
 * <li><b>Scripted episodes.</b> A congestion episode on the FRA–MUM circuit from 20% to 65% of the
 * run (+150% of base +20 ms, 1% loss) and the FRA–NYC circuit cut at 75% until the end.</li>
 * </ul>
 * Immutable; any thread.
 */
public final class DemoModel
{
    /** Fiber: km of great circle per ms of RTT (2/3 c both ways). */
    public static final double KM_PER_RTT_MS = 100.0;
    /** Backbone route factor, lower bound. */
    public static final double BACKBONE_FACTOR_MIN = 1.15;
    /** Backbone route factor, upper bound. */
    public static final double BACKBONE_FACTOR_MAX = 1.35;
    /** Backbone queueing noise, mean fraction of base. */
    public static final double BACKBONE_NOISE = 0.01;
    /** Public Internet inflation over fiber RTT, lower bound. */
    public static final double INTERNET_INFLATION_MIN = 1.5;
    /** Public Internet inflation over fiber RTT, upper bound. */
    public static final double INTERNET_INFLATION_MAX = 3.0;
    /** Public Internet slow noise amplitude, fraction of base. */
    public static final double INTERNET_SLOW = 0.05;
    /** Public Internet fast noise, mean fraction of base. */
    public static final double INTERNET_NOISE = 0.03;
    /** Chance that a public Internet pair has one congestion episode in the run. */
    public static final double INTERNET_EPISODE_CHANCE = 0.3;
    /** Time before the first flow: the optimizer learns links and brings paths up. */
    public static final long WARMUP_NS = 3_000_000_000L;

    static final long FAST_CELL_NS = 100_000_000L;
    static final long SLOW_KNOT_NS = 5_000_000_000L;

    /** Backbone circuits, by city code: roughly where carriers lay cable between these cities. */
    static final String[][] CIRCUITS = {
        {"FRA", "LON"}, {"LON", "NYC"}, {"FRA", "NYC"}, {"NYC", "SAO"},
        {"FRA", "MUM"}, {"MUM", "SIN"}, {"SIN", "TYO"}, {"SIN", "SYD"},
    };

    /** The scripted backbone congestion: this circuit... */
    static final String[] CONGESTED = {"FRA", "MUM"};
    /** ...and the scripted cut. */
    static final String[] CUT = {"FRA", "NYC"};

    /**
     * A time window on one link.
     *
     * @param kind     {@code congestion} or {@code down}.
     * @param a        one POP id.
     * @param b        the other.
     * @param backbone on the backbone circuit (else the public Internet path).
     * @param startNs  start (run time).
     * @param endNs    end.
     * @param extraMs  RTT added.
     * @param loss     loss added, 0..1.
     */
    public record Episode(String kind, int a, int b, boolean backbone, long startNs, long endNs, double extraMs, double loss)
    {
        boolean activeAt(final long nowNs)
        {
            return nowNs >= startNs && nowNs < endNs;
        }

        boolean on(final int x, final int y)
        {
            return (a == x && b == y) || (a == y && b == x);
        }

        /**
         * @return "FRA-MUM".
         */
        public String linkName()
        {
            return DemoCity.of(a).code() + "-" + DemoCity.of(b).code();
        }
    }

    private final long seed;
    private final long durationNs;
    private final int n;
    private final double[][] fiberMs;
    private final double[][] backboneFactor;
    private final double[][] inflation;
    private final List<Episode> episodes = new ArrayList<>();
    private final Episode congestion;
    private final Episode cut;

    /**
     * @param seed       seeds the draws.
     * @param durationNs length of the run.
     */
    public DemoModel(final long seed, final long durationNs)
    {
        this.seed = seed;
        this.durationNs = durationNs;
        this.n = DemoCity.ALL.size();
        fiberMs = new double[n + 1][n + 1];
        backboneFactor = new double[n + 1][n + 1];
        inflation = new double[n + 1][n + 1];
        final SplittableRandom random = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
        for (int a = 1; a <= n; a++)
        {
            for (int b = a + 1; b <= n; b++)
            {
                final double fiber = DemoCity.of(a).distanceKm(DemoCity.of(b)) / KM_PER_RTT_MS;
                final double infl = random.nextDouble(INTERNET_INFLATION_MIN, INTERNET_INFLATION_MAX);
                final double factor = random.nextDouble(BACKBONE_FACTOR_MIN, BACKBONE_FACTOR_MAX);
                fiberMs[a][b] = fiber;
                fiberMs[b][a] = fiber;
                inflation[a][b] = infl;
                inflation[b][a] = infl;
                if (isCircuit(a, b))
                {
                    backboneFactor[a][b] = factor;
                    backboneFactor[b][a] = factor;
                }
            }
        }
        final int ca = id(CONGESTED[0]);
        final int cb = id(CONGESTED[1]);
        congestion = new Episode("congestion", ca, cb, true, durationNs * 20 / 100, durationNs * 65 / 100,
            baseRttMs(ca, cb) * 1.5 + 20, 0.01);
        cut = new Episode("down", id(CUT[0]), id(CUT[1]), true, durationNs * 75 / 100, Long.MAX_VALUE, 0, 0);
        episodes.add(congestion);
        episodes.add(cut);
        final long window = durationNs - WARMUP_NS;
        for (int a = 1; a <= n; a++)
        {
            for (int b = a + 1; b <= n; b++)
            {
                if (random.nextDouble() < INTERNET_EPISODE_CHANCE && window > 0)
                {
                    final long length = (long)(random.nextDouble(0.1, 0.3) * window);
                    final long start = WARMUP_NS + (long)(random.nextDouble() * (window - length));
                    final double extra = internetBaseMs(a, b) * random.nextDouble(0.3, 1.0) + random.nextDouble(5, 30);
                    episodes.add(new Episode("congestion", a, b, false, start, start + length, extra, 0.002));
                }
            }
        }
    }

    static int id(final String code)
    {
        for (final DemoCity city : DemoCity.ALL)
        {
            if (city.code().equals(code))
            {
                return city.id();
            }
        }
        throw new IllegalArgumentException("no city " + code);
    }

    /**
     * @param a one POP id.
     * @param b the other.
     * @return a backbone circuit joins them.
     */
    public static boolean isCircuit(final int a, final int b)
    {
        final String x = DemoCity.of(a).code();
        final String y = DemoCity.of(b).code();
        for (final String[] circuit : CIRCUITS)
        {
            if ((circuit[0].equals(x) && circuit[1].equals(y)) || (circuit[0].equals(y) && circuit[1].equals(x)))
            {
                return true;
            }
        }
        return false;
    }

    /**
     * @return POPs.
     */
    public int pops()
    {
        return n;
    }

    /**
     * @return length of the run.
     */
    public long durationNs()
    {
        return durationNs;
    }

    /**
     * @return every episode: the two scripted ones first.
     */
    public List<Episode> episodes()
    {
        return List.copyOf(episodes);
    }

    /**
     * @return the scripted backbone congestion.
     */
    public Episode congestion()
    {
        return congestion;
    }

    /**
     * @return the scripted cut.
     */
    public Episode cut()
    {
        return cut;
    }

    /**
     * @param a one POP id.
     * @param b the other.
     * @return great-circle fiber RTT, ms.
     */
    public double fiberMs(final int a, final int b)
    {
        return fiberMs[a][b];
    }

    /**
     * @param a one POP id.
     * @param b the other.
     * @return the circuit's route factor, 0 without a circuit.
     */
    public double backboneFactor(final int a, final int b)
    {
        return backboneFactor[a][b];
    }

    /**
     * @param a one POP id.
     * @param b the other.
     * @return the public Internet inflation over fiber RTT.
     */
    public double inflation(final int a, final int b)
    {
        return inflation[a][b];
    }

    /**
     * @param a one POP id.
     * @param b the other.
     * @return RTT without noise or episodes of the world's link between them (circuit or Internet).
     */
    public double baseRttMs(final int a, final int b)
    {
        return isCircuit(a, b) ? fiberMs[a][b] * backboneFactor[a][b] : internetBaseMs(a, b);
    }

    /**
     * @param a one POP id.
     * @param b the other.
     * @return public Internet RTT without noise or episodes.
     */
    public double internetBaseMs(final int a, final int b)
    {
        return fiberMs[a][b] * inflation[a][b];
    }

    /**
     * @param a     one POP id.
     * @param b     the other.
     * @param nowNs run time.
     * @return RTT of the world's link between them now, ms.
     */
    public double linkRttMs(final int a, final int b, final long nowNs)
    {
        return isCircuit(a, b) ? backboneRttMs(a, b, nowNs) : internetRttMs(a, b, nowNs);
    }

    /**
     * @param a     one POP id.
     * @param b     the other.
     * @param nowNs run time.
     * @return loss of the world's link between them now.
     */
    public double linkLoss(final int a, final int b, final long nowNs)
    {
        return loss(a, b, isCircuit(a, b), nowNs);
    }

    /**
     * @param a     one POP id.
     * @param b     the other.
     * @param nowNs run time.
     * @return the world's link between them is up.
     */
    public boolean linkUp(final int a, final int b, final long nowNs)
    {
        final boolean backbone = isCircuit(a, b);
        for (final Episode e : episodes)
        {
            if (e.backbone() == backbone && e.extraMs() == 0 && e.loss() == 0 && e.on(a, b) && e.activeAt(nowNs))
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @param a     one POP id.
     * @param b     the other.
     * @param nowNs run time.
     * @return the public Internet RTT between them now, ms (the direct path's, when b is the region).
     */
    public double internetRttMs(final int a, final int b, final long nowNs)
    {
        final double base = internetBaseMs(a, b);
        final int key = Math.min(a, b) * 64 + Math.max(a, b);
        final long knot = Math.floorDiv(nowNs, SLOW_KNOT_NS);
        final double frac = (nowNs - knot * SLOW_KNOT_NS) / (double)SLOW_KNOT_NS;
        final double u0 = uniform(key, knot, 1) * 2 - 1;
        final double u1 = uniform(key, knot + 1, 1) * 2 - 1;
        final double slow = INTERNET_SLOW * (u0 + (u1 - u0) * frac);
        final double fast = -Math.log(1.0 - uniform(key, Math.floorDiv(nowNs, FAST_CELL_NS), 2)) * INTERNET_NOISE;
        return base * (1.0 + slow + fast) + extraMs(a, b, false, nowNs);
    }

    /**
     * @param a     one POP id.
     * @param b     the other.
     * @param nowNs run time.
     * @return the public Internet loss between them now.
     */
    public double internetLoss(final int a, final int b, final long nowNs)
    {
        return loss(a, b, false, nowNs);
    }

    private double backboneRttMs(final int a, final int b, final long nowNs)
    {
        final double base = fiberMs[a][b] * backboneFactor[a][b];
        final int key = Math.min(a, b) * 64 + Math.max(a, b) + 4096;
        final double fast = -Math.log(1.0 - uniform(key, Math.floorDiv(nowNs, FAST_CELL_NS), 3)) * BACKBONE_NOISE;
        return base * (1.0 + fast) + extraMs(a, b, true, nowNs);
    }

    private double extraMs(final int a, final int b, final boolean backbone, final long nowNs)
    {
        double extra = 0;
        for (final Episode e : episodes)
        {
            if (e.backbone() == backbone && e.on(a, b) && e.activeAt(nowNs))
            {
                extra += e.extraMs();
            }
        }
        return extra;
    }

    private double loss(final int a, final int b, final boolean backbone, final long nowNs)
    {
        double pass = 1.0;
        for (final Episode e : episodes)
        {
            if (e.backbone() == backbone && e.on(a, b) && e.activeAt(nowNs))
            {
                pass *= 1.0 - e.loss();
            }
        }
        return 1.0 - pass;
    }

    private double uniform(final int key, final long cell, final int salt)
    {
        long z = seed * 0x9E3779B97F4A7C15L + key * 0xBF58476D1CE4E5B9L + cell * 0x94D049BB133111EBL + salt;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z = z ^ (z >>> 31);
        return (z >>> 11) * 0x1.0p-53;
    }
}
