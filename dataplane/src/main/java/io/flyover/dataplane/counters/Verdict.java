package io.flyover.dataplane.counters;

/**
 * What became of a packet at the end of its walk; one counter each per worker. Ids and labels are
 * stable; new verdicts take new ids and an id is never reused. Every {@link #DROP} is also counted
 * under exactly one {@link DropReason}.
 */
public enum Verdict
{
    /** Sent on: encapsulated, relayed, decapsulated or translated. */
    FORWARD(1, "forward"),
    /** Dropped, with a {@link DropReason}. */
    DROP(2, "drop"),
    /** Handed to the control plane (probes, OAM). */
    PUNT(3, "punt"),
    /** Answered in place of forwarding: an ICMP error to the sender, or a reflected probe. */
    REPLY(4, "reply");

    /** End (exclusive) of the verdict id space. */
    public static final int ID_LIMIT = 5;

    private static final Verdict[] BY_ID = new Verdict[ID_LIMIT];

    static
    {
        for (final Verdict verdict : values())
        {
            if (null != BY_ID[verdict.id])
            {
                throw new IllegalStateException("duplicate verdict id " + verdict.id);
            }
            BY_ID[verdict.id] = verdict;
        }
    }

    private final int id;
    private final String label;

    Verdict(final int id, final String label)
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
