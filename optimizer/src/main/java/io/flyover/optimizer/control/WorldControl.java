package io.flyover.optimizer.control;

import io.flyover.dataplane.world.InMemoryWorld;
import io.flyover.optimizer.journal.OptimizerJournal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Control planes for the POPs of an {@link InMemoryWorld}, on the world's simulated clock: each POP
 * gets a {@link ControlPlane} reading its engine's events, sending into its backbone control ring,
 * and laying its learned path tables over the world's published tables ({@link SnapshotOverlay}).
 * What the demo and the tests drive: {@link #advanceMs(long)} moves the clock a millisecond at a
 * time and runs every control plane and the world twice per millisecond. Single-threaded, like the
 * world.
 */
public final class WorldControl implements AutoCloseable
{
    private final InMemoryWorld world;
    private final Map<Integer, ControlPlane> controls = new LinkedHashMap<>();
    private final Map<Integer, SnapshotOverlay> overlays = new LinkedHashMap<>();

    /**
     * @param world the world; its POPs are added before {@link #attach}.
     */
    public WorldControl(final InMemoryWorld world)
    {
        this.world = world;
    }

    /**
     * Gives a POP its control plane. Publish the world's tables first (its POPs are the peers).
     *
     * @param popId   the POP.
     * @param config  settings (e.g. {@link ControlPlaneConfig#defaults(long)}).
     * @param journal its journal, or {@link OptimizerJournal#NONE}.
     * @return the control plane.
     */
    public ControlPlane attach(final int popId, final ControlPlaneConfig config, final OptimizerJournal journal)
    {
        final InMemoryWorld.WorldPop pop = world.pop(popId);
        if (null == pop)
        {
            throw new IllegalArgumentException("no POP " + popId + " in the world");
        }
        if (controls.containsKey(popId))
        {
            throw new IllegalArgumentException("POP " + popId + " has a control plane already");
        }
        final SnapshotOverlay overlay = new SnapshotOverlay(pop.tables());
        final ControlPlane control = new ControlPlane(config, pop.tables()::current, pop.engine().events(),
            pop.engine()::offerBackboneControlFrame, world::nowNs, overlay, journal);
        controls.put(popId, control);
        overlays.put(popId, overlay);
        return control;
    }

    /**
     * One pass: every control plane's duty cycle, then one world step.
     *
     * @return work done.
     */
    public int step()
    {
        int work = 0;
        for (final ControlPlane control : controls.values())
        {
            work += control.doWork();
        }
        return work + world.step();
    }

    /**
     * Moves the simulated clock by whole milliseconds, two passes per millisecond.
     *
     * @param ms milliseconds.
     */
    public void advanceMs(final long ms)
    {
        for (long i = 0; i < ms; i++)
        {
            world.advanceNs(1_000_000L);
            step();
            step();
        }
    }

    /**
     * @param popId a POP.
     * @return its control plane, or null.
     */
    public ControlPlane control(final int popId)
    {
        return controls.get(popId);
    }

    /**
     * @param popId a POP.
     * @return its overlay publisher, or null.
     */
    public SnapshotOverlay overlay(final int popId)
    {
        return overlays.get(popId);
    }

    /**
     * @return the control planes by POP id, in attach order.
     */
    public Map<Integer, ControlPlane> controls()
    {
        return Collections.unmodifiableMap(controls);
    }

    /**
     * Closes every control plane's journal (not the world).
     */
    @Override
    public void close()
    {
        for (final ControlPlane control : controls.values())
        {
            control.onClose();
        }
    }
}
