package io.flyover.nativeio;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Not a test: a rough single-thread measurement of the batched UDP path on loopback (send a batch
 * with {@code sendmmsg}, take it back with {@code recvmmsg}, 64-byte payloads), and of the NIO
 * fallback doing the same. Run with the shared JVM flags:
 * {@code java --enable-native-access=ALL-UNNAMED -cp native/target/classes:native/target/test-classes:agrona.jar
 * io.flyover.nativeio.UdpLoopbackThroughput}.
 */
public final class UdpLoopbackThroughput
{
    private static long bytes;
    private static long flushNs;
    private static long pollNs;

    private UdpLoopbackThroughput()
    {
    }

    /**
     * @param args optional: batch size (default 32), seconds per run (default 3).
     */
    public static void main(final String[] args)
    {
        final int batch = args.length > 0 ? Integer.parseInt(args[0]) : 32;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        for (int run = 0; run < 2; run++)
        {
            try (UdpBatchSocket sender = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, batch, 2048, 0, 8 << 20);
                UdpBatchSocket receiver = UdpBatchSocket.open(Ipv4.LOOPBACK, 0, batch, 2048, 8 << 20, 0))
            {
                report("mmsg batch " + batch, measure(sender, receiver, batch, seconds));
            }
            try (NioDatagramPort sender = NioDatagramPort.open(Ipv4.LOOPBACK, 0, batch, 2048);
                NioDatagramPort receiver = NioDatagramPort.open(Ipv4.LOOPBACK, 0, batch, 2048))
            {
                report("nio  batch " + batch, measure(sender, receiver, batch, seconds));
            }
        }
    }

    private static void report(final String label, final long[] result)
    {
        System.out.printf("%s: %,d datagrams received in %d ms = %,.0f per second (%,d sent)%n",
            label, result[1], result[2], result[1] * 1000.0 / result[2], result[0]);
        System.out.printf("  flush %,d ns per datagram, poll %,d ns per datagram%n",
            flushNs / Math.max(1, result[0]), pollNs / Math.max(1, result[1]));
        flushNs = 0;
        pollNs = 0;
    }

    private static long[] measure(
        final DatagramPort sender, final DatagramPort receiver, final int batch, final int seconds)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        final FrameHandler handler = UdpLoopbackThroughput::onFrame;
        sender.defaultDestination(Ipv4.LOOPBACK, receiver.localPort());
        long sent = 0;
        long received = 0;
        final long startNs = System.nanoTime();
        final long endNs = startNs + seconds * 1_000_000_000L;
        while (System.nanoTime() - endNs < 0)
        {
            for (int i = 0; i < batch; i++)
            {
                sender.offer(payload, 0, 64);
            }
            final long t0 = System.nanoTime();
            final int n = sender.flush();
            flushNs += System.nanoTime() - t0;
            sent += Math.max(0, n);
            int got;
            do
            {
                final long t1 = System.nanoTime();
                got = receiver.poll(handler, batch);
                pollNs += System.nanoTime() - t1;
                received += Math.max(0, got);
            }
            while (got > 0 && received < sent);
        }
        return new long[]{sent, received, (System.nanoTime() - startNs) / 1_000_000};
    }

    private static void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        bytes += length;
    }
}
