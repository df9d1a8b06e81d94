package io.flyover.optimizer.control;

import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.table.Service;
import io.flyover.dataplane.table.Vip;
import io.flyover.dataplane.world.InMemoryWorld;
import io.flyover.optimizer.journal.OptimizerJournal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/**
 * Three POPs in an {@link InMemoryWorld}, each with a {@link ControlPlane} on the world's clock:
 * A–C direct (10 ms one way) is the best path to C, A–B–C (8 + 8 ms) the alternative. A UDP
 * service at C. Driven one simulated millisecond at a time.
 */
final class InMemoryControlWorld implements AutoCloseable
{
    static final int A = 1;
    static final int B = 2;
    static final int C = 3;
    static final int VIP = 0xCB00710A;        // 203.0.113.10
    static final int CLIENT = 0xC6336407;     // 198.51.100.7
    static final int BACKEND = 0x0A010005;    // 10.1.0.5
    static final int SERVICE_PORT = 53;

    final InMemoryWorld world;
    final WorldControl control;
    final Map<Integer, ControlPlane> controls = new LinkedHashMap<>();
    final Map<Integer, SnapshotOverlay> overlays = new LinkedHashMap<>();

    InMemoryControlWorld(final long seed, final IntFunction<OptimizerJournal> journals)
    {
        world = new InMemoryWorld(seed, 1);
        world.addPop(A, "a");
        world.addPop(B, "b");
        world.addPop(C, "c");
        world.link(A, C).delayNs(TimeUnit.MILLISECONDS.toNanos(10));
        world.link(A, B).delayNs(TimeUnit.MILLISECONDS.toNanos(8));
        world.link(B, C).delayNs(TimeUnit.MILLISECONDS.toNanos(8));
        world.addService(new Service(7, "dns", Vip.of(InMemoryWorld.ipv4(VIP), IpProtocol.UDP, SERVICE_PORT), C,
            java.util.List.of(new Backend(1, "b1", InMemoryWorld.ipv4(BACKEND), 0, 1)), 0));
        world.addRoute(1, A, C); // the static fallback
        world.publish();
        control = new WorldControl(world);
        for (final int id : new int[] {A, B, C})
        {
            controls.put(id, control.attach(id, ControlPlaneConfig.defaults(seed + id), journals.apply(id)));
            overlays.put(id, control.overlay(id));
        }
    }

    /**
     * One simulated millisecond: every control plane works, the world steps (twice).
     */
    void tick()
    {
        control.advanceMs(1);
    }

    void run(final long ms)
    {
        for (long i = 0; i < ms; i++)
        {
            tick();
        }
    }

    ControlPlane control(final int id)
    {
        return controls.get(id);
    }

    @Override
    public void close()
    {
        control.close();
        world.close();
    }
}
