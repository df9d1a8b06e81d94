package io.flyover.nativeio;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UdpSocketPoolTest
{
    private static final int POOL_SIZE = 8;

    @Test
    void shouldBindConsecutivePortsAndSpreadHashesOverThem()
    {
        try (UdpSocketPool pool = openOnFreeRange(false);
            UdpBatchSocket receiver = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, 64, 256))
        {
            final int firstPort = pool.socket(0).localPort();
            for (int i = 0; i < POOL_SIZE; i++)
            {
                assertEquals(firstPort + i, pool.socket(i).localPort());
            }
            assertSame(pool.socketForHash(-7), pool.socketForHash(-7));

            final UnsafeBuffer payload = new UnsafeBuffer(new byte[]{42});
            for (int hash = 0; hash < 32; hash++)
            {
                pool.socketForHash(hash * 0x9E3779B9).offer(payload, 0, 1, Ipv4.LOOPBACK, receiver.localPort());
            }
            assertEquals(32, pool.flush());

            final Set<Integer> sourcePorts = new HashSet<>();
            for (final UdpBatchSocketTest.Received r : UdpBatchSocketTest.receiveAll(receiver, 32))
            {
                sourcePorts.add(r.sourcePort());
            }
            assertTrue(sourcePorts.size() > 1, "source ports " + sourcePorts);
            for (final int port : sourcePorts)
            {
                assertTrue(port >= firstPort && port < firstPort + POOL_SIZE, "port " + port);
            }
        }
    }

    @Test
    void shouldReceiveFromEverySocketOfNioPool()
    {
        try (UdpSocketPool pool = openOnFreeRange(true);
            UdpBatchSocket sender = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, POOL_SIZE, 256))
        {
            final UnsafeBuffer payload = new UnsafeBuffer(new byte[]{7});
            for (int i = 0; i < POOL_SIZE; i++)
            {
                sender.offer(payload, 0, 1, Ipv4.LOOPBACK, pool.socket(i).localPort());
            }
            assertEquals(POOL_SIZE, sender.flush());
            final int[] count = new int[1];
            final DatagramHandler handler = (buffer, offset, length, source, sourcePort, destination) -> count[0]++;
            final long deadlineNs = System.nanoTime() + 5_000_000_000L;
            while (count[0] < POOL_SIZE && System.nanoTime() - deadlineNs < 0)
            {
                pool.receive(handler, 4);
            }
            assertEquals(POOL_SIZE, count[0]);
        }
    }

    private static UdpSocketPool openOnFreeRange(final boolean nio)
    {
        NativeIoException last = null;
        for (int attempt = 0; attempt < 20; attempt++)
        {
            final int firstPort = 20_000 + ThreadLocalRandom.current().nextInt(20_000);
            try
            {
                return nio ?
                    UdpSocketPool.openNio(Ipv4.LOOPBACK, firstPort, POOL_SIZE, 8, 256) :
                    UdpSocketPool.openNative(Ipv4.LOOPBACK, firstPort, POOL_SIZE, 8, 256);
            }
            catch (final NativeIoException ex)
            {
                last = ex;
            }
        }
        throw last;
    }
}
