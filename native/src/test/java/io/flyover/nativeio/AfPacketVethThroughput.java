package io.flyover.nativeio;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * Not a test: a rough single-thread measurement of AF_PACKET through a veth pair in a namespace it
 * creates and deletes (root only): {@code sendmmsg} batches of 64-byte frames into one end, the
 * {@code TPACKET_V3} ring on the other. Both ends on one thread, so the figure is the sum of both
 * costs, not a forwarding rate. Run like {@link UdpLoopbackThroughput}.
 */
public final class AfPacketVethThroughput
{
    private static long frames;

    private AfPacketVethThroughput()
    {
    }

    /**
     * @param args optional: batch size (default 64), seconds (default 3).
     */
    public static void main(final String[] args)
    {
        final int batch = args.length > 0 ? Integer.parseInt(args[0]) : 64;
        final int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        try (NetworkNamespace ns = NetworkNamespace.create())
        {
            ns.ip("link", "add", "fo-a", "type", "veth", "peer", "name", "fo-b");
            ns.ip("link", "set", "fo-a", "up");
            ns.ip("link", "set", "fo-b", "up");
            ns.call(() ->
            {
                for (int run = 0; run < 2; run++)
                {
                    measure(batch, seconds, false);
                    measure(batch, seconds, true);
                }
                return null;
            });
        }
    }

    private static void measure(final int batch, final int seconds, final boolean qdiscBypass)
    {
        final AfPacketConfig txConfig = new AfPacketConfig("fo-a", 1 << 18, 8, 2048, 1, batch, 2048, qdiscBypass);
        try (AfPacketPort rx = AfPacketPort.open(AfPacketConfig.defaults("fo-b"));
            AfPacketPort tx = AfPacketPort.open(txConfig))
        {
            final UnsafeBuffer frame = new UnsafeBuffer(new byte[64]);
            for (int i = 0; i < 6; i++)
            {
                frame.putByte(i, (byte)0xFF);
            }
            frame.putShort(12, (short)0x88B5, ByteOrder.BIG_ENDIAN);
            final FrameHandler handler = AfPacketVethThroughput::onFrame;
            frames = 0;
            long sent = 0;
            long flushNs = 0;
            long pollNs = 0;
            final long startNs = System.nanoTime();
            final long endNs = startNs + seconds * 1_000_000_000L;
            while (System.nanoTime() - endNs < 0)
            {
                for (int i = 0; i < batch; i++)
                {
                    tx.offer(frame, 0, 64);
                }
                final long t0 = System.nanoTime();
                final int n = tx.flush();
                final long t1 = System.nanoTime();
                sent += Math.max(0, n);
                while (rx.poll(handler, 256) > 0)
                {
                    // drain
                }
                pollNs += System.nanoTime() - t1;
                flushNs += t1 - t0;
            }
            final long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
            rx.updateStatistics();
            System.out.printf(
                "batch %d%s: sent %,d, received %,d in %d ms = %,.0f frames/s; sendmmsg %,d ns/frame, ring walk %,d ns/frame; " +
                "kernel drops %,d%n",
                batch, qdiscBypass ? " qdisc bypass" : "", sent, frames, elapsedMs, frames * 1000.0 / elapsedMs,
                flushNs / Math.max(1, sent), pollNs / Math.max(1, frames), rx.kernelDrops());
        }
    }

    private static void onFrame(final MutableDirectBuffer buffer, final int offset, final int length)
    {
        frames++;
    }
}
