package io.flyover.tools.lab;

import io.flyover.nativeio.DatagramHandler;
import io.flyover.nativeio.Libc;
import io.flyover.nativeio.NetworkNamespace;
import io.flyover.nativeio.UdpBatchSocket;
import org.agrona.concurrent.UnsafeBuffer;

import java.io.PrintWriter;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.flyover.tools.lab.LabTopology.*;

/**
 * {@code flyover lab bench}: 64-byte UDP packets per second and iperf3 TCP throughput from the
 * client to the backend, through the lab's gateways (A→C) and then, in the same namespaces with
 * the same generator, through kernel forwarding and a kernel VXLAN tunnel between A and C. The
 * generator is one or more threads in the client's namespace, each with its own UDP socket
 * sending batches with {@code sendmmsg}; the sink is one thread in the backend's namespace
 * receiving with {@code recvmmsg}. Every loop is bounded in time. Runs on the caller's thread plus
 * those namespace threads.
 */
public final class LabBench
{
    /** UDP payload: 18 bytes make a 64-byte Ethernet frame (14 + 20 + 8 + 18 + 4 FCS). */
    public static final int PAYLOAD_BYTES = 18;

    private static final int BATCH = 64;
    private static final String VXLAN = PREFIX + "vx";

    private final Lab lab;
    private final PrintWriter log;
    private final long warmupMs;
    private final long seconds;
    private final int generators;

    /**
     * @param lab      a lab that is up.
     * @param log      progress lines.
     * @param warmupMs generator time before each measured window.
     * @param seconds    length of each measured window.
     * @param generators generator threads (each its own socket, hence its own flow).
     */
    public LabBench(final Lab lab, final PrintWriter log, final long warmupMs, final long seconds, final int generators)
    {
        this.generators = generators;
        this.lab = lab;
        this.log = log;
        this.warmupMs = warmupMs;
        this.seconds = seconds;
    }

    /**
     * One path's UDP measurement.
     *
     * @param offeredPps   datagrams per second the generator's sockets accepted.
     * @param deliveredPps datagrams per second the sink received.
     */
    public record UdpRate(double offeredPps, double deliveredPps)
    {
        /**
         * @return the share of offered datagrams that did not arrive.
         */
        public double loss()
        {
            return offeredPps <= 0 ? 0 : Math.max(0, 1 - deliveredPps / offeredPps);
        }
    }

    /**
     * What the bench measured.
     *
     * @param flyover      UDP through the gateways.
     * @param kernel       UDP through kernel forwarding and VXLAN.
     * @param flyoverGbps  iperf3 TCP through the gateways.
     * @param kernelGbps   iperf3 TCP through the kernel.
     * @param options      the gateways' ports and threads.
     */
    public record Result(UdpRate flyover, UdpRate kernel, double flyoverGbps, double kernelGbps, LabTopology.Options options)
    {
        /**
         * @return the lower of the two offered rates (each path was offered at least this).
         */
        public double offeredPps()
        {
            return Math.min(flyover.offeredPps(), kernel.offeredPps());
        }

        /**
         * @return Flyover's delivered rate over the kernel's.
         */
        public double ppsRatio()
        {
            return kernel.deliveredPps() <= 0 ? 0 : flyover.deliveredPps() / kernel.deliveredPps();
        }

        /**
         * @return Flyover's TCP throughput over the kernel's.
         */
        public double tcpRatio()
        {
            return kernelGbps <= 0 ? 0 : flyoverGbps / kernelGbps;
        }

        /**
         * @return one JSON object.
         */
        public String toJson()
        {
            return String.format(Locale.ROOT,
                "{\"ports\":\"%s\",\"threads\":\"%s\",\"offered_pps\":%.0f,\"flyover_pps\":%.0f,\"kernel_pps\":%.0f,\"pps_ratio\":%.3f,"
                    + "\"flyover_tcp_gbps\":%.3f,\"kernel_tcp_gbps\":%.3f,\"tcp_ratio\":%.3f,"
                    + "\"flyover_offered_pps\":%.0f,\"kernel_offered_pps\":%.0f,\"flyover_loss\":%.4f,\"kernel_loss\":%.4f}",
                options.afPacket() ? "afpacket" : "tun", options.dedicatedThreads() ? "dedicated" : "shared",
                offeredPps(), flyover.deliveredPps(), kernel.deliveredPps(), ppsRatio(), flyoverGbps, kernelGbps, tcpRatio(),
                flyover.offeredPps(), kernel.offeredPps(), flyover.loss(), kernel.loss());
        }

        /**
         * @return a table for people.
         */
        public String toText()
        {
            return String.format(Locale.ROOT,
                "gateways: %s%n"
                    + "path      UDP offered pps  delivered pps  loss     TCP Gbit/s%n"
                    + "flyover   %15.0f  %13.0f  %6.2f%%  %10.3f%n"
                    + "kernel    %15.0f  %13.0f  %6.2f%%  %10.3f%n"
                    + "ratio (flyover/kernel): pps %.3f, tcp %.3f%n",
                options.describe(), flyover.offeredPps(), flyover.deliveredPps(), 100 * flyover.loss(), flyoverGbps,
                kernel.offeredPps(), kernel.deliveredPps(), 100 * kernel.loss(), kernelGbps,
                ppsRatio(), tcpRatio());
        }
    }

    /**
     * Measure both paths.
     *
     * @return the result.
     * @throws LabException when a step fails.
     */
    public Result run()
    {
        if (!Shell.installed("iperf3"))
        {
            throw new LabException("lab bench needs iperf3, which is not installed (apt-get install iperf3)");
        }
        log.println("lab bench: UDP through Flyover (" + lab.options().describe() + "; client -> VIP " + VIP + ":"
            + BENCH_UDP_PORT + " -> A -> C -> backend)");
        log.flush();
        final UdpRate flyoverUdp = udp(TunnelSniffer.ipv4(VIP));
        final double flyoverTcp = tcp(VIP);
        // the kernel path runs without the gateways of A and C: nothing of theirs competes for the
        // cores, and AF_PACKET rings no longer see the frames
        Lab.stopEdgeGateways();
        if (lab.options().afPacket())
        {
            Lab.edgeForwarding(true);
            Lab.senderSegmentation(true);
        }
        kernelPath();
        log.println("lab bench: UDP through the kernel (client -> " + BACKEND_IP + " -> A -> VXLAN -> C -> backend)");
        log.flush();
        final UdpRate kernelUdp = udp(TunnelSniffer.ipv4(BACKEND_IP));
        final double kernelTcp = tcp(BACKEND_IP);
        return new Result(flyoverUdp, kernelUdp, flyoverTcp, kernelTcp, lab.options());
    }

    /**
     * Switch A and C to kernel forwarding over VXLAN (their gateways are stopped by then):
     * A routes the backend network into a VXLAN device toward C, C routes the client network
     * back into its VXLAN device instead of the origin TUN.
     */
    private static void kernelPath()
    {
        vxlan(NS_A, UNDERLAY_A, UNDERLAY_C, "10.77.99.1/30");
        vxlan(NS_C, UNDERLAY_C, UNDERLAY_A, "10.77.99.2/30");
        Shell.ipIn(NS_A, "route", "replace", BACKEND_NET, "via", "10.77.99.2", "dev", VXLAN);
        Shell.ipIn(NS_C, "route", "replace", CLIENT_NET, "via", "10.77.99.1", "dev", VXLAN);
    }

    private static void vxlan(final String ns, final String local, final String remote, final String address)
    {
        Shell.ipIn(ns, "link", "add", VXLAN, "type", "vxlan", "id", "77", "local", local, "remote", remote,
            "dstport", "4789");
        Shell.ipIn(ns, "addr", "add", address, "dev", VXLAN);
        Shell.ipIn(ns, "link", "set", VXLAN, "up");
        Lab.sysctl(ns, "net.ipv4.conf." + VXLAN + ".rp_filter", "0");
    }

    private UdpRate udp(final int destination)
    {
        final AtomicLong received = new AtomicLong();
        final List<AtomicLong> sent = new ArrayList<>();
        final List<NetworkNamespace> threads = new ArrayList<>();
        final List<Future<Long>> tasks = new ArrayList<>();
        final long endNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(warmupMs + seconds * 1000 + 500);
        try
        {
            final NetworkNamespace sinkThread = Lab.enter(NS_BACKEND);
            threads.add(sinkThread);
            final UdpBatchSocket sink = Lab.call(sinkThread, () -> UdpBatchSocket.open(
                TunnelSniffer.ipv4(BACKEND_IP), BENCH_UDP_PORT, BATCH, 256, 32 << 20, 0), 10_000);
            tasks.add(sinkThread.submit(() -> sink(sink, received, endNs + 500_000_000L)));
            for (int i = 0; i < generators; i++)
            {
                final NetworkNamespace thread = Lab.enter(NS_CLIENT);
                threads.add(thread);
                final AtomicLong count = new AtomicLong();
                sent.add(count);
                tasks.add(thread.submit(() -> generate(destination, count, endNs)));
            }
            Lab.sleepMs(warmupMs);
            final long r0 = received.get();
            final long s0 = sum(sent);
            final long t0 = System.nanoTime();
            Lab.sleepMs(seconds * 1000);
            final long r1 = received.get();
            final long s1 = sum(sent);
            final double elapsedS = (System.nanoTime() - t0) / 1e9;
            for (final Future<Long> task : tasks)
            {
                Lab.await(task, 15_000, "bench traffic");
            }
            final UdpRate rate = new UdpRate((s1 - s0) / elapsedS, (r1 - r0) / elapsedS);
            log.printf(Locale.ROOT, "lab bench:   offered %.0f pps, delivered %.0f pps, loss %.2f%%%n",
                rate.offeredPps(), rate.deliveredPps(), 100 * rate.loss());
            log.flush();
            Lab.call(sinkThread, () ->
            {
                sink.close();
                return null;
            }, 10_000);
            return rate;
        }
        finally
        {
            threads.forEach(NetworkNamespace::close);
        }
    }

    private static long sum(final List<AtomicLong> counts)
    {
        long total = 0;
        for (final AtomicLong count : counts)
        {
            total += count.get();
        }
        return total;
    }

    private static long generate(final int destination, final AtomicLong sent, final long endNs)
    {
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PAYLOAD_BYTES]);
        try (UdpBatchSocket socket = UdpBatchSocket.open(0, 0, BATCH, 256, 0, 4 << 20))
        {
            socket.defaultDestination(destination, BENCH_UDP_PORT);
            long total = 0;
            long loops = 0;
            while (true)
            {
                if (0 == (++loops & 63) && System.nanoTime() - endNs >= 0)
                {
                    break;
                }
                for (int i = 0; i < BATCH; i++)
                {
                    payload.putLong(0, total + i);
                    if (socket.offer(payload, 0, PAYLOAD_BYTES) < 0)
                    {
                        break;
                    }
                }
                final int n = socket.flush();
                if (n > 0)
                {
                    total += n;
                    sent.lazySet(total);
                }
            }
            return total;
        }
    }

    private static long sink(final UdpBatchSocket socket, final AtomicLong received, final long endNs)
    {
        final long[] count = { 0 };
        final DatagramHandler handler = (buffer, offset, length, source, sourcePort, destination) -> count[0]++;
        try (Arena arena = Arena.ofConfined())
        {
            // sleep in poll(2) when the socket is empty, so the sink takes no CPU from the paths measured
            final MemorySegment errno = Libc.allocateErrno(arena);
            final MemorySegment pollFd = arena.allocate(8, 8);
            pollFd.set(ValueLayout.JAVA_INT, 0, socket.fd());
            pollFd.set(ValueLayout.JAVA_SHORT, 4, (short)1);
            while (System.nanoTime() - endNs < 0)
            {
                final int n = socket.receive(handler, BATCH);
                if (n > 0)
                {
                    received.lazySet(count[0]);
                }
                else
                {
                    Libc.poll(errno, pollFd.address(), 1, 10);
                }
            }
        }
        return count[0];
    }

    private double tcp(final String destination)
    {
        final Process server;
        try
        {
            server = new ProcessBuilder(Shell.inNamespace(NS_BACKEND, Shell.find("iperf3"), "-s", "-1",
                "-B", BACKEND_IP, "-p", Integer.toString(BENCH_TCP_PORT)))
                .redirectErrorStream(true).redirectOutput(lab.dir().resolve("iperf3-server.log").toFile()).start();
        }
        catch (final java.io.IOException ex)
        {
            throw new LabException("cannot start iperf3 -s: " + ex.getMessage(), ex);
        }
        try
        {
            Lab.sleepMs(500);
            final String json = Shell.run((seconds + 20) * 1000, Shell.inNamespace(NS_CLIENT, Shell.find("iperf3"),
                "-c", destination, "-p", Integer.toString(BENCH_TCP_PORT), "-t", Long.toString(seconds),
                "-O", "1", "-J"));
            final Matcher m = Pattern.compile("\"sum_received\"\\s*:\\s*\\{[^}]*?\"bits_per_second\"\\s*:\\s*([0-9.eE+]+)")
                .matcher(json);
            if (!m.find())
            {
                throw new LabException("iperf3 gave no sum_received: " + json.substring(0, Math.min(400, json.length())));
            }
            final double gbps = Double.parseDouble(m.group(1)) / 1e9;
            log.printf(Locale.ROOT, "lab bench:   iperf3 TCP to %s: %.3f Gbit/s%n", destination, gbps);
            log.flush();
            return gbps;
        }
        finally
        {
            server.destroy();
            try
            {
                server.waitFor(5, TimeUnit.SECONDS);
            }
            catch (final InterruptedException ex)
            {
                Thread.currentThread().interrupt();
            }
            server.destroyForcibly();
        }
    }
}
