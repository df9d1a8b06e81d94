package io.flyover.dataplane.ring;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FrameRingTest
{
    private static UnsafeBuffer frame(final int length, final int seed)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
        for (int i = 0; i < length; i++)
        {
            buffer.putByte(i, (byte)(seed + i));
        }
        return buffer;
    }

    @Test
    void shouldDeliverFramesInOrderWithTheirMeta()
    {
        final FrameRing ring = new FrameRing(8, 256);
        for (int i = 0; i < 5; i++)
        {
            assertTrue(ring.offer(frame(10 + i, i), 0, 10 + i, 100 + i) >= 0);
        }
        assertEquals(5, ring.available(64));
        assertEquals(3, ring.available(3));
        final long start = ring.consumerPosition();
        for (int i = 0; i < 5; i++)
        {
            final int slot = ring.slotOffset(start + i);
            assertEquals(10 + i, ring.frameLength(slot));
            assertEquals(100 + i, ring.meta(slot));
            assertEquals((byte)(i + 3), ring.buffer().getByte(ring.frameOffset(slot) + 3));
        }
        ring.release(5);
        assertEquals(0, ring.available(64));
        assertEquals(0, ring.size());
    }

    @Test
    void shouldReportFullInsteadOfOverwriting()
    {
        final FrameRing ring = new FrameRing(4, 256);
        for (int i = 0; i < 4; i++)
        {
            assertTrue(ring.offer(frame(8, i), 0, 8, i) >= 0);
        }
        assertEquals(FrameRing.FULL, ring.offer(frame(8, 9), 0, 8, 9));
        ring.release(1);
        assertTrue(ring.offer(frame(8, 9), 0, 8, 9) >= 0);
        final int slot = ring.slotOffset(ring.consumerPosition());
        assertEquals(1, ring.meta(slot));
    }

    @Test
    void shouldRejectFramesLongerThanASlotHolds()
    {
        final FrameRing ring = new FrameRing(4, 256);
        assertEquals(256 - FrameRingDescriptor.HEADROOM, ring.maxFrameLength());
        assertEquals(FrameRing.TOO_LONG, ring.offer(frame(200, 0), 0, 200, 0));
        assertEquals(0, ring.size());
    }

    @Test
    void shouldLetAStagePrependIntoTheHeadroom()
    {
        final FrameRing ring = new FrameRing(4, 256);
        ring.offer(frame(16, 1), 0, 16, 0);
        final int slot = ring.slotOffset(ring.consumerPosition());
        final int start = ring.frameOffset(slot);
        ring.buffer().putInt(start - 4, 0xCAFEBABE);
        ring.updateFrame(slot, start - 4, 20);
        assertEquals(start - 4, ring.frameOffset(slot));
        assertEquals(20, ring.frameLength(slot));
        assertEquals(0xCAFEBABE, ring.buffer().getInt(ring.frameOffset(slot)));
    }

    @Test
    void shouldRejectShapesThatAreNotPowersOfTwo()
    {
        assertThrows(IllegalArgumentException.class, () -> new FrameRing(6, 256));
        assertThrows(IllegalArgumentException.class, () -> new FrameRing(8, 100));
        assertThrows(IllegalArgumentException.class, () -> new FrameRing(8, 128));
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void shouldPassFramesIntactBetweenTwoThreads() throws InterruptedException
    {
        final int total = 500_000;
        final FrameRing ring = new FrameRing(64, 256);
        final AtomicReference<String> failure = new AtomicReference<>();
        final Thread consumer = new Thread(() ->
        {
            long expected = 0;
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
            while (expected < total && System.nanoTime() < deadline)
            {
                final int n = ring.available(32);
                final long start = ring.consumerPosition();
                for (int i = 0; i < n; i++)
                {
                    final int slot = ring.slotOffset(start + i);
                    final long value = ring.buffer().getLong(ring.frameOffset(slot));
                    if (value != expected || ring.frameLength(slot) != 8 + (int)(expected & 7))
                    {
                        failure.compareAndSet(null, "at " + expected + " got " + value);
                    }
                    expected++;
                }
                ring.release(n);
            }
            if (expected != total)
            {
                failure.compareAndSet(null, "consumer saw " + expected + " of " + total);
            }
        });
        consumer.start();
        final UnsafeBuffer src = new UnsafeBuffer(new byte[16]);
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(25);
        for (long i = 0; i < total && System.nanoTime() < deadline; )
        {
            src.putLong(0, i);
            if (ring.offer(src, 0, 8 + (int)(i & 7), 0) >= 0)
            {
                i++;
            }
            else
            {
                Thread.onSpinWait();
            }
        }
        consumer.join();
        assertNull(failure.get());
    }
}
