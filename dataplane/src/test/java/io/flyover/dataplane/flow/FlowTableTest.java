package io.flyover.dataplane.flow;

import io.flyover.dataplane.AllocationMeter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static io.flyover.dataplane.flow.FlowEntryDescriptor.ENTRY_LENGTH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowTableTest
{
    private static final int TCP = 6;
    private static final int UDP = 17;
    private static final int ICMP = 1;
    private static final long SEED = 0x5EED_5EEDL;
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private final List<FlowTable> tables = new ArrayList<>();
    private final List<String> ends = new ArrayList<>();
    private final FlowKey scratch = new FlowKey();
    private final FlowEndHandler recorder = (table, offset, cause) ->
        ends.add((cause == FlowEndHandler.EXPIRED ? "expired " : "evicted ") + table.readKey(offset, scratch));

    @AfterEach
    void close()
    {
        tables.forEach(FlowTable::close);
    }

    @Test
    void shouldInsertLookUpAndRemoveAFlow()
    {
        final FlowTable table = table(config(1024, 16));
        final FlowKey key = v4(FlowKind.INGRESS, TCP, 1, 40000);
        final long hash = table.hash(key);

        assertEquals(FlowTable.NOT_FOUND, table.lookup(key, hash));
        final int offset = table.insert(key, hash, FlowState.TCP_EMBRYONIC, 5 * SECOND);
        assertTrue(offset >= 0);
        assertEquals(0, offset % ENTRY_LENGTH);
        assertEquals(offset, table.lookup(key, hash));
        assertEquals(1, table.size());
        assertEquals(FlowTable.DUPLICATE, table.insert(key, hash, FlowState.UDP, 6 * SECOND));

        assertTrue(table.remove(key, hash));
        assertFalse(table.remove(key, hash));
        assertEquals(FlowTable.NOT_FOUND, table.lookup(key, hash));
        assertEquals(0, table.size());
    }

    @Test
    void shouldCountPacketsBesideTheBackendAndStopAtTheMaximum()
    {
        final FlowTable table = table(config(1024, 16));
        final FlowKey key = v4(FlowKind.INGRESS, UDP, 7, 40000);
        final int offset = table.insert(key, table.hash(key), FlowState.UDP, SECOND);
        assertEquals(1, table.packets(offset), "the packet that created the entry");
        table.backendId(offset, 0xFFFF);
        for (int i = 0; i < 10; i++)
        {
            table.touch(offset, SECOND + i * MS);
        }
        assertEquals(11, table.packets(offset));
        assertEquals(0xFFFF, table.backendId(offset), "the count leaves the backend id alone");
        table.backendId(offset, 3);
        assertEquals(11, table.packets(offset), "setting the backend leaves the count alone");

        final FlowEntryView view = new FlowEntryView();
        assertTrue(table.readConcurrently(offset / ENTRY_LENGTH, view));
        assertEquals(11, view.packets);
        assertEquals(3, view.backendId);

        for (int i = 0; i < FlowEntryDescriptor.MAX_PACKETS + 5; i++)
        {
            table.touch(offset, 2 * SECOND);
        }
        assertEquals(FlowEntryDescriptor.MAX_PACKETS, table.packets(offset));
        assertEquals(3, table.backendId(offset));
    }

    @Test
    void shouldStoreAndReturnEveryField()
    {
        final FlowTable table = table(config(1024, 16));
        final FlowKey key = new FlowKey().ipv4(FlowKind.EGRESS_REVERSE, UDP, 0x0A000005, 53, 0xC0A80001, 65535);
        final int offset = table.insert(key, table.hash(key), FlowState.UDP, 1234 * MS);

        table.route(offset, 0x0001_0002_0003_0004L);
        table.serviceId(offset, 0xABCDEF);
        table.backendId(offset, 65534);
        table.flags(offset, 0x81);
        table.state(offset, FlowState.TCP_CLOSING);
        table.touch(offset, 2000 * MS);

        assertEquals(0x0001_0002_0003_0004L, table.route(offset));
        assertEquals(0xABCDEF, table.serviceId(offset));
        assertEquals(65534, table.backendId(offset));
        assertEquals(0x81, table.flags(offset));
        assertEquals(FlowState.TCP_CLOSING, table.state(offset));
        assertEquals(FlowKind.EGRESS_REVERSE, table.kind(offset));
        assertEquals(UDP, table.protocol(offset));
        assertFalse(table.isIpv6(offset));
        assertEquals(1234, table.createdMs(offset));
        assertEquals(2000, table.lastSeenMs(offset));
        assertEquals(500, table.idleMs(offset, 2500 * MS));

        final FlowKey read = table.readKey(offset, new FlowKey());
        assertTrue(read.sameAs(key), read.toString());
        assertEquals(53, read.srcPort());
        assertEquals(65535, read.dstPort());
        assertEquals(0xC0A80001L, read.dstAddressLo());
        assertEquals(offset, table.lookup(read, table.hash(read)), "flags and state are not part of the key");
    }

    @Test
    void shouldKeepIpv6KeysWholeAndApartFromIpv4()
    {
        final FlowTable table = table(config(1024, 16));
        final FlowKey v6 = new FlowKey().ipv6(
            FlowKind.EGRESS_FORWARD, TCP, 0x2001_0DB8_0000_0001L, 0x0000_0000_0000_0042L, 51000,
            0x2001_0DB8_FFFF_0000L, 0x0000_0000_0000_0001L, 443);
        final FlowKey sameLowHalves = new FlowKey().ipv6(
            FlowKind.EGRESS_FORWARD, TCP, 0x2001_0DB8_0000_0002L, 0x0000_0000_0000_0042L, 51000,
            0x2001_0DB8_FFFF_0000L, 0x0000_0000_0000_0001L, 443);
        final FlowKey v4 = new FlowKey().ipv4(FlowKind.EGRESS_FORWARD, TCP, 0x42, 51000, 0x01, 443);
        final FlowKey v6WithV4Bits = new FlowKey().ipv6(FlowKind.EGRESS_FORWARD, TCP, 0, 0x42, 51000, 0, 0x01, 443);

        final int a = table.insert(v6, table.hash(v6), FlowState.TCP_ESTABLISHED, 0);
        final int b = table.insert(sameLowHalves, table.hash(sameLowHalves), FlowState.TCP_ESTABLISHED, 0);
        final int c = table.insert(v4, table.hash(v4), FlowState.TCP_ESTABLISHED, 0);
        final int d = table.insert(v6WithV4Bits, table.hash(v6WithV4Bits), FlowState.TCP_ESTABLISHED, 0);
        assertTrue(a >= 0 && b >= 0 && c >= 0 && d >= 0);
        assertEquals(4, table.size());
        assertEquals(a, table.lookup(v6, table.hash(v6)));
        assertEquals(b, table.lookup(sameLowHalves, table.hash(sameLowHalves)));
        assertEquals(c, table.lookup(v4, table.hash(v4)));
        assertEquals(d, table.lookup(v6WithV4Bits, table.hash(v6WithV4Bits)));
        assertTrue(table.isIpv6(a));
        assertFalse(table.isIpv6(c));

        final FlowKey read = table.readKey(a, new FlowKey());
        assertTrue(read.isIpv6());
        assertEquals(0x2001_0DB8_0000_0001L, read.srcAddressHi());
        assertEquals(0x2001_0DB8_FFFF_0000L, read.dstAddressHi());
    }

    @Test
    void shouldKeepOneEntryPerKindForTheSameTuple()
    {
        final FlowTable table = table(config(1024, 16));
        final FlowKey forward = v4(FlowKind.EGRESS_FORWARD, TCP, 9, 1000);
        final FlowKey ingress = v4(FlowKind.INGRESS, TCP, 9, 1000);
        final int f = table.insert(forward, table.hash(forward), FlowState.TCP_EMBRYONIC, 0);
        final int i = table.insert(ingress, table.hash(ingress), FlowState.TCP_EMBRYONIC, 0);
        assertNotEquals(f, i);
        assertEquals(FlowKind.EGRESS_FORWARD, table.kind(table.lookup(forward, table.hash(forward))));
        assertEquals(FlowKind.INGRESS, table.kind(table.lookup(ingress, table.hash(ingress))));
    }

    @Test
    void shouldProbePastCollisionsAndShiftBackOnRemoval()
    {
        final FlowTable table = table(config(64, 8));
        final List<FlowKey> colliding = keysWithHome(table, 10, 5);
        final int[] offsets = new int[5];
        for (int i = 0; i < 5; i++)
        {
            final FlowKey key = colliding.get(i);
            offsets[i] = table.insert(key, table.hash(key), FlowState.UDP, 0);
            assertEquals((10 + i) * ENTRY_LENGTH, offsets[i], "consecutive slots from the home slot");
        }

        final FlowKey removed = colliding.get(1);
        assertTrue(table.remove(removed, table.hash(removed)));
        for (int i = 0; i < 5; i++)
        {
            final FlowKey key = colliding.get(i);
            final int offset = table.lookup(key, table.hash(key));
            if (i == 1)
            {
                assertEquals(FlowTable.NOT_FOUND, offset);
            }
            else
            {
                assertEquals((10 + (i < 1 ? i : i - 1)) * ENTRY_LENGTH, offset, "later entries shift back");
            }
        }
        assertEquals(FlowKind.EMPTY, table.kind(14 * ENTRY_LENGTH));
    }

    @Test
    void shouldNotShiftEntriesAheadOfTheirHome()
    {
        final FlowTable table = table(config(64, 8));
        final FlowKey atTen = keysWithHome(table, 10, 1).get(0);
        final List<FlowKey> atEleven = keysWithHome(table, 11, 2);
        table.insert(atTen, table.hash(atTen), FlowState.UDP, 0);
        final FlowKey first = atEleven.get(0);
        final FlowKey second = atEleven.get(1);
        table.insert(first, table.hash(first), FlowState.UDP, 0);
        table.insert(second, table.hash(second), FlowState.UDP, 0);

        assertTrue(table.remove(atTen, table.hash(atTen)));
        assertEquals(11 * ENTRY_LENGTH, table.lookup(first, table.hash(first)));
        assertEquals(12 * ENTRY_LENGTH, table.lookup(second, table.hash(second)));
    }

    @Test
    void shouldWrapAroundTheEndOfTheTable()
    {
        final FlowTable table = table(config(64, 8));
        final List<FlowKey> lastSlot = keysWithHome(table, 63, 3);
        for (final FlowKey key : lastSlot)
        {
            assertTrue(table.insert(key, table.hash(key), FlowState.UDP, 0) >= 0);
        }
        assertEquals(63 * ENTRY_LENGTH, table.lookup(lastSlot.get(0), table.hash(lastSlot.get(0))));
        assertEquals(0, table.lookup(lastSlot.get(1), table.hash(lastSlot.get(1))));
        assertEquals(ENTRY_LENGTH, table.lookup(lastSlot.get(2), table.hash(lastSlot.get(2))));

        table.remove(lastSlot.get(0), table.hash(lastSlot.get(0)));
        assertEquals(63 * ENTRY_LENGTH, table.lookup(lastSlot.get(1), table.hash(lastSlot.get(1))));
        assertEquals(0, table.lookup(lastSlot.get(2), table.hash(lastSlot.get(2))));
    }

    @Test
    void shouldTakeTheNearerHoleOfTheTwoWindows()
    {
        final FlowTable table = table(config(64, 8));
        final List<FlowKey> atTen = keysWithHome(table, 10, 2);
        insert(table, atTen.get(0), FlowState.UDP, 0);
        insert(table, atTen.get(1), FlowState.UDP, 0);
        final FlowKey tenOrForty = keysWithHomes(table, 10, 40, 1).get(0);
        assertEquals(40 * ENTRY_LENGTH, table.insert(tenOrForty, table.hash(tenOrForty), FlowState.UDP, 0));
        final FlowKey fortyOrTen = keysWithHomes(table, 40, 10, 1).get(0);
        assertEquals(41 * ENTRY_LENGTH, table.insert(fortyOrTen, table.hash(fortyOrTen), FlowState.UDP, 0),
            "first window's hole at distance 1 beats the second's at distance 2");
        final FlowKey tenOrFifty = keysWithHomes(table, 10, 50, 1).get(0);
        assertEquals(50 * ENTRY_LENGTH, table.insert(tenOrFifty, table.hash(tenOrFifty), FlowState.UDP, 0));
        assertEquals(40 * ENTRY_LENGTH, table.lookup(tenOrForty, table.hash(tenOrForty)));
        assertEquals(41 * ENTRY_LENGTH, table.lookup(fortyOrTen, table.hash(fortyOrTen)));
        assertEquals(50 * ENTRY_LENGTH, table.lookup(tenOrFifty, table.hash(tenOrFifty)));
    }

    @Test
    void shouldUseTheSecondWindowWhenTheFirstIsFullAndShiftItBackToItsSecondHome()
    {
        final FlowTable table = table(config(64, 4));
        for (final FlowKey key : keysWithHome(table, 20, 4))
        {
            insert(table, key, FlowState.TCP_ESTABLISHED, 0);
        }
        final FlowKey atThirty = keysWithHome(table, 30, 1).get(0);
        insert(table, atThirty, FlowState.TCP_ESTABLISHED, 0);

        final FlowKey twentyOrThirty = keysWithHomes(table, 20, 30, 1).get(0);
        assertEquals(31 * ENTRY_LENGTH, table.insert(twentyOrThirty, table.hash(twentyOrThirty), FlowState.UDP, 0));

        assertTrue(table.remove(atThirty, table.hash(atThirty)));
        assertEquals(30 * ENTRY_LENGTH, table.lookup(twentyOrThirty, table.hash(twentyOrThirty)),
            "shifted back to its second home");
        assertEquals(FlowKind.EMPTY, table.kind(31 * ENTRY_LENGTH));
        assertEquals(5, table.size());
    }

    @Test
    void shouldBoundTheProbeSequence()
    {
        final FlowTable table = table(config(64, 4));
        final List<FlowKey> colliding = keysWithHome(table, 20, 5);
        for (int i = 0; i < 4; i++)
        {
            final FlowKey key = colliding.get(i);
            assertTrue(table.insert(key, table.hash(key), FlowState.TCP_ESTABLISHED, 0) >= 0);
        }
        final FlowKey fifth = colliding.get(4);
        assertEquals(FlowTable.FULL, table.insert(fifth, table.hash(fifth), FlowState.TCP_ESTABLISHED, 0));
        assertEquals(1, table.full());
        assertEquals(FlowTable.NOT_FOUND, table.lookup(fifth, table.hash(fifth)));
        assertEquals(4, table.size());
    }

    @Test
    void shouldExpireEachStateAfterItsOwnTimeout()
    {
        final FlowTableConfig config = new FlowTableConfig(
            1024, 16, 100 * MS, 1000 * MS, 200 * MS, 300 * MS, 400 * MS, false);
        final FlowTable table = table(config);
        final long start = 7 * SECOND;
        final FlowKey embryonic = insert(table, v4(FlowKind.INGRESS, TCP, 1, 1), FlowState.TCP_EMBRYONIC, start);
        final FlowKey established = insert(table, v4(FlowKind.INGRESS, TCP, 2, 2), FlowState.TCP_ESTABLISHED, start);
        final FlowKey closing = insert(table, v4(FlowKind.INGRESS, TCP, 3, 3), FlowState.TCP_CLOSING, start);
        final FlowKey udp = insert(table, v4(FlowKind.INGRESS, UDP, 4, 4), FlowState.UDP, start);
        final FlowKey icmp = insert(table, v4(FlowKind.INGRESS, ICMP, 5, 0), FlowState.ICMP, start);

        assertEquals(0, table.expire(start + 99 * MS, 1024));
        assertEquals(1, table.expire(start + 100 * MS, 1024));
        assertFalse(present(table, embryonic));
        assertEquals(1, table.expire(start + 200 * MS, 1024));
        assertFalse(present(table, closing));
        assertEquals(1, table.expire(start + 300 * MS, 1024));
        assertFalse(present(table, udp));
        assertEquals(1, table.expire(start + 400 * MS, 1024));
        assertFalse(present(table, icmp));
        assertTrue(present(table, established));
        assertEquals(1, table.expire(start + 1000 * MS, 1024));
        assertEquals(0, table.size());
        assertEquals(5, table.expiries());
        assertEquals(5, ends.size());
        assertTrue(ends.get(0).startsWith("expired ingress 6 0.0.0.1:1"), ends.get(0));
    }

    @Test
    void shouldKeepATouchedFlowAndUseTheNewStatesTimeout()
    {
        final FlowTableConfig config = new FlowTableConfig(
            1024, 16, 100 * MS, 1000 * MS, 200 * MS, 300 * MS, 400 * MS, false);
        final FlowTable table = table(config);
        final FlowKey key = v4(FlowKind.INGRESS, TCP, 1, 1);
        final int offset = table.insert(key, table.hash(key), FlowState.TCP_EMBRYONIC, 0);
        table.touch(offset, 90 * MS);
        table.state(offset, FlowState.TCP_ESTABLISHED);
        assertEquals(0, table.expire(150 * MS, 1024));
        assertEquals(0, table.expire(1089 * MS, 1024));
        assertTrue(present(table, key));
        assertEquals(1, table.expire(1090 * MS, 1024));
    }

    @Test
    void shouldHandleAClockThatIsNegativeOrCrossesZero()
    {
        final FlowTableConfig config = new FlowTableConfig(
            1024, 16, 100 * MS, 1000 * MS, 200 * MS, 300 * MS, 400 * MS, false);
        final FlowTable table = table(config);
        final FlowKey key = insert(table, v4(FlowKind.INGRESS, UDP, 1, 1), FlowState.UDP, -150 * MS);
        assertEquals(0, table.expire(149 * MS, 1024));
        assertTrue(present(table, key));
        assertEquals(1, table.expire(150 * MS, 1024));
    }

    @Test
    void shouldSpreadExpiryOverDutyCycles()
    {
        final FlowTableConfig config = new FlowTableConfig(
            1024, 16, 100 * MS, 1000 * MS, 200 * MS, 300 * MS, 400 * MS, false);
        final FlowTable table = table(config);
        for (int i = 0; i < 500; i++)
        {
            insert(table, v4(FlowKind.INGRESS, UDP, i, 7), FlowState.UDP, 0);
        }

        final long later = SECOND;
        int removed = 0;
        int cycles = 0;
        while (table.size() > 0)
        {
            final int work = table.expire(later, 64);
            assertTrue(work <= 64 + 16, "each cycle looks at a bounded part of the table: " + work);
            removed += work;
            cycles++;
        }
        assertEquals(500, removed);
        assertEquals(1024 / 64, cycles, "one pass over the table in capacity / budget cycles");
        assertEquals(0, table.expire(later, 1024));
    }

    @Test
    void shouldRemoveEveryExpiredEntryInOnePassDespiteShifts()
    {
        final FlowTableConfig config = new FlowTableConfig(
            256, 32, 100 * MS, 1000 * MS, 200 * MS, 300 * MS, 400 * MS, false);
        final FlowTable table = table(config);
        final SplittableRandom random = new SplittableRandom(9);
        final List<FlowKey> established = new ArrayList<>();
        for (int i = 0; i < 180; i++)
        {
            final boolean keep = random.nextBoolean();
            final FlowKey key = insert(
                table, v4(FlowKind.INGRESS, TCP, i, 80), keep ? FlowState.TCP_ESTABLISHED : FlowState.TCP_EMBRYONIC, 0);
            if (keep)
            {
                established.add(key);
            }
        }
        table.expire(500 * MS, 256);
        assertEquals(established.size(), table.size());
        for (final FlowKey key : established)
        {
            assertTrue(present(table, key));
        }
    }

    @Test
    void shouldKeepEstablishedFlowsThroughASynFlood()
    {
        final FlowTable table = table(config(1024, 16));
        final List<FlowKey> established = new ArrayList<>();
        long nowNs = 0;
        for (int i = 0; i < 400; i++)
        {
            established.add(insert(table, v4(FlowKind.INGRESS, TCP, 1_000_000 + i, 443), FlowState.TCP_ESTABLISHED, nowNs));
        }

        final FlowKey syn = new FlowKey();
        int inserted = 0;
        int full = 0;
        for (int i = 0; i < 50_000; i++)
        {
            nowNs += 1000;
            syn.ipv4(FlowKind.INGRESS, TCP, i, 10_000 + (i & 0x3FFF), 0xC6336401, 443);
            final int result = table.insert(syn, table.hash(syn), FlowState.TCP_EMBRYONIC, nowNs);
            if (result >= 0)
            {
                inserted++;
            }
            else
            {
                assertEquals(FlowTable.FULL, result);
                full++;
            }
        }

        for (final FlowKey key : established)
        {
            assertTrue(present(table, key), "established flow survived: " + key);
        }
        assertEquals(1024, table.size(), "the flood fills every slot");
        assertEquals(50_000, inserted + full);
        assertTrue(table.evictions() > 40_000, "embryonic flows churn among themselves: " + table.evictions());
        assertEquals(full, table.full());
        assertEquals(0, table.expiries());

        final FlowKey legit = v4(FlowKind.INGRESS, TCP, 77, 77);
        final int late = table.insert(legit, table.hash(legit), FlowState.TCP_EMBRYONIC, nowNs);
        assertTrue(late >= 0 || late == FlowTable.FULL);
    }

    @Test
    void shouldEvictTheLongestIdleEmbryonicFlowFirst()
    {
        final FlowTable table = table(config(64, 4));
        final List<FlowKey> keys = keysWithHome(table, 30, 5);
        insert(table, keys.get(0), FlowState.TCP_ESTABLISHED, 0);
        insert(table, keys.get(1), FlowState.TCP_EMBRYONIC, 10 * MS);
        insert(table, keys.get(2), FlowState.TCP_EMBRYONIC, 5 * MS);
        insert(table, keys.get(3), FlowState.UDP, 0);

        final int offset = table.insert(keys.get(4), table.hash(keys.get(4)), FlowState.UDP, 20 * MS);
        assertEquals(32 * ENTRY_LENGTH, offset, "took the slot of the embryonic flow idle longest");
        assertFalse(present(table, keys.get(2)));
        assertTrue(present(table, keys.get(1)));
        assertEquals(1, table.evictions());
        assertEquals(List.of("evicted " + keys.get(2)), ends);
        assertEquals(4, table.size());
    }

    @Test
    void shouldReuseAnExpiredEntryBeforeEvictingALiveOne()
    {
        final FlowTableConfig config = new FlowTableConfig(
            64, 4, 100 * MS, 1000 * MS, 200 * MS, 300 * MS, 400 * MS, false);
        final FlowTable table = table(config);
        final List<FlowKey> keys = keysWithHome(table, 5, 5);
        insert(table, keys.get(0), FlowState.TCP_EMBRYONIC, 450 * MS);
        insert(table, keys.get(1), FlowState.TCP_EMBRYONIC, 450 * MS);
        insert(table, keys.get(2), FlowState.UDP, 0);
        insert(table, keys.get(3), FlowState.TCP_ESTABLISHED, 0);

        final int offset = table.insert(keys.get(4), table.hash(keys.get(4)), FlowState.UDP, 500 * MS);
        assertEquals(7 * ENTRY_LENGTH, offset, "the UDP flow idle 500 ms > 300 ms was already over");
        assertEquals(1, table.expiries());
        assertEquals(0, table.evictions());
        assertEquals(List.of("expired " + keys.get(2)), ends);
    }

    @Test
    void shouldEvictIdleNonEmbryonicFlowsOnlyWhenConfigured()
    {
        for (final boolean evict : new boolean[]{false, true})
        {
            final FlowTable table = table(config(64, 4).withEvictIdleWhenFull(evict));
            final List<FlowKey> keys = keysWithHome(table, 40, 5);
            insert(table, keys.get(0), FlowState.TCP_ESTABLISHED, 3 * MS);
            insert(table, keys.get(1), FlowState.TCP_ESTABLISHED, 1 * MS);
            insert(table, keys.get(2), FlowState.UDP, 2 * MS);
            insert(table, keys.get(3), FlowState.ICMP, 4 * MS);

            final int offset = table.insert(keys.get(4), table.hash(keys.get(4)), FlowState.TCP_EMBRYONIC, 5 * MS);
            if (evict)
            {
                assertEquals(41 * ENTRY_LENGTH, offset, "the longest idle");
                assertEquals(1, table.evictions());
            }
            else
            {
                assertEquals(FlowTable.FULL, offset);
                assertEquals(0, table.evictions());
                assertEquals(1, table.full());
            }
        }
    }

    @Test
    void shouldCountHitsMissesAndInserts()
    {
        final FlowTable table = table(config(1024, 16));
        final FlowKey a = v4(FlowKind.INGRESS, UDP, 1, 1);
        final FlowKey b = v4(FlowKind.INGRESS, UDP, 2, 2);
        table.lookup(a, table.hash(a));
        table.insert(a, table.hash(a), FlowState.UDP, 0);
        table.lookup(a, table.hash(a));
        table.lookup(a, table.hash(a));
        table.lookup(b, table.hash(b));
        assertEquals(1, table.inserts());
        assertEquals(2, table.hits());
        assertEquals(2, table.misses());
        assertEquals(0, table.full());
        assertEquals(0, table.expiries());
        assertEquals(0, table.evictions());
    }

    @Test
    void shouldAllocateNothingPerOperation()
    {
        final FlowTable table = table(config(4096, 16));
        final FlowKey v4 = new FlowKey();
        final FlowKey v6 = new FlowKey();
        final long[] sink = new long[1];
        final long bytes = AllocationMeter.bytesAllocatedBy(() ->
        {
            for (int i = 0; i < 2000; i++)
            {
                final long nowNs = i * MS;
                v4.ipv4(FlowKind.INGRESS, TCP, i, i, 0x0A000001, 443);
                v6.ipv6(FlowKind.EGRESS_FORWARD, UDP, i, i, i, 7, 7, 53);
                final long h4 = table.hash(v4);
                final long h6 = table.hash(v6);
                sink[0] += table.prefetch(h4) + table.prefetch(h6);
                int offset = table.lookup(v4, h4);
                if (offset < 0)
                {
                    offset = table.insert(v4, h4, FlowState.TCP_EMBRYONIC, nowNs);
                }
                table.touch(offset, nowNs);
                table.state(offset, FlowState.TCP_ESTABLISHED);
                table.route(offset, 1L << 48);
                final int o6 = table.insert(v6, h6, FlowState.UDP, nowNs);
                sink[0] += o6 + table.backendId(offset) + table.route(offset);
                table.remove(v6, h6);
                sink[0] += table.expire(nowNs, 8);
            }
            for (int i = 0; i < 2000; i++)
            {
                v4.ipv4(FlowKind.INGRESS, TCP, i, i, 0x0A000001, 443);
                table.remove(v4, table.hash(v4));
            }
        });
        assertEquals(0, bytes, "bytes allocated");
        assertTrue(sink[0] != 42);
    }

    @Test
    void shouldAllocateTheDefaultTable()
    {
        final FlowTable table = table(FlowTableConfig.defaults());
        assertEquals(1 << 20, table.capacity());
        final FlowKey key = v4(FlowKind.INGRESS, TCP, 1, 1);
        assertTrue(table.insert(key, table.hash(key), FlowState.TCP_EMBRYONIC, 0) >= 0);
        assertTrue(present(table, key));
    }

    @Test
    void shouldFillSeventyPercentBeforeTheFirstFullWithTheDefaultProbeBound()
    {
        final FlowTable table = table(config(1 << 16, FlowTableConfig.DEFAULT_MAX_PROBE_LENGTH));
        final FlowKey key = new FlowKey();
        final SplittableRandom random = new SplittableRandom(4);
        int i = 0;
        while (true)
        {
            key.ipv4(FlowKind.INGRESS, TCP, random.nextInt(), random.nextInt(1 << 16), 0x0A000001, 443);
            if (table.insert(key, table.hash(key), FlowState.TCP_ESTABLISHED, 0) == FlowTable.FULL)
            {
                break;
            }
            i++;
        }
        final double load = (double)i / table.capacity();
        assertTrue(load > 0.7, "load at first FULL " + load);
    }

    @Test
    void shouldRejectBadConfigAndStates()
    {
        assertThrows(IllegalArgumentException.class, () -> config(1000, 16));
        assertThrows(IllegalArgumentException.class, () -> config(64, 65));
        assertThrows(IllegalArgumentException.class,
            () -> new FlowTableConfig(64, 8, 0, SECOND, SECOND, SECOND, SECOND, false));
        assertThrows(IllegalArgumentException.class,
            () -> new FlowTableConfig(64, 8, SECOND, TimeUnit.DAYS.toNanos(25), SECOND, SECOND, SECOND, false));
        final FlowTable table = table(config(64, 8));
        final FlowKey key = v4(FlowKind.INGRESS, TCP, 1, 1);
        assertThrows(IllegalArgumentException.class, () -> table.insert(key, table.hash(key), FlowState.NONE, 0));
        assertThrows(IllegalArgumentException.class, () -> new FlowKey().ipv4(0, TCP, 1, 1, 1, 1));
    }

    private FlowTable table(final FlowTableConfig config)
    {
        final FlowTable table = new FlowTable(config, SEED, recorder);
        tables.add(table);
        return table;
    }

    private static FlowTableConfig config(final int capacity, final int maxProbe)
    {
        return FlowTableConfig.defaults().withCapacity(capacity).withMaxProbeLength(maxProbe);
    }

    private static FlowKey v4(final int kind, final int protocol, final int client, final int clientPort)
    {
        return new FlowKey().ipv4(kind, protocol, 0x0000_0000 + client, clientPort, 0xC6336401, ICMP == protocol ? 0 : 443);
    }

    private static FlowKey insert(final FlowTable table, final FlowKey key, final int state, final long nowNs)
    {
        assertTrue(table.insert(key, table.hash(key), state, nowNs) >= 0, "inserted " + key);
        return key;
    }

    private static boolean present(final FlowTable table, final FlowKey key)
    {
        return table.lookup(key, table.hash(key)) >= 0;
    }

    /**
     * Keys whose two home slots in this table are both {@code home}, found by search: they behave
     * as in one-way linear probing.
     */
    private static List<FlowKey> keysWithHome(final FlowTable table, final int home, final int count)
    {
        return keysWithHomes(table, home, home, count);
    }

    private static List<FlowKey> keysWithHomes(final FlowTable table, final int first, final int second, final int count)
    {
        final List<FlowKey> keys = new ArrayList<>();
        for (int i = 1; keys.size() < count; i++)
        {
            final FlowKey key = new FlowKey().ipv4(FlowKind.INGRESS, UDP, 0x0A000000 + (i >>> 16), i & 0xFFFF, 0x0A000002, 53);
            final long hash = table.hash(key);
            if (table.firstHomeOffset(hash) == first * ENTRY_LENGTH && table.secondHomeOffset(hash) == second * ENTRY_LENGTH)
            {
                keys.add(key);
            }
        }
        return keys;
    }
}
