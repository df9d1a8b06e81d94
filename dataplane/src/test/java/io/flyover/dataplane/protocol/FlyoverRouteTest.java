package io.flyover.dataplane.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class FlyoverRouteTest
{
    @Test
    void shouldPackSlotsInWireOrder()
    {
        final long route = FlyoverRoute.pack(0x0102, 0x0304, 0x0506, 0x0708);
        assertEquals(0x0102030405060708L, route);
        assertEquals(0x0102, FlyoverRoute.ingressPop(route));
        for (int slot = 0; slot < FlyoverRoute.SLOTS; slot++)
        {
            assertEquals(0x0102 + 0x0202 * slot, FlyoverRoute.pop(route, slot));
        }
        assertEquals(0x0708, FlyoverRoute.egressPop(route));
    }

    @Test
    void shouldFindEgressAsLastUsedSlot()
    {
        assertEquals(1, FlyoverRoute.lastSlot(FlyoverRoute.pack(1, 2, 0, 0)));
        assertEquals(2, FlyoverRoute.lastSlot(FlyoverRoute.pack(1, 2, 3, 0)));
        assertEquals(3, FlyoverRoute.lastSlot(FlyoverRoute.pack(1, 2, 3, 4)));
        assertEquals(3, FlyoverRoute.egressPop(FlyoverRoute.pack(1, 2, 3, 0)));
    }

    @Test
    void shouldRejectRoutesWithUnusedIngressOrFirstHopOrAGap()
    {
        assertEquals(FlyoverRoute.INVALID, FlyoverRoute.lastSlot(FlyoverRoute.pack(0, 2, 0, 0)));
        assertEquals(FlyoverRoute.INVALID, FlyoverRoute.lastSlot(FlyoverRoute.pack(1, 0, 0, 0)));
        assertEquals(FlyoverRoute.INVALID, FlyoverRoute.lastSlot(FlyoverRoute.pack(1, 0, 3, 0)));
        assertEquals(FlyoverRoute.INVALID, FlyoverRoute.lastSlot(FlyoverRoute.pack(1, 2, 0, 4)));
        assertEquals(FlyoverRoute.UNUSED, FlyoverRoute.egressPop(FlyoverRoute.pack(1, 2, 0, 4)));
        assertEquals(FlyoverRoute.INVALID, FlyoverRoute.firstHopIndex(0L, false));
    }

    @Test
    void shouldAcceptHopIndexesOnTheRouteForEachDirection()
    {
        final long route = FlyoverRoute.pack(1, 2, 3, 0);
        assertFalse(FlyoverRoute.isValidHopIndex(route, false, 0));
        assertTrue(FlyoverRoute.isValidHopIndex(route, false, 1));
        assertTrue(FlyoverRoute.isValidHopIndex(route, false, 2));
        assertFalse(FlyoverRoute.isValidHopIndex(route, false, 3));

        assertTrue(FlyoverRoute.isValidHopIndex(route, true, 0));
        assertTrue(FlyoverRoute.isValidHopIndex(route, true, 1));
        assertFalse(FlyoverRoute.isValidHopIndex(route, true, 2));
        assertFalse(FlyoverRoute.isValidHopIndex(route, true, -1));

        assertEquals(1, FlyoverRoute.firstHopIndex(route, false));
        assertEquals(1, FlyoverRoute.firstHopIndex(route, true));
        assertEquals(0, FlyoverRoute.firstHopIndex(FlyoverRoute.pack(1, 2, 0, 0), true));
    }

    @Test
    void shouldAdvanceForwardUntilTheEgressThenReportNoNextHop()
    {
        final UnsafeBuffer option = new UnsafeBuffer(new byte[FlyoverOptionFlyweight.LENGTH]);
        FlyoverOptionFlyweight.write(option, 0, false, 1, 5, 1, FlyoverRoute.pack(10, 20, 30, 40), 0);
        assertEquals(20, FlyoverOptionFlyweight.nextPop(option, 0));
        assertEquals(2, FlyoverOptionFlyweight.advanceHop(option, 0));
        assertEquals(30, FlyoverOptionFlyweight.nextPop(option, 0));
        assertEquals(3, FlyoverOptionFlyweight.advanceHop(option, 0));
        assertEquals(40, FlyoverOptionFlyweight.nextPop(option, 0));
        assertEquals(3, FlyoverOptionFlyweight.hopLimit(option, 0));
        assertEquals(FlyoverOptionFlyweight.NO_NEXT_HOP, FlyoverOptionFlyweight.advanceHop(option, 0));
        assertEquals(3, FlyoverOptionFlyweight.hopIndex(option, 0));
        assertEquals(3, FlyoverOptionFlyweight.hopLimit(option, 0));
    }

    @Test
    void shouldAdvanceBackwardOnTheReturnPath()
    {
        final UnsafeBuffer option = new UnsafeBuffer(new byte[FlyoverOptionFlyweight.LENGTH]);
        FlyoverOptionFlyweight.write(option, 0, true, 2, 5, 1, FlyoverRoute.pack(10, 20, 30, 40), 0);
        assertEquals(1, FlyoverOptionFlyweight.advanceHop(option, 0));
        assertEquals(0, FlyoverOptionFlyweight.advanceHop(option, 0));
        assertEquals(10, FlyoverOptionFlyweight.nextPop(option, 0));
        assertEquals(FlyoverOptionFlyweight.NO_NEXT_HOP, FlyoverOptionFlyweight.advanceHop(option, 0));
    }

    @Test
    void shouldRefuseToAdvanceWhenHopLimitIsSpent()
    {
        final UnsafeBuffer option = new UnsafeBuffer(new byte[FlyoverOptionFlyweight.LENGTH]);
        FlyoverOptionFlyweight.write(option, 0, false, 1, 0, 1, FlyoverRoute.pack(10, 20, 30, 0), 0);
        assertEquals(FlyoverOptionFlyweight.HOP_LIMIT_SPENT, FlyoverOptionFlyweight.advanceHop(option, 0));
        assertEquals(1, FlyoverOptionFlyweight.hopIndex(option, 0));
    }
}
