package io.flyover.dataplane.counters;

import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.status.CountersManager;
import org.agrona.concurrent.status.CountersReader;

import static io.flyover.dataplane.counters.CountersFileDescriptor.KEY_ID_OFFSET;
import static io.flyover.dataplane.counters.CountersFileDescriptor.KEY_OWNER_ID_OFFSET;

/**
 * One worker's counters of one {@link CounterType}: plain longs indexed by id, bumped per packet
 * without any fence, and copied to the shared counters file by {@link #publish()} once per duty
 * cycle ("bump plainly per packet, publish per duty cycle"). Owned by the worker thread; the
 * counters file's reader sees the values as of the last publish.
 * <p>
 * The counters are allocated in the constructor, on the thread that allocates counters (the
 * control plane, before the worker starts). Nothing allocates afterwards.
 */
public final class CounterBlock
{
    private final CounterType type;
    private final int ownerId;
    private final long[] values;
    private final long[] published;
    private final int[] counterIds;
    private final AtomicBuffer valuesBuffer;

    /**
     * Allocates one counter per used id of the type, labelled {@link CounterType#counterLabel(int, int)}
     * and keyed by owner and id.
     *
     * @param manager the counters file's manager.
     * @param type    the counters' type.
     * @param ownerId the owning worker's id.
     */
    public CounterBlock(final CountersManager manager, final CounterType type, final int ownerId)
    {
        this.type = type;
        this.ownerId = ownerId;
        final int limit = type.idLimit();
        values = new long[limit];
        published = new long[limit];
        counterIds = new int[limit];
        valuesBuffer = manager.valuesBuffer();

        for (int id = 0; id < limit; id++)
        {
            final String label = type.counterLabel(id, ownerId);
            if (null == label)
            {
                counterIds[id] = CountersReader.NULL_COUNTER_ID;
            }
            else
            {
                final int localId = id;
                counterIds[id] = manager.allocate(label, type.typeId(), key ->
                {
                    key.putInt(KEY_OWNER_ID_OFFSET, ownerId);
                    key.putInt(KEY_ID_OFFSET, localId);
                });
            }
        }
    }

    /**
     * Adds one.
     *
     * @param id an id of the type.
     */
    public void increment(final int id)
    {
        values[id]++;
    }

    /**
     * Adds a delta.
     *
     * @param id    an id of the type.
     * @param delta the amount.
     */
    public void add(final int id, final long delta)
    {
        values[id] += delta;
    }

    /**
     * Sets a value (for gauges and counters kept elsewhere, such as a flow table's).
     *
     * @param id    an id of the type.
     * @param value the value.
     */
    public void set(final int id, final long value)
    {
        values[id] = value;
    }

    /**
     * @param id an id of the type.
     * @return the local (possibly unpublished) value.
     */
    public long get(final int id)
    {
        return values[id];
    }

    /**
     * Writes every value that changed since the last publish to the counters file, with release
     * order. Call once per duty cycle.
     *
     * @return the number of counters written.
     */
    public int publish()
    {
        int written = 0;
        final long[] values = this.values;
        final long[] published = this.published;
        final int[] counterIds = this.counterIds;
        for (int id = 0, limit = values.length; id < limit; id++)
        {
            final long value = values[id];
            if (value != published[id] && CountersReader.NULL_COUNTER_ID != counterIds[id])
            {
                valuesBuffer.putLongRelease(CountersReader.counterOffset(counterIds[id]), value);
                published[id] = value;
                written++;
            }
        }
        return written;
    }

    /**
     * @param id an id of the type.
     * @return the Agrona counter id it publishes to, or {@link CountersReader#NULL_COUNTER_ID} if unused.
     */
    public int counterId(final int id)
    {
        return counterIds[id];
    }

    /**
     * @return the type.
     */
    public CounterType type()
    {
        return type;
    }

    /**
     * @return the owning worker's id.
     */
    public int ownerId()
    {
        return ownerId;
    }
}
