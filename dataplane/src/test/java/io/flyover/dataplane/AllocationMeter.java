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
     * Runs the action a few times to warm it up, then up to five more times measured, and returns
     * the least any measured run allocated. Steady-state allocation shows in every run; a one-off
     * blip of a hundred bytes or so while the JIT swaps in compiled code does not fail the test.
     *
     * @param action the code under test; it should loop over many operations.
     * @return the fewest bytes a measured run allocated.
     */
    public static long bytesAllocatedBy(final Runnable action)
    {
        for (int i = 0; i < 3; i++)
        {
            action.run();
        }
        THREADS.getCurrentThreadAllocatedBytes();
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 5 && least > 0; i++)
        {
            final long before = THREADS.getCurrentThreadAllocatedBytes();
            action.run();
            final long after = THREADS.getCurrentThreadAllocatedBytes();
            least = Math.min(least, after - before);
        }
        return least;
    }
}
