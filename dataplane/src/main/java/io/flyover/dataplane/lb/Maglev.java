package io.flyover.dataplane.lb;

import io.flyover.dataplane.hash.XxHash64;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * A service's Maglev lookup table: flow hash → backend id, the same in every process that builds
 * it from the same backends (Eisenbud et al., NSDI 2016). Built once by the control plane,
 * immutable afterwards, read by any number of worker threads; {@link #lookup(long)} allocates
 * nothing.
 * <p>
 * <b>Determinism.</b> Backends are sorted by {@link Backend#identity()} (unsigned lexicographic)
 * before filling, so the table does not depend on the order they were given in. Each backend's
 * permutation comes from {@link XxHash64} of its identity with two fixed seeds,
 * {@link #OFFSET_SEED} and {@link #SKIP_SEED}. Nothing depends on {@code String.hashCode},
 * identity hashes or the platform. {@link #digest()} lets hosts compare tables.
 * <p>
 * <b>Size.</b> The table size is prime and at least {@link #SLOTS_PER_BACKEND} times the number
 * of backends; {@link #DEFAULT_TABLE_SIZE} (65,537) serves up to 655 backends.
 * <p>
 * <b>Weights.</b> A backend's share of slots is its weight over the sum of weights (see
 * {@link MaglevFill}). Weight 0 drains: no slots, so no new flows; flows already pinned to it by
 * a flow table keep going to it, because a flow entry stores the backend id, not a slot.
 * <p>
 * <b>Lookup.</b> The slot is {@code ((flowHash & 0xFFFFFFFF) * size) >>> 32}: the low 32 bits of
 * the flow hash scaled onto the table (multiply-shift, no division). The table holds backend ids
 * as 16-bit chars, 128 KiB at the default size.
 */
public final class Maglev
{
    /** Default and minimum table size: prime. */
    public static final int DEFAULT_TABLE_SIZE = 65_537;

    /** The table is at least this many slots per backend, as the paper recommends. */
    public static final int SLOTS_PER_BACKEND = 100;

    /** Returned by {@link #lookup(long)} when no backend has weight. */
    public static final int NO_BACKEND = -1;

    /** Seed of the hash that gives a backend's permutation offset. Fixed forever: changing it moves every flow. */
    public static final long OFFSET_SEED = 0x466C_794F_7665_7231L;

    /** Seed of the hash that gives a backend's permutation skip. Fixed forever: changing it moves every flow. */
    public static final long SKIP_SEED = 0x466C_794F_7665_7232L;

    private static final char EMPTY_SLOT = 0xFFFF;

    private final char[] table;
    private final List<Backend> backends;

    private Maglev(final char[] table, final List<Backend> backends)
    {
        this.table = table;
        this.backends = backends;
    }

    /**
     * Builds the table at {@link #tableSizeFor(int)} slots.
     *
     * @param backends the pool, in any order; ids and identities must be unique.
     * @return the table.
     */
    public static Maglev build(final Collection<Backend> backends)
    {
        return build(backends, tableSizeFor(backends.size()));
    }

    /**
     * Builds the table.
     *
     * @param backends  the pool, in any order; ids and identities must be unique.
     * @param tableSize a prime {@code >= SLOTS_PER_BACKEND * backends.size()}.
     * @return the table.
     */
    public static Maglev build(final Collection<Backend> backends, final int tableSize)
    {
        if (!isPrime(tableSize))
        {
            throw new IllegalArgumentException("Maglev table size must be prime: " + tableSize);
        }
        if ((long)tableSize < (long)SLOTS_PER_BACKEND * backends.size())
        {
            throw new IllegalArgumentException(
                "Maglev table size " + tableSize + " < " + SLOTS_PER_BACKEND + " x " + backends.size() + " backends");
        }

        final List<Identified> sorted = new ArrayList<>(backends.size());
        for (final Backend backend : backends)
        {
            sorted.add(new Identified(backend, backend.identity()));
        }
        sorted.sort(Comparator.comparing(Identified::identity, Arrays::compareUnsigned));

        final int count = sorted.size();
        final long[] offsetHashes = new long[count];
        final long[] skipHashes = new long[count];
        final int[] weights = new int[count];
        final boolean[] seenIds = new boolean[Backend.MAX_ID + 1];
        final List<Backend> canonical = new ArrayList<>(count);
        for (int i = 0; i < count; i++)
        {
            final Identified entry = sorted.get(i);
            if (i > 0 && Arrays.equals(entry.identity(), sorted.get(i - 1).identity()))
            {
                throw new IllegalArgumentException("two backends with the same name, address and port: " + entry.backend());
            }
            if (seenIds[entry.backend().id()])
            {
                throw new IllegalArgumentException("duplicate backend id: " + entry.backend().id());
            }
            seenIds[entry.backend().id()] = true;
            offsetHashes[i] = XxHash64.hash(entry.identity(), OFFSET_SEED);
            skipHashes[i] = XxHash64.hash(entry.identity(), SKIP_SEED);
            weights[i] = entry.backend().weight();
            canonical.add(entry.backend());
        }

        final int[] filled = MaglevFill.fill(offsetHashes, skipHashes, weights, tableSize);
        final char[] table = new char[tableSize];
        for (int slot = 0; slot < tableSize; slot++)
        {
            final int index = filled[slot];
            table[slot] = MaglevFill.EMPTY == index ? EMPTY_SLOT : (char)canonical.get(index).id();
        }

        return new Maglev(table, List.copyOf(canonical));
    }

    /**
     * The backend for a new flow.
     *
     * @param flowHash the flow's hash; its low 32 bits choose the slot.
     * @return the backend id, or {@link #NO_BACKEND} when no backend has weight.
     */
    public int lookup(final long flowHash)
    {
        final char id = table[slot(flowHash, table.length)];
        return EMPTY_SLOT == id ? NO_BACKEND : id;
    }

    /**
     * @param flowHash a flow hash.
     * @return the slot {@link #lookup(long)} reads for it.
     */
    public int slotOf(final long flowHash)
    {
        return slot(flowHash, table.length);
    }

    /**
     * @param slot a slot, {@code 0 <= slot < tableSize()}.
     * @return the backend id in that slot, or {@link #NO_BACKEND}.
     */
    public int backendIdAt(final int slot)
    {
        final char id = table[slot];
        return EMPTY_SLOT == id ? NO_BACKEND : id;
    }

    /**
     * @return number of slots, a prime.
     */
    public int tableSize()
    {
        return table.length;
    }

    /**
     * @return the backends in canonical (identity) order, including drained ones.
     */
    public List<Backend> backends()
    {
        return backends;
    }

    /**
     * @return XXH64 (seed 0) of the table's slots as 16-bit little-endian backend ids, 0xFFFF for
     * empty: equal digests mean equal tables, on any host.
     */
    public long digest()
    {
        final byte[] bytes = new byte[table.length * 2];
        for (int i = 0; i < table.length; i++)
        {
            bytes[2 * i] = (byte)table[i];
            bytes[2 * i + 1] = (byte)(table[i] >>> 8);
        }
        return XxHash64.hash(bytes, 0);
    }

    /**
     * The table size for a pool: {@link #DEFAULT_TABLE_SIZE}, or the smallest prime
     * {@code >= SLOTS_PER_BACKEND * backendCount} when that is larger.
     *
     * @param backendCount number of backends in the pool.
     * @return a prime table size.
     */
    public static int tableSizeFor(final int backendCount)
    {
        final long wanted = (long)SLOTS_PER_BACKEND * backendCount;
        if (wanted <= DEFAULT_TABLE_SIZE)
        {
            return DEFAULT_TABLE_SIZE;
        }
        if (wanted > Integer.MAX_VALUE / 2)
        {
            throw new IllegalArgumentException("too many backends: " + backendCount);
        }
        int size = (int)wanted;
        while (!isPrime(size))
        {
            size++;
        }
        return size;
    }

    /**
     * @param value a number.
     * @return whether it is prime (trial division; control plane only).
     */
    public static boolean isPrime(final int value)
    {
        if (value < 2)
        {
            return false;
        }
        if (value % 2 == 0)
        {
            return value == 2;
        }
        for (int d = 3; (long)d * d <= value; d += 2)
        {
            if (value % d == 0)
            {
                return false;
            }
        }
        return true;
    }

    static int slot(final long flowHash, final int tableSize)
    {
        return (int)(((flowHash & 0xFFFF_FFFFL) * tableSize) >>> 32);
    }

    private record Identified(Backend backend, byte[] identity)
    {
    }
}
