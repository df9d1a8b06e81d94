package io.flyover.dataplane.engine;

import java.util.Arrays;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;

import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.TunnelPacketBuilder;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.Vip;
import io.flyover.dataplane.world.InMemoryWorld;

import static io.flyover.dataplane.engine.PipelineFuzzFixture.A;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.B;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.C;
import static io.flyover.dataplane.engine.PipelineFuzzFixture.WEB_SERVICE;

/**
 * The in-memory world the engine's hostile-traffic tests share, with the ids and addresses of
 * {@link PipelineFuzzFixture}: POPs A (ingress), B (relay) and C (egress) in a line, the web service
 * (TCP port 80 on the VIP, one backend behind C) and route A-B-C; and tunnel packets as a POP of it
 * would build them.
 */
final class ThreePopLine
{
    private ThreePopLine()
    {
    }

    /**
     * @param seed seeds the world's link loss.
     * @return the world with one worker per POP, not yet published (a test may add services first).
     */
    static InMemoryWorld world(final long seed)
    {
        final InMemoryWorld world = new InMemoryWorld(seed, 1);
        world.addPop(A, "a");
        world.addPop(B, "b");
        world.addPop(C, "c");
        world.link(A, B);
        world.link(B, C);
        world.addService(new Service(WEB_SERVICE, "web",
            Vip.of(InMemoryWorld.ipv4(PipelineFuzzFixture.VIP), IpProtocol.TCP, 80), C,
            List.of(new Backend(1, "b1", InMemoryWorld.ipv4(PipelineFuzzFixture.BACKEND_1), 8080, 1)), 0));
        world.addRoute(1, A, B, C);
        return world;
    }

    /**
     * @return the POP's underlay IPv4 address.
     */
    static int underlay(final InMemoryWorld world, final int pop)
    {
        return world.pop(pop).pop().underlayIpv4();
    }

    /**
     * A tunnel packet of the web service as the POPs build it (hop limit 8, A's send key; all POPs
     * share one key ring), heading to hop {@code hopIndex} of {@code route}.
     *
     * @return a builder the caller may change further.
     */
    static TunnelPacketBuilder tunnel(
        final InMemoryWorld world, final int fromUnderlay, final int toUnderlay, final long route, final int hopIndex)
    {
        return new TunnelPacketBuilder().outerAddresses(fromUnderlay, toUnderlay).vni(WEB_SERVICE)
            .route(route).hopIndex(hopIndex).hopLimit(8)
            .keys(world.pop(A).pop().keys().tunnelKeys()).keyId(world.pop(A).pop().keys().sendKey().keyId());
    }

    /**
     * @return the packet the builder makes around {@code inner}.
     */
    static byte[] packet(final TunnelPacketBuilder builder, final byte[] inner)
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[4096]);
        final int length = builder.build(out, 0, new UnsafeBuffer(inner), 0, inner.length);
        return Arrays.copyOf(out.byteArray(), length);
    }
}
