package io.flyover.dataplane.flow;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random operation sequences against a {@link HashMap} model. The table is small and its probe
 * bound short, so probe windows fill, entries collide, wrap around, shift on removal, expire and
 * get evicted; the end handler reports every flow the table ends, so the model stays exact.
 */
class FlowTableModelTest
{
    private static final long MS = 1_000_000L;
    private static final int KEY_COUNT = 96;
    private static final int[] TIMEOUT_MS = {0, 50, 400, 30, 100, 60};

    sealed interface Op permits Insert, Lookup, Touch, SetState, Remove, Advance, Expire
    {
    }

    record Insert(int key, int state) implements Op
    {
    }

    record Lookup(int key) implements Op
    {
    }

    record Touch(int key) implements Op
    {
    }

    record SetState(int key, int state) implements Op
    {
    }

    record Remove(int key) implements Op
    {
    }

    record Advance(int ms) implements Op
    {
    }

    record Expire(int budget) implements Op
    {
    }

    private static final class ModelEntry
    {
        int state;
        int lastSeenMs;
        int serviceId;

        ModelEntry(final int state, final int lastSeenMs, final int serviceId)
        {
            this.state = state;
            this.lastSeenMs = lastSeenMs;
            this.serviceId = serviceId;
        }
    }

    @Property(tries = 300)
    void shouldAgreeWithAHashMap(
        @ForAll("operations") final List<Op> operations,
        @ForAll final boolean evictIdleWhenFull,
        @ForAll("probeLengths") final int maxProbeLength,
        @ForAll final long seed)
    {
        final FlowKey[] keys = keys();
        final Map<Integer, ModelEntry> model = new HashMap<>();
        final long[] clock = {-3_000 * MS};
        final FlowKey scratch = new FlowKey();
        final List<String> endProblems = new ArrayList<>();

        final FlowEndHandler handler = (t, offset, cause) ->
        {
            final int index = indexOf(keys, t.readKey(offset, scratch));
            final ModelEntry entry = model.remove(index);
            if (null == entry)
            {
                endProblems.add("ended a flow the model does not have: " + index);
                return;
            }
            final int idleMs = nowMs(clock[0]) - entry.lastSeenMs;
            final boolean expired = idleMs >= TIMEOUT_MS[entry.state];
            if (FlowEndHandler.EXPIRED == cause && !expired)
            {
                endProblems.add("expired a live flow " + index);
            }
            if (FlowEndHandler.EVICTED == cause &&
                (expired || (!evictIdleWhenFull && FlowState.TCP_EMBRYONIC != entry.state)))
            {
                endProblems.add("evicted flow " + index + " in state " + entry.state);
            }
        };

        final FlowTableConfig config = new FlowTableConfig(
            64, maxProbeLength,
            TIMEOUT_MS[1] * MS, TIMEOUT_MS[2] * MS, TIMEOUT_MS[3] * MS, TIMEOUT_MS[4] * MS, TIMEOUT_MS[5] * MS,
            evictIdleWhenFull);
        try (FlowTable table = new FlowTable(config, seed, handler))
        {
            int nextService = 1;
            int removedByCaller = 0;
            for (final Op op : operations)
            {
                switch (op)
                {
                    case Insert insert ->
                    {
                        final FlowKey key = keys[insert.key()];
                        final boolean present = model.containsKey(insert.key());
                        final int offset = table.insert(key, table.hash(key), insert.state(), clock[0]);
                        if (present)
                        {
                            assertEquals(FlowTable.DUPLICATE, offset);
                        }
                        else if (offset >= 0)
                        {
                            table.serviceId(offset, nextService);
                            model.put(insert.key(), new ModelEntry(insert.state(), nowMs(clock[0]), nextService++));
                        }
                        else
                        {
                            assertEquals(FlowTable.FULL, offset);
                            assertTrue(model.size() >= maxProbeLength, "full with only " + model.size());
                        }
                    }
                    case Lookup lookup -> check(table, keys, model, lookup.key());
                    case Touch touch ->
                    {
                        final int offset = check(table, keys, model, touch.key());
                        if (offset >= 0)
                        {
                            table.touch(offset, clock[0]);
                            model.get(touch.key()).lastSeenMs = nowMs(clock[0]);
                        }
                    }
                    case SetState setState ->
                    {
                        final int offset = check(table, keys, model, setState.key());
                        if (offset >= 0)
                        {
                            table.state(offset, setState.state());
                            model.get(setState.key()).state = setState.state();
                        }
                    }
                    case Remove remove ->
                    {
                        final FlowKey key = keys[remove.key()];
                        final boolean removed = null != model.remove(remove.key());
                        assertEquals(removed, table.remove(key, table.hash(key)));
                        removedByCaller += removed ? 1 : 0;
                    }
                    case Advance advance -> clock[0] += advance.ms() * MS;
                    case Expire expire ->
                    {
                        table.expire(clock[0], expire.budget());
                        if (expire.budget() >= table.capacity())
                        {
                            for (final Map.Entry<Integer, ModelEntry> e : model.entrySet())
                            {
                                final ModelEntry entry = e.getValue();
                                assertTrue(nowMs(clock[0]) - entry.lastSeenMs < TIMEOUT_MS[entry.state],
                                    "a full pass left expired flow " + e.getKey());
                            }
                        }
                    }
                }
                assertEquals(List.of(), endProblems);
                assertEquals(model.size(), table.size());
            }

            for (int i = 0; i < keys.length; i++)
            {
                check(table, keys, model, i);
            }
            assertEquals(table.inserts() - model.size(), table.expiries() + table.evictions() + removedByCaller,
                "every flow that left the table was ended by it or removed by the caller");
        }
    }

    @Provide
    Arbitrary<Integer> probeLengths()
    {
        return Arbitraries.of(1, 2, 4, 8, 16, 64);
    }

    @Provide
    Arbitrary<List<Op>> operations()
    {
        final Arbitrary<Integer> key = Arbitraries.integers().between(0, KEY_COUNT - 1);
        final Arbitrary<Integer> state = Arbitraries.integers().between(FlowState.TCP_EMBRYONIC, FlowState.ICMP);
        final Arbitrary<Op> insert = Combinators.combine(key, state).as(Insert::new);
        final Arbitrary<Op> lookup = key.map(Lookup::new);
        final Arbitrary<Op> touch = key.map(Touch::new);
        final Arbitrary<Op> setState = Combinators.combine(key, state).as(SetState::new);
        final Arbitrary<Op> remove = key.map(Remove::new);
        final Arbitrary<Op> advance = Arbitraries.integers().between(1, 120).map(Advance::new);
        final Arbitrary<Op> expire = Arbitraries.of(1, 7, 16, 64, 1000).map(Expire::new);
        return Arbitraries.frequencyOf(
            Tuple.of(10, insert),
            Tuple.of(5, lookup),
            Tuple.of(3, touch),
            Tuple.of(2, setState),
            Tuple.of(3, remove),
            Tuple.of(3, advance),
            Tuple.of(2, expire)).list().ofMinSize(1).ofMaxSize(400);
    }

    private static int check(final FlowTable table, final FlowKey[] keys, final Map<Integer, ModelEntry> model, final int index)
    {
        final FlowKey key = keys[index];
        final int offset = table.lookup(key, table.hash(key));
        final ModelEntry entry = model.get(index);
        if (null == entry)
        {
            assertEquals(FlowTable.NOT_FOUND, offset, "found a flow the model does not have: " + index);
        }
        else
        {
            assertTrue(offset >= 0, "lost flow " + index);
            assertEquals(entry.state, table.state(offset));
            assertEquals(entry.lastSeenMs, table.lastSeenMs(offset));
            assertEquals(entry.serviceId, table.serviceId(offset));
            assertTrue(table.readKey(offset, new FlowKey()).sameAs(key));
        }
        return offset;
    }

    private static FlowKey[] keys()
    {
        final FlowKey[] keys = new FlowKey[KEY_COUNT];
        for (int i = 0; i < KEY_COUNT; i++)
        {
            final int kind = 1 + i % 3;
            keys[i] = switch (i % 4)
            {
                case 0 -> new FlowKey().ipv4(kind, 6, 0x0A000000 + i, 1000 + i, 0xC6336401, 443);
                case 1 -> new FlowKey().ipv4(kind, 17, 0x0A000000 + i, 1000 + i, 0xC6336401, 53);
                case 2 -> new FlowKey().ipv6(kind, 6, 0x2001_0DB8L << 32, i, 1000 + i, 0x2001_0DB8L << 32 | 1, 1, 443);
                default -> new FlowKey().ipv4(kind, 1, 0x0A000000 + i, i, 0xC6336401, 0);
            };
        }
        return keys;
    }

    private static int indexOf(final FlowKey[] keys, final FlowKey key)
    {
        for (int i = 0; i < keys.length; i++)
        {
            if (keys[i].sameAs(key))
            {
                return i;
            }
        }
        assertFalse(true, "unknown key " + key);
        return -1;
    }

    private static int nowMs(final long nowNs)
    {
        return (int)Math.floorDiv(nowNs, MS);
    }
}
