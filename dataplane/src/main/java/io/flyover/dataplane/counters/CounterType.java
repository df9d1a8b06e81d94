package io.flyover.dataplane.counters;

import java.util.function.IntFunction;

/**
 * The kinds of counters a worker publishes. Each is an id space with labels; its
 * {@link #typeId()} is the Agrona counter type id in the counters file, and the counter's key
 * holds the owner (worker) id and the id within the space ({@link CountersFileDescriptor}).
 * Type ids are stable.
 */
public enum CounterType
{
    /** Drops by {@link DropReason} id (parse faults included). */
    DROP_REASON(1, "drop", DropReason.ID_LIMIT, DropReason::labelOf),
    /** Packets by {@link Verdict}. */
    VERDICT(2, "verdict", Verdict.ID_LIMIT, Verdict::labelOf),
    /** A flow table's {@link FlowTableCounter}s. */
    FLOW_TABLE(3, "flow", FlowTableCounter.ID_LIMIT, FlowTableCounter::labelOf);

    private final int typeId;
    private final String group;
    private final int idLimit;
    private final IntFunction<String> labels;

    CounterType(final int typeId, final String group, final int idLimit, final IntFunction<String> labels)
    {
        this.typeId = typeId;
        this.group = group;
        this.idLimit = idLimit;
        this.labels = labels;
    }

    /**
     * @return the Agrona counter type id.
     */
    public int typeId()
    {
        return typeId;
    }

    /**
     * @return the label prefix of this type's counters.
     */
    public String group()
    {
        return group;
    }

    /**
     * @return end (exclusive) of the id space.
     */
    public int idLimit()
    {
        return idLimit;
    }

    /**
     * @param id an id in this type's space.
     * @return its label, or {@code null} if the id is unused.
     */
    public String labelOf(final int id)
    {
        return labels.apply(id);
    }

    /**
     * The counter's label in the counters file: {@code group.label worker=N}, for example
     * {@code drop.no_service worker=0}. Stable.
     *
     * @param id      an id in this type's space.
     * @param ownerId the worker that owns the counter.
     * @return the full label, or {@code null} if the id is unused.
     */
    public String counterLabel(final int id, final int ownerId)
    {
        final String label = labelOf(id);
        return null == label ? null : group + "." + label + " worker=" + ownerId;
    }

    /**
     * @param typeId an Agrona counter type id.
     * @return the type with that id, or {@code null}.
     */
    public static CounterType forTypeId(final int typeId)
    {
        for (final CounterType type : values())
        {
            if (type.typeId == typeId)
            {
                return type;
            }
        }
        return null;
    }
}
