package io.flyover.dataplane.engine;

import java.util.Map;
import java.util.TreeMap;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.flyover.dataplane.protocol.FlyoverRoute;
import io.flyover.dataplane.protocol.GeneveEncapsulator;
import io.flyover.dataplane.protocol.TcpFlyweight;
import io.flyover.dataplane.protocol.TunnelKeys;
import io.flyover.dataplane.protocol.TunnelPacketBuilder;
import io.flyover.dataplane.table.Route;
import io.flyover.dataplane.world.InMemoryWorld;

import static io.flyover.dataplane.engine.ThreePopLine.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Forged tunnel traffic interleaved with genuine traffic at the relay (B) and the egress (C) of
 * route A-B-C in the in-memory world: bad tags, tags under a wrong key, unknown key ids, unknown
 * peers, a POP posing as another, misrouted hop indexes, spent hop limits and a routing loop are
 * all dropped and counted under their reasons, none reaches a backend or another POP, and every
 * genuine packet sent beside them arrives.
 */
class ForgedTunnelTest
{
    private static final int A = PipelineFuzzFixture.A;
    private static final int B = PipelineFuzzFixture.B;
    private static final int C = PipelineFuzzFixture.C;
    private static final int VIP = PipelineFuzzFixture.VIP;
    private static final int CLIENT = PipelineFuzzFixture.CLIENT;
    private static final int STRANGER = 0x0AFF_0063;
    private static final int ROUNDS = 50;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
    private InMemoryWorld world;
    private long route;
    private int keyId;

    @BeforeEach
    void build()
    {
        world = ThreePopLine.world(5);
        world.publish();
        route = Route.of(A, B, C).packed();
        keyId = world.pop(A).pop().keys().sendKey().keyId();
    }

    @AfterEach
    void close()
    {
        world.close();
    }

    private int underlay(final int pop)
    {
        return ThreePopLine.underlay(world, pop);
    }

    private TunnelPacketBuilder builder(final int from, final int to, final int hopIndex)
    {
        return ThreePopLine.tunnel(world, from, to, route, hopIndex);
    }

    private static byte[] syn(final int port)
    {
        return TrafficSamples.tcp4(CLIENT, port, VIP, 80, TcpFlyweight.FLAG_SYN, 1392, 0);
    }

    /** Forged packets for a POP at hop index {@code hop} of A-B-C, sent as if from {@code from}. */
    private Map<String, byte[]> forgeries(final int hop, final int from, final int to, final int port)
    {
        final Map<String, byte[]> forged = new TreeMap<>();
        final byte[] flipped = packet(builder(from, to, hop), syn(port));
        flipped[GeneveEncapsulator.FLYOVER_OPTION_OFFSET + 24] ^= 0x01;
        forged.put("tunnel_bad_tag/flipped bit", flipped);
        forged.put("tunnel_bad_tag/wrong key", packet(builder(from, to, hop).keys(TunnelKeys.of(keyId, 1, 2)), syn(port)));
        final byte[] innerChanged = packet(builder(from, to, hop), syn(port));
        innerChanged[innerChanged.length - 24] ^= 0x01; // inner TCP source port (20 + 24 bytes inner): tagged
        forged.put("tunnel_bad_tag/inner port changed", innerChanged);
        forged.put("tunnel_unknown_key", packet(builder(from, to, hop).keyId(keyId + 1)
            .keys(TunnelKeys.of(keyId + 1, 0x1111, 0x2222)), syn(port)));
        forged.put("tunnel_unknown_peer", packet(builder(STRANGER, to, hop), syn(port)));
        // a genuine POP posing as the previous hop it is not
        forged.put("tunnel_misrouted/wrong sender", packet(builder(underlay(A) == from ? underlay(C) : underlay(A), to, hop),
            syn(port)));
        forged.put("tunnel_misrouted/wrong hop", packet(builder(from, to, 3 - hop), syn(port)));
        forged.put("tunnel_unknown_service", packet(builder(from, to, hop).vni(99), syn(port)));
        return forged;
    }

    private void inject(final InMemoryPort port, final byte[] bytes)
    {
        frame.putBytes(0, bytes);
        port.inject(frame, 0, bytes.length);
    }

    @Test
    void shouldDropForgedTunnelPacketsAtTheRelayAndLetGenuineOnesThrough()
    {
        final InMemoryPort backbone = world.pop(B).backbone();
        final EngineTally before = EngineTally.of(world.pop(B).engine());
        final Map<String, Integer> expected = new TreeMap<>();
        int genuine = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            final Map<String, byte[]> forged = forgeries(1, underlay(A), underlay(B), 41_000 + round);
            forged.remove("tunnel_unknown_service"); // a relay does not look at the service
            final byte[] spent = packet(builder(underlay(A), underlay(B), 1).hopLimit(0), syn(41_000 + round));
            forged.put("tunnel_hop_limit", spent);
            for (final Map.Entry<String, byte[]> forgery : forged.entrySet())
            {
                inject(backbone, packet(builder(underlay(A), underlay(B), 1), syn(40_000 + genuine++)));
                inject(backbone, forgery.getValue());
                expected.merge(forgery.getKey().split("/")[0], 1, Integer::sum);
            }
            world.settle(100_000);
        }
        final EngineTally delta = EngineTally.of(world.pop(B).engine()).minus(before);
        assertEquals(genuine, delta.forwarded(), delta.toString());
        for (final Map.Entry<String, Integer> reason : expected.entrySet())
        {
            assertEquals(reason.getValue().longValue(), delta.dropped(reason.getKey()), reason.getKey() + ": " + delta);
        }
        assertEquals(expected.values().stream().mapToInt(Integer::intValue).sum(), delta.dropped(), delta.toString());
        final int[] atBackend = {0};
        world.pop(C).origin().drain((buffer, offset, length) -> atBackend[0]++, 100_000);
        assertEquals(genuine, atBackend[0], "every genuine SYN reached the backend, no forged one did");
    }

    @Test
    void shouldDropForgedTunnelPacketsAtTheEgressAndLetGenuineOnesThrough()
    {
        final InMemoryPort backbone = world.pop(C).backbone();
        final EngineTally before = EngineTally.of(world.pop(C).engine());
        final Map<String, Integer> expected = new TreeMap<>();
        int genuine = 0;
        for (int round = 0; round < ROUNDS; round++)
        {
            for (final Map.Entry<String, byte[]> forgery : forgeries(2, underlay(B), underlay(C), 41_000 + round).entrySet())
            {
                inject(backbone, packet(builder(underlay(B), underlay(C), 2), syn(40_000 + genuine++)));
                inject(backbone, forgery.getValue());
                expected.merge(forgery.getKey().split("/")[0], 1, Integer::sum);
            }
            world.settle(100_000);
        }
        final EngineTally delta = EngineTally.of(world.pop(C).engine()).minus(before);
        assertEquals(genuine, delta.forwarded(), delta.toString());
        for (final Map.Entry<String, Integer> reason : expected.entrySet())
        {
            assertEquals(reason.getValue().longValue(), delta.dropped(reason.getKey()), reason.getKey() + ": " + delta);
        }
        final int[] atBackend = {0};
        world.pop(C).origin().drain((buffer, offset, length) -> atBackend[0]++, 100_000);
        assertEquals(genuine, atBackend[0], "every genuine SYN reached the backend, no forged one did");
        assertEquals(0, world.link(B, C).carried(), "nothing went back out");
    }

    @Test
    void shouldEndARoutingLoopAtTheHopLimit()
    {
        // a tagged packet whose route runs A-B-A-B: B relays it to A, A back to B, until the hop limit is spent
        route = FlyoverRoute.pack(A, B, A, B);
        final EngineTally beforeA = EngineTally.of(world.pop(A).engine());
        final EngineTally beforeB = EngineTally.of(world.pop(B).engine());
        inject(world.pop(B).backbone(), packet(builder(underlay(A), underlay(B), 1).hopLimit(1), syn(42_000)));
        world.settle(100_000);
        final EngineTally atA = EngineTally.of(world.pop(A).engine()).minus(beforeA);
        final EngineTally atB = EngineTally.of(world.pop(B).engine()).minus(beforeB);
        assertEquals(1, atB.forwarded(), "B relays once: " + atB);
        assertEquals(1, atA.dropped("tunnel_hop_limit"), "A finds the hop limit spent: " + atA);
        assertEquals(0, atA.forwarded());
    }
}
