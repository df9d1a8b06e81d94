package io.flyover.dataplane.engine;

/**
 * Plain per-thread packet accounting of a worker or port agent, read by tests and published
 * with the counters: what came in per port, what went out per port, what was consumed, generated
 * or dropped. For every agent, {@code received == forwarded + consumed + dropped} once its input
 * rings are drained, and {@code sent per port == forwarded + generated}.
 */
public final class EngineCounters
{
    private final long[] received = new long[PortRole.COUNT];
    private final long[] sent = new long[PortRole.COUNT];
    private long forwarded;
    private long consumed;
    private long generated;
    private long dropped;
    private long generatedLost;

    void onReceived(final int role)
    {
        received[role]++;
    }

    void onForwarded(final int role)
    {
        sent[role]++;
        forwarded++;
    }

    void onGenerated(final int role)
    {
        sent[role]++;
        generated++;
    }

    void onConsumed()
    {
        consumed++;
    }

    void onDropped()
    {
        dropped++;
    }

    void onGeneratedLost()
    {
        generatedLost++;
    }

    /**
     * @return generated frames (ICMP errors) that found the output ring full.
     */
    public long generatedLost()
    {
        return generatedLost;
    }

    /**
     * @param role a port role id.
     * @return frames taken in from that port.
     */
    public long received(final PortRole role)
    {
        return received[role.id()];
    }

    /**
     * @return frames taken in from all ports.
     */
    public long received()
    {
        return received[0] + received[1] + received[2];
    }

    /**
     * @param role a port role id.
     * @return frames handed on toward that port.
     */
    public long sent(final PortRole role)
    {
        return sent[role.id()];
    }

    /**
     * @return frames forwarded.
     */
    public long forwarded()
    {
        return forwarded;
    }

    /**
     * @return frames addressed to the POP itself.
     */
    public long consumed()
    {
        return consumed;
    }

    /**
     * @return frames the POP made (ICMP errors).
     */
    public long generated()
    {
        return generated;
    }

    /**
     * @return frames dropped, each counted under a reason.
     */
    public long dropped()
    {
        return dropped;
    }
}
