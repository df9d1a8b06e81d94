package io.flyover.dataplane;

import java.lang.management.ManagementFactory;

/**
 * Measures bytes allocated by the current thread (HotSpot's per-thread TLAB accounting), for
 * tests that assert a hot path allocates nothing.
 */
public final class AllocationMeter
{
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    private AllocationMeter()
    {
    }

    /**
     * Runs the action a few times to warm it up, then once more measured.
     *
     * @param action the code under test.
     * @return bytes allocated by the measured run.
     */
    public static long bytesAllocatedBy(final Runnable action)
    {
        for (int i = 0; i < 3; i++)
        {
            action.run();
        }
        THREADS.getCurrentThreadAllocatedBytes();
        final long before = THREADS.getCurrentThreadAllocatedBytes();
        action.run();
        final long after = THREADS.getCurrentThreadAllocatedBytes();
        return after - before;
    }
}
