package io.flyover.nativeio;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * AF_PACKET through a veth pair inside a namespace this test creates: frames sent by
 * {@code sendmmsg} on one end arrive in the {@code TPACKET_V3} ring of the other.
 */
class AfPacketPortTest
{
    private static final int EXPERIMENTAL_ETHERTYPE = 0x88B5;
    private static final int FRAME_LENGTH = 120;
    private static NetworkNamespace ns;

    @BeforeAll
    static void createNamespaceWithVethPair()
    {
        if (!NetworkNamespace.isRoot())
        {
            return;
        }
        ns = NetworkNamespace.create();
        ns.ip("link", "add", "fo-a", "type", "veth", "peer", "name", "fo-b");
        ns.ip("link", "set", "fo-a", "up");
        ns.ip("link", "set", "fo-b", "up");
    }

    @AfterAll
    static void deleteNamespace()
    {
        if (null != ns)
        {
            ns.close();
        }
    }

    @Test
    void shouldNameIfNameToIndexAndInterfaceWhenInterfaceIsUnknown()
    {
        final NativeIoException ex = assertThrows(
            NativeIoException.class, () -> AfPacketPort.open(AfPacketConfig.defaults("fo-nosuchif0")));
        assertEquals("if_nametoindex on fo-nosuchif0 failed: ENODEV (19) No such device", ex.getMessage());
    }

    @Test
    void shouldRejectRingSettingsTheKernelCannotTake()
    {
        assertThrows(IllegalArgumentException.class, () -> new AfPacketConfig("x", 1000, 4, 2048, 1, 8, 2048, false));
        assertThrows(IllegalArgumentException.class, () -> new AfPacketConfig("x", 4096, 4, 8192, 1, 8, 2048, false));
    }

    @Test
    void shouldReceiveFramesSentBySendmmsgInPlaceFromTpacketV3RingAcrossBlocks()
    {
        assumeTrue(null != ns, "needs root to create a network namespace and a veth pair (CI runs as root)");
        final List<Integer> sequences = ns.call(() ->
        {
            // small blocks so 3 x 64 frames fill many of them and the walk wraps around the ring
            final AfPacketConfig rxConfig = new AfPacketConfig("fo-b", 4096, 8, 256, 1, 8, 2048, false);
            try (AfPacketPort rx = AfPacketPort.open(rxConfig);
                AfPacketPort tx = AfPacketPort.open(AfPacketConfig.defaults("fo-a"));
                ReadinessPoller poller = new ReadinessPoller(rx.fd()))
            {
                final List<Integer> seen = new ArrayList<>();
                final FrameHandler handler = (buffer, offset, length) -> collect(buffer, offset, length, seen);
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[FRAME_LENGTH]);
                int sequence = 0;
                for (int round = 0; round < 3; round++)
                {
                    for (int i = 0; i < 64; i++)
                    {
                        writeFrame(frame, sequence++);
                        assertEquals(i + 1, tx.offer(frame, 0, FRAME_LENGTH));
                    }
                    assertEquals(64, tx.flush());
                    drain(rx, poller, handler, seen, sequence);
                }
                return seen;
            }
        });

        assertEquals(192, sequences.size());
        for (int i = 0; i < sequences.size(); i++)
        {
            assertEquals(i, sequences.get(i));
        }
    }

    @Test
    void shouldResumeInTheMiddleOfABlockWhenPollLimitIsSmall()
    {
        assumeTrue(null != ns, "needs root to create a network namespace and a veth pair (CI runs as root)");
        final List<Integer> sequences = ns.call(() ->
        {
            final AfPacketConfig rxConfig = new AfPacketConfig("fo-b", 1 << 16, 4, 2048, 5, 8, 2048, false);
            try (AfPacketPort rx = AfPacketPort.open(rxConfig);
                AfPacketPort tx = AfPacketPort.open(AfPacketConfig.defaults("fo-a"));
                ReadinessPoller poller = new ReadinessPoller(rx.fd()))
            {
                final List<Integer> seen = new ArrayList<>();
                final FrameHandler handler = (buffer, offset, length) -> collect(buffer, offset, length, seen);
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[FRAME_LENGTH]);
                for (int i = 0; i < 20; i++)
                {
                    writeFrame(frame, i);
                    tx.offer(frame, 0, FRAME_LENGTH);
                }
                assertEquals(20, tx.flush());
                final long deadlineNs = System.nanoTime() + 5_000_000_000L;
                while (seen.size() < 20 && System.nanoTime() - deadlineNs < 0)
                {
                    final int n = rx.poll(handler, 3);
                    if (n > 3 || n < 0)
                    {
                        throw new AssertionError("poll returned " + n);
                    }
                    if (0 == n)
                    {
                        poller.await(10);
                    }
                }
                assertEquals(0, rx.updateStatistics());
                return seen;
            }
        });

        assertEquals(20, sequences.size());
        for (int i = 0; i < 20; i++)
        {
            assertEquals(i, sequences.get(i));
        }
    }

    @Test
    void shouldDropFrameLongerThanMtuWithSendErrorAndEmsgsizeAndSendTheRest()
    {
        assumeTrue(null != ns, "needs root to create a network namespace and a veth pair (CI runs as root)");
        ns.call(() ->
        {
            try (AfPacketPort tx = AfPacketPort.open(AfPacketConfig.defaults("fo-a")))
            {
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[1600]);
                writeFrame(frame, 1);
                assertEquals(1, tx.offer(frame, 0, 1600));
                assertEquals(2, tx.offer(frame, 0, FRAME_LENGTH));
                assertEquals(FrameSender.SEND_ERROR, tx.flush());
                assertEquals(Errno.EMSGSIZE, tx.sendErrno());
                assertEquals(1, tx.droppedFrames());
                assertEquals(1, tx.pending());
                assertEquals(1, tx.flush());
                assertEquals(0, tx.pending());
            }
            return null;
        });
    }

    @Test
    void shouldNotAllocatePerBatchOnRingWalkAndSendmmsg()
    {
        assumeTrue(null != ns, "needs root to create a network namespace and a veth pair (CI runs as root)");
        final long allocated = ns.call(() ->
        {
            final com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)java.lang.management.ManagementFactory.getThreadMXBean();
            final long threadId = Thread.currentThread().threadId();
            try (AfPacketPort rx = AfPacketPort.open(AfPacketConfig.defaults("fo-b"));
                AfPacketPort tx = AfPacketPort.open(AfPacketConfig.defaults("fo-a")))
            {
                final UnsafeBuffer frame = new UnsafeBuffer(new byte[FRAME_LENGTH]);
                writeFrame(frame, 0);
                final long[] bytes = new long[1];
                final FrameHandler handler = (buffer, offset, length) -> bytes[0] += length;
                sendAndWalk(rx, tx, frame, handler, 20_000);
                long result = Long.MAX_VALUE;
                for (int window = 0; window < 20 && result >= 4096; window++)
                {
                    final long before = threads.getThreadAllocatedBytes(threadId);
                    sendAndWalk(rx, tx, frame, handler, 5_000);
                    result = threads.getThreadAllocatedBytes(threadId) - before;
                }
                assertTrue(bytes[0] > 0);
                return result;
            }
        });
        assertTrue(allocated < 4096, "allocated " + allocated + " bytes over 5000 batches");
    }

    private static void sendAndWalk(
        final AfPacketPort rx, final AfPacketPort tx, final UnsafeBuffer frame, final FrameHandler handler, final int rounds)
    {
        for (int round = 0; round < rounds; round++)
        {
            for (int i = 0; i < 8; i++)
            {
                tx.offer(frame, 0, FRAME_LENGTH);
            }
            tx.flush();
            rx.poll(handler, 64);
        }
    }

    private static void drain(
        final AfPacketPort rx,
        final ReadinessPoller poller,
        final FrameHandler handler,
        final List<Integer> seen,
        final int expected)
    {
        final long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (seen.size() < expected && System.nanoTime() - deadlineNs < 0)
        {
            if (0 == rx.poll(handler, 32))
            {
                poller.await(10);
            }
        }
    }

    private static void writeFrame(final UnsafeBuffer frame, final int sequence)
    {
        frame.setMemory(0, FRAME_LENGTH, (byte)0);
        for (int i = 0; i < 6; i++)
        {
            frame.putByte(i, (byte)0xFF);
        }
        frame.putInt(6, 0x02000000);
        frame.putShort(10, (short)0x0001, ByteOrder.BIG_ENDIAN);
        frame.putShort(12, (short)EXPERIMENTAL_ETHERTYPE, ByteOrder.BIG_ENDIAN);
        frame.putInt(14, sequence, ByteOrder.BIG_ENDIAN);
        for (int i = 18; i < FRAME_LENGTH; i++)
        {
            frame.putByte(i, (byte)(sequence + i));
        }
    }

    private static void collect(
        final MutableDirectBuffer buffer, final int offset, final int length, final List<Integer> seen)
    {
        if (EXPERIMENTAL_ETHERTYPE != (buffer.getShort(offset + 12, ByteOrder.BIG_ENDIAN) & 0xFFFF))
        {
            return;
        }
        assertEquals(FRAME_LENGTH, length);
        final int sequence = buffer.getInt(offset + 14, ByteOrder.BIG_ENDIAN);
        for (int i = 18; i < FRAME_LENGTH; i++)
        {
            assertEquals((byte)(sequence + i), buffer.getByte(offset + i), "payload byte " + i);
        }
        seen.add(sequence);
    }
}
