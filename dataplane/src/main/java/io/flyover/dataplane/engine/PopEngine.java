package io.flyover.dataplane.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.agrona.DirectBuffer;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.status.CountersManager;

import io.flyover.dataplane.counters.CounterBlock;
import io.flyover.dataplane.counters.CounterType;
import io.flyover.dataplane.counters.DropCounters;
import io.flyover.dataplane.flow.FlowTable;
import io.flyover.dataplane.ring.FrameRing;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.SnapshotPublisher;

/**
 * One POP's forwarding engine: for each port an RX and a TX agent, and N worker shards, joined by
 * one-to-one {@link FrameRing}s (port → worker and worker → port), plus one control ring from the
 * control plane into the backbone TX agent ({@link #offerBackboneControlFrame}). Built by the control thread;
 * run either through {@link #start} in a {@link ThreadingMode}, or by calling {@link #doWork()}
 * from one thread (tests, replay, the simulator).
 */
public final class PopEngine implements AutoCloseable
{
    /** Drop-counter owner ids of the port agents: RX at {@code 100 + role}, TX at {@code 200 + role}. */
    public static final int RX_OWNER_BASE = 100;
    /** See {@link #RX_OWNER_BASE}. */
    public static final int TX_OWNER_BASE = 200;
    /** Slots of the control plane's ring into the backbone TX agent (OAM frames). */
    public static final int CONTROL_RING_SLOTS = 256;

    private final PortRxAgent[] rx = new PortRxAgent[PortRole.COUNT];
    private final PortTxAgent[] tx = new PortTxAgent[PortRole.COUNT];
    private final WorkerAgent[] workers;
    private final EngineEvents events;
    private final FrameRing backboneControl;
    private final List<Agent> agents = new ArrayList<>();
    private AgentGroup group;

    /**
     * @param config   the engine's shape.
     * @param ports    the ports, indexed by {@link PortRole#id()}.
     * @param tables   where the control plane publishes forwarding snapshots.
     * @param counters where drop counters are allocated (a counters file, or memory in tests).
     * @param clock    the engine's clock.
     */
    public PopEngine(
        final EngineConfig config,
        final Port[] ports,
        final SnapshotPublisher<ForwardingTables> tables,
        final CountersManager counters,
        final NanoClock clock)
    {
        final int n = config.workers();
        final FrameRing[][] toWorkers = new FrameRing[PortRole.COUNT][n];
        final FrameRing[][] fromWorkers = new FrameRing[PortRole.COUNT][n];
        for (int role = 0; role < PortRole.COUNT; role++)
        {
            for (int w = 0; w < n; w++)
            {
                toWorkers[role][w] = new FrameRing(config.ringSlots(), config.slotSize());
                fromWorkers[role][w] = new FrameRing(config.ringSlots(), config.slotSize());
            }
        }

        final long startNs = clock.nanoTime();
        events = new EngineEvents(config.eventRingBytes());
        workers = new WorkerAgent[n];
        for (int w = 0; w < n; w++)
        {
            final FrameRing[] inputs = new FrameRing[PortRole.COUNT];
            final FrameRing[] outputs = new FrameRing[PortRole.COUNT];
            for (int role = 0; role < PortRole.COUNT; role++)
            {
                inputs[role] = toWorkers[role][w];
                outputs[role] = fromWorkers[role][w];
            }
            final EngineEvents.Writer writer = events.writer(w);
            final FlowTable flows = new FlowTable(config.flowTable(), config.flowTableKey() + w,
                (table, entry, cause) -> writer.flowEvent(EngineEvents.FLOW_END, table.route(entry), clock.nanoTime(),
                    cause, table.serviceId(entry), table.protocol(entry)));
            final DropCounters drops = new DropCounters(counters, w);
            final Pipeline pipeline = new Pipeline(config.pipeline(), flows, drops, writer, startNs);
            workers[w] = new WorkerAgent(w, inputs, outputs, pipeline, flows, drops,
                new CounterBlock(counters, CounterType.VERDICT, w), new CounterBlock(counters, CounterType.FLOW_TABLE, w),
                tables, clock, config.batchSize());
        }

        backboneControl = new FrameRing(CONTROL_RING_SLOTS, config.slotSize());
        for (final PortRole role : PortRole.values())
        {
            final Port port = ports[role.id()];
            final FrameRing[] txRings = PortRole.BACKBONE == role ?
                withControlRing(fromWorkers[role.id()], backboneControl) : fromWorkers[role.id()];
            rx[role.id()] = new PortRxAgent(port, role, toWorkers[role.id()], new ShardSelector(config.shardKey()),
                new DropCounters(counters, RX_OWNER_BASE + role.id()), config.batchSize());
            tx[role.id()] = new PortTxAgent(port, role, txRings,
                new DropCounters(counters, TX_OWNER_BASE + role.id()), config.batchSize());
        }
        agents.addAll(List.of(rx));
        agents.addAll(List.of(workers));
        agents.addAll(List.of(tx));
    }

    private static FrameRing[] withControlRing(final FrameRing[] workerRings, final FrameRing control)
    {
        final FrameRing[] rings = java.util.Arrays.copyOf(workerRings, workerRings.length + 1);
        rings[workerRings.length] = control;
        return rings;
    }

    /**
     * Hands a whole frame (outer IPv4 header first, as the workers emit them) from the control plane
     * to the backbone port: it is copied into a one-to-one control ring that the backbone's
     * {@link PortTxAgent} drains after the workers' rings, so it leaves on the TX agent's thread
     * like every other backbone frame. Used for OAM frames (liveness keepalives and their replies).
     * <p>
     * Thread: <b>one</b> control-plane thread only (the ring has a single producer); never a
     * worker or a port agent.
     *
     * @param buffer holds the frame.
     * @param offset where it starts.
     * @param length its length.
     * @return true if queued; false if the control ring is full or the frame does not fit a slot.
     */
    public boolean offerBackboneControlFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        return backboneControl.offer(buffer, offset, length, 0) >= 0;
    }

    /**
     * @return every agent, in the order SHARED mode runs them: RX, workers, TX.
     */
    public List<Agent> agents()
    {
        return List.copyOf(agents);
    }

    /**
     * @return the ring of events toward the control plane.
     */
    public EngineEvents events()
    {
        return events;
    }

    /**
     * @return the worker shards.
     */
    public WorkerAgent[] workers()
    {
        return workers.clone();
    }

    /**
     * @param role a port role.
     * @return its RX agent.
     */
    public PortRxAgent rx(final PortRole role)
    {
        return rx[role.id()];
    }

    /**
     * @param role a port role.
     * @return its TX agent.
     */
    public PortTxAgent tx(final PortRole role)
    {
        return tx[role.id()];
    }

    /**
     * One duty cycle of every agent on the calling thread, for tests and in-process worlds.
     *
     * @return work done.
     */
    public int doWork()
    {
        int work = 0;
        for (final Agent agent : agents)
        {
            try
            {
                work += agent.doWork();
            }
            catch (final Exception ex)
            {
                throw new IllegalStateException(agent.roleName() + " failed", ex);
            }
        }
        return work;
    }

    /**
     * Starts the agents on threads.
     *
     * @param mode         DEDICATED or SHARED.
     * @param idleStrategy a fresh idle strategy per thread.
     * @param errorHandler told of any exception an agent throws.
     */
    public void start(final ThreadingMode mode, final Supplier<IdleStrategy> idleStrategy, final ErrorHandler errorHandler)
    {
        if (null != group)
        {
            throw new IllegalStateException("already started");
        }
        group = new AgentGroup(mode, agents, idleStrategy, errorHandler, null);
    }

    @Override
    public void close()
    {
        if (null != group)
        {
            group.close();
            group = null;
        }
        for (final WorkerAgent worker : workers)
        {
            worker.flows().close();
        }
    }
}
