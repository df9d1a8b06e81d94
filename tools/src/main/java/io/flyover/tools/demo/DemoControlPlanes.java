package io.flyover.tools.demo;

import java.util.ArrayList;
import java.util.List;

import io.flyover.dataplane.world.InMemoryWorld;
import io.flyover.optimizer.control.ControlPlane;
import io.flyover.optimizer.control.ControlPlaneConfig;
import io.flyover.optimizer.control.SnapshotOverlay;
import io.flyover.optimizer.journal.OptimizerJournal;

/**
 * The control planes of the demo's POPs: one {@link ControlPlane} per POP with the defaults
 * (probes every 100 ms as Geneve OAM through the POP's engine, down after 3 missed, 4 candidate
 * paths), on the world's clock, its path tables laid over the static ones by a
 * {@link SnapshotOverlay}. No journal. Run's thread.
 */
final class DemoControlPlanes
{
    private DemoControlPlanes()
    {
    }

    static List<DemoRun.Control> create(final InMemoryWorld world, final long seed)
    {
        final List<DemoRun.Control> controls = new ArrayList<>();
        for (final DemoCity city : DemoCity.ALL)
        {
            final InMemoryWorld.WorldPop pop = world.pop(city.id());
            final ControlPlane control = new ControlPlane(ControlPlaneConfig.defaults(seed * 1_000_003L + city.id()),
                pop.tables()::current, pop.engine().events(), pop.engine()::offerBackboneControlFrame, world::nowNs,
                new SnapshotOverlay(pop.tables()), OptimizerJournal.NONE);
            controls.add(new DemoRun.Control()
            {
                @Override
                public int doWork()
                {
                    return control.doWork();
                }

                @Override
                public void close()
                {
                    control.onClose();
                }
            });
        }
        return controls;
    }
}
