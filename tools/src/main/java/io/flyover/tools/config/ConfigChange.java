package io.flyover.tools.config;

/**
 * One difference between two configurations and whether a running gateway can take it.
 *
 * @param path   the field that changed, e.g. {@code services[id=100].backends} or {@code threads.workers}.
 * @param detail what changed, e.g. {@code 1 -> 2} or {@code added}; never key material.
 * @param reload whether it applies hot or needs a restart.
 */
public record ConfigChange(String path, String detail, Reload reload)
{
    /**
     * How a change can be applied.
     */
    public enum Reload
    {
        /** Applied by publishing a new snapshot, without dropping flows or sockets. */
        HOT,
        /** Fixed when the gateway starts (sockets, threads, off-heap sizes): needs a restart. */
        RESTART
    }

    @Override
    public String toString()
    {
        return path + ": " + detail + (reload == Reload.RESTART ? " needs a restart" : "");
    }
}
