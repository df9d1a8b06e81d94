package io.flyover.tools.gateway;

import io.flyover.dataplane.engine.InMemoryPort;
import io.flyover.dataplane.engine.Port;
import io.flyover.dataplane.engine.PortRole;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.UdpFlyweight;
import io.flyover.dataplane.world.IpPackets;
import io.flyover.nativeio.Ipv4;
import io.flyover.tools.config.UdpPort;
import org.agrona.concurrent.UnsafeBuffer;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What the in-process multi-gateway tests share: client packets into an in-memory edge, waiting
 * for them at an in-memory origin, reading peer and route state from the admin documents, and an
 * opener that gives a gateway a real UDP backbone beside in-memory edge and origin ports. The
 * waits are bounded by the wall-clock budget the test chooses.
 */
final class GatewayTraffic
{
    private final long waitMs;

    /**
     * @param waitMs longest wait for any condition, ms of wall-clock time.
     */
    GatewayTraffic(final long waitMs)
    {
        this.waitMs = waitMs;
    }

    /**
     * Waits until the condition holds, failing the test after the budget.
     *
     * @param what      the condition, for the failure message.
     * @param condition polled every 5 ms.
     * @throws InterruptedException if interrupted.
     */
    void await(final String what, final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + waitMs * 1_000_000L;
        while (!condition.getAsBoolean())
        {
            if (System.nanoTime() - deadline >= 0)
            {
                fail("timed out after " + waitMs + " ms waiting until " + what);
            }
            Thread.sleep(5);
        }
    }

    /**
     * Waits until exactly one client packet from the port reaches the origin, DNATed to the backend.
     *
     * @param origin     the egress POP's in-memory origin port.
     * @param clientPort the client's source port.
     * @throws InterruptedException if interrupted.
     */
    void awaitFrameAt(final InMemoryPort origin, final int clientPort) throws InterruptedException
    {
        final int[] found = {0};
        await("the client packet from port " + clientPort + " reaches the origin", () ->
        {
            origin.drain((buffer, offset, length) ->
            {
                if (Ipv4Flyweight.dstAddress(buffer, offset) == Ipv4.parse(GatewayTestConfigs.BACKEND) &&
                    UdpFlyweight.srcPort(buffer, offset + 20) == clientPort)
                {
                    found[0]++;
                }
            }, 16);
            return found[0] > 0;
        });
        assertEquals(1, found[0]);
    }

    /**
     * @param address a loopback address.
     * @param taken   a port pair already chosen.
     * @return a free port pair on the address at least 3 away from {@code taken}.
     */
    static int otherFreePort(final String address, final int taken)
    {
        for (int attempt = 0; attempt < 20; attempt++)
        {
            final int port = GatewayTestConfigs.freePortPair(address);
            if (Math.abs(port - taken) > 2)
            {
                return port;
            }
        }
        throw new IllegalStateException("no free port on " + address + " apart from " + taken);
    }

    /**
     * @param gateway a running gateway.
     * @param peerId  a peer's POP id.
     * @return the peer's state in {@code /status}, or {@code absent}.
     */
    @SuppressWarnings("unchecked")
    static String peerState(final Gateway gateway, final int peerId)
    {
        final Map<String, Object> status = (Map<String, Object>)JsonReader.parse(AdminServer.status(gateway));
        for (final Object o : (List<Object>)status.get("peers"))
        {
            final Map<String, Object> peer = (Map<String, Object>)o;
            if (((Number)peer.get("id")).intValue() == peerId)
            {
                return (String)peer.get("state");
            }
        }
        return "absent";
    }

    /**
     * @param gateway a running gateway.
     * @param route   a route as {@code /metrics} labels it, e.g. {@code 1>3}.
     * @return flows created on it so far.
     */
    static double routeFlows(final Gateway gateway, final String route)
    {
        final double value =
            MetricsText.value(Metrics.render(gateway), "flyover_route_flows_created_total", "route", route);
        return Double.isNaN(value) ? 0.0 : value;
    }

    /**
     * Injects one UDP packet from the client 192.0.2.7 to the VIP's port 53.
     *
     * @param edge       the ingress POP's in-memory edge port.
     * @param clientPort the client's source port.
     */
    static void sendClientPacket(final InMemoryPort edge, final int clientPort)
    {
        final UnsafeBuffer packet = new UnsafeBuffer(new byte[512]);
        final UnsafeBuffer payload = new UnsafeBuffer("hello".getBytes(StandardCharsets.US_ASCII));
        final int length = IpPackets.udp4(packet, 0, Ipv4.parse("192.0.2.7"), clientPort,
            Ipv4.parse(GatewayTestConfigs.VIP), 53, payload, 0, payload.capacity());
        assertTrue(edge.inject(packet, 0, length));
    }

    /**
     * @param inMemory the port edge and origin get, or {@code null} for none.
     * @return an opener with a real UDP backbone and the in-memory port on the other sides.
     */
    static PortOpener opener(final InMemoryPort inMemory)
    {
        return (role, config) ->
        {
            if (PortRole.BACKBONE == role)
            {
                return PortOpener.udpBackbone(role, (UdpPort)config);
            }
            final Port port = inMemory;
            return null == port ? new AbsentPort(role.label()) : port;
        };
    }
}
