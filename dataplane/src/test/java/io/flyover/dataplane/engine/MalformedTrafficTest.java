package io.flyover.dataplane.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.protocol.Icmpv4Flyweight;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.TcpFlyweight;
import io.flyover.dataplane.table.Route;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.Vip;
import io.flyover.dataplane.world.InMemoryWorld;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Malformed traffic at every port of three POPs in the in-memory world (A ingress, B relay, C
 * egress; route A-B-C): every frame a POP receives is forwarded, consumed or dropped with exactly
 * one counted reason, nothing escapes as an exception, and the malformed frames are all dropped:
 * truncation at every byte offset of client, backend and tunnel packets; length fields that lie;
 * IPv4 options, good and bad; fragments; IPv6 extension chains past the parser's bound; ICMP
 * errors quoting garbage. Genuine packets sent beside them still arrive.
 */
class MalformedTrafficTest
{
    private static final int A = PipelineFuzzFixture.A;
    private static final int B = PipelineFuzzFixture.B;
    private static final int C = PipelineFuzzFixture.C;
    private static final int VIP = PipelineFuzzFixture.VIP;
    private static final int CLIENT = PipelineFuzzFixture.CLIENT;
    private static final int BACKEND = PipelineFuzzFixture.BACKEND_1;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
    private InMemoryWorld world;

    @BeforeEach
    void build()
    {
        world = ThreePopLine.world(3);
        world.addService(new Service(8, "dns", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.UDP, 53), C,
            List.of(new Backend(1, "b1", InMemoryWorld.ipv4(BACKEND), 0, 1)), 0));
        world.publish();
    }

    @AfterEach
    void close()
    {
        world.close();
    }

    /**
     * Sends the frames into a port in batches the rings hold, runs the world until quiet, checks the
     * accounting of every POP, and returns what the given POP did with them.
     */
    private EngineTally send(final int pop, final InMemoryPort port, final List<byte[]> frames)
    {
        final EngineTally before = EngineTally.of(world.pop(pop).engine());
        int sent = 0;
        for (final byte[] bytes : frames)
        {
            frame.putBytes(0, bytes);
            assertTrue(port.inject(frame, 0, bytes.length), "the port took the frame");
            if (++sent % 256 == 0)
            {
                world.settle(100_000);
            }
        }
        world.settle(100_000);
        for (final int id : new int[] {A, B, C})
        {
            final EngineTally total = EngineTally.of(world.pop(id).engine());
            assertEquals(total.received(), total.forwarded() + total.consumed() + total.dropped(),
                "received = forwarded + consumed + dropped at POP " + id + ": " + total);
            assertEquals(total.dropped(), total.droppedByReason(), "every drop has one reason at POP " + id);
            assertEquals(0, total.rxDropped(), "no frame lost before a worker at POP " + id);
        }
        final EngineTally delta = EngineTally.of(world.pop(pop).engine()).minus(before);
        assertEquals(frames.size(), delta.received(), "every frame reached a worker: " + delta);
        return delta;
    }

    private static void assertAllDropped(final EngineTally delta, final int count)
    {
        assertEquals(count, delta.dropped(), delta.toString());
        assertEquals(0, delta.forwarded(), delta.toString());
    }

    private static List<byte[]> everyTruncation(final byte[]... packets)
    {
        final List<byte[]> cuts = new ArrayList<>();
        for (final byte[] packet : packets)
        {
            for (int length = 0; length < packet.length; length++)
            {
                cuts.add(Arrays.copyOf(packet, length));
            }
        }
        return cuts;
    }

    private byte[] tunnel(final int fromUnderlay, final int toUnderlay, final long route, final int hopIndex,
        final boolean returnPath, final byte[] inner)
    {
        return ThreePopLine.packet(
            ThreePopLine.tunnel(world, fromUnderlay, toUnderlay, route, hopIndex).returnPath(returnPath), inner);
    }

    private int underlay(final int pop)
    {
        return ThreePopLine.underlay(world, pop);
    }

    @Test
    void shouldDropEveryTruncationOfClientPacketsAtEveryByteOffset()
    {
        final byte[] syn = TrafficSamples.tcp4(CLIENT, 40_000, VIP, 80, TcpFlyweight.FLAG_SYN, 1460, 0);
        final byte[] udp = TrafficSamples.udp4(CLIENT, 5353, VIP, 53, 24);
        final byte[] options = TrafficSamples.udp4WithOptions(CLIENT, 5354, VIP, 53);
        final byte[] ipv6 = TrafficSamples.ipv6ExtensionChain(3);
        final byte[] icmp = TrafficSamples.fragNeeded(CLIENT, VIP,
            TrafficSamples.tcp4(VIP, 80, CLIENT, 40_000, TcpFlyweight.FLAG_ACK, 0, 0), 28);
        final List<byte[]> cuts = everyTruncation(syn, udp, options, ipv6, icmp);
        final EngineTally delta = send(A, world.pop(A).edge(), cuts);
        assertAllDropped(delta, cuts.size());
        assertEquals(0, world.link(A, B).carried(), "nothing reached the backbone");

        // the whole packets beside them pass
        final EngineTally whole = send(A, world.pop(A).edge(), List.of(syn, udp, options));
        assertEquals(3, whole.forwarded(), whole.toString());
    }

    @Test
    void shouldDropEveryTruncationOfBackendPacketsAtEveryByteOffset()
    {
        // open a TCP and a UDP flow first, so the backend's replies have a reverse flow
        send(A, world.pop(A).edge(), List.of(
            TrafficSamples.tcp4(CLIENT, 40_000, VIP, 80, TcpFlyweight.FLAG_SYN, 1460, 0),
            TrafficSamples.udp4(CLIENT, 5353, VIP, 53, 4)));
        world.pop(C).origin().drain((buffer, offset, length) -> { }, 100);
        final byte[] synAck = TrafficSamples.tcp4(BACKEND, 8080, CLIENT, 40_000,
            TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK, 1400, 0);
        final byte[] reply = TrafficSamples.udp4(BACKEND, 53, CLIENT, 5353, 40);
        final byte[] icmp = TrafficSamples.fragNeeded(BACKEND, CLIENT,
            TrafficSamples.tcp4(CLIENT, 40_000, BACKEND, 8080, TcpFlyweight.FLAG_ACK, 0, 0), 28);
        final List<byte[]> cuts = everyTruncation(synAck, reply, icmp);
        final EngineTally delta = send(C, world.pop(C).origin(), cuts);
        assertAllDropped(delta, cuts.size());

        final EngineTally whole = send(C, world.pop(C).origin(), List.of(synAck, reply, icmp));
        assertEquals(3, whole.forwarded(), whole.toString());
    }

    @Test
    void shouldDropEveryTruncationOfTunnelPacketsAtEveryByteOffset()
    {
        final byte[] inner = TrafficSamples.tcp4(CLIENT, 40_001, VIP, 80, TcpFlyweight.FLAG_SYN, 1392, 0);
        final long route = Route.of(A, B, C).packed();
        final byte[] toRelay = tunnel(underlay(A), underlay(B), route, 1, false, inner);
        final byte[] toEgress = tunnel(underlay(B), underlay(C), route, 2, false, inner);

        final List<byte[]> relayCuts = everyTruncation(toRelay);
        assertAllDropped(send(B, world.pop(B).backbone(), relayCuts), relayCuts.size());
        final List<byte[]> egressCuts = everyTruncation(toEgress);
        assertAllDropped(send(C, world.pop(C).backbone(), egressCuts), egressCuts.size());

        assertEquals(1, send(B, world.pop(B).backbone(), List.of(toRelay)).forwarded());
        assertEquals(1, send(C, world.pop(C).backbone(), List.of(toEgress)).forwarded());
    }

    @Test
    void shouldDropPacketsWhoseLengthFieldsLie()
    {
        final byte[] syn = TrafficSamples.tcp4(CLIENT, 40_000, VIP, 80, TcpFlyweight.FLAG_SYN, 1460, 0);
        final byte[] udp = TrafficSamples.udp4(CLIENT, 5353, VIP, 53, 24);
        final List<byte[]> lies = new ArrayList<>();
        for (final int total : new int[] {0, 1, 19, syn.length + 1, syn.length + 100, 0xFFFF})
        {
            lies.add(TrafficSamples.lyingIpv4Length(syn, total));
        }
        for (final int udpLength : new int[] {0, 7, udp.length - 20 + 1, 0xFFFF})
        {
            lies.add(TrafficSamples.lyingUdpLength(udp, udpLength));
        }
        for (final int words : new int[] {0, 4, 7, 15})
        {
            lies.add(TrafficSamples.lyingTcpDataOffset(syn, words));
        }
        // IHL larger than the whole packet, and IHL below 5
        for (final int ihl : new int[] {15, 4})
        {
            final byte[] bad = udp.clone();
            bad[0] = (byte)(0x40 | ihl);
            lies.add(bad);
        }
        // Geneve option length pointing past the packet, at the egress
        final byte[] tunnel = tunnel(underlay(B), underlay(C), Route.of(A, B, C).packed(), 2, false, syn);
        final byte[] longOptions = tunnel.clone();
        longOptions[28] = (byte)((longOptions[28] & 0xC0) | 0x3F);
        final EngineTally delta = send(A, world.pop(A).edge(), lies);
        assertAllDropped(delta, lies.size());
        assertAllDropped(send(C, world.pop(C).backbone(), List.of(longOptions)), 1);
    }

    @Test
    void shouldForwardGoodIpv4OptionsAndDropBrokenOnes()
    {
        final byte[] good = TrafficSamples.udp4WithOptions(CLIENT, 6000, VIP, 53);
        final List<byte[]> broken = new ArrayList<>();
        for (final int[] option : new int[][] {{0x88, 0}, {0x88, 1}, {0x88, 9}, {0x44, 40}})
        {
            final byte[] bad = good.clone();
            bad[22] = (byte)option[0];
            bad[23] = (byte)option[1];
            Ipv4Flyweight.writeHeaderChecksum(new UnsafeBuffer(bad), 0);
            broken.add(bad);
        }
        assertAllDropped(send(A, world.pop(A).edge(), broken), broken.size());
        assertEquals(1, send(A, world.pop(A).edge(), List.of(good)).forwarded());
    }

    @Test
    void shouldDropFragmentsUnderTheirOwnReason()
    {
        final EngineTally delta = send(A, world.pop(A).edge(), List.of(
            TrafficSamples.fragment4(CLIENT, VIP, 53, true),
            TrafficSamples.fragment4(CLIENT, VIP, 53, false)));
        assertAllDropped(delta, 2);
        assertEquals(2, delta.dropped("fragment_v4"), delta.toString());
        final EngineTally atOrigin = send(C, world.pop(C).origin(), List.of(
            TrafficSamples.fragment4(BACKEND, CLIENT, 5353, true)));
        assertEquals(1, atOrigin.dropped("fragment_v4"), atOrigin.toString());
    }

    @Test
    void shouldDropIpv6ExtensionChainsPastTheBound()
    {
        final List<byte[]> chains = new ArrayList<>();
        for (int n = 9; n <= 40; n++)
        {
            chains.add(TrafficSamples.ipv6ExtensionChain(n));
        }
        final EngineTally delta = send(A, world.pop(A).edge(), chains);
        assertAllDropped(delta, chains.size());
        assertEquals(chains.size(), delta.dropped("parse_ipv6_ext_chain_too_long"), delta.toString());
    }

    @Test
    void shouldDropIcmpErrorsQuotingGarbageAtTheEdgeAndTheOrigin()
    {
        final SplittableRandom random = new SplittableRandom(6);
        final List<byte[]> fromClients = new ArrayList<>();
        final List<byte[]> fromBackends = new ArrayList<>();
        final int[] types = {Icmpv4Flyweight.TYPE_DESTINATION_UNREACHABLE, Icmpv4Flyweight.TYPE_TIME_EXCEEDED,
            Icmpv4Flyweight.TYPE_PARAMETER_PROBLEM, Icmpv4Flyweight.TYPE_SOURCE_QUENCH};
        for (int i = 0; i < 400; i++)
        {
            final byte[] quote = new byte[random.nextInt(80)];
            random.nextBytes(quote);
            if (quote.length > 0 && random.nextBoolean())
            {
                quote[0] = (byte)(0x45 + random.nextInt(11)); // looks like IPv4, any IHL
            }
            final int type = types[i % types.length];
            fromClients.add(TrafficSamples.icmp4(CLIENT, VIP, type, random.nextInt(16), random.nextInt(), quote));
            fromBackends.add(TrafficSamples.icmp4(BACKEND, CLIENT, type, random.nextInt(16), random.nextInt(), quote));
        }
        assertAllDropped(send(A, world.pop(A).edge(), fromClients), fromClients.size());
        assertAllDropped(send(C, world.pop(C).origin(), fromBackends), fromBackends.size());
    }
}
