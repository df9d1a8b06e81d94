package io.flyover.optimizer.probe;

/**
 * Outcome of handling a probe message. Ids and labels are stable (counters, metrics, JSON); new
 * verdicts take new ids, an id is never reused. {@link #OK} is the only non-error verdict.
 */
public enum ProbeVerdict
{
    OK(0, "ok"),
    TRUNCATED(1, "probe_truncated"),
    BAD_MAGIC(2, "probe_bad_magic"),
    BAD_VERSION(3, "probe_bad_version"),
    BAD_TYPE(4, "probe_bad_type"),
    BAD_ROUTE(5, "probe_bad_route"),
    TOO_MANY_ENTRIES(6, "probe_too_many_entries"),
    ENTRIES_TRUNCATED(7, "probe_entries_truncated"),
    BAD_ENTRY(8, "probe_bad_entry"),
    BAD_ECHO_TIMES(9, "probe_bad_echo_times"),
    NOT_FOR_THIS_POP(10, "probe_not_for_this_pop"),
    UNKNOWN_PATH(11, "probe_unknown_path"),
    NOT_PENDING(12, "probe_not_pending"),
    UNEXPECTED_TYPE(13, "probe_unexpected_type"),
    SEND_FAILED(14, "probe_send_failed");

    private static final ProbeVerdict[] BY_ID;

    static
    {
        int max = 0;
        for (final ProbeVerdict v : values())
        {
            max = Math.max(max, v.id);
        }
        BY_ID = new ProbeVerdict[max + 1];
        for (final ProbeVerdict v : values())
        {
            if (null != BY_ID[v.id])
            {
                throw new IllegalStateException("duplicate probe verdict id " + v.id);
            }
            BY_ID[v.id] = v;
        }
    }

    private final int id;
    private final String label;

    ProbeVerdict(final int id, final String label)
    {
        this.id = id;
        this.label = label;
    }

    /**
     * @return the stable numeric id.
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the stable label, lower snake case.
     */
    public String label()
    {
        return label;
    }

    /**
     * @return the largest id in use; counter arrays are sized {@code maxId() + 1}.
     */
    public static int maxId()
    {
        return BY_ID.length - 1;
    }

    /**
     * @param id a verdict id.
     * @return the verdict with that id, or {@code null}.
     */
    public static ProbeVerdict forId(final int id)
    {
        return id >= 0 && id < BY_ID.length ? BY_ID[id] : null;
    }
}
