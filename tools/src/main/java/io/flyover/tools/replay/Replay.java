package io.flyover.tools.replay;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

import org.agrona.DirectBuffer;

import io.flyover.dataplane.counters.DropReason;
import io.flyover.dataplane.engine.EngineCounters;
import io.flyover.dataplane.engine.FrameHandler;
import io.flyover.dataplane.engine.InMemoryPort;
import io.flyover.dataplane.engine.PortRole;
import io.flyover.dataplane.engine.WorkerAgent;
import io.flyover.tools.pcap.CaptureFormatException;
import io.flyover.tools.pcap.CaptureReader;
import io.flyover.tools.pcap.CaptureWriter;
import io.flyover.tools.pcap.CapturedPacket;
import io.flyover.tools.pcap.LinkType;

/**
 * Replays a capture into the POPs of a {@link ReplayWorld}, on the calling thread, with the
 * capture's timestamps as the engine's clock: the same capture gives the same outputs, byte for
 * byte. Packets enter the first POP's port in batches of up to {@link #BATCH} (a batch never
 * spans more than {@link #BATCH_SPAN_NS} of capture time and runs at the time of its last
 * packet; frames dropped before the POP, for their link layer or length, do not move the clock);
 * after each batch every POP of the chain runs duty cycles until nothing moves, each
 * POP's backbone frames for the next POP of the chain are handed to it, and every other frame a
 * POP sends is written to that POP's output capture. Allocates nothing per packet.
 */
public final class Replay
{
    /** Packets injected before the POPs run. */
    public static final int BATCH = 64;
    /** Longest capture time one batch spans. */
    public static final long BATCH_SPAN_NS = 1_000_000L;
    /** Engine time of the capture's first packet. */
    public static final long START_NS = 1_000_000_000L;

    private static final int MAX_ROUNDS = 1_000_000;
    private static final int EARLY_LINK_TRUNCATED = 0;
    private static final int EARLY_LINK_NOT_IP = 1;
    private static final int EARLY_FRAME_TOO_LARGE = 2;
    private static final int EARLY_RING_FULL = 3;
    private static final String[] EARLY_LABELS = {
        LinkLayer.DROP_LINK_TRUNCATED, LinkLayer.DROP_LINK_NOT_IP,
        DropReason.FRAME_TOO_LARGE.label(), DropReason.RING_FULL.label(),
    };

    private final ReplayWorld world;
    private final PortRole inPort;
    private final Path outDir;
    private final ReplayProgress progress;
    private final List<ReplayPop> chain;
    private final int popCount;
    private final LinkLayer link = new LinkLayer();
    /** Frames that reached a POP other than through its port agents: the capture, or the previous POP. */
    private final long[] arrived;
    /** Drops made before a frame reached a POP's port agent, by POP and {@link #EARLY_LABELS} index. */
    private final long[][] earlyDrops;
    private final CaptureWriter[][] writers;
    private final FrameHandler onOutput = this::onOutput;
    private int drainPop;
    private int drainRole;
    private long baseTimestampNs = Long.MIN_VALUE;
    private long chainLost;

    /**
     * @param world    the POPs, in chain order.
     * @param inPort   where the capture's packets arrive at the first POP.
     * @param outDir   where to write a capture per output port, or {@code null} for none.
     * @param progress told of progress, or {@code null}.
     */
    public Replay(final ReplayWorld world, final PortRole inPort, final Path outDir, final ReplayProgress progress)
    {
        this.world = world;
        this.inPort = inPort;
        this.outDir = outDir;
        this.progress = progress;
        this.chain = world.chain();
        this.popCount = chain.size();
        this.arrived = new long[popCount];
        this.writers = new CaptureWriter[popCount][PortRole.COUNT];
        this.earlyDrops = new long[popCount][EARLY_LABELS.length];
    }

    /**
     * The name of the capture a POP's output port is written to: {@code <port>.pcap} for the last
     * POP of the chain, {@code <pop>.<port>.pcap} for the others (only if they send there).
     *
     * @param chain the POPs.
     * @param pop   index of the POP in the chain.
     * @param role  the port.
     * @return the file name.
     */
    public static String outputName(final List<ReplayPop> chain, final int pop, final PortRole role)
    {
        return pop == chain.size() - 1 ? role.label() + ".pcap" : chain.get(pop).name() + "." + role.label() + ".pcap";
    }

    /**
     * Replays the whole capture and settles the POPs.
     *
     * @param reader  the capture, before its first packet.
     * @param packet  a packet to read into.
     * @param packets the capture's packet count (for progress).
     * @param captureLabel how the stats name the capture.
     * @return the counts.
     * @throws CaptureFormatException if the capture breaks part way (call {@link CaptureReader#scan} first to avoid it).
     */
    public ReplayStats run(
        final CaptureReader reader, final CapturedPacket packet, final long packets, final String captureLabel)
        throws CaptureFormatException
    {
        try
        {
            if (null != outDir)
            {
                final int last = popCount - 1;
                for (final PortRole role : PortRole.values())
                {
                    writers[last][role.id()] = CaptureWriter.pcap(
                        outDir.resolve(outputName(chain, last, role)), LinkType.RAW, true);
                }
            }
            final InMemoryPort in = chain.get(0).port(inPort);
            final int maxFrame = world.maxFrameLength();
            final long[] firstDrops = earlyDrops[0];
            int pending = 0;
            long batchStartNs = 0;
            while (reader.next(packet))
            {
                if (Long.MIN_VALUE == baseTimestampNs)
                {
                    baseTimestampNs = packet.timestampNs();
                }
                final long atNs = START_NS + Math.max(0, packet.timestampNs() - baseTimestampNs);
                if (pending > 0 && (pending == BATCH || atNs - batchStartNs > BATCH_SPAN_NS))
                {
                    settle();
                    pending = 0;
                }
                arrived[0]++;
                final int verdict = link.strip(packet.linkType(), packet.buffer(), 0, packet.length());
                if (LinkLayer.IP != verdict)
                {
                    firstDrops[LinkLayer.TRUNCATED == verdict ? EARLY_LINK_TRUNCATED : EARLY_LINK_NOT_IP]++;
                }
                else if (link.ipLength() > maxFrame)
                {
                    firstDrops[EARLY_FRAME_TOO_LARGE]++;
                }
                else
                {
                    // only packets that reach the POP move its clock: a batch runs at its last packet's time
                    world.advanceTo(atNs);
                    if (0 == pending)
                    {
                        batchStartNs = world.nowNs();
                    }
                    if (!in.inject(packet.buffer(), link.ipOffset(), link.ipLength()))
                    {
                        // cannot happen while batches are smaller than the port's ring; counted if it does
                        firstDrops[EARLY_RING_FULL]++;
                    }
                    else
                    {
                        pending++;
                    }
                }
                if (null != progress)
                {
                    progress.onPacket(packet.index() + 1, packets);
                }
            }
            settle();
            if (null != progress)
            {
                progress.done(packets);
            }
            return stats(reader, packets, captureLabel);
        }
        finally
        {
            for (final CaptureWriter[] byRole : writers)
            {
                for (final CaptureWriter writer : byRole)
                {
                    if (null != writer)
                    {
                        writer.close();
                    }
                }
            }
        }
    }

    /**
     * Runs every POP until nothing moves, handing backbone frames down the chain.
     */
    private void settle()
    {
        for (int round = 0; round < MAX_ROUNDS; round++)
        {
            int work = 0;
            for (int i = 0; i < popCount; i++)
            {
                final ReplayPop pop = chain.get(i);
                work += pop.engine().doWork();
                drainPop = i;
                for (int role = 0; role < PortRole.COUNT; role++)
                {
                    drainRole = role;
                    final InMemoryPort port = pop.ports()[role];
                    int drained;
                    do
                    {
                        drained = port.drain(onOutput, 1024);
                        work += drained;
                    }
                    while (drained > 0);
                }
            }
            if (0 == work)
            {
                return;
            }
        }
        throw new IllegalStateException("the POPs did not settle in " + MAX_ROUNDS + " rounds");
    }

    private void onOutput(final DirectBuffer buffer, final int offset, final int length)
    {
        final int pop = drainPop;
        final int role = drainRole;
        if (pop < popCount - 1 && PortRole.BACKBONE.id() == role && length >= 20 &&
            buffer.getInt(offset + 16, java.nio.ByteOrder.BIG_ENDIAN) == chain.get(pop + 1).underlay())
        {
            arrived[pop + 1]++;
            if (!chain.get(pop + 1).port(PortRole.BACKBONE).inject(buffer, offset, length))
            {
                chainLost++;
                earlyDrops[pop + 1][EARLY_RING_FULL]++;
            }
            return;
        }
        CaptureWriter writer = writers[pop][role];
        if (null == writer)
        {
            if (null == outDir)
            {
                return;
            }
            writer = CaptureWriter.pcap(outDir.resolve(outputName(chain, pop, PortRole.forId(role))), LinkType.RAW, true);
            writers[pop][role] = writer;
        }
        writer.write(baseTimestampNs + (world.nowNs() - START_NS), buffer, offset, length);
    }

    private ReplayStats stats(final CaptureReader reader, final long packets, final String captureLabel)
    {
        final List<ReplayStats.PopStats> pops = new ArrayList<>();
        for (int i = 0; i < popCount; i++)
        {
            final ReplayPop pop = chain.get(i);
            final SortedMap<String, Long> drops = new TreeMap<>();
            long early = 0;
            for (int reason = 0; reason < EARLY_LABELS.length; reason++)
            {
                final long n = earlyDrops[i][reason];
                if (n > 0)
                {
                    drops.put(EARLY_LABELS[reason], n);
                    early += n;
                }
            }
            long forwarded = 0;
            long consumed = 0;
            long generated = 0;
            long generatedLost = 0;
            long dropped = early;
            final long[] sent = new long[PortRole.COUNT];
            for (final WorkerAgent worker : pop.engine().workers())
            {
                final EngineCounters c = worker.counters();
                forwarded += c.forwarded();
                consumed += c.consumed();
                generated += c.generated();
                generatedLost += c.generatedLost();
                dropped += c.dropped();
                for (final PortRole role : PortRole.values())
                {
                    sent[role.id()] += c.sent(role);
                }
                for (int id = 1; id < DropReason.ID_LIMIT; id++)
                {
                    final long n = worker.drops().get(id);
                    if (n > 0)
                    {
                        drops.merge(DropReason.labelOf(id), n, Long::sum);
                    }
                }
            }
            for (final PortRole role : PortRole.values())
            {
                // a frame longer than a slot never reaches a port agent (refused above), so a port
                // agent's drop can only be a full ring (receive) or a full device queue (send)
                final long rxDropped = pop.engine().rx(role).dropped();
                if (rxDropped > 0)
                {
                    dropped += rxDropped;
                    drops.merge(DropReason.RING_FULL.label(), rxDropped, Long::sum);
                }
                final long txDropped = pop.engine().tx(role).dropped();
                if (txDropped > 0)
                {
                    dropped += txDropped;
                    forwarded -= txDropped;
                    sent[role.id()] -= txDropped;
                    drops.merge(DropReason.PORT_BACK_PRESSURED.label(), txDropped, Long::sum);
                }
            }
            final Map<String, Long> out = new LinkedHashMap<>();
            for (final PortRole role : PortRole.values())
            {
                out.put(role.label(), sent[role.id()]);
            }
            pops.add(new ReplayStats.PopStats(pop.id(), pop.name(), arrived[i], forwarded, consumed, generated,
                generatedLost, dropped, drops, out));
        }
        return new ReplayStats(captureLabel, reader.format().label(), packets, inPort.label(), pops, popCount > 1);
    }

    /**
     * @return backbone frames the next POP of the chain could not take (each also a drop there).
     */
    public long chainLost()
    {
        return chainLost;
    }
}
