package io.flyover.tools.demo;

import java.util.List;

import io.flyover.dataplane.world.InMemoryWorld;

/**
 * The control planes of the demo's POPs.
 */
final class DemoControlPlanes
{
    private DemoControlPlanes()
    {
    }

    static List<DemoRun.Control> create(final InMemoryWorld world, final long seed)
    {
        return List.of();
    }
}
