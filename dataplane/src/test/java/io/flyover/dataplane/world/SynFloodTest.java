package io.flyover.dataplane.world;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.flyover.dataplane.AllocationMeter;
import io.flyover.dataplane.counters.DropReason;
import io.flyover.dataplane.engine.EngineCounters;
import io.flyover.dataplane.engine.InMemoryPort;
import io.flyover.dataplane.engine.PortRole;
import io.flyover.dataplane.engine.WorkerAgent;
import io.flyover.dataplane.flow.FlowTable;
import io.flyover.dataplane.flow.FlowTableConfig;
import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.PacketParser;
import io.flyover.dataplane.protocol.ParseVerdict;
import io.flyover.dataplane.protocol.ParsedPacket;
import io.flyover.dataplane.protocol.TcpFlyweight;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.Vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A SYN flood from random spoofed sources at the flow tables' capacity, on two POPs (ingress A,
 * egress C) of the in-memory world with a deterministic clock, while 1,000 established flows carry
 * data both ways and legitimate clients keep opening connections.
 * <p>
 * Each millisecond tick: the flood's SYNs, a tenth of the established flows' requests, one new
 * legitimate SYN, and every answer queued the tick before (the backend answers every SYN with a
 * SYN-ACK, as a server does, and echoes data; legitimate clients complete their handshakes and
 * send a request) enter; the POPs run until quiet; what came out at the client and backend sides
 * is read and answered next tick. So a new connection's SYN-ACK meets the egress POP one tick,
 * a whole flood burst, after its SYN, and its first data two ticks after.
 */
class SynFloodTest
{
    private static final int A = 1;
    private static final int C = 3;
    private static final int VIP = 0xCB00710A;
    private static final int BACKEND = 0x0A010005;
    private static final int BACKEND_PORT = 8080;
    /** Established clients: 100.64.0.0/16. */
    private static final int ESTABLISHED_NET = 0x6440_0000;
    /** Legitimate new clients: 100.65.0.0/16. */
    private static final int NEW_NET = 0x6441_0000;
    private static final int CAPACITY = 1 << 12;
    private static final int ESTABLISHED = 1_000;
    private static final int TICKS = 200;
    private static final int FLOOD_PER_TICK = 256;
    private static final long TICK_NS = 1_000_000L;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
    private final ParsedPacket parsed = new ParsedPacket();
    private final List<byte[]> toOrigin = new ArrayList<>();
    private final List<byte[]> toEdge = new ArrayList<>();
    private InMemoryWorld world;

    @AfterEach
    void close()
    {
        if (null != world)
        {
            world.close();
        }
    }

    private void build()
    {
        world = new InMemoryWorld(7, 1, FlowTableConfig.defaults().withCapacity(CAPACITY));
        world.addPop(A, "a");
        world.addPop(C, "c");
        world.link(A, C);
        world.addService(new Service(7, "web", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.TCP, 80), C,
            List.of(new Backend(1, "b1", InMemoryWorld.ipv4(BACKEND), BACKEND_PORT, 1)), 0));
        world.addRoute(1, A, C);
        world.publish();
    }

    private void tcp(final InMemoryPort port, final int src, final int srcPort, final int dst, final int dstPort,
        final int flags, final int tag)
    {
        payload.putInt(0, tag, ByteOrder.BIG_ENDIAN);
        final int length = IpPackets.tcp4(frame, 0, src, srcPort, dst, dstPort, 1, 1, flags, 0, payload, 0,
            0 == tag ? 0 : 4);
        assertTrue(port.inject(frame, 0, length), "port took the frame");
    }

    /** Runs both POPs until nothing moves, then collects what they sent to hosts. */
    private void runTick()
    {
        world.settle(100_000);
        toOrigin.clear();
        toEdge.clear();
        world.pop(C).origin().drain((buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            toOrigin.add(bytes);
        }, Integer.MAX_VALUE);
        world.pop(A).edge().drain((buffer, offset, length) ->
        {
            final byte[] bytes = new byte[length];
            buffer.getBytes(offset, bytes);
            toEdge.add(bytes);
        }, Integer.MAX_VALUE);
        world.advanceNs(TICK_NS);
    }

    private ParsedPacket parse(final byte[] bytes)
    {
        assertEquals(ParseVerdict.OK, PacketParser.parseIp(new UnsafeBuffer(bytes), 0, bytes.length, parsed));
        return parsed;
    }

    private static int u32(final byte[] bytes, final int offset)
    {
        return new UnsafeBuffer(bytes).getInt(offset, ByteOrder.BIG_ENDIAN);
    }

    private static int tag(final byte[] bytes, final ParsedPacket p)
    {
        return p.payloadLength >= 4 ? new UnsafeBuffer(bytes).getInt(p.payloadOffset, ByteOrder.BIG_ENDIAN) : 0;
    }

    @Test
    void shouldKeepEstablishedFlowsWholeAndLetNewConnectionsThroughAFloodAtCapacity()
    {
        build();
        final InMemoryPort edge = world.pop(A).edge();
        final InMemoryPort origin = world.pop(C).origin();

        // 1,000 established flows: handshake through both POPs
        for (int i = 0; i < ESTABLISHED; i++)
        {
            tcp(edge, ESTABLISHED_NET + i, 20_000, VIP, 80, TcpFlyweight.FLAG_SYN, 0);
        }
        runTick();
        assertEquals(ESTABLISHED, toOrigin.size());
        for (final byte[] syn : toOrigin)
        {
            final ParsedPacket p = parse(syn);
            tcp(origin, BACKEND, BACKEND_PORT, u32(syn, p.srcAddressOffset), p.srcPort,
                TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK, 0);
        }
        runTick();
        assertEquals(ESTABLISHED, toEdge.size());
        for (int i = 0; i < ESTABLISHED; i++)
        {
            tcp(edge, ESTABLISHED_NET + i, 20_000, VIP, 80, TcpFlyweight.FLAG_ACK, 0);
        }
        runTick();
        assertEquals(ESTABLISHED, toOrigin.size());

        final FlowTable ingress = world.pop(A).engine().workers()[0].flows();
        final FlowTable egress = world.pop(C).engine().workers()[0].flows();
        final SplittableRandom random = new SplittableRandom(2026);
        final List<byte[]> clientAnswers = new ArrayList<>();
        final List<byte[]> backendAnswers = new ArrayList<>();
        long requestsSent = 0;
        long requestsAtBackend = 0;
        long repliesSent = 0;
        long repliesAtClient = 0;
        int newOpened = 0;
        int newCompleted = 0;
        long floodSent = 0;
        int maxIngress = 0;
        int maxEgress = 0;

        for (int tick = 0; tick < TICKS; tick++)
        {
            // answers to last tick's packets first, then the flood, then this tick's own traffic
            for (final byte[] answer : backendAnswers)
            {
                frame.putBytes(0, answer);
                assertTrue(origin.inject(frame, 0, answer.length));
            }
            for (final byte[] answer : clientAnswers)
            {
                frame.putBytes(0, answer);
                assertTrue(edge.inject(frame, 0, answer.length));
            }
            backendAnswers.clear();
            clientAnswers.clear();
            for (int i = 0; i < FLOOD_PER_TICK; i++)
            {
                // spoofed sources anywhere outside the clients' nets
                final int source = 0x0B00_0000 + random.nextInt(0x4000_0000);
                tcp(edge, source, 1024 + random.nextInt(64_000), VIP, 80, TcpFlyweight.FLAG_SYN, 0);
                floodSent++;
            }
            for (int i = tick % 10; i < ESTABLISHED; i += 10)
            {
                tcp(edge, ESTABLISHED_NET + i, 20_000, VIP, 80, TcpFlyweight.FLAG_ACK | TcpFlyweight.FLAG_PSH,
                    0x0100_0000 | i);
                requestsSent++;
            }
            tcp(edge, NEW_NET + tick, 30_000, VIP, 80, TcpFlyweight.FLAG_SYN, 0);
            newOpened++;

            runTick();
            maxIngress = Math.max(maxIngress, ingress.size());
            maxEgress = Math.max(maxEgress, egress.size());

            for (final byte[] packet : toOrigin)
            {
                final ParsedPacket p = parse(packet);
                final int client = u32(packet, p.srcAddressOffset);
                final int tag = tag(packet, p);
                if ((p.tcpFlags & TcpFlyweight.FLAG_SYN) != 0)
                {
                    final int length = IpPackets.tcp4(frame, 0, BACKEND, BACKEND_PORT, client, p.srcPort, 9, 2,
                        TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK, 0, payload, 0, 0);
                    backendAnswers.add(copy(length));
                }
                else if (0 != tag)
                {
                    requestsAtBackend += (tag & 0xFF00_0000) == 0x0100_0000 ? 1 : 0;
                    payload.putInt(0, tag | 0x8000_0000, ByteOrder.BIG_ENDIAN);
                    final int length = IpPackets.tcp4(frame, 0, BACKEND, BACKEND_PORT, client, p.srcPort, 10, 2,
                        TcpFlyweight.FLAG_ACK | TcpFlyweight.FLAG_PSH, 0, payload, 0, 4);
                    backendAnswers.add(copy(length));
                    repliesSent += (tag & 0xFF00_0000) == 0x0100_0000 ? 1 : 0;
                }
            }
            for (final byte[] packet : toEdge)
            {
                final ParsedPacket p = parse(packet);
                final int client = u32(packet, p.dstAddressOffset);
                final int tag = tag(packet, p);
                assertEquals(VIP, u32(packet, p.srcAddressOffset), "replies come from the VIP");
                if ((client & 0xFFFF_0000) == NEW_NET && (p.tcpFlags & TcpFlyweight.FLAG_SYN) != 0)
                {
                    // handshake done: ACK with the first request
                    payload.putInt(0, 0x0200_0000 | (client & 0xFFFF), ByteOrder.BIG_ENDIAN);
                    final int length = IpPackets.tcp4(frame, 0, client, 30_000, VIP, 80, 2, 10,
                        TcpFlyweight.FLAG_ACK | TcpFlyweight.FLAG_PSH, 0, payload, 0, 4);
                    clientAnswers.add(copy(length));
                }
                else if ((tag & 0x7F00_0000) == 0x0100_0000 && (tag & 0x8000_0000) != 0)
                {
                    assertEquals(ESTABLISHED_NET + (tag & 0xFFFF), client, "reply reached its own client");
                    repliesAtClient++;
                }
                else if ((tag & 0x7F00_0000) == 0x0200_0000 && (tag & 0x8000_0000) != 0)
                {
                    assertEquals(NEW_NET + (tag & 0xFFFF), client);
                    newCompleted++;
                }
            }
        }
        // let the last answers through
        for (int round = 0; round < 4; round++)
        {
            for (final byte[] answer : backendAnswers)
            {
                frame.putBytes(0, answer);
                assertTrue(origin.inject(frame, 0, answer.length));
            }
            for (final byte[] answer : clientAnswers)
            {
                frame.putBytes(0, answer);
                assertTrue(edge.inject(frame, 0, answer.length));
            }
            backendAnswers.clear();
            clientAnswers.clear();
            runTick();
            for (final byte[] packet : toOrigin)
            {
                final ParsedPacket p = parse(packet);
                final int tag = tag(packet, p);
                if (0 != tag)
                {
                    payload.putInt(0, tag | 0x8000_0000, ByteOrder.BIG_ENDIAN);
                    final int length = IpPackets.tcp4(frame, 0, BACKEND, BACKEND_PORT, u32(packet, p.srcAddressOffset),
                        p.srcPort, 10, 2, TcpFlyweight.FLAG_ACK | TcpFlyweight.FLAG_PSH, 0, payload, 0, 4);
                    backendAnswers.add(copy(length));
                    if ((tag & 0xFF00_0000) == 0x0100_0000)
                    {
                        requestsAtBackend++;
                        repliesSent++;
                    }
                }
            }
            for (final byte[] packet : toEdge)
            {
                final ParsedPacket p = parse(packet);
                final int tag = tag(packet, p);
                if ((tag & 0x8000_0000) != 0)
                {
                    repliesAtClient += (tag & 0x7F00_0000) == 0x0100_0000 ? 1 : 0;
                    newCompleted += (tag & 0x7F00_0000) == 0x0200_0000 ? 1 : 0;
                }
            }
        }

        final WorkerAgent workerA = world.pop(A).engine().workers()[0];
        final WorkerAgent workerC = world.pop(C).engine().workers()[0];
        final String summary = "flood " + floodSent + ", evictions A " + ingress.evictions() + " C " + egress.evictions() +
            ", full A " + ingress.full() + " C " + egress.full() + ", new " + newCompleted + "/" + newOpened +
            ", requests " + requestsAtBackend + "/" + requestsSent + ", replies " + repliesAtClient + "/" + repliesSent;
        System.out.println("syn flood: " + summary);

        // the flood filled the tables: entries were evicted at both POPs, never more than capacity
        assertTrue(floodSent >= 10L * CAPACITY, summary);
        assertTrue(ingress.evictions() > 0 && egress.evictions() > 0, summary);
        assertTrue(maxIngress <= CAPACITY && maxEgress <= CAPACITY, "entries " + maxIngress + ", " + maxEgress);
        assertTrue(maxEgress >= CAPACITY * 3 / 4, "egress table near capacity: " + maxEgress);
        // established flows lost nothing, either way
        assertEquals(requestsSent, requestsAtBackend, summary);
        assertEquals(repliesSent, repliesAtClient, summary);
        // at least 90% of the new connections completed a request and its reply
        assertTrue(newCompleted >= newOpened * 9 / 10, summary);
        // every packet the engines took is accounted for: forwarded, consumed or dropped with a reason
        for (final WorkerAgent worker : new WorkerAgent[] {workerA, workerC})
        {
            final EngineCounters counters = worker.counters();
            assertEquals(counters.received(), counters.forwarded() + counters.consumed() + counters.dropped());
            long byReason = 0;
            for (int id = 1; id < DropReason.ID_LIMIT; id++)
            {
                byReason += worker.drops().get(id);
            }
            assertEquals(counters.dropped(), byReason, "every drop has its reason");
        }
        for (final PortRole role : PortRole.values())
        {
            assertEquals(0, world.pop(A).engine().rx(role).dropped(), "A rx " + role);
            assertEquals(0, world.pop(C).engine().rx(role).dropped(), "C rx " + role);
        }
    }

    @Test
    void shouldAllocateNothingWhileTheIngressTableIsFlooded()
    {
        build();
        final InMemoryPort edge = world.pop(A).edge();
        final InMemoryPort backbone = world.pop(A).backbone();
        final SplittableRandom random = new SplittableRandom(11);
        final int[] sources = new int[4096];
        for (int i = 0; i < sources.length; i++)
        {
            sources[i] = 0x0B00_0000 + random.nextInt(0x4000_0000);
        }
        final io.flyover.dataplane.engine.FrameHandler discard = (buffer, offset, length) -> { };
        final int[] next = {0};
        // several times the table's capacity in SYNs per run, through A's whole engine; the JIT
        // settles over the first runs (it allocates while it swaps code in), then nothing may
        final Runnable flood = () ->
        {
            for (int burst = 0; burst < 32; burst++)
            {
                for (int i = 0; i < 512; i++)
                {
                    final int n = next[0]++;
                    final int length = IpPackets.tcp4(frame, 0, sources[n & 4095], 1024 + (n >>> 12 & 0x7FFF), VIP, 80,
                        1, 0, TcpFlyweight.FLAG_SYN, 0, payload, 0, 0);
                    edge.inject(frame, 0, length);
                }
                while (world.pop(A).engine().doWork() > 0)
                {
                    backbone.drain(discard, 4096);
                }
                backbone.drain(discard, 4096);
            }
        };
        for (int warm = 0; warm < 30; warm++)
        {
            flood.run();
        }
        final long allocated = AllocationMeter.bytesAllocatedBy(flood);
        final FlowTable ingress = world.pop(A).engine().workers()[0].flows();
        assertTrue(ingress.evictions() > 0, "the table was full and evicted embryonic flows");
        assertTrue(ingress.size() <= CAPACITY);
        assertEquals(0, allocated, "bytes allocated per flood run");
    }

    private byte[] copy(final int length)
    {
        final byte[] bytes = new byte[length];
        frame.getBytes(0, bytes);
        return bytes;
    }
}
