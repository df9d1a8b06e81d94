package io.flyover.dataplane.table;

import io.flyover.dataplane.AllocationMeter;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PathTableTest
{
    private static final int EGRESS = 9;

    @Test
    void shouldShareBucketsInProportionToWeight()
    {
        final List<WeightedRoute> routes = List.of(
            new WeightedRoute(Route.of(1, EGRESS), 5),
            new WeightedRoute(Route.of(1, 2, EGRESS), 3),
            new WeightedRoute(Route.of(1, 3, EGRESS), 2),
            new WeightedRoute(Route.of(1, 2, 3, EGRESS), 0));
        final PathTable table = PathTable.build(EGRESS, routes);
        int total = 0;
        for (int i = 0; i < table.routes().size(); i++)
        {
            final WeightedRoute route = table.routes().get(i);
            final int buckets = table.bucketsOf(i);
            final double ideal = PathTable.BUCKET_COUNT * route.weight() / 10.0;
            assertTrue(Math.abs(buckets - ideal) <= 0.01 * PathTable.BUCKET_COUNT, route + " has " + buckets);
            total += buckets;
        }
        assertEquals(PathTable.BUCKET_COUNT, total);
    }

    @Test
    void shouldReturnTheRouteOfTheFlowsBucket()
    {
        final PathTable table = PathTable.build(EGRESS, List.of(
            new WeightedRoute(Route.of(1, EGRESS), 1), new WeightedRoute(Route.of(1, 4, EGRESS), 1)));
        for (final long hash : new long[]{0L, -1L, 0x1234_0000_0000_0000L, 0x1234_FFFF_FFFF_FFFFL})
        {
            final int index = table.routeIndex(hash);
            assertEquals(table.routeIndexAt((int)(hash >>> 48)), index);
            assertEquals(table.routes().get(index).route().packed(), table.packedRoute(hash));
        }
        assertEquals(table.routeIndex(0x1234_0000_0000_0000L), table.routeIndex(0x1234_FFFF_FFFF_FFFFL),
            "only the top 16 bits choose the bucket");
    }

    @Test
    void shouldHaveNoRouteWhenNoRouteHasWeight()
    {
        final PathTable none = PathTable.build(EGRESS, List.of());
        assertEquals(PathTable.NO_ROUTE, none.routeIndex(42));
        assertEquals(PathTable.NO_PACKED_ROUTE, none.packedRoute(42));
        final PathTable drained = PathTable.build(EGRESS, List.of(new WeightedRoute(Route.of(1, EGRESS), 0)));
        assertEquals(PathTable.NO_ROUTE, drained.routeIndex(-1));
    }

    @Test
    void shouldMoveFewBucketsWhenAWeightChanges()
    {
        final List<WeightedRoute> before = routes(1, 1, 1, 1);
        final List<WeightedRoute> after = routes(1, 1, 1, 2);
        final double moved = movedFraction(PathTable.build(EGRESS, before), PathTable.build(EGRESS, after));
        // the share of the last route goes from 1/4 to 2/5: at least 15% of buckets must move
        assertTrue(moved >= 0.15 && moved <= 0.15 + 0.05, "moved " + moved);
    }

    @Test
    void shouldMoveAtMostOneNthPlusTwoPercentWhenARouteIsDrained()
    {
        final List<WeightedRoute> before = routes(1, 1, 1, 1, 1);
        final List<WeightedRoute> after = routes(1, 1, 0, 1, 1);
        final double moved = movedFraction(PathTable.build(EGRESS, before), PathTable.build(EGRESS, after));
        assertTrue(moved <= 1.0 / 5 + 0.02, "moved " + moved);
    }

    @Test
    void shouldNotDependOnInputOrder()
    {
        final List<WeightedRoute> routes = new ArrayList<>(routes(3, 1, 4, 1, 5));
        final long digest = PathTable.build(EGRESS, routes).digest();
        final Random random = new Random(5);
        for (int i = 0; i < 5; i++)
        {
            Collections.shuffle(routes, random);
            assertEquals(digest, PathTable.build(EGRESS, routes).digest());
        }
    }

    /**
     * Every host computing this table from the same routes and weights must agree: the digest was
     * computed once and must never change.
     */
    @Test
    void shouldBuildTheGoldenTable()
    {
        final PathTable table = PathTable.build(EGRESS, List.of(
            new WeightedRoute(Route.of(1, EGRESS), 60),
            new WeightedRoute(Route.of(1, 2, EGRESS), 25),
            new WeightedRoute(Route.of(1, 3, 2, EGRESS), 15)));
        assertEquals(GOLDEN_DIGEST, table.digest(), () -> String.format("digest 0x%016XL", table.digest()));
    }

    private static final long GOLDEN_DIGEST = 0x103264A509244E54L;

    @Test
    void shouldRejectRoutesThatDoNotFit()
    {
        assertThrows(IllegalArgumentException.class,
            () -> PathTable.build(EGRESS, List.of(new WeightedRoute(Route.of(1, 2), 1))));
        assertThrows(IllegalArgumentException.class, () -> PathTable.build(EGRESS, List.of(
            new WeightedRoute(Route.of(1, EGRESS), 1), new WeightedRoute(Route.of(2, EGRESS), 1))));
        assertThrows(IllegalArgumentException.class, () -> PathTable.build(EGRESS, List.of(
            new WeightedRoute(Route.of(1, EGRESS), 1), new WeightedRoute(Route.of(1, EGRESS), 2))));
        assertThrows(IllegalArgumentException.class, () -> new WeightedRoute(Route.of(1, EGRESS), -1));
    }

    @Test
    void shouldLookUpWithoutAllocating()
    {
        final PathTable table = PathTable.build(EGRESS, routes(1, 2, 3));
        final long[] sink = new long[1];
        final long bytes = AllocationMeter.bytesAllocatedBy(() ->
        {
            for (long i = 0; i < 100_000; i++)
            {
                sink[0] += table.packedRoute(i * 0x9E37_79B9_7F4A_7C15L) + table.routeIndex(i);
            }
        });
        assertEquals(0, bytes);
    }

    private static List<WeightedRoute> routes(final int... weights)
    {
        final List<WeightedRoute> routes = new ArrayList<>();
        for (int i = 0; i < weights.length; i++)
        {
            routes.add(new WeightedRoute(Route.of(1, 10 + i, EGRESS), weights[i]));
        }
        return routes;
    }

    private static double movedFraction(final PathTable before, final PathTable after)
    {
        int moved = 0;
        for (int b = 0; b < PathTable.BUCKET_COUNT; b++)
        {
            final int was = before.routeIndexAt(b);
            final int is = after.routeIndexAt(b);
            if (!before.routes().get(was).route().equals(after.routes().get(is).route()))
            {
                moved++;
            }
        }
        return (double)moved / PathTable.BUCKET_COUNT;
    }
}
