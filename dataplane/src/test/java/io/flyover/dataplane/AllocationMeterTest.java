package io.flyover.dataplane;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AllocationMeterTest
{
    @Test
    void shouldSeeAllocationInEveryRunAndNoneInPlainArithmetic()
    {
        final List<Object> keep = new ArrayList<>();
        assertTrue(AllocationMeter.bytesAllocatedBy(() ->
        {
            keep.clear();
            for (int i = 0; i < 1000; i++)
            {
                keep.add(new long[4]);
            }
        }) >= 1000 * 16);

        final long[] sink = new long[1];
        assertEquals(0, AllocationMeter.bytesAllocatedBy(() ->
        {
            for (int i = 0; i < 100_000; i++)
            {
                sink[0] += i * 31L;
            }
        }));
    }
}
