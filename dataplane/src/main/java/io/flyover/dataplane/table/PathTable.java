package io.flyover.dataplane.table;

import io.flyover.dataplane.hash.XxHash64;
import io.flyover.dataplane.lb.MaglevFill;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * The routes new flows take to one egress POP: {@link #BUCKET_COUNT} buckets, each holding the
 * index of a route, filled from route weights by the Maglev weighted fill ({@link MaglevFill}) so
 * that changing one weight moves few buckets and so few new flows change path. Built by the
 * control plane (static weights from config now, the optimizer's weights later), immutable,
 * read by workers: {@link #packedRoute(long)} is one array read and allocates nothing.
 * <p>
 * A flow's bucket is the top 16 bits of its flow hash ({@code flowHash >>> 48}); Maglev uses the
 * low 32 bits, so route and backend choices of one flow are not correlated.
 * <p>
 * Deterministic: routes are sorted by their packed form, and each route's permutation comes from
 * {@link XxHash64} of its packed form (8 bytes, big-endian) with {@link #OFFSET_SEED} and
 * {@link #SKIP_SEED}. The same routes and weights give the same table on every host, as several
 * hosts of one POP behind ECMP will need. With {@code 2^16} buckets (not prime) each
 * permutation's step is made odd so it still visits every bucket.
 */
public final class PathTable
{
    /** Number of buckets. */
    public static final int BUCKET_COUNT = 1 << 16;

    /** Returned by {@link #routeIndex(long)} when no route has weight. */
    public static final int NO_ROUTE = -1;

    /** Returned by {@link #packedRoute(long)} when no route has weight: no valid route packs to 0. */
    public static final long NO_PACKED_ROUTE = 0;

    /** Seed of the hash that gives a route's permutation offset. Fixed forever. */
    public static final long OFFSET_SEED = 0x466C_794F_5061_7431L;

    /** Seed of the hash that gives a route's permutation skip. Fixed forever. */
    public static final long SKIP_SEED = 0x466C_794F_5061_7432L;

    private static final char EMPTY_BUCKET = 0xFFFF;

    private final int egressPopId;
    private final List<WeightedRoute> routes;
    private final long[] packedRoutes;
    private final char[] buckets;
    private final int[] bucketsPerRoute;

    private PathTable(
        final int egressPopId, final List<WeightedRoute> routes, final long[] packedRoutes, final char[] buckets,
        final int[] bucketsPerRoute)
    {
        this.egressPopId = egressPopId;
        this.routes = routes;
        this.packedRoutes = packedRoutes;
        this.buckets = buckets;
        this.bucketsPerRoute = bucketsPerRoute;
    }

    /**
     * Builds the table.
     *
     * @param egressPopId the POP every route ends at.
     * @param routes      routes from one ingress POP to it, with weights, in any order; no route twice.
     * @return the table.
     */
    public static PathTable build(final int egressPopId, final Collection<WeightedRoute> routes)
    {
        return new Builder().build(egressPopId, routes);
    }

    /**
     * Builds path tables reusing one fill array of {@link #BUCKET_COUNT} slots between builds, for
     * a control plane that rebuilds tables often; the tables it returns are the same as
     * {@link PathTable#build}'s and share nothing with it. One thread at a time (the control plane's).
     */
    public static final class Builder
    {
        private final int[] slots = new int[BUCKET_COUNT];

        /**
         * Builds a table.
         *
         * @param egressPopId the POP every route ends at.
         * @param routes      routes from one ingress POP to it, with weights, in any order; no route twice.
         * @return the table.
         */
        public PathTable build(final int egressPopId, final Collection<WeightedRoute> routes)
        {
            if (routes.size() >= EMPTY_BUCKET)
            {
                throw new IllegalArgumentException("too many routes: " + routes.size());
            }

            final List<WeightedRoute> sorted = new ArrayList<>(routes);
            sorted.sort(Comparator.comparingLong(r -> r.route().packed()));

            final int count = sorted.size();
            final long[] packed = new long[count];
            final long[] offsetHashes = new long[count];
            final long[] skipHashes = new long[count];
            final int[] weights = new int[count];
            for (int i = 0; i < count; i++)
            {
                final Route route = sorted.get(i).route();
                if (route.egressPop() != egressPopId)
                {
                    throw new IllegalArgumentException(route + " does not end at egress POP " + egressPopId);
                }
                if (route.ingressPop() != sorted.get(0).route().ingressPop())
                {
                    throw new IllegalArgumentException("routes of one path table start at one ingress POP: " + route);
                }
                if (i > 0 && packed[i - 1] == route.packed())
                {
                    throw new IllegalArgumentException("route listed twice: " + route);
                }
                packed[i] = route.packed();
                final byte[] identity = bigEndian(packed[i]);
                offsetHashes[i] = XxHash64.hash(identity, OFFSET_SEED);
                skipHashes[i] = XxHash64.hash(identity, SKIP_SEED);
                weights[i] = sorted.get(i).weight();
            }

            final int[] filled = slots;
            MaglevFill.fill(offsetHashes, skipHashes, weights, count, filled);
            final char[] buckets = new char[BUCKET_COUNT];
            final int[] perRoute = new int[count];
            for (int b = 0; b < BUCKET_COUNT; b++)
            {
                final int index = filled[b];
                if (MaglevFill.EMPTY == index)
                {
                    buckets[b] = EMPTY_BUCKET;
                }
                else
                {
                    buckets[b] = (char)index;
                    perRoute[index]++;
                }
            }
            return new PathTable(egressPopId, List.copyOf(sorted), packed, buckets, perRoute);
        }
    }

    /**
     * @param flowHash a new flow's hash; its top 16 bits choose the bucket.
     * @return the index of its route in {@link #routes()}, or {@link #NO_ROUTE}.
     */
    public int routeIndex(final long flowHash)
    {
        final char index = buckets[(int)(flowHash >>> 48)];
        return EMPTY_BUCKET == index ? NO_ROUTE : index;
    }

    /**
     * @param flowHash a new flow's hash.
     * @return its route, packed as {@link Route#packed()} for the flow entry, or {@link #NO_PACKED_ROUTE}.
     */
    public long packedRoute(final long flowHash)
    {
        final char index = buckets[(int)(flowHash >>> 48)];
        return EMPTY_BUCKET == index ? NO_PACKED_ROUTE : packedRoutes[index];
    }

    /**
     * @param bucket a bucket, {@code 0..BUCKET_COUNT-1}.
     * @return the route index in it, or {@link #NO_ROUTE}.
     */
    public int routeIndexAt(final int bucket)
    {
        final char index = buckets[bucket];
        return EMPTY_BUCKET == index ? NO_ROUTE : index;
    }

    /**
     * @param routeIndex an index into {@link #routes()}.
     * @return how many buckets hold it (counted when the table was built).
     */
    public int bucketsOf(final int routeIndex)
    {
        return routeIndex >= 0 && routeIndex < bucketsPerRoute.length ? bucketsPerRoute[routeIndex] : 0;
    }

    /**
     * @return the egress POP.
     */
    public int egressPopId()
    {
        return egressPopId;
    }

    /**
     * @return the routes with their weights, in canonical (packed) order; indices refer to this list.
     */
    public List<WeightedRoute> routes()
    {
        return routes;
    }

    /**
     * @return XXH64 (seed 0) of the buckets as 16-bit little-endian route indices (0xFFFF empty).
     */
    public long digest()
    {
        final byte[] bytes = new byte[BUCKET_COUNT * 2];
        for (int i = 0; i < BUCKET_COUNT; i++)
        {
            bytes[2 * i] = (byte)buckets[i];
            bytes[2 * i + 1] = (byte)(buckets[i] >>> 8);
        }
        return XxHash64.hash(bytes, 0);
    }

    private static byte[] bigEndian(final long value)
    {
        final byte[] bytes = new byte[8];
        for (int i = 0; i < 8; i++)
        {
            bytes[i] = (byte)(value >>> (56 - 8 * i));
        }
        return bytes;
    }
}
