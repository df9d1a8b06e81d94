package io.flyover.dataplane.world;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.flyover.dataplane.counters.DropReason;
import io.flyover.dataplane.engine.EngineCounters;
import io.flyover.dataplane.engine.PortRole;
import io.flyover.dataplane.engine.WorkerAgent;
import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.protocol.Checksums;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.PacketParser;
import io.flyover.dataplane.protocol.ParseVerdict;
import io.flyover.dataplane.protocol.ParsedPacket;
import io.flyover.dataplane.protocol.TcpFlyweight;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.Vip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InMemoryWorldTest
{
    private static final int A = 1;
    private static final int B = 2;
    private static final int C = 3;
    private static final int VIP = 0xCB00710A;        // 203.0.113.10
    private static final int CLIENT = 0xC6336407;     // 198.51.100.7
    private static final int BACKEND_1 = 0x0A010005;  // 10.1.0.5
    private static final int BACKEND_2 = 0x0A010006;  // 10.1.0.6

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[2048]);
    private final List<byte[]> received = new ArrayList<>();
    private InMemoryWorld world;

    @AfterEach
    void close()
    {
        if (null != world)
        {
            world.close();
        }
    }

    private InMemoryWorld threePops(final int workers)
    {
        world = new InMemoryWorld(42, workers);
        world.addPop(A, "a");
        world.addPop(B, "b");
        world.addPop(C, "c");
        world.link(A, B).delayNs(TimeUnit.MILLISECONDS.toNanos(5));
        world.link(B, C).delayNs(TimeUnit.MILLISECONDS.toNanos(5));
        world.link(A, C).delayNs(TimeUnit.MILLISECONDS.toNanos(20));
        world.addService(new Service(7, "web", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.TCP, 80), C,
            List.of(new Backend(1, "b1", InMemoryWorld.ipv4(BACKEND_1), 8080, 1)), 0));
        world.addService(new Service(8, "dns", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.UDP, 53), C,
            List.of(new Backend(1, "b1", InMemoryWorld.ipv4(BACKEND_1), 0, 1),
                new Backend(2, "b2", InMemoryWorld.ipv4(BACKEND_2), 0, 1)), 0));
        return world;
    }

    private List<byte[]> drain(final io.flyover.dataplane.engine.InMemoryPort port)
    {
        received.clear();
        port.drain((buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            received.add(bytes);
        }, 100_000);
        return received;
    }

    private static ParsedPacket parseValid(final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final ParsedPacket p = new ParsedPacket();
        assertEquals(ParseVerdict.OK, PacketParser.parseIp(buffer, 0, bytes.length, p), "parse (IPv4 checksum)");
        final int pseudo = Checksums.ipv4PseudoHeaderSum(buffer, p.l3Offset, p.protocol, p.l4Length);
        assertTrue(Checksums.isValid(buffer, p.l4Offset, p.l4Length, pseudo), "L4 checksum");
        return p;
    }

    private static int address(final byte[] bytes, final int offset)
    {
        return new UnsafeBuffer(bytes).getInt(offset, ByteOrder.BIG_ENDIAN);
    }

    @Test
    void shouldCarryARequestFromAClientAtAToTheBackendBehindCViaRelayBAndTheReplyBack()
    {
        threePops(1);
        world.addRoute(1, A, B, C);
        world.publish();

        // SYN from the client to the VIP at POP A, with an MSS the tunnel cannot carry
        int length = IpPackets.tcp4(frame, 0, CLIENT, 40_000, VIP, 80, 1000, 0, TcpFlyweight.FLAG_SYN, 1460,
            payload, 0, 0);
        assertTrue(world.pop(A).edge().inject(frame, 0, length));
        world.settle(10_000);

        List<byte[]> atBackend = drain(world.pop(C).origin());
        assertEquals(1, atBackend.size());
        ParsedPacket p = parseValid(atBackend.get(0));
        assertEquals(CLIENT, address(atBackend.get(0), p.srcAddressOffset), "client address kept");
        assertEquals(BACKEND_1, address(atBackend.get(0), p.dstAddressOffset));
        assertEquals(40_000, p.srcPort);
        assertEquals(8080, p.dstPort);
        assertEquals(1500 - 68 - 20 - 20, p.tcpMss, "MSS clamped to fit the tunnel");
        assertTrue(world.link(A, B).carried() > 0 && world.link(B, C).carried() > 0, "went through relay B");
        assertEquals(0, world.link(A, C).carried());

        // the backend answers; the client sees the VIP
        payload.putStringWithoutLengthAscii(0, "hello from the backend");
        length = IpPackets.tcp4(frame, 0, BACKEND_1, 8080, CLIENT, 40_000, 5000, 1001,
            TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK, 1400, payload, 0, 22);
        assertTrue(world.pop(C).origin().inject(frame, 0, length));
        world.settle(10_000);

        final List<byte[]> atClient = drain(world.pop(A).edge());
        assertEquals(1, atClient.size());
        p = parseValid(atClient.get(0));
        assertEquals(VIP, address(atClient.get(0), p.srcAddressOffset), "reply comes from the VIP");
        assertEquals(CLIENT, address(atClient.get(0), p.dstAddressOffset));
        assertEquals(80, p.srcPort);
        assertEquals(40_000, p.dstPort);
        final byte[] body = new byte[22];
        new UnsafeBuffer(atClient.get(0)).getBytes(p.payloadOffset, body);
        assertEquals("hello from the backend", new String(body, java.nio.charset.StandardCharsets.US_ASCII));

        // the client's data follows the pinned flow to the same backend
        payload.putStringWithoutLengthAscii(0, "GET / HTTP/1.0\r\n\r\n");
        length = IpPackets.tcp4(frame, 0, CLIENT, 40_000, VIP, 80, 1001, 5001, TcpFlyweight.FLAG_ACK, 0,
            payload, 0, 18);
        assertTrue(world.pop(A).edge().inject(frame, 0, length));
        world.settle(10_000);
        atBackend = drain(world.pop(C).origin());
        assertEquals(1, atBackend.size());
        p = parseValid(atBackend.get(0));
        final byte[] request = new byte[18];
        new UnsafeBuffer(atBackend.get(0)).getBytes(p.payloadOffset, request);
        assertArrayEquals("GET / HTTP/1.0\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII), request);
    }

    @Test
    void shouldAccountForEveryPacketOfTenThousandFlowsInBothDirections()
    {
        threePops(2);
        world.addRoute(3, A, C);
        world.addRoute(1, A, B, C);
        world.publish();

        final int flows = 10_000;
        for (int i = 0; i < flows; i++)
        {
            payload.putInt(0, i);
            final int length = IpPackets.udp4(frame, 0, CLIENT + (i >>> 8), 1024 + (i & 0xFF), VIP, 53,
                payload, 0, 4);
            assertTrue(world.pop(A).edge().inject(frame, 0, length));
            if ((i & 1023) == 1023)
            {
                world.settle(100_000);
            }
        }
        world.settle(100_000);

        final List<byte[]> atBackends = new ArrayList<>(drain(world.pop(C).origin()));
        assertEquals(flows, atBackends.size(), "every request reached a backend");
        int toBackend2 = 0;
        for (final byte[] request : atBackends)
        {
            final ParsedPacket p = parseValid(request);
            final int backend = address(request, p.dstAddressOffset);
            toBackend2 += backend == BACKEND_2 ? 1 : 0;
            // the backend echoes the request back to the client
            final UnsafeBuffer in = new UnsafeBuffer(request);
            final int length = IpPackets.udp4(frame, 0, backend, p.dstPort,
                address(request, p.srcAddressOffset), p.srcPort, in, p.payloadOffset, 4);
            assertTrue(world.pop(C).origin().inject(frame, 0, length));
            if (world.pop(C).origin().inbound().size() > 1000)
            {
                world.settle(100_000);
            }
        }
        world.settle(100_000);
        assertTrue(toBackend2 > flows * 0.4 && toBackend2 < flows * 0.6, "Maglev spreads flows: " + toBackend2);

        final List<byte[]> atClients = drain(world.pop(A).edge());
        assertEquals(flows, atClients.size(), "every reply reached its client");
        final boolean[] seen = new boolean[flows];
        for (final byte[] reply : atClients)
        {
            final ParsedPacket p = parseValid(reply);
            assertEquals(VIP, address(reply, p.srcAddressOffset));
            final int id = new UnsafeBuffer(reply).getInt(p.payloadOffset);
            assertEquals(CLIENT + (id >>> 8), address(reply, p.dstAddressOffset));
            assertEquals(1024 + (id & 0xFF), p.dstPort);
            seen[id] = true;
        }
        for (int i = 0; i < flows; i++)
        {
            assertTrue(seen[i], "reply to flow " + i);
        }
        assertTrue(world.link(A, C).carried() > 0 && world.link(A, B).carried() > 0, "both routes used");

        for (final int pop : new int[] {A, B, C})
        {
            long in = 0;
            long out = 0;
            for (final WorkerAgent worker : world.pop(pop).engine().workers())
            {
                final EngineCounters counters = worker.counters();
                assertEquals(counters.received(), counters.forwarded() + counters.consumed() + counters.dropped(),
                    "received = forwarded + consumed + dropped at POP " + pop);
                assertEquals(0, counters.dropped(), "nothing dropped at POP " + pop);
                in += counters.received();
                out += counters.forwarded();
            }
            assertEquals(in, out);
            for (final PortRole role : PortRole.values())
            {
                assertEquals(0, world.pop(pop).engine().rx(role).dropped());
                assertEquals(0, world.pop(pop).engine().tx(role).dropped());
            }
        }
    }

    @Test
    void shouldReportNewFlowsHandshakeRttAndFlowEndsToTheControlPlane()
    {
        threePops(1);
        world.addRoute(1, A, B, C);
        world.publish();
        int length = IpPackets.tcp4(frame, 0, CLIENT, 40_001, VIP, 80, 1, 0, TcpFlyweight.FLAG_SYN, 0, payload, 0, 0);
        world.pop(A).edge().inject(frame, 0, length);
        world.settle(10_000);
        drain(world.pop(C).origin());
        length = IpPackets.tcp4(frame, 0, BACKEND_1, 8080, CLIENT, 40_001, 9, 2,
            TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK, 0, payload, 0, 0);
        world.pop(C).origin().inject(frame, 0, length);
        world.settle(10_000);
        assertEquals(1, drain(world.pop(A).edge()).size());

        final List<long[]> events = new ArrayList<>();
        world.pop(A).engine().events().read((type, buffer, offset, len) -> events.add(new long[] {
            type, buffer.getLong(offset + io.flyover.dataplane.engine.EngineEvents.VALUE_OFFSET),
            buffer.getLong(offset + io.flyover.dataplane.engine.EngineEvents.ROUTE_OFFSET)}), 100);
        assertEquals(2, events.size());
        assertEquals(io.flyover.dataplane.engine.EngineEvents.NEW_FLOW, events.get(0)[0]);
        assertEquals(io.flyover.dataplane.engine.EngineEvents.TCP_RTT, events.get(1)[0]);
        assertEquals(TimeUnit.MILLISECONDS.toNanos(20), events.get(1)[1], "5 + 5 ms each way through B");
        assertEquals(io.flyover.dataplane.table.Route.of(A, B, C).packed(), events.get(1)[2]);

        // idle past the embryonic and established timeouts: the flow ends, and says so
        world.advanceNs(TimeUnit.MINUTES.toNanos(10));
        for (int i = 0; i < 10_000; i++)
        {
            world.step();
        }
        final List<Integer> ends = new ArrayList<>();
        world.pop(A).engine().events().read((type, buffer, offset, len) -> ends.add(type), 100);
        assertEquals(List.of(io.flyover.dataplane.engine.EngineEvents.FLOW_END), ends);
    }

    private int icmp4Error(final int src, final int dst, final int type, final int code, final int rest,
        final byte[] quoted)
    {
        final int total = 20 + 8 + quoted.length;
        io.flyover.dataplane.protocol.Ipv4Flyweight.writeHeader(frame, 0, 0, total, 0, 0, 64, IpProtocol.ICMP, src, dst);
        io.flyover.dataplane.protocol.Ipv4Flyweight.writeHeaderChecksum(frame, 0);
        io.flyover.dataplane.protocol.Icmpv4Flyweight.writeHeader(frame, 20, type, code, rest);
        frame.putBytes(28, quoted);
        io.flyover.dataplane.protocol.Icmpv4Flyweight.writeChecksum(frame, 20, 8 + quoted.length);
        return total;
    }

    private static ParsedPacket parseValidIcmpError(final byte[] bytes)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
        final ParsedPacket p = new ParsedPacket();
        assertEquals(ParseVerdict.OK, PacketParser.parseIp(buffer, 0, bytes.length, p));
        assertEquals(IpProtocol.ICMP, p.protocol);
        assertTrue(Checksums.isValid(buffer, p.l4Offset, p.l4Length, 0), "ICMP checksum");
        assertTrue(p.hasQuote());
        assertTrue(io.flyover.dataplane.protocol.Ipv4Flyweight.isHeaderChecksumValid(buffer, p.innerL3Offset, 20),
            "quoted IPv4 header checksum");
        return p;
    }

    @Test
    void shouldCarryIcmpErrorsAlongTheirFlowInBothDirections()
    {
        threePops(1);
        world.addRoute(1, A, B, C);
        world.publish();
        int length = IpPackets.tcp4(frame, 0, CLIENT, 40_002, VIP, 80, 1, 0, TcpFlyweight.FLAG_SYN, 0, payload, 0, 0);
        world.pop(A).edge().inject(frame, 0, length);
        world.settle(10_000);
        final byte[] delivered = drain(world.pop(C).origin()).get(0).clone();

        // the backend's side says "unreachable" about the packet it got: the client hears it from the VIP
        length = icmp4Error(BACKEND_1, CLIENT, 3, 1, 0, java.util.Arrays.copyOf(delivered, 28));
        world.pop(C).origin().inject(frame, 0, length);
        world.settle(10_000);
        List<byte[]> out = drain(world.pop(A).edge());
        assertEquals(1, out.size());
        ParsedPacket p = parseValidIcmpError(out.get(0));
        assertEquals(VIP, address(out.get(0), p.srcAddressOffset));
        assertEquals(CLIENT, address(out.get(0), p.dstAddressOffset));
        assertEquals(VIP, address(out.get(0), p.innerDstAddressOffset), "quote shows the VIP");
        assertEquals(80, p.innerDstPort);
        assertEquals(40_002, p.innerSrcPort);

        // the client's side says "fragmentation needed" about a packet from the VIP: the backend hears it
        length = IpPackets.tcp4(frame, 0, VIP, 80, CLIENT, 40_002, 7, 2, TcpFlyweight.FLAG_ACK, 0, payload, 0, 0);
        final byte[] fromVip = new byte[28];
        frame.getBytes(0, fromVip);
        final int router = 0xC6336401;
        length = icmp4Error(router, VIP, 3, 4, 1200, fromVip);
        world.pop(A).edge().inject(frame, 0, length);
        world.settle(10_000);
        out = drain(world.pop(C).origin());
        assertEquals(1, out.size());
        p = parseValidIcmpError(out.get(0));
        assertEquals(router, address(out.get(0), p.srcAddressOffset));
        assertEquals(BACKEND_1, address(out.get(0), p.dstAddressOffset));
        assertEquals(BACKEND_1, address(out.get(0), p.innerSrcAddressOffset), "quote shows the backend");
        assertEquals(8080, p.innerSrcPort);
        assertEquals(1200, p.icmpMtu);

        // an error about a flow nobody knows is dropped and counted
        length = icmp4Error(router, VIP, 3, 4, 1200, java.util.Arrays.copyOf(fromVip, 28));
        frame.putShort(48, (short)40_999, java.nio.ByteOrder.BIG_ENDIAN); // quoted destination port
        world.pop(A).edge().inject(frame, 0, length);
        world.settle(10_000);
        assertEquals(1, world.pop(A).engine().workers()[0].drops().get(DropReason.ICMP_NO_FLOW));
    }

    @Test
    void shouldCarryIpv6FlowsBothWaysWithTheClientAddressKept() throws Exception
    {
        threePops(1);
        final java.net.InetAddress vip6 = java.net.InetAddress.getByName("2001:db8:100::10");
        final java.net.InetAddress backend6 = java.net.InetAddress.getByName("fd00:30::2");
        world.addService(new Service(9, "dns6", Vip.of(vip6, IpProtocol.UDP, 53), C,
            List.of(new Backend(1, "b6", backend6, 5353, 1)), 0));
        world.addRoute(1, A, B, C);
        world.publish();
        final long vipHigh = io.flyover.dataplane.table.Addresses.high(vip6);
        final long vipLow = io.flyover.dataplane.table.Addresses.low(vip6);
        final long clientHigh = 0x20010db800990000L;
        final long clientLow = 7;
        payload.putInt(0, 0xCAFE);
        int length = IpPackets.udp6(frame, 0, clientHigh, clientLow, 33_000, vipHigh, vipLow, 53, payload, 0, 4);
        world.pop(A).edge().inject(frame, 0, length);
        world.settle(10_000);
        final List<byte[]> atBackend = drain(world.pop(C).origin());
        assertEquals(1, atBackend.size());
        ParsedPacket p = new ParsedPacket();
        UnsafeBuffer b = new UnsafeBuffer(atBackend.get(0));
        assertEquals(ParseVerdict.OK, PacketParser.parseIp(b, 0, atBackend.get(0).length, p));
        assertTrue(Checksums.isValid(b, p.l4Offset, p.l4Length,
            Checksums.ipv6PseudoHeaderSum(b, p.l3Offset, IpProtocol.UDP, p.l4Length)), "UDP checksum after DNAT");
        assertEquals(clientLow, b.getLong(p.srcAddressOffset + 8, ByteOrder.BIG_ENDIAN), "client kept");
        assertEquals(io.flyover.dataplane.table.Addresses.low(backend6), b.getLong(p.dstAddressOffset + 8, ByteOrder.BIG_ENDIAN));
        assertEquals(5353, p.dstPort);

        length = IpPackets.udp6(frame, 0, io.flyover.dataplane.table.Addresses.high(backend6),
            io.flyover.dataplane.table.Addresses.low(backend6), 5353, clientHigh, clientLow, 33_000, payload, 0, 4);
        world.pop(C).origin().inject(frame, 0, length);
        world.settle(10_000);
        final List<byte[]> atClient = drain(world.pop(A).edge());
        assertEquals(1, atClient.size());
        p = new ParsedPacket();
        b = new UnsafeBuffer(atClient.get(0));
        assertEquals(ParseVerdict.OK, PacketParser.parseIp(b, 0, atClient.get(0).length, p));
        assertTrue(Checksums.isValid(b, p.l4Offset, p.l4Length,
            Checksums.ipv6PseudoHeaderSum(b, p.l3Offset, IpProtocol.UDP, p.l4Length)), "UDP checksum after SNAT");
        assertEquals(vipLow, b.getLong(p.srcAddressOffset + 8, ByteOrder.BIG_ENDIAN), "reply from the VIP");
        assertEquals(53, p.srcPort);
        assertEquals(0xCAFE, b.getInt(p.payloadOffset));
    }

    @Test
    void shouldPoliceAServiceToItsBandwidthCap()
    {
        threePops(1);
        world.addService(new Service(10, "capped", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.UDP, 5000), C,
            List.of(new Backend(1, "b1", InMemoryWorld.ipv4(BACKEND_1), 0, 1)), 100_000));
        world.addRoute(1, A, C);
        world.publish();
        // 200 packets of 1,028 bytes at once: the burst (64 KiB) lets about 63 through
        for (int i = 0; i < 200; i++)
        {
            final int length = IpPackets.udp4(frame, 0, CLIENT, 6000, VIP, 5000, payload, 0, 1000);
            assertTrue(world.pop(A).edge().inject(frame, 0, length));
        }
        world.settle(10_000);
        final int firstBurst = drain(world.pop(C).origin()).size();
        final long policed = world.pop(A).engine().workers()[0].drops().get(DropReason.POLICE_EXCEEDED);
        assertEquals(200, firstBurst + policed);
        assertTrue(firstBurst >= 60 && firstBurst <= 64, "burst of 64 KiB: " + firstBurst);

        // one second later, 100,000 bytes more: 97 packets
        world.advanceNs(TimeUnit.SECONDS.toNanos(1));
        for (int i = 0; i < 200; i++)
        {
            final int length = IpPackets.udp4(frame, 0, CLIENT, 6000, VIP, 5000, payload, 0, 1000);
            assertTrue(world.pop(A).edge().inject(frame, 0, length));
        }
        world.settle(10_000);
        final int second = drain(world.pop(C).origin()).size();
        assertTrue(second >= 60 && second <= 98, "refill at 100 kB/s, capped at the burst: " + second);
    }

    @Test
    void shouldDrainABackendAtWeightZeroWhileItsPinnedFlowsContinue()
    {
        threePops(1);
        world.addRoute(1, A, C);
        world.publish();
        final int flows = 200;
        final int[] backendOf = new int[flows];
        for (int i = 0; i < flows; i++)
        {
            final int length = IpPackets.udp4(frame, 0, CLIENT, 10_000 + i, VIP, 53, payload, 0, 4);
            world.pop(A).edge().inject(frame, 0, length);
        }
        world.settle(10_000);
        for (final byte[] request : drain(world.pop(C).origin()))
        {
            final ParsedPacket p = parseValid(request);
            backendOf[p.srcPort - 10_000] = address(request, p.dstAddressOffset);
        }

        // drain backend 1: weight 0
        world.replaceService(new Service(8, "dns", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.UDP, 53), C,
            List.of(new Backend(1, "b1", InMemoryWorld.ipv4(BACKEND_1), 0, 0),
                new Backend(2, "b2", InMemoryWorld.ipv4(BACKEND_2), 0, 1)), 0));
        world.publish();
        for (int i = 0; i < flows * 2; i++)
        {
            final int length = IpPackets.udp4(frame, 0, CLIENT, 10_000 + i, VIP, 53, payload, 0, 4);
            world.pop(A).edge().inject(frame, 0, length);
        }
        world.settle(10_000);
        int pinnedToDrained = 0;
        for (final byte[] request : drain(world.pop(C).origin()))
        {
            final ParsedPacket p = parseValid(request);
            final int flow = p.srcPort - 10_000;
            final int backend = address(request, p.dstAddressOffset);
            if (flow < flows)
            {
                assertEquals(backendOf[flow], backend, "a pinned flow keeps its backend");
                pinnedToDrained += backend == BACKEND_1 ? 1 : 0;
            }
            else
            {
                assertEquals(BACKEND_2, backend, "no new flow goes to the drained backend");
            }
        }
        assertTrue(pinnedToDrained > 0, "some pinned flows were on the drained backend");
    }

    private int echo(final int src, final int dst, final int type, final int id, final int sequence)
    {
        io.flyover.dataplane.protocol.Ipv4Flyweight.writeHeader(frame, 0, 0, 20 + 8 + 16, 0, 0, 64, IpProtocol.ICMP,
            src, dst);
        io.flyover.dataplane.protocol.Ipv4Flyweight.writeHeaderChecksum(frame, 0);
        io.flyover.dataplane.protocol.Icmpv4Flyweight.writeEchoHeader(frame, 20, type, id, sequence);
        frame.putLong(28, 0x0123456789ABCDEFL);
        frame.putLong(36, sequence);
        io.flyover.dataplane.protocol.Icmpv4Flyweight.writeChecksum(frame, 20, 24);
        return 44;
    }

    @Test
    void shouldCarryIcmpEchoToTheBackendAndTheReplyBackFromTheVip()
    {
        threePops(1);
        world.addService(new Service(11, "ping", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.ICMP, 0), C,
            List.of(new Backend(1, "b1", InMemoryWorld.ipv4(BACKEND_1), 0, 1)), 0));
        world.addRoute(1, A, B, C);
        world.publish();
        world.pop(A).edge().inject(frame, 0, echo(CLIENT, VIP, 8, 0x4242, 1));
        world.settle(10_000);
        final List<byte[]> atBackend = drain(world.pop(C).origin());
        assertEquals(1, atBackend.size());
        ParsedPacket p = new ParsedPacket();
        assertEquals(ParseVerdict.OK, PacketParser.parseIp(new UnsafeBuffer(atBackend.get(0)), 0, 44, p));
        assertEquals(BACKEND_1, address(atBackend.get(0), p.dstAddressOffset));
        assertEquals(CLIENT, address(atBackend.get(0), p.srcAddressOffset));
        assertEquals(0x4242, p.icmpIdentifier);
        assertTrue(Checksums.isValid(new UnsafeBuffer(atBackend.get(0)), p.l4Offset, p.l4Length, 0));

        world.pop(C).origin().inject(frame, 0, echo(BACKEND_1, CLIENT, 0, 0x4242, 1));
        world.settle(10_000);
        final List<byte[]> atClient = drain(world.pop(A).edge());
        assertEquals(1, atClient.size());
        p = new ParsedPacket();
        assertEquals(ParseVerdict.OK, PacketParser.parseIp(new UnsafeBuffer(atClient.get(0)), 0, 44, p));
        assertEquals(VIP, address(atClient.get(0), p.srcAddressOffset), "echo reply from the VIP");
        assertEquals(0, p.icmpType);
        assertEquals(0x4242, p.icmpIdentifier);
    }

    @Test
    void shouldDownloadThroughTheRelayWithTcpEndpointsAndKeepEveryByte()
    {
        threePops(1);
        world.addRoute(1, A, B, C);
        world.publish();
        final byte[] page = new byte[200_000];
        new java.util.SplittableRandom(7).nextBytes(page);
        final TcpHost server = TcpHost.server(BACKEND_1, page);
        final TcpHost client = TcpHost.client(CLIENT, "GET / HTTP/1.0\r\n\r\n".getBytes(
            java.nio.charset.StandardCharsets.US_ASCII));
        world.attachBackend(C, server);
        final Host.Wire wire = world.attachClient(A, client);
        client.connect(41_000, VIP, 80, wire);
        world.settle(100_000);

        assertTrue(client.established(), "handshake");
        assertTrue(client.finished() && server.finished(), "both sides closed");
        assertArrayEquals(page, client.received(), "every byte of the response, in order");
        assertEquals(java.util.Set.of(CLIENT), server.peersSeen(), "the backend sees the client's own address");
        assertEquals(java.util.Set.of(VIP), client.peersSeen(), "the client hears only the VIP");
        assertEquals(0, client.badChecksums() + server.badChecksums());
        assertEquals(0, world.undeliverable());
    }

    @Test
    void shouldEchoUdpBetweenClientsAndABackendThatSeesTheirAddresses()
    {
        threePops(1);
        world.addRoute(1, A, C);
        world.publish();
        final UdpEchoHost backend1 = new UdpEchoHost(BACKEND_1);
        final UdpEchoHost backend2 = new UdpEchoHost(BACKEND_2);
        world.attachBackend(C, backend1);
        world.attachBackend(C, backend2);
        final List<Integer> answered = new ArrayList<>();
        for (int i = 0; i < 50; i++)
        {
            final int address = CLIENT + i;
            final Host.Wire wire = world.attachClient(A, new Host()
            {
                public int address()
                {
                    return address;
                }

                public void onPacket(
                    final org.agrona.DirectBuffer buffer, final int offset, final int length, final Host.Wire w)
                {
                    answered.add(address);
                }
            });
            final int length = IpPackets.udp4(frame, 0, address, 7000, VIP, 53, payload, 0, 16);
            assertTrue(wire.send(frame, 0, length));
        }
        world.settle(100_000);
        assertEquals(50, answered.size());
        assertEquals(50, backend1.received() + backend2.received());
        final java.util.Set<Integer> seen = new java.util.HashSet<>(backend1.clientsSeen());
        seen.addAll(backend2.clientsSeen());
        assertEquals(new java.util.HashSet<>(answered), seen, "backends saw the clients' own addresses");
        assertEquals(0, backend1.badChecksums() + backend2.badChecksums());
    }

    /** Sends one UDP packet from A's client on each of the ports 20 000 + from .. 20 000 + to − 1. */
    private void sendFlows(final int from, final int to)
    {
        for (int i = from; i < to; i++)
        {
            final int length = IpPackets.udp4(frame, 0, CLIENT, 20_000 + i, VIP, 53, payload, 0, 4);
            world.pop(A).edge().inject(frame, 0, length);
        }
        world.settle(10_000);
    }

    /** Three POPs, A's flows to C pinned to A→C. */
    private void pinFlowsDirect(final int flows)
    {
        threePops(1);
        world.addRoute(1, A, C);
        world.publish();
        sendFlows(0, flows);
        assertEquals(flows, drain(world.pop(C).origin()).size());
    }

    @Test
    void shouldKeepPinnedFlowsOnARouteListedWithNoShareAndSendNewFlowsElsewhere()
    {
        final int flows = 100;
        pinFlowsDirect(flows);

        // the optimizer prefers A→B→C now; A→C is still up, listed with weight 0 (no new flows)
        world.clearRoutes(A, C);
        world.addRoute(0, A, C);
        world.addRoute(1, A, B, C);
        world.publish();
        final long directBefore = world.link(A, C).carried();
        sendFlows(0, 2 * flows); // the pinned flows again, then as many new ones
        assertEquals(2 * flows, drain(world.pop(C).origin()).size());
        assertEquals(directBefore + flows, world.link(A, C).carried(), "the pinned flows stay direct");
        assertEquals(flows, world.link(A, B).carried(), "the new flows go through B");
        assertEquals(0, world.pop(A).engine().workers()[0].pipeline().count(
            io.flyover.dataplane.engine.Pipeline.Count.REPINNED));
    }

    @Test
    void shouldRepinLiveFlowsAtOnceWhenTheirRouteLeavesThePathTable()
    {
        final int flows = 100;
        pinFlowsDirect(flows);
        final long directBefore = world.link(A, C).carried();
        assertEquals(0, world.link(A, B).carried());

        // the direct link is declared down: the control plane publishes tables without A→C
        world.clearRoutes(A, C);
        world.addRoute(1, A, B, C);
        world.publish();
        sendFlows(0, flows);
        final List<byte[]> requests = new ArrayList<>(drain(world.pop(C).origin()));
        assertEquals(flows, requests.size(), "the same flows, now through B");
        assertEquals(directBefore, world.link(A, C).carried(), "nothing more on the direct link");
        assertEquals(flows, world.pop(A).engine().workers()[0].pipeline().count(
            io.flyover.dataplane.engine.Pipeline.Count.REPINNED));

        // the egress follows: replies to the re-pinned flows go back through B too
        final long viaBBefore = world.link(B, C).carried();
        for (final byte[] request : requests)
        {
            final ParsedPacket p = parseValid(request);
            final int length = IpPackets.udp4(frame, 0, address(request, p.dstAddressOffset), p.dstPort,
                CLIENT, p.srcPort, payload, 0, 4);
            world.pop(C).origin().inject(frame, 0, length);
        }
        world.settle(10_000);
        assertEquals(flows, drain(world.pop(A).edge()).size());
        assertEquals(viaBBefore + flows, world.link(B, C).carried());
        assertEquals(directBefore, world.link(A, C).carried());
    }

    @Test
    void shouldSendRepliesAlongTheEgressPathTableWhenTheirFirstHopLeftIt()
    {
        threePops(1);
        world.addRoute(1, A, C);
        world.addRoute(1, C, A);
        world.addRoute(1, C, B); // as a gateway has: a path table for every peer
        world.publish();
        final int flows = 50;
        for (int i = 0; i < flows; i++)
        {
            final int length = IpPackets.udp4(frame, 0, CLIENT, 21_000 + i, VIP, 53, payload, 0, 4);
            world.pop(A).edge().inject(frame, 0, length);
        }
        world.settle(10_000);
        final List<byte[]> requests = new ArrayList<>(drain(world.pop(C).origin()));
        assertEquals(flows, requests.size());
        replyAll(requests);
        assertEquals(flows, drain(world.pop(A).edge()).size(), "replies go back directly");
        final long directBefore = world.link(A, C).carried();
        assertEquals(0, world.link(B, C).carried());

        // C's liveness takes A down: C's tables reach A only through B, and the client is silent
        // (it waits for the data), so only C can move the flows
        world.clearRoutes(C, A);
        world.addRoute(1, C, B, A);
        world.publish();
        replyAll(requests);
        assertEquals(flows, drain(world.pop(A).edge()).size(), "the replies arrive, through B");
        assertEquals(directBefore, world.link(A, C).carried(), "nothing more on the direct link");
        assertEquals(flows, world.link(B, C).carried());
        assertEquals(flows, world.pop(C).engine().workers()[0].pipeline().count(
            io.flyover.dataplane.engine.Pipeline.Count.REPINNED));

        // a reply whose first hop is still live stays on its route: C's tables back to direct
        world.clearRoutes(C, A);
        world.addRoute(1, C, A);
        world.publish();
        replyAll(requests);
        assertEquals(flows, drain(world.pop(A).edge()).size());
        assertEquals(2L * flows, world.link(B, C).carried(), "re-pinned replies keep B while B is live");
    }

    private void replyAll(final List<byte[]> requests)
    {
        for (final byte[] request : requests)
        {
            final ParsedPacket p = parseValid(request);
            final int length = IpPackets.udp4(frame, 0, address(request, p.dstAddressOffset), p.dstPort,
                CLIENT, p.srcPort, payload, 0, 4);
            world.pop(C).origin().inject(frame, 0, length);
        }
        world.settle(10_000);
    }

    @Test
    void shouldDropAndCountTunnelPacketsWithABadTag()
    {
        threePops(1);
        world.addRoute(1, A, C);
        world.publish();
        final int length = IpPackets.udp4(frame, 0, CLIENT, 5555, VIP, 53, payload, 0, 4);
        world.pop(A).edge().inject(frame, 0, length);
        world.pop(A).engine().doWork();
        final List<byte[]> tunnel = drain(world.pop(A).backbone());
        assertEquals(1, tunnel.size());
        final byte[] forged = tunnel.get(0).clone();
        forged[forged.length - 1] ^= 0x01; // payload byte: not covered, still verifies
        forged[60] ^= 0x01;                // a tag byte (option at 28 + 8, tag at +24)
        world.pop(C).backbone().inject(new UnsafeBuffer(forged), 0, forged.length);
        world.pop(C).backbone().inject(new UnsafeBuffer(tunnel.get(0)), 0, tunnel.get(0).length);
        world.settle(1000);

        assertEquals(1, drain(world.pop(C).origin()).size(), "the genuine packet passes");
        final WorkerAgent worker = world.pop(C).engine().workers()[0];
        assertEquals(1, worker.drops().get(DropReason.TUNNEL_BAD_TAG));
        assertEquals(1, worker.counters().dropped());
    }

    @Test
    void shouldAnswerAnOversizedPacketWithFragmentationNeededFromTheVip()
    {
        threePops(1);
        world.addRoute(1, A, C);
        world.publish();
        final int length = IpPackets.udp4(frame, 0, CLIENT, 5555, VIP, 53, payload, 0, 1460);
        world.pop(A).edge().inject(frame, 0, length);
        world.settle(1000);
        final List<byte[]> toClient = drain(world.pop(A).edge());
        assertEquals(1, toClient.size());
        final ParsedPacket p = new ParsedPacket();
        assertEquals(ParseVerdict.OK, PacketParser.parseIp(new UnsafeBuffer(toClient.get(0)), 0, toClient.get(0).length, p));
        assertEquals(IpProtocol.ICMP, p.protocol);
        assertEquals(3, p.icmpType);
        assertEquals(4, p.icmpCode);
        assertEquals(1500 - 68, p.icmpMtu);
        assertEquals(VIP, address(toClient.get(0), p.srcAddressOffset));
        assertEquals(CLIENT, address(toClient.get(0), p.dstAddressOffset));
        assertEquals(1, world.pop(A).engine().workers()[0].drops().get(DropReason.MTU_EXCEEDED));
    }

    private int probeFrame(final long route, final boolean returnPath, final int hopIndex, final int hopLimit,
        final int fromPop, final int toPop)
    {
        final io.flyover.dataplane.table.Pop from = world.pop(fromPop).pop();
        final io.flyover.dataplane.table.Pop to = world.pop(toPop).pop();
        payload.putStringWithoutLengthAscii(0, "probe");
        final UnsafeBuffer inner = new UnsafeBuffer(new byte[256]);
        final int innerLength = IpPackets.udp4(inner, 0, from.underlayIpv4(), 3785, to.underlayIpv4(), 3785, payload, 0, 5);
        return new io.flyover.dataplane.protocol.TunnelPacketBuilder()
            .outerAddresses(from.underlayIpv4(), to.underlayIpv4())
            .flowHash(1).oam(true).vni(0).returnPath(returnPath).hopIndex(hopIndex).hopLimit(hopLimit)
            .keyId(to.keys().sendKey().keyId()).keys(to.keys().tunnelKeys())
            .route(route)
            .sendTimeUs(1).build(frame, 0, inner, 0, innerLength);
    }

    private int probeEvents(final int popId)
    {
        final int[] probes = {0};
        world.pop(popId).engine().events().read((type, buffer, index, length) ->
        {
            if (io.flyover.dataplane.engine.EngineEvents.PROBE == type)
            {
                probes[0]++;
            }
        }, 1000);
        return probes[0];
    }

    @Test
    void shouldRelayAProbeLikeDataAndPostItOnlyAtItsLastHopInEachDirection()
    {
        threePops(1);
        world.publish();
        final long route = io.flyover.dataplane.table.Route.of(A, B, C).packed();

        // A -> B -> C, D = 0: B relays, C consumes
        int length = probeFrame(route, false, 1, 8, A, B);
        assertTrue(world.pop(B).backbone().inject(frame, 0, length));
        world.settle(10_000);
        assertEquals(0, probeEvents(B), "a relay does not consume a probe");
        assertEquals(1, probeEvents(C), "the last hop posts it");
        assertEquals(1, world.link(B, C).carried());

        // the reply C -> B -> A, D = 1, heading to hop 1: B relays, A consumes at hop 0
        length = probeFrame(route, true, 1, 8, C, B);
        assertTrue(world.pop(B).backbone().inject(frame, 0, length));
        world.settle(10_000);
        assertEquals(0, probeEvents(B));
        assertEquals(1, probeEvents(A));

        // same checks as data: hop limit spent, wrong previous hop
        final WorkerAgent worker = world.pop(B).engine().workers()[0];
        length = probeFrame(route, false, 1, 0, A, B);
        assertTrue(world.pop(B).backbone().inject(frame, 0, length));
        world.settle(10_000);
        assertEquals(1, worker.drops().get(DropReason.TUNNEL_HOP_LIMIT));
        length = probeFrame(route, false, 1, 8, C, B);
        assertTrue(world.pop(B).backbone().inject(frame, 0, length));
        world.settle(10_000);
        assertEquals(1, worker.drops().get(DropReason.TUNNEL_MISROUTED));
        assertEquals(0, probeEvents(C) + probeEvents(B));
    }
}
