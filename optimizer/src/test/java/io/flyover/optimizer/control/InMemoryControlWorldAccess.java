package io.flyover.optimizer.control;

import io.flyover.optimizer.journal.OptimizerJournal;

import java.util.function.IntFunction;

/**
 * Opens {@link InMemoryControlWorld} to tests of other packages.
 */
public final class InMemoryControlWorldAccess implements AutoCloseable
{
    private final InMemoryControlWorld world;

    /**
     * @param seed     seed.
     * @param journals journal per POP id.
     */
    public InMemoryControlWorldAccess(final long seed, final IntFunction<OptimizerJournal> journals)
    {
        world = new InMemoryControlWorld(seed, journals);
    }

    /**
     * @param ms simulated milliseconds to run.
     */
    public void run(final long ms)
    {
        world.run(ms);
    }

    /**
     * @param id POP id.
     * @return its control plane.
     */
    public ControlPlane control(final int id)
    {
        return world.control(id);
    }

    @Override
    public void close()
    {
        world.close();
    }
}
