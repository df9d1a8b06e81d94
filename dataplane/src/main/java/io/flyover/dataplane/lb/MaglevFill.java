package io.flyover.dataplane.lb;

import java.util.Arrays;

/**
 * The weighted table fill of Maglev hashing (Eisenbud et al., "Maglev: A Fast and Reliable
 * Software Network Load Balancer", NSDI 2016, section 3.4), shared by {@link Maglev} (backends of
 * a service) and the path table (routes to an egress POP). Control-plane code: it allocates.
 * <p>
 * Each candidate {@code i} has a permutation of the table's slots,
 * {@code slot(j) = (offset + j * skip) mod M} with {@code offset = h1 mod M} and
 * {@code skip = h2 mod (M - 1) + 1}, raised to the next value coprime with {@code M} so the
 * permutation visits every slot (for a prime {@code M} it already is, as in the paper; for
 * {@code M = 2^16} it makes the skip odd). Candidates take turns claiming the next free slot of
 * their permutation until the table is full.
 * <p>
 * Weights: in each turn a candidate earns its weight in credit and claims one slot per
 * {@code maxWeight} of credit, so over the whole table a candidate's share is its weight over the
 * sum of weights (to within a slot or two), and with equal weights the fill is exactly the
 * paper's round robin. Weight 0 claims nothing.
 * <p>
 * Deterministic: the result depends only on the hashes, the weights, their order and the table
 * size. Callers sort candidates into a canonical order first.
 */
public final class MaglevFill
{
    /** Slot value when no candidate has weight, so none claimed it. */
    public static final int EMPTY = -1;

    private MaglevFill()
    {
    }

    /**
     * Fills a table of {@code tableSize} slots with candidate indices.
     *
     * @param offsetHashes per candidate, the hash that gives its permutation's first slot.
     * @param skipHashes   per candidate, the hash that gives its permutation's step.
     * @param weights      per candidate, its weight, {@code >= 0}.
     * @param tableSize    number of slots, {@code >= 1}.
     * @return a new array: slot → candidate index, or {@link #EMPTY} in every slot if all weights are 0.
     */
    public static int[] fill(final long[] offsetHashes, final long[] skipHashes, final int[] weights, final int tableSize)
    {
        if (offsetHashes.length != weights.length || skipHashes.length != weights.length)
        {
            throw new IllegalArgumentException("hash and weight arrays differ in length");
        }
        if (tableSize < 1)
        {
            throw new IllegalArgumentException("table size must be positive: " + tableSize);
        }
        final int[] table = new int[tableSize];
        fill(offsetHashes, skipHashes, weights, weights.length, table);
        return table;
    }

    /**
     * Fills a table given by the caller, so a caller building many tables reuses one array. The
     * result is the same as {@link #fill(long[], long[], int[], int)}'s for {@code table.length}
     * slots and the first {@code count} candidates.
     *
     * @param offsetHashes per candidate, the hash that gives its permutation's first slot.
     * @param skipHashes   per candidate, the hash that gives its permutation's step.
     * @param weights      per candidate, its weight, {@code >= 0}.
     * @param count        candidates: the first {@code count} entries of each array.
     * @param table        the slots, overwritten: slot → candidate index, or {@link #EMPTY}.
     */
    public static void fill(
        final long[] offsetHashes, final long[] skipHashes, final int[] weights, final int count, final int[] table)
    {
        if (count < 0 || offsetHashes.length < count || skipHashes.length < count || weights.length < count)
        {
            throw new IllegalArgumentException("hash and weight arrays hold fewer than " + count + " candidates");
        }
        final int tableSize = table.length;
        if (tableSize < 1)
        {
            throw new IllegalArgumentException("table size must be positive: " + tableSize);
        }
        Arrays.fill(table, EMPTY);

        int maxWeight = 0;
        for (int i = 0; i < count; i++)
        {
            final int weight = weights[i];
            if (weight < 0)
            {
                throw new IllegalArgumentException("negative weight: " + weight);
            }
            maxWeight = Math.max(maxWeight, weight);
        }
        if (0 == maxWeight)
        {
            return;
        }

        final int[] position = new int[count];
        final int[] skip = new int[count];
        final long[] credit = new long[count];
        for (int i = 0; i < count; i++)
        {
            position[i] = (int)Long.remainderUnsigned(offsetHashes[i], tableSize);
            skip[i] = coprimeSkip(skipHashes[i], tableSize);
        }

        int filled = 0;
        while (true)
        {
            for (int i = 0; i < count; i++)
            {
                final int weight = weights[i];
                if (0 == weight)
                {
                    continue;
                }

                credit[i] += weight;
                while (credit[i] >= maxWeight)
                {
                    credit[i] -= maxWeight;
                    int slot = position[i];
                    while (EMPTY != table[slot])
                    {
                        slot = advance(slot, skip[i], tableSize);
                    }
                    table[slot] = i;
                    position[i] = advance(slot, skip[i], tableSize);
                    if (++filled == tableSize)
                    {
                        return;
                    }
                }
            }
        }
    }

    /**
     * The step of a candidate's permutation: {@code hash mod (M - 1) + 1}, moved up (wrapping to
     * 1) to the first value coprime with {@code M}.
     *
     * @param hash      the candidate's skip hash.
     * @param tableSize {@code M}.
     * @return a step in {@code [1, M - 1]} coprime with {@code M}, or 1 when {@code M <= 2}.
     */
    public static int coprimeSkip(final long hash, final int tableSize)
    {
        if (tableSize <= 2)
        {
            return 1;
        }
        int skip = (int)Long.remainderUnsigned(hash, tableSize - 1) + 1;
        while (gcd(skip, tableSize) != 1)
        {
            skip = skip % (tableSize - 1) + 1;
        }
        return skip;
    }

    private static int advance(final int slot, final int skip, final int tableSize)
    {
        final long next = (long)slot + skip;
        return (int)(next >= tableSize ? next - tableSize : next);
    }

    private static int gcd(final int a, final int b)
    {
        int x = a;
        int y = b;
        while (0 != y)
        {
            final int t = x % y;
            x = y;
            y = t;
        }
        return x;
    }
}
