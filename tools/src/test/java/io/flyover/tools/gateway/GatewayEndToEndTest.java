package io.flyover.tools.gateway;

import io.flyover.dataplane.engine.InMemoryPort;
import io.flyover.dataplane.engine.PortRole;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.UdpFlyweight;
import io.flyover.dataplane.world.IpPackets;
import io.flyover.nativeio.Ipv4;
import io.flyover.tools.config.ConfigLoader;
import io.flyover.tools.config.GatewayConfig;
import io.flyover.tools.config.UdpPort;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two gateways in this process, A (ingress) and C (egress), joined by real UDP sockets on
 * loopback; their edge and origin are in-memory ports. A client packet to the VIP enters A's edge,
 * crosses the loopback backbone, and leaves C's origin DNATed to the backend with the client's
 * address kept; the backend's reply goes back the same way and leaves A's edge from the VIP.
 */
class GatewayEndToEndTest
{
    private static final long TIMEOUT_NS = 10_000_000_000L;

    @TempDir
    Path dir;

    @Test
    void shouldCarryClientPacketToBackendAndReplyBackOverLoopbackBackbone() throws Exception
    {
        final int portA = GatewayTestConfigs.freePortPair("127.0.0.1");
        final int portC = GatewayTestConfigs.freePortPair("127.0.0.3");
        final GatewayConfig configA = load(GatewayTestConfigs.write(dir.resolve("a.yaml"),
            GatewayTestConfigs.popA(portA, portC, dir, "dedicated", 2)));
        final GatewayConfig configC = load(GatewayTestConfigs.write(dir.resolve("c.yaml"),
            GatewayTestConfigs.popC(portC, portA, dir, 1)));

        final InMemoryPort edgeA = new InMemoryPort("edge", false, 1024, 2048);
        final InMemoryPort originC = new InMemoryPort("origin", false, 1024, 2048);
        final List<Throwable> errors = new ArrayList<>();
        try (Gateway a = Gateway.start(dir.resolve("a.yaml"), configA, opener(edgeA), errors::add);
            Gateway c = Gateway.start(dir.resolve("c.yaml"), configC, opener(originC), errors::add))
        {
            final int client = Ipv4.parse("192.0.2.7");
            final int vip = Ipv4.parse(GatewayTestConfigs.VIP);
            final int backend = Ipv4.parse(GatewayTestConfigs.BACKEND);
            final UnsafeBuffer packet = new UnsafeBuffer(new byte[512]);
            final UnsafeBuffer payload = new UnsafeBuffer("hello".getBytes(StandardCharsets.US_ASCII));
            final int length = IpPackets.udp4(packet, 0, client, 40_000, vip, 53, payload, 0, payload.capacity());
            assertTrue(edgeA.inject(packet, 0, length));

            final byte[] atOrigin = awaitFrame(originC);
            final UnsafeBuffer forward = new UnsafeBuffer(atOrigin);
            assertEquals(client, Ipv4Flyweight.srcAddress(forward, 0), "the client's address is kept");
            assertEquals(backend, Ipv4Flyweight.dstAddress(forward, 0), "DNAT to the backend");
            assertEquals(5353, UdpFlyweight.dstPort(forward, 20));
            assertEquals(40_000, UdpFlyweight.srcPort(forward, 20));

            final UnsafeBuffer reply = new UnsafeBuffer(new byte[512]);
            final UnsafeBuffer answer = new UnsafeBuffer("world".getBytes(StandardCharsets.US_ASCII));
            final int replyLength = IpPackets.udp4(reply, 0, backend, 5353, client, 40_000, answer, 0, answer.capacity());
            assertTrue(originC.inject(reply, 0, replyLength));

            final UnsafeBuffer back = new UnsafeBuffer(awaitFrame(edgeA));
            assertEquals(vip, Ipv4Flyweight.srcAddress(back, 0), "SNAT back to the VIP");
            assertEquals(client, Ipv4Flyweight.dstAddress(back, 0));
            assertEquals(53, UdpFlyweight.srcPort(back, 20));
            assertEquals(40_000, UdpFlyweight.dstPort(back, 20));

            final long deadline = System.nanoTime() + TIMEOUT_NS;
            String metrics = Metrics.render(a);
            while (1 != MetricsText.value(metrics, "flyover_port_packets_total", "port", "edge", "direction", "tx")
                && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(10);
                metrics = Metrics.render(a);
            }
            assertEquals(1.0, MetricsText.value(metrics, "flyover_port_packets_total", "port", "edge", "direction", "rx"), metrics);
            // liveness keepalives and their answers share the backbone port with the data
            assertTrue(MetricsText.value(metrics, "flyover_port_packets_total", "port", "backbone", "direction", "tx") >= 1,
                metrics);
            assertTrue(MetricsText.value(metrics, "flyover_port_packets_total", "port", "backbone", "direction", "rx") >= 1,
                metrics);
            assertEquals(1.0, MetricsText.value(metrics, "flyover_port_packets_total", "port", "edge", "direction", "tx"), metrics);
            String metricsC = Metrics.render(c);
            while (2 != MetricsText.value(metricsC, "flyover_flows_created_total", "worker", "0")
                && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(10);
                metricsC = Metrics.render(c);
            }
            assertEquals(2.0, MetricsText.value(metricsC, "flyover_flows_created_total", "worker", "0"),
                "forward and reverse entry\n" + metricsC);

            // per service: one new flow at each end (A pinned it, C gave it a backend), C's one backend
            while ((1 != MetricsText.value(metrics, "flyover_service_flows_created_total", "name", "dns", "service", "100")
                || 1 != MetricsText.value(metricsC, "flyover_service_flows_created_total", "name", "dns", "service", "100"))
                && System.nanoTime() - deadline < 0)
            {
                Thread.sleep(10);
                metrics = Metrics.render(a);
                metricsC = Metrics.render(c);
            }
            assertEquals(1.0, MetricsText.value(metrics, "flyover_service_flows_created_total", "name", "dns",
                "service", "100"), metrics);
            assertEquals(1.0, MetricsText.value(metricsC, "flyover_service_flows_created_total", "name", "dns",
                "service", "100"), metricsC);
            assertEquals(1.0, MetricsText.value(metricsC, "flyover_service_backends", "name", "dns", "service", "100"),
                metricsC);
            assertEquals(0.0, MetricsText.value(metrics, "flyover_service_backends", "name", "dns", "service", "100"),
                metrics);
        }
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void shouldCloseCleanlyWhenNothingFlowed() throws Exception
    {
        final int portA = GatewayTestConfigs.freePortPair("127.0.0.1");
        final GatewayConfig configA = load(GatewayTestConfigs.write(dir.resolve("a.yaml"),
            GatewayTestConfigs.popA(portA, portA + 10, dir, "shared", 1)));
        final InMemoryPort edgeA = new InMemoryPort("edge", false, 1024, 2048);
        final Gateway a = Gateway.start(dir.resolve("a.yaml"), configA, opener(edgeA), t -> { });
        final long started = System.nanoTime();
        a.close();
        a.close();
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "close is bounded");
        assertFalse(a.reload().accepted(), "no reload after close");
    }

    static PortOpener opener(final InMemoryPort inMemory)
    {
        return (role, config) -> PortRole.BACKBONE == role ?
            PortOpener.udpBackbone(role, (UdpPort)config) : inMemory;
    }

    static GatewayConfig load(final Path file)
    {
        return ConfigLoader.load(file).config();
    }

    private static byte[] awaitFrame(final InMemoryPort port) throws InterruptedException
    {
        final List<byte[]> frames = new ArrayList<>();
        final long deadline = System.nanoTime() + TIMEOUT_NS;
        while (frames.isEmpty() && System.nanoTime() - deadline < 0)
        {
            port.drain((buffer, offset, length) ->
            {
                final byte[] copy = new byte[length];
                buffer.getBytes(offset, copy);
                frames.add(copy);
            }, 16);
            if (frames.isEmpty())
            {
                Thread.sleep(1);
            }
        }
        assertEquals(1, frames.size(), "one frame within the timeout");
        return frames.get(0);
    }
}
