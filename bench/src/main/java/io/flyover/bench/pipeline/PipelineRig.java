package io.flyover.bench.pipeline;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import io.flyover.dataplane.counters.DropCounters;
import io.flyover.dataplane.engine.EngineEvents;
import io.flyover.dataplane.engine.Pipeline;
import io.flyover.dataplane.engine.PipelineConfig;
import io.flyover.dataplane.flow.FlowEndHandler;
import io.flyover.dataplane.flow.FlowTable;
import io.flyover.dataplane.flow.FlowTableConfig;
import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.protocol.Checksums;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.protocol.UdpFlyweight;
import io.flyover.dataplane.table.BackboneKey;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.KeyRing;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.Pop;
import io.flyover.dataplane.table.Route;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.Vip;
import io.flyover.dataplane.table.WeightedRoute;
import io.flyover.dataplane.world.IpPackets;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Three POPs' pipelines in one object, no rings or ports between them: ingress POP A, relay
 * POP B, egress POP C, with one UDP service (a VIP on port 53, 16 backends on port 8053 behind
 * C) and A's path table splitting flows evenly between A→C and A→B→C.
 * <p>
 * Construction pre-generates every frame the stages are driven with: a 64-byte IPv4/UDP client
 * packet per flow, the tunnel packet A emits for it (132 bytes) when it goes via B, and the
 * tunnel packet C receives for it (from A or from B). Sending every flow once through A, B and C
 * also fills A's and C's flow tables, so the measured stages see an established flow set. The
 * order in which flows send is pre-drawn (Zipf or uniform) per stage.
 * <p>
 * Each stage method copies one pre-generated frame into a preallocated frame region at offset
 * {@link #FRAME_OFFSET} (the headroom encapsulation needs) and runs the pipeline on it in place,
 * as a worker does with a slot a port's RX agent filled. Owned by one thread; the stage methods
 * allocate nothing.
 */
public final class PipelineRig
{
    /** Ingress POP id. */
    public static final int POP_A = 1;
    /** Relay POP id. */
    public static final int POP_B = 2;
    /** Egress POP id. */
    public static final int POP_C = 3;
    /** Service id (VNI). */
    public static final int SERVICE_ID = 7;
    /** Backends behind C. */
    public static final int BACKENDS = 16;
    /** VIP 203.0.113.10, UDP port 53. */
    public static final int VIP = 0xCB00710A;
    /** The VIP's port. */
    public static final int VIP_PORT = 53;
    /** The backends' port (DNAT rewrites the port too). */
    public static final int BACKEND_PORT = 8053;
    /** Client packet size: IPv4 (20) + UDP (8) + 36 bytes of payload. */
    public static final int PACKET_LENGTH = 64;
    /** Where frames are copied to in the frame region: at least the 68 bytes of encapsulation headroom. */
    public static final int FRAME_OFFSET = 128;
    /** Highest load the flow tables are sized for. */
    public static final double MAX_LOAD = 0.8;

    private static final int TUNNEL_STRIDE = 192;
    private static final long FLOW_HASH_KEY = 0x466C_794F_7665_7231L;
    private static final int NEW_FLOW_BASE = 0x3000_0000;          // 48.0.0.0/8 for never-seen clients
    private static final int NEW_FLOW_MASK = 0x00FF_FFFF;
    private static final int NEW_FLOW_EXPIRY_BATCH = 64;
    private static final int NEW_FLOW_SCAN_PER_PACKET = 8;

    private final int flows;
    private final int relayFlows;
    private final int sequenceMask;
    private final int[] ingressOrder;
    private final int[] relayOrder;
    private final int[] egressOrder;

    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[4096]);
    /** Slots for a batch of edge frames, one per frame as in a worker's ring. */
    private final UnsafeBuffer batchFrames = new UnsafeBuffer(new byte[Pipeline.MAX_BATCH * BATCH_SLOT]);
    /** Bytes per slot of {@link #batchFrames}: headroom plus a 64 B frame, rounded up. */
    private static final int BATCH_SLOT = 256;
    private final UnsafeBuffer edgePackets;
    private final UnsafeBuffer relayPackets;
    private final UnsafeBuffer egressPackets;
    private final int tunnelLength;

    private final FlowTable ingressFlows;
    private final FlowTable egressFlows;
    private final FlowTable newFlowTable;
    private final Pipeline ingress;
    private final Pipeline relay;
    private final Pipeline egress;
    private final Pipeline newFlows;

    private final int newFlowTemplateChecksum;
    private final int newFlowTemplateUdpChecksum;
    private final UnsafeBuffer newFlowTemplate = new UnsafeBuffer(new byte[PACKET_LENGTH]);
    private final FlowTable relayFlowTable;
    private final long newFlowClockStepNs;
    private long newFlowClockNs;
    private int newFlowCount;
    private final int prefillDrops;

    /**
     * Builds the three POPs and pre-generates the traffic.
     *
     * @param flows          active flows, at least 1.
     * @param clientBase     the first client's IPv4 address; client {@code i} is {@code clientBase + i}
     *                       (disjoint per worker when several rigs run at once).
     * @param exponent       Zipf exponent of the sending order, 0 for uniform.
     * @param sequenceLength pre-drawn sends per stage, a power of two (the order repeats after it).
     * @param seed           seeds the draws and the flow tables' hash seeds.
     */
    public PipelineRig(
        final int flows, final int clientBase, final double exponent, final int sequenceLength, final long seed)
    {
        if (flows < 1)
        {
            throw new IllegalArgumentException("need at least one flow: " + flows);
        }
        if (sequenceLength < 1 || Integer.bitCount(sequenceLength) != 1)
        {
            throw new IllegalArgumentException("sequence length must be a power of two: " + sequenceLength);
        }
        this.flows = flows;
        final SplittableRandom random = new SplittableRandom(seed);
        final long nowNs = System.nanoTime();

        final BackboneKey key = new BackboneKey(1, 0x0706050403020100L ^ seed, 0x0F0E0D0C0B0A0908L);
        final List<Pop> pops = List.of(pop(POP_A, "a", key), pop(POP_B, "b", key), pop(POP_C, "c", key));
        final List<Backend> backends = new ArrayList<>();
        for (int i = 0; i < BACKENDS; i++)
        {
            backends.add(new Backend(i + 1, "backend-" + (i + 1), ipv4(0x0A01_0000 | (10 + i)), BACKEND_PORT, 1));
        }
        final Service service = new Service(
            SERVICE_ID, "bench", Vip.of(ipv4(VIP), IpProtocol.UDP, VIP_PORT), POP_C, backends, Service.UNCAPPED);
        final PathTable aToC = PathTable.build(POP_C, List.of(
            new WeightedRoute(Route.of(POP_A, POP_C), 1),
            new WeightedRoute(Route.of(POP_A, POP_B, POP_C), 1)));

        final CountersManager counters = new CountersManager(
            new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 20)), new UnsafeBuffer(ByteBuffer.allocateDirect(1 << 18)));
        final PipelineConfig config = PipelineConfig.defaults(FLOW_HASH_KEY);
        ingressFlows = new FlowTable(FlowTableConfig.defaults().withCapacity(capacityFor(flows)),
            random.nextLong(), FlowEndHandler.NO_OP);
        egressFlows = new FlowTable(FlowTableConfig.defaults().withCapacity(capacityFor(2L * flows)),
            random.nextLong(), FlowEndHandler.NO_OP);
        newFlowTable = new FlowTable(FlowTableConfig.defaults().withCapacity(capacityFor(flows)),
            random.nextLong(), FlowEndHandler.NO_OP);
        relayFlowTable = new FlowTable(FlowTableConfig.defaults().withCapacity(1024),
            random.nextLong(), FlowEndHandler.NO_OP);
        ingress = pipeline(config, ingressFlows, counters, 0, POP_A, pops, service, List.of(aToC), nowNs);
        relay = pipeline(config, relayFlowTable, counters, 1, POP_B, pops, service, List.of(), nowNs);
        egress = pipeline(config, egressFlows, counters, 2, POP_C, pops, service, List.of(), nowNs);
        newFlows = pipeline(config, newFlowTable, counters, 3, POP_A, pops, service, List.of(aToC), nowNs);

        // client packets, and every flow once through A, B and C
        edgePackets = new UnsafeBuffer(new byte[flows * PACKET_LENGTH]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[PACKET_LENGTH]);
        final byte[] viaB = new byte[flows * TUNNEL_STRIDE];
        egressPackets = new UnsafeBuffer(new byte[Math.multiplyExact(flows, TUNNEL_STRIDE)]);
        int relayCount = 0;
        int drops = 0;
        int length = 0;
        final UnsafeBuffer viaBBuffer = new UnsafeBuffer(viaB);
        for (int i = 0; i < flows; i++)
        {
            payload.putInt(0, i, BIG_ENDIAN);
            final int written = IpPackets.udp4(edgePackets, i * PACKET_LENGTH, clientBase + i,
                1024 + (i & 0x7FFF), VIP, VIP_PORT, payload, 0, PACKET_LENGTH - 28);
            if (PACKET_LENGTH != written)
            {
                throw new IllegalStateException("client packet is " + written + " bytes");
            }
            frame.putBytes(FRAME_OFFSET, edgePackets, i * PACKET_LENGTH, PACKET_LENGTH);
            if (Pipeline.TO_BACKBONE != ingress.onEdge(frame, FRAME_OFFSET, PACKET_LENGTH, nowNs))
            {
                drops++;
                continue;
            }
            length = ingress.outLength();
            final int nextHop = frame.getInt(ingress.outOffset() + 16, BIG_ENDIAN);
            if (nextHop == pops.get(1).underlayIpv4())
            {
                viaBBuffer.putBytes(relayCount * TUNNEL_STRIDE, frame, ingress.outOffset(), length);
                relayCount++;
                frame.putBytes(FRAME_OFFSET, frame, ingress.outOffset(), length);
                if (Pipeline.TO_BACKBONE != relay.onBackbone(frame, FRAME_OFFSET, length, nowNs))
                {
                    drops++;
                    continue;
                }
                egressPackets.putBytes(i * TUNNEL_STRIDE, frame, relay.outOffset(), relay.outLength());
            }
            else
            {
                egressPackets.putBytes(i * TUNNEL_STRIDE, frame, ingress.outOffset(), length);
            }
            frame.putBytes(FRAME_OFFSET, egressPackets, i * TUNNEL_STRIDE, length);
            if (Pipeline.TO_ORIGIN != egress.onBackbone(frame, FRAME_OFFSET, length, nowNs))
            {
                drops++;
            }
        }
        if (0 == relayCount)
        {
            throw new IllegalStateException("no flow took the relay route");
        }
        this.relayFlows = relayCount;
        this.tunnelLength = length;
        this.prefillDrops = drops;
        relayPackets = new UnsafeBuffer(viaB, 0, relayCount * TUNNEL_STRIDE);

        // sending order per stage
        final ZipfSampler all = new ZipfSampler(flows, exponent);
        sequenceMask = sequenceLength - 1;
        ingressOrder = all.draws(sequenceLength, random);
        egressOrder = all.draws(sequenceLength, random);
        relayOrder = new ZipfSampler(relayCount, exponent).draws(sequenceLength, random);

        // never-seen flows: a client packet whose source address each send replaces
        IpPackets.udp4(newFlowTemplate, 0, NEW_FLOW_BASE, 1024, VIP, VIP_PORT, payload, 0, PACKET_LENGTH - 28);
        newFlowTemplateChecksum = Ipv4Flyweight.headerChecksum(newFlowTemplate, 0);
        newFlowTemplateUdpChecksum = UdpFlyweight.checksum(newFlowTemplate, 20);
        // a synthetic clock makes flows expire at the rate they arrive: about `flows` stay live
        newFlowClockStepNs = Math.max(1, newFlowTable.config().udpTimeoutNs() / flows);
        newFlowClockNs = nowNs;
    }

    private static Pop pop(final int id, final String name, final BackboneKey key)
    {
        return new Pop(id, name, new InetSocketAddress(ipv4((10 << 24) | (255 << 16) | id), 6081),
            new KeyRing(key.keyId(), List.of(key)));
    }

    private static Pipeline pipeline(
        final PipelineConfig config,
        final FlowTable table,
        final CountersManager counters,
        final int workerId,
        final int popId,
        final List<Pop> pops,
        final Service service,
        final List<PathTable> paths,
        final long nowNs)
    {
        final Pipeline pipeline = new Pipeline(config, table, new DropCounters(counters, workerId),
            new EngineEvents(1 << 20).writer(workerId), nowNs);
        pipeline.onTables(ForwardingTables.build(1, popId, pops, List.of(service), paths), nowNs);
        return pipeline;
    }

    /**
     * The flow-table capacity the harness gives a given number of entries: the smallest power of
     * two that keeps the load at or under {@link #MAX_LOAD}.
     *
     * @param entries entries to hold.
     * @return slots.
     */
    public static int capacityFor(final long entries)
    {
        final long needed = Math.max(1024, (long)Math.ceil(entries / MAX_LOAD));
        final long capacity = Long.highestOneBit(needed - 1) << 1;
        if (capacity > FlowTableConfig.MAX_CAPACITY)
        {
            throw new IllegalArgumentException("too many flows for one table: " + entries);
        }
        return (int)capacity;
    }

    static InetAddress ipv4(final int address)
    {
        try
        {
            return InetAddress.getByAddress(new byte[] {
                (byte)(address >>> 24), (byte)(address >>> 16), (byte)(address >>> 8), (byte)address });
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalArgumentException(ex);
        }
    }

    /**
     * Ingress: the {@code i}-th client packet of the pre-drawn order through A's
     * {@link Pipeline#onEdge} (classify, flow hit, police, encap, tag). Includes copying the
     * 64-byte packet into the frame region, as an RX does.
     *
     * @param i     position in the sending order (wraps).
     * @param nowNs the cached clock.
     * @return the verdict, {@link Pipeline#TO_BACKBONE} when forwarded.
     */
    public int ingress(final int i, final long nowNs)
    {
        final UnsafeBuffer frame = this.frame;
        frame.putBytes(FRAME_OFFSET, edgePackets, ingressOrder[i & sequenceMask] * PACKET_LENGTH, PACKET_LENGTH);
        return ingress.onEdge(frame, FRAME_OFFSET, PACKET_LENGTH, nowNs);
    }

    /**
     * Ingress of a batch the way a worker runs it: the frames {@code i .. i + count - 1} of the
     * pre-drawn order are copied into slots of their own (as an RX fills a ring), then every frame
     * is prepared (parse, hash, touch its flow buckets) before any is finished, so the flow
     * table's cache misses of the batch overlap.
     *
     * @param i     position of the first frame in the sending order (wraps).
     * @param count frames in the batch, at most {@link Pipeline#MAX_BATCH}.
     * @param nowNs the cached clock.
     * @return frames forwarded.
     */
    public int ingressBatch(final int i, final int count, final long nowNs)
    {
        final UnsafeBuffer frames = batchFrames;
        final Pipeline pipeline = ingress;
        for (int k = 0; k < count; k++)
        {
            final int offset = k * BATCH_SLOT + FRAME_OFFSET;
            frames.putBytes(offset, edgePackets, ingressOrder[(i + k) & sequenceMask] * PACKET_LENGTH, PACKET_LENGTH);
            pipeline.prepareEdge(k, frames, offset, PACKET_LENGTH);
        }
        int forwarded = 0;
        for (int k = 0; k < count; k++)
        {
            if (Pipeline.TO_BACKBONE == pipeline.finishEdge(k, frames, k * BATCH_SLOT + FRAME_OFFSET, PACKET_LENGTH, nowNs))
            {
                forwarded++;
            }
        }
        return forwarded;
    }

    /**
     * Relay: the {@code i}-th tunnel packet A sent via B through B's {@link Pipeline#onBackbone}
     * (verify, advance the hop, re-tag). Includes the copy into the frame region.
     *
     * @param i     position in the sending order (wraps).
     * @param nowNs the cached clock.
     * @return the verdict, {@link Pipeline#TO_BACKBONE} when forwarded.
     */
    public int relay(final int i, final long nowNs)
    {
        final UnsafeBuffer frame = this.frame;
        frame.putBytes(FRAME_OFFSET, relayPackets, relayOrder[i & sequenceMask] * TUNNEL_STRIDE, tunnelLength);
        return relay.onBackbone(frame, FRAME_OFFSET, tunnelLength, nowNs);
    }

    /**
     * Egress: the {@code i}-th tunnel packet C receives through C's {@link Pipeline#onBackbone}
     * (verify, decap, flow hit, DNAT, checksums). Includes the copy into the frame region.
     *
     * @param i     position in the sending order (wraps).
     * @param nowNs the cached clock.
     * @return the verdict, {@link Pipeline#TO_ORIGIN} when forwarded.
     */
    public int egress(final int i, final long nowNs)
    {
        final UnsafeBuffer frame = this.frame;
        frame.putBytes(FRAME_OFFSET, egressPackets, egressOrder[i & sequenceMask] * TUNNEL_STRIDE, tunnelLength);
        return egress.onBackbone(frame, FRAME_OFFSET, tunnelLength, nowNs);
    }

    /**
     * New flows: a packet from a never-seen client (the template with a fresh source address and
     * its checksums patched incrementally) through a separate ingress pipeline whose flow table
     * starts empty. Runs on a synthetic clock that advances {@code udpTimeout / flows} per packet,
     * and scans {@value #NEW_FLOW_SCAN_PER_PACKET} slots for expired entries per packet (every
     * {@value #NEW_FLOW_EXPIRY_BATCH} packets), so about {@code flows} entries stay live and the
     * table never fills; the expiry scan is part of the measured cost.
     *
     * @return the verdict, {@link Pipeline#TO_BACKBONE} when forwarded.
     */
    public int newFlow()
    {
        final UnsafeBuffer frame = this.frame;
        final int n = newFlowCount++;
        final long nowNs = newFlowClockNs += newFlowClockStepNs;
        if ((n & (NEW_FLOW_EXPIRY_BATCH - 1)) == 0)
        {
            newFlowTable.expire(nowNs, NEW_FLOW_EXPIRY_BATCH * NEW_FLOW_SCAN_PER_PACKET);
        }
        final int source = NEW_FLOW_BASE | (n & NEW_FLOW_MASK);
        frame.putBytes(FRAME_OFFSET, newFlowTemplate, 0, PACKET_LENGTH);
        Ipv4Flyweight.srcAddress(frame, FRAME_OFFSET, source);
        Ipv4Flyweight.headerChecksum(frame, FRAME_OFFSET,
            Checksums.update32(newFlowTemplateChecksum, NEW_FLOW_BASE, source));
        UdpFlyweight.checksum(frame, FRAME_OFFSET + 20,
            Checksums.updateUdp32(newFlowTemplateUdpChecksum, NEW_FLOW_BASE, source));
        return newFlows.onEdge(frame, FRAME_OFFSET, PACKET_LENGTH, nowNs);
    }

    /**
     * @return active flows.
     */
    public int flows()
    {
        return flows;
    }

    /**
     * @return flows whose route goes via the relay B (about half).
     */
    public int relayFlows()
    {
        return relayFlows;
    }

    /**
     * @return packets dropped while the flow tables were filled (0 unless a table ran full).
     */
    public int prefillDrops()
    {
        return prefillDrops;
    }

    /**
     * @return A's flow table (one entry per flow).
     */
    public FlowTable ingressFlowTable()
    {
        return ingressFlows;
    }

    /**
     * @return C's flow table (two entries per flow: forward and reverse).
     */
    public FlowTable egressFlowTable()
    {
        return egressFlows;
    }

    /**
     * @return the new-flow pipeline's table.
     */
    public FlowTable newFlowTable()
    {
        return newFlowTable;
    }

    /**
     * Frees the flow tables' off-heap memory.
     */
    public void close()
    {
        ingressFlows.close();
        egressFlows.close();
        newFlowTable.close();
        relayFlowTable.close();
    }
}
