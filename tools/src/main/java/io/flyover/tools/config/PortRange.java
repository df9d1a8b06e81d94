package io.flyover.tools.config;

/**
 * An inclusive range of UDP or TCP ports, written {@code 80} or {@code 6081-6088} in YAML.
 *
 * @param first the first port of the range, 1..65535.
 * @param last  the last port of the range, {@code first}..65535.
 */
public record PortRange(int first, int last)
{
    /**
     * The range of an ICMP service, which has no ports.
     */
    public static final PortRange NONE = new PortRange(0, 0);

    /**
     * A range holding one port.
     *
     * @param port the port.
     * @return the range {@code port-port}.
     */
    public static PortRange of(final int port)
    {
        return new PortRange(port, port);
    }

    /**
     * How many ports the range holds.
     *
     * @return {@code last - first + 1}.
     */
    public int size()
    {
        return last - first + 1;
    }

    /**
     * Whether a port lies inside the range.
     *
     * @param port to test.
     * @return true when {@code first <= port <= last}.
     */
    public boolean contains(final int port)
    {
        return port >= first && port <= last;
    }

    /**
     * Whether two ranges share a port.
     *
     * @param other the other range.
     * @return true when they overlap.
     */
    public boolean overlaps(final PortRange other)
    {
        return first <= other.last && other.first <= last;
    }

    @Override
    public String toString()
    {
        return first == last ? Integer.toString(first) : first + "-" + last;
    }
}
