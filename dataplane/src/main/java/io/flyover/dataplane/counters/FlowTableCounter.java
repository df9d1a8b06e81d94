package io.flyover.dataplane.counters;

/**
 * A flow table's counters, one set per shard. Ids and labels are stable.
 */
public enum FlowTableCounter
{
    /** Entries inserted. */
    INSERTS(1, "inserts"),
    /** Lookups that found their flow. */
    HITS(2, "hits"),
    /** Lookups that did not. */
    MISSES(3, "misses"),
    /** Entries ended by their idle timeout. */
    EXPIRIES(4, "expiries"),
    /** Live entries evicted to make room. */
    EVICTIONS(5, "evictions"),
    /** Inserts that found no room. */
    FULL(6, "full"),
    /** Live entries now (a gauge). */
    ACTIVE(7, "active");

    /** End (exclusive) of the id space. */
    public static final int ID_LIMIT = 8;

    private static final FlowTableCounter[] BY_ID = new FlowTableCounter[ID_LIMIT];

    static
    {
        for (final FlowTableCounter counter : values())
        {
            if (null != BY_ID[counter.id])
            {
                throw new IllegalStateException("duplicate flow table counter id " + counter.id);
            }
            BY_ID[counter.id] = counter;
        }
    }

    private final int id;
    private final String label;

    FlowTableCounter(final int id, final String label)
    {
        this.id = id;
        this.label = label;
    }

    /**
     * @return the stable id.
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the stable label.
     */
    public String label()
    {
        return label;
    }

    /**
     * @param id an id.
     * @return the label of that id, or {@code null}.
     */
    public static String labelOf(final int id)
    {
        return id > 0 && id < ID_LIMIT && null != BY_ID[id] ? BY_ID[id].label : null;
    }
}
