package io.flyover.dataplane.lb;

import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MaglevTest
{
    @Test
    void shouldBalanceEqualWeightsWithinTwoPercent()
    {
        for (final int n : new int[]{1, 3, 10, 100, 655})
        {
            final Maglev maglev = Maglev.build(backends(n, 1));
            final int[] counts = slotCounts(maglev, n);
            final double ideal = (double)maglev.tableSize() / n;
            for (int id = 0; id < n; id++)
            {
                assertTrue(Math.abs(counts[id] - ideal) <= 0.02 * ideal,
                    "backend " + id + " of " + n + " has " + counts[id] + " slots, ideal " + ideal);
            }
        }
    }

    @Test
    void shouldBalanceFlowsWithinTwoPercent()
    {
        final int n = 10;
        final Maglev maglev = Maglev.build(backends(n, 100));
        final int[] counts = new int[n];
        final SplittableRandom random = new SplittableRandom(1);
        final int flows = 2_000_000;
        for (int i = 0; i < flows; i++)
        {
            counts[maglev.lookup(random.nextLong())]++;
        }
        for (final int count : counts)
        {
            assertTrue(Math.abs(count - flows / n) <= 0.02 * flows / n, "flows per backend " + count);
        }
    }

    @Test
    void shouldShareSlotsInProportionToWeight()
    {
        final List<Backend> pool = List.of(
            backend(0, 1), backend(1, 2), backend(2, 3), backend(3, 4), backend(4, 10));
        final Maglev maglev = Maglev.build(pool);
        final int[] counts = slotCounts(maglev, pool.size());
        final int totalWeight = 20;
        for (final Backend b : pool)
        {
            final double ideal = (double)maglev.tableSize() * b.weight() / totalWeight;
            assertTrue(Math.abs(counts[b.id()] - ideal) <= 0.03 * ideal,
                "backend " + b.id() + " weight " + b.weight() + " has " + counts[b.id()] + ", ideal " + ideal);
        }
    }

    @Test
    void shouldGiveDrainedBackendNoSlots()
    {
        final List<Backend> pool = new ArrayList<>(backends(5, 1));
        pool.set(2, backend(2, 0));
        final Maglev maglev = Maglev.build(pool);
        final int[] counts = slotCounts(maglev, 5);
        assertEquals(0, counts[2]);
        assertEquals(5, maglev.backends().size(), "a drained backend stays in the pool");
    }

    @Test
    void shouldReturnNoBackendWhenAllDrainedOrEmpty()
    {
        assertEquals(Maglev.NO_BACKEND, Maglev.build(List.of()).lookup(12345));
        final Maglev drained = Maglev.build(List.of(backend(0, 0), backend(1, 0)));
        assertEquals(Maglev.NO_BACKEND, drained.lookup(0));
        assertEquals(Maglev.NO_BACKEND, drained.lookup(-1));
    }

    @Test
    void shouldMoveAtMostOneNthPlusTwoPercentWhenOneBackendLeaves()
    {
        for (final int n : new int[]{5, 10, 50, 100})
        {
            final List<Backend> pool = backends(n, 1);
            final Maglev before = Maglev.build(pool);
            for (final int leaver : new int[]{0, n / 2, n - 1})
            {
                final List<Backend> remaining = new ArrayList<>(pool);
                remaining.remove(leaver);
                final Maglev after = Maglev.build(remaining);
                int moved = 0;
                for (int slot = 0; slot < before.tableSize(); slot++)
                {
                    if (before.backendIdAt(slot) != after.backendIdAt(slot))
                    {
                        moved++;
                    }
                }
                final double fraction = (double)moved / before.tableSize();
                assertTrue(fraction <= 1.0 / n + 0.02, n + " backends, " + leaver + " left: moved " + fraction);
            }
        }
    }

    @Test
    void shouldMoveFewKeysWhenOneBackendLeaves()
    {
        final int n = 20;
        final List<Backend> pool = backends(n, 1);
        final Maglev before = Maglev.build(pool);
        final List<Backend> remaining = new ArrayList<>(pool);
        remaining.remove(7);
        final Maglev after = Maglev.build(remaining);
        final SplittableRandom random = new SplittableRandom(2);
        final int keys = 500_000;
        int moved = 0;
        for (int i = 0; i < keys; i++)
        {
            final long hash = random.nextLong();
            if (before.lookup(hash) != after.lookup(hash))
            {
                moved++;
            }
        }
        assertTrue((double)moved / keys <= 1.0 / n + 0.02, "moved " + moved);
    }

    @Test
    void shouldNotDependOnInputOrder()
    {
        final List<Backend> pool = new ArrayList<>(backends(37, 3));
        final long digest = Maglev.build(pool).digest();
        final Random random = new Random(3);
        for (int i = 0; i < 5; i++)
        {
            Collections.shuffle(pool, random);
            assertEquals(digest, Maglev.build(pool).digest());
        }
    }

    /**
     * The same table in any process: this digest was computed once and must never change, or every
     * host built from an older version would disagree on backends.
     */
    @Test
    void shouldBuildTheGoldenTable() throws UnknownHostException
    {
        final List<Backend> pool = List.of(
            new Backend(0, "origin-a", InetAddress.getByAddress(new byte[]{10, 0, 0, 1}), 443, 1),
            new Backend(1, "origin-b", InetAddress.getByAddress(new byte[]{10, 0, 0, 2}), 443, 1),
            new Backend(2, "origin-c", InetAddress.getByAddress(new byte[]{10, 0, 0, 3}), 8443, 2),
            new Backend(7, "origin-v6", InetAddress.getByName("2001:db8::7"), 443, 1),
            new Backend(9, "origin-drained", InetAddress.getByAddress(new byte[]{10, 0, 0, 9}), 443, 0));
        final Maglev maglev = Maglev.build(pool);
        assertEquals(65_537, maglev.tableSize());
        assertEquals(GOLDEN_DIGEST, maglev.digest(), () -> String.format("digest 0x%016XL", maglev.digest()));
        assertEquals(GOLDEN_FIRST_SLOTS, firstSlots(maglev, 16), () -> firstSlots(maglev, 16));
        assertEquals(0, maglev.slotOf(0x0000_0000_0000_0000L));
        assertEquals(32_768, maglev.slotOf(0xFFFF_FFFF_8000_0000L), "the low 32 bits choose the slot");
        assertEquals(65_536, maglev.slotOf(0x0000_0000_FFFF_FFFFL));
    }

    private static final long GOLDEN_DIGEST = 0x44E744B20D615131L;
    private static final String GOLDEN_FIRST_SLOTS = "2,2,1,2,0,2,2,1,7,0,2,2,1,2,0,2";

    @Test
    void shouldRejectBadSizesAndDuplicates()
    {
        assertThrows(IllegalArgumentException.class, () -> Maglev.build(backends(3, 1), 65_536));
        assertThrows(IllegalArgumentException.class, () -> Maglev.build(backends(700, 1), 65_537));
        assertThrows(IllegalArgumentException.class, () -> Maglev.build(List.of(backend(1, 1), backend(1, 1))));
        assertThrows(IllegalArgumentException.class,
            () -> Maglev.build(List.of(backend(1, 1), new Backend(1, "other", address(1), 80, 1))));
    }

    @Test
    void shouldSizeTablesPrimeAndLargeEnough()
    {
        assertEquals(65_537, Maglev.tableSizeFor(0));
        assertEquals(65_537, Maglev.tableSizeFor(655));
        final int size = Maglev.tableSizeFor(1000);
        assertTrue(Maglev.isPrime(size) && size >= 100_000 && size < 100_100, "size " + size);
        assertEquals(1000, Maglev.build(backends(1000, 1)).backends().size());
        assertNotEquals(Maglev.build(backends(4, 1)).digest(), Maglev.build(backends(5, 1)).digest());
    }

    static List<Backend> backends(final int count, final int weight)
    {
        final List<Backend> backends = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            backends.add(new Backend(i, "backend-" + i, address(i), 8080, weight));
        }
        return backends;
    }

    private static Backend backend(final int id, final int weight)
    {
        return new Backend(id, "backend-" + id, address(id), 8080, weight);
    }

    private static InetAddress address(final int i)
    {
        try
        {
            return InetAddress.getByAddress(new byte[]{10, 1, (byte)(i >>> 8), (byte)i});
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }

    private static int[] slotCounts(final Maglev maglev, final int maxId)
    {
        final int[] counts = new int[maxId];
        for (int slot = 0; slot < maglev.tableSize(); slot++)
        {
            counts[maglev.backendIdAt(slot)]++;
        }
        return counts;
    }

    private static String firstSlots(final Maglev maglev, final int count)
    {
        final StringBuilder sb = new StringBuilder();
        for (int slot = 0; slot < count; slot++)
        {
            sb.append(slot > 0 ? "," : "").append(maglev.backendIdAt(slot));
        }
        return sb.toString();
    }
}
