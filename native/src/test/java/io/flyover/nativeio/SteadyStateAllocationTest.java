package io.flyover.nativeio;

import java.lang.management.ManagementFactory;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SteadyStateAllocationTest
{
    private static final int BATCH = 8;
    private static final int WARMUP_ROUNDS = 20_000;
    private static final int ROUNDS = 5_000;
    /** How long the JIT gets to settle: C2 may wait behind other tests' compilations on a busy host. */
    private static final long SETTLE_NS = 20_000_000_000L;

    private long bytesReceived;

    @Test
    void shouldNotAllocatePerBatchOnUdpSendAndReceive()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final long threadId = Thread.currentThread().threadId();
        try (UdpBatchSocket sender = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, BATCH, 256, 0, 4 << 20);
            UdpBatchSocket receiver = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, BATCH, 256, 4 << 20, 0))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
            final FrameHandler handler = this::onFrame;
            sender.defaultDestination(Ipv4.LOOPBACK, receiver.localPort());

            // measure window after window until the JIT has settled (before C2, about 40 bytes per
            // downcall were seen: 80 per batch with C1 only); steady state is the first clean
            // window, bounded in time, not count: once a run saw 20 windows (about a second) pass
            // with one of the two downcalls still waiting for C2
            runRounds(sender, receiver, payload, handler, WARMUP_ROUNDS);
            long allocated = Long.MAX_VALUE;
            long received = 0;
            final long deadlineNs = System.nanoTime() + SETTLE_NS;
            while (allocated >= 4096 && System.nanoTime() - deadlineNs < 0)
            {
                final long before = threads.getThreadAllocatedBytes(threadId);
                received = runRounds(sender, receiver, payload, handler, ROUNDS);
                allocated = threads.getThreadAllocatedBytes(threadId) - before;
            }

            assertTrue(received > 0);
            assertTrue(allocated < 4096, "allocated " + allocated + " bytes over " + ROUNDS + " batches");
        }
    }

    private long runRounds(
        final UdpBatchSocket sender,
        final UdpBatchSocket receiver,
        final UnsafeBuffer payload,
        final FrameHandler handler,
        final int rounds)
    {
        long received = 0;
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < BATCH; i++)
            {
                sender.offer(payload, 0, 64);
            }
            sender.flush();
            final int n = receiver.poll(handler, BATCH);
            assertEquals(0, Math.min(0, n));
            received += n;
        }
        return received;
    }

    private void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        bytesReceived += length;
    }
}
