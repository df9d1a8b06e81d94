package io.flyover.dataplane.engine;

/**
 * The three kinds of port a POP has. Ids are stable: they index rings and counters.
 */
public enum PortRole
{
    /**
     * Faces clients: packets to and from the VIPs.
     */
    EDGE(0, "edge"),

    /**
     * Faces other POPs: Geneve tunnel packets.
     */
    BACKBONE(1, "backbone"),

    /**
     * Faces backends: packets to and from the backend pool, client addresses kept.
     */
    ORIGIN(2, "origin");

    /**
     * Number of roles.
     */
    public static final int COUNT = 3;

    private static final PortRole[] BY_ID = values();

    private final int id;
    private final String label;

    PortRole(final int id, final String label)
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
     * @param id a role id.
     * @return the role.
     */
    public static PortRole forId(final int id)
    {
        return BY_ID[id];
    }
}
