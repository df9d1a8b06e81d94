package io.flyover.tools.gateway;

import io.flyover.nativeio.NetworkNamespace;
import io.flyover.tools.config.GatewayConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two gateways on AF_PACKET edge and origin ports, in a namespace of their own ("pop"), with the
 * client and the backend in two more namespaces joined to it by veth pairs: real Ethernet, real
 * ARP, the kernels of client and backend as the far hosts. The pop namespace does not forward, so
 * every packet that crosses it went through the gateways. POP A (ingress) takes the client's packet
 * to the VIP off its edge wire, POP C (egress, over a loopback UDP backbone in the same namespace)
 * puts it on its origin wire DNATed to the backend with the client's address kept; the backend's
 * kernel replies to the client through its default route, C, and A sends the reply to the client
 * from the VIP. The backend's MAC is not known when the first packet arrives: the gateway asks the
 * kernel to resolve it, and the client's retries get through.
 */
class GatewayAfPacketTest
{
    private static final String VIP = "203.0.113.10";
    private static final String CLIENT = "10.92.0.2";
    private static final String EDGE = "10.92.0.1";
    private static final String BACKEND = "10.93.0.2";
    private static final String ORIGIN = "10.93.0.1";
    private static final long TIMEOUT_NS = TimeUnit.SECONDS.toNanos(15);

    @TempDir
    Path dir;

    private final List<AutoCloseable> cleanup = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception
    {
        for (int i = cleanup.size() - 1; i >= 0; i--)
        {
            cleanup.get(i).close();
        }
    }

    @Test
    void shouldCarryClientTrafficOverEthernetEdgeAndOriginWithTheClientAddressKept() throws Exception
    {
        assumeTrue(NetworkNamespace.isRoot(), "needs root to create network namespaces and veth pairs (CI runs as root)");
        final NetworkNamespace pop = namespace("fo-gwpop-");
        final NetworkNamespace client = namespace("fo-gwcli-");
        final NetworkNamespace backend = namespace("fo-gwbe-");
        NetworkNamespace.run(NetworkNamespace.ipCommand(), "link", "add", "fo-gwe0", "netns", pop.name(), "type", "veth",
            "peer", "name", "fo-gwe1", "netns", client.name());
        NetworkNamespace.run(NetworkNamespace.ipCommand(), "link", "add", "fo-gwo0", "netns", pop.name(), "type", "veth",
            "peer", "name", "fo-gwo1", "netns", backend.name());
        pop.ip("address", "add", EDGE + "/24", "dev", "fo-gwe0");
        pop.ip("address", "add", ORIGIN + "/24", "dev", "fo-gwo0");
        pop.ip("address", "add", "127.0.0.3/8", "dev", "lo");
        pop.ip("link", "set", "fo-gwe0", "up");
        pop.ip("link", "set", "fo-gwo0", "up");
        client.ip("address", "add", CLIENT + "/24", "dev", "fo-gwe1");
        client.ip("link", "set", "fo-gwe1", "up");
        client.ip("route", "add", VIP + "/32", "via", EDGE);
        backend.ip("address", "add", BACKEND + "/24", "dev", "fo-gwo1");
        backend.ip("link", "set", "fo-gwo1", "up");
        backend.ip("route", "add", "default", "via", ORIGIN);

        final int portA = 31_000;
        final int portC = 32_000;
        final Path fileA = GatewayTestConfigs.write(dir.resolve("a.yaml"), GatewayTestConfigs.popA(portA, portC, dir, "shared", 1)
            .replace("""
                  edge:
                    type: tun
                    device: fly-edge
                """, """
                  edge:
                    type: afpacket
                    interface: fo-gwe0
                """)
            .replace(GatewayTestConfigs.VIP, VIP));
        final Path fileC = GatewayTestConfigs.write(dir.resolve("c.yaml"), GatewayTestConfigs.popC(portC, portA, dir, 1)
            .replace("""
                  origin:
                    type: tun
                    device: fly-origin
                """, """
                  origin:
                    type: afpacket
                    interface: fo-gwo0
                """)
            .replace(GatewayTestConfigs.VIP, VIP)
            .replace(GatewayTestConfigs.BACKEND, BACKEND));
        final GatewayConfig configA = GatewayEndToEndTest.load(fileA);
        final GatewayConfig configC = GatewayEndToEndTest.load(fileC);
        assertEquals("afpacket", configA.ports().edge().type());
        assertEquals("afpacket", configC.ports().origin().type());

        final List<Throwable> errors = new ArrayList<>();
        // started on the pop namespace's thread: every socket and agent thread lives in that namespace
        final Gateway a = pop.call(() -> Gateway.start(fileA, configA, PortOpener.DEVICES, errors::add));
        cleanup.add(a);
        final Gateway c = pop.call(() -> Gateway.start(fileC, configC, PortOpener.DEVICES, errors::add));
        cleanup.add(c);

        final DatagramChannel server = backend.call(() -> bound(BACKEND, 5353));
        cleanup.add(server);
        final DatagramChannel user = client.call(() -> bound(CLIENT, 40_053));
        cleanup.add(user);

        final AtomicReference<InetSocketAddress> seenByBackend = new AtomicReference<>();
        final ByteBuffer reply = ByteBuffer.allocate(256);
        InetSocketAddress replyFrom = null;
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        int sent = 0;
        while (null == replyFrom && System.nanoTime() - deadline < 0)
        {
            client.call(() -> user.send(ByteBuffer.wrap(("query " + 0).getBytes(StandardCharsets.US_ASCII)),
                new InetSocketAddress(VIP, 53)));
            sent++;
            final long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(250);
            while (null == replyFrom && System.nanoTime() - until < 0)
            {
                backend.call(() -> echo(server, seenByBackend));
                reply.clear();
                replyFrom = client.call(() -> (InetSocketAddress)user.receive(reply));
                if (null == replyFrom)
                {
                    Thread.sleep(5);
                }
            }
        }

        assertTrue(errors.isEmpty(), () -> "agent errors: " + errors);
        final int tries = sent;
        assertEquals(new InetSocketAddress(VIP, 53), replyFrom, () -> "reply from the VIP after " + tries + " tries; backend saw "
            + seenByBackend.get() + "\nA:\n" + nonZero(Metrics.render(a)) + "\nC:\n" + nonZero(Metrics.render(c)));
        assertEquals("echo query 0", new String(reply.array(), 0, reply.position(), StandardCharsets.US_ASCII));
        assertEquals(new InetSocketAddress(CLIENT, 40_053), seenByBackend.get(), "the backend sees the client itself");
        final String metricsC = Metrics.render(c);
        assertTrue(metricsC.contains("flyover_port_ignored_total{port=\"origin\",reason=\"not_for_us\"}"), metricsC);
        assertTrue(metricsC.contains("flyover_port_neighbor_unresolved_total{port=\"origin\"}"), metricsC);
        // the client's and the backend's kernels leave UDP checksums partial on veth; the ports complete them
        assertTrue(!Metrics.render(a).contains("flyover_port_checksums_completed_total{port=\"edge\"} 0"), "edge completed none");
        assertTrue(!metricsC.contains("flyover_port_checksums_completed_total{port=\"origin\"} 0"), "origin completed none");
    }

    private static String nonZero(final String metrics)
    {
        final StringBuilder lines = new StringBuilder();
        for (final String line : metrics.split("\n"))
        {
            if (!line.startsWith("#") && !line.endsWith(" 0") && !line.endsWith(" 0.0"))
            {
                lines.append(line).append('\n');
            }
        }
        return lines.toString();
    }

    private NetworkNamespace namespace(final String prefix)
    {
        final NetworkNamespace ns = NetworkNamespace.create(prefix);
        cleanup.add(ns);
        return ns;
    }

    private static DatagramChannel bound(final String address, final int port) throws Exception
    {
        final DatagramChannel channel = DatagramChannel.open();
        channel.bind(new InetSocketAddress(address, port));
        channel.configureBlocking(false);
        return channel;
    }

    private static Void echo(final DatagramChannel server, final AtomicReference<InetSocketAddress> seen) throws Exception
    {
        final ByteBuffer request = ByteBuffer.allocate(256);
        InetSocketAddress from;
        while (null != (from = (InetSocketAddress)server.receive(request)))
        {
            seen.set(from);
            request.flip();
            final ByteBuffer answer = ByteBuffer.allocate(5 + request.remaining());
            answer.put("echo ".getBytes(StandardCharsets.US_ASCII)).put(request).flip();
            server.send(answer, from);
            request.clear();
        }
        return null;
    }
}
