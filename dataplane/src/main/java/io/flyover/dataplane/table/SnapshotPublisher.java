package io.flyover.dataplane.table;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Hands immutable snapshots from the control plane to the workers by one reference swap.
 * {@link #publish(Object)} is a release store and {@link #current()} an acquire load, so a worker
 * that sees a snapshot also sees everything written while building it (its final fields would
 * already guarantee that for properly immutable objects; release/acquire also covers arrays
 * filled before publication and costs nothing extra on x86 and little elsewhere).
 * <p>
 * One publisher thread (the control plane); any number of reader threads. A worker reads
 * {@code current()} once per batch into a local and uses that snapshot for the whole batch, so a
 * batch never mixes two snapshots. An old snapshot is simply dropped: the garbage collector frees
 * it when the last batch using it ends.
 *
 * @param <T> the snapshot type, immutable.
 */
public final class SnapshotPublisher<T>
{
    private final AtomicReference<T> current;

    /**
     * @param initial the first snapshot.
     */
    public SnapshotPublisher(final T initial)
    {
        current = new AtomicReference<>(Objects.requireNonNull(initial, "initial"));
    }

    /**
     * Makes a snapshot current. Control-plane thread.
     *
     * @param snapshot a fully built immutable snapshot.
     */
    public void publish(final T snapshot)
    {
        current.setRelease(Objects.requireNonNull(snapshot, "snapshot"));
    }

    /**
     * The current snapshot. Worker threads, once per batch.
     *
     * @return the last published snapshot.
     */
    public T current()
    {
        return current.getAcquire();
    }
}
