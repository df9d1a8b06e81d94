package io.flyover.dataplane.flow;

import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin thread reads a table while its owner inserts and removes (backward shifts move
 * entries): every copy it accepts must be one flow's, never a mix of two.
 */
class FlowTableConcurrentReadTest
{
    private static final int UDP = 17;
    private static final int KEYS = 3_000;

    /** Each key's route and service are functions of its client port, so a mix shows. */
    private static long routeOf(final int port)
    {
        return ((long)(port % 60_000 + 1) << 48) | ((long)(port % 7 + 60_001) << 32);
    }

    private static int serviceOf(final int port)
    {
        return port * 31 + 7;
    }

    @Test
    void shouldNeverAcceptAnEntryMixedFromTwoFlowsWhileTheOwnerInsertsAndRemoves() throws Exception
    {
        // small and crowded so clusters form and removals shift entries often
        final FlowTable table = new FlowTable(FlowTableConfig.defaults().withCapacity(4096).withMaxProbeLength(32),
            0x5EEDL, FlowEndHandler.NO_OP);
        final AtomicBoolean stop = new AtomicBoolean();
        final AtomicLong writes = new AtomicLong();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final Thread owner = new Thread(() ->
        {
            final FlowKey key = new FlowKey();
            final java.util.SplittableRandom random = new java.util.SplittableRandom(7);
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            long now = 1_000_000_000L;
            for (int i = 0; i < 5_000_000 && !stop.get() && System.nanoTime() - deadline < 0; i++)
            {
                final int port = 1 + random.nextInt(KEYS);
                key.ipv4(FlowKind.INGRESS, UDP, 0x0A000001, port, 0xC6336401, 53);
                final long hash = table.hash(key);
                final int entry = table.lookup(key, hash);
                if (entry >= 0)
                {
                    table.removeEntry(entry);
                }
                else
                {
                    final int inserted = table.insert(key, hash, FlowState.UDP, now);
                    if (inserted >= 0)
                    {
                        table.route(inserted, routeOf(port));
                        table.serviceId(inserted, serviceOf(port));
                    }
                }
                now += 1_000_000L;
                writes.incrementAndGet();
            }
            stop.set(true);
        }, "owner");
        owner.start();

        final FlowEntryView view = new FlowEntryView();
        long accepted = 0;
        long partial = 0;
        try
        {
            while (!stop.get())
            {
                for (int slot = 0; slot < table.capacity(); slot++)
                {
                    if (!table.readConcurrently(slot, view))
                    {
                        continue;
                    }
                    accepted++;
                    final int port = view.key.srcPort();
                    assertTrue(port >= 1 && port <= KEYS, "a key the owner wrote: " + port);
                    assertEquals(FlowKind.INGRESS, view.key.kind());
                    // caught between the insert and the owner setting route and service: 0, never another flow's
                    if (0 == view.route || 0 == view.serviceId)
                    {
                        partial++;
                    }
                    assertTrue(0 == view.route || routeOf(port) == view.route, "route of the same flow as the key");
                    assertTrue(0 == view.serviceId || serviceOf(port) == view.serviceId, "service of the same flow");
                }
            }
        }
        catch (final Throwable ex)
        {
            failure.set(ex);
            stop.set(true);
        }
        owner.join(10_000);
        assertFalse(owner.isAlive());
        assertNull(failure.get());
        assertTrue(writes.get() > 10_000, "the owner worked: " + writes.get());
        assertTrue(accepted > 1_000, "entries were read while it did: " + accepted + " (" + partial + " partial)");
        table.close();
    }
}
