package io.flyover.optimizer.control;

import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.dataplane.table.PathTable;
import io.flyover.dataplane.table.SnapshotPublisher;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A {@link PathTableSink} that lays the optimizer's path tables over whatever snapshot the owner
 * last published (the static fallback): the base snapshot's POPs, services and other path tables
 * stay, the optimizer's replace the base's for their egress POPs. When the owner publishes a new
 * base (e.g. {@code InMemoryWorld.publish()} or a configuration reload), {@link #poll()} notices it
 * and lays the optimizer's tables over it again.
 * <p>
 * For owners whose every publish happens on the control plane's thread (the in-memory world, a
 * demo, tests): it reads, builds and publishes without a lock.
 */
public final class SnapshotOverlay implements PathTableSink
{
    private final SnapshotPublisher<ForwardingTables> publisher;
    private Map<Integer, PathTable> overlay = Map.of();
    private ForwardingTables base;
    private ForwardingTables lastPublished;
    private long published;
    private long rejected;

    /**
     * @param publisher where the workers read their snapshots.
     */
    public SnapshotOverlay(final SnapshotPublisher<ForwardingTables> publisher)
    {
        this.publisher = publisher;
        this.base = publisher.current();
    }

    @Override
    public void publish(final Map<Integer, PathTable> optimizerTables)
    {
        overlay = optimizerTables;
        republish();
    }

    @Override
    public int poll()
    {
        if (publisher.current() != lastPublished && !overlay.isEmpty())
        {
            republish();
            return 1;
        }
        return 0;
    }

    /**
     * @return snapshots published by this overlay.
     */
    public long published()
    {
        return published;
    }

    /**
     * @return overlays the data plane's validation refused (the base kept serving).
     */
    public long rejected()
    {
        return rejected;
    }

    private void republish()
    {
        final ForwardingTables current = publisher.current();
        if (current != lastPublished)
        {
            base = current;
        }
        final List<PathTable> tables = new ArrayList<>();
        for (final PathTable table : base.pathTables().values())
        {
            if (!overlay.containsKey(table.egressPopId()))
            {
                tables.add(table);
            }
        }
        tables.addAll(overlay.values());
        final long version = Math.max(base.version(), null == lastPublished ? 0 : lastPublished.version()) + 1;
        final ForwardingTables next;
        try
        {
            next = ForwardingTables.build(version, base.localPop().id(), base.pops().values(),
                base.services().values(), tables);
        }
        catch (final IllegalArgumentException ex)
        {
            rejected++;
            return;
        }
        publisher.publish(next);
        lastPublished = next;
        published++;
    }
}
