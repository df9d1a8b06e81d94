package io.flyover.dataplane.engine;

import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.UnsafeBuffer;

import io.flyover.dataplane.counters.CounterBlock;
import io.flyover.dataplane.counters.DropCounters;
import io.flyover.dataplane.counters.Verdict;
import io.flyover.dataplane.counters.DropReason;
import io.flyover.dataplane.flow.FlowTable;
import io.flyover.dataplane.ring.FrameRing;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.SnapshotPublisher;

/**
 * One worker shard: takes batches from its input rings (one per port), runs each frame through
 * the {@link Pipeline} in place, and hands results to its output rings (one per port). Owns its
 * flow table and counters; shares nothing with other workers. Runs on one thread.
 * <p>
 * Housekeeping is paced so an idle worker costs little: the flow table's expiry scan advances
 * with the clock, sweeping the whole table once per {@link #EXPIRY_SWEEP_NS} (at most
 * {@code EXPIRE_SLOTS_PER_CYCLE} slots a cycle), and counters are published every
 * {@code PUBLISH_EVERY_CYCLES} busy cycles and on the first idle cycle after work, not on every
 * idle cycle.
 */
public final class WorkerAgent implements Agent
{
    private static final int EXPIRE_SLOTS_PER_CYCLE = 256;
    private static final int PUBLISH_EVERY_CYCLES = 64;

    /** Time in which the expiry scan covers the whole flow table once: the lateness bound of an idle timeout. */
    public static final long EXPIRY_SWEEP_NS = 1_000_000_000L;

    private final int id;
    private final FrameRing[] inputs;
    private final FrameRing[] outputs;
    private final Pipeline pipeline;
    private final FlowTable flows;
    private final DropCounters drops;
    private final CounterBlock verdicts;
    private final CounterBlock flowCounters;
    private final SnapshotPublisher<ForwardingTables> tables;
    private final NanoClock clock;
    private final int batchSize;
    private final EngineCounters counters = new EngineCounters();
    private final long expiryNsPerSlot;
    private ForwardingTables current;
    private int cycles;
    private boolean unpublished;
    private long lastExpiryNs;
    private long expiryCreditNs;

    /**
     * @param id        the shard number.
     * @param inputs    rings from the port agents, indexed by {@link PortRole#id()}.
     * @param outputs   rings to the port agents, indexed by {@link PortRole#id()}.
     * @param pipeline  this shard's pipeline.
     * @param flows     this shard's flow table (the pipeline's).
     * @param drops     this shard's drop counters (the pipeline's).
     * @param verdicts  this shard's verdict counters ({@link Verdict}).
     * @param flowCounters this shard's flow-table counters, copied from its table and published per cycle.
     * @param tables    where the control plane publishes snapshots.
     * @param clock     the engine's clock.
     * @param batchSize frames taken from a ring per duty cycle.
     */
    public WorkerAgent(
        final int id,
        final FrameRing[] inputs,
        final FrameRing[] outputs,
        final Pipeline pipeline,
        final FlowTable flows,
        final DropCounters drops,
        final CounterBlock verdicts,
        final CounterBlock flowCounters,
        final SnapshotPublisher<ForwardingTables> tables,
        final NanoClock clock,
        final int batchSize)
    {
        this.id = id;
        this.inputs = inputs.clone();
        this.outputs = outputs.clone();
        this.pipeline = pipeline;
        this.flows = flows;
        this.drops = drops;
        this.verdicts = verdicts;
        this.flowCounters = flowCounters;
        this.tables = tables;
        this.clock = clock;
        if (batchSize > Pipeline.MAX_BATCH)
        {
            throw new IllegalArgumentException("batch size above " + Pipeline.MAX_BATCH + ": " + batchSize);
        }
        this.batchSize = batchSize;
        this.expiryNsPerSlot = Math.max(1, EXPIRY_SWEEP_NS / flows.capacity());
        this.lastExpiryNs = clock.nanoTime();
    }

    @Override
    public String roleName()
    {
        return "flyover-worker-" + id;
    }

    /**
     * @return this worker's packet accounting.
     */
    public EngineCounters counters()
    {
        return counters;
    }

    /**
     * @return this worker's pipeline.
     */
    public Pipeline pipeline()
    {
        return pipeline;
    }

    /**
     * @return this worker's flow table.
     */
    public FlowTable flows()
    {
        return flows;
    }

    /**
     * @return this worker's drop counters.
     */
    public DropCounters drops()
    {
        return drops;
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        final ForwardingTables snapshot = tables.current();
        if (snapshot != current)
        {
            current = snapshot;
            pipeline.onTables(snapshot, nowNs);
        }

        int work = 0;
        if (null != current)
        {
            for (int role = 0; role < PortRole.COUNT; role++)
            {
                work += processBatch(role, inputs[role], nowNs);
            }
        }

        work += expire(nowNs);
        if (work > 0)
        {
            unpublished = true;
        }
        if (unpublished && (++cycles >= PUBLISH_EVERY_CYCLES || 0 == work))
        {
            cycles = 0;
            unpublished = false;
            publish();
        }
        return work;
    }

    private int expire(final long nowNs)
    {
        final long elapsedNs = nowNs - lastExpiryNs;
        lastExpiryNs = nowNs;
        if (elapsedNs > 0)
        {
            expiryCreditNs = Math.min(EXPIRY_SWEEP_NS, expiryCreditNs + Math.min(elapsedNs, EXPIRY_SWEEP_NS));
        }
        final int slots = (int)Math.min(EXPIRE_SLOTS_PER_CYCLE, expiryCreditNs / expiryNsPerSlot);
        if (0 == slots)
        {
            return 0;
        }
        expiryCreditNs -= slots * expiryNsPerSlot;
        return flows.expire(nowNs, slots);
    }

    @Override
    public void onClose()
    {
        publish();
    }

    private void publish()
    {
        drops.publish();
        verdicts.publish();
        flows.copyCountersTo(flowCounters);
        flowCounters.publish();
    }

    private int processBatch(final int role, final FrameRing ring, final long nowNs)
    {
        if (null == ring)
        {
            return 0;
        }
        final int count = ring.available(batchSize);
        if (0 == count)
        {
            return 0;
        }
        final UnsafeBuffer buffer = ring.buffer();
        final long start = ring.consumerPosition();
        final Pipeline pipeline = this.pipeline;
        // stage by stage: parse every frame of the batch and touch its flow buckets, then finish each
        for (int i = 0; i < count; i++)
        {
            final int slot = ring.slotOffset(start + i);
            final int offset = ring.frameOffset(slot);
            final int length = ring.frameLength(slot);
            switch (role)
            {
                case 0 -> pipeline.prepareEdge(i, buffer, offset, length);
                case 1 -> pipeline.prepareBackbone(i, buffer, offset, length);
                default -> pipeline.prepareOrigin(i, buffer, offset, length);
            }
        }
        for (int i = 0; i < count; i++)
        {
            final int slot = ring.slotOffset(start + i);
            final int offset = ring.frameOffset(slot);
            final int length = ring.frameLength(slot);
            counters.onReceived(role);
            final int verdict = switch (role)
            {
                case 0 -> pipeline.finishEdge(i, buffer, offset, length, nowNs);
                case 1 -> pipeline.finishBackbone(i, buffer, offset, length, nowNs);
                default -> pipeline.finishOrigin(i, buffer, offset, length, nowNs);
            };
            if (verdict >= 0 && verdict < PortRole.COUNT)
            {
                emit(verdict, buffer, pipeline.outOffset(), pipeline.outLength(), false);
            }
            else if (Pipeline.CONSUMED == verdict)
            {
                counters.onConsumed();
                verdicts.increment(Verdict.PUNT.id());
            }
            else
            {
                counters.onDropped();
                verdicts.increment(Verdict.DROP.id());
            }
            if (pipeline.icmpErrors().takePending())
            {
                emit(PortRole.EDGE.id(), pipeline.icmpErrors().buffer(), 0, pipeline.icmpErrors().length(), true);
            }
        }
        ring.release(count);
        return count;
    }

    private void emit(
        final int role, final UnsafeBuffer buffer, final int offset, final int length, final boolean generated)
    {
        final long result = outputs[role].offer(buffer, offset, length, 0);
        if (result >= 0)
        {
            if (generated)
            {
                counters.onGenerated(role);
                verdicts.increment(Verdict.REPLY.id());
            }
            else
            {
                counters.onForwarded(role);
                verdicts.increment(Verdict.FORWARD.id());
            }
        }
        else if (generated)
        {
            counters.onGeneratedLost();
        }
        else
        {
            // the pipeline accepted the packet but it is lost here: a drop with its reason, not a forward
            drops.drop(FrameRing.FULL == result ? DropReason.RING_FULL : DropReason.FRAME_TOO_LARGE);
            counters.onDropped();
            verdicts.increment(Verdict.DROP.id());
        }
    }
}
