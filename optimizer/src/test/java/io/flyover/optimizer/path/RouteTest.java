package io.flyover.optimizer.path;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RouteTest
{
    @Test
    void shouldPackPopsInWireOrderWithUnusedHopsZero()
    {
        final long route = Route.of(1, 65535, 7);
        assertEquals(1, Route.ingress(route));
        assertEquals(7, Route.egress(route));
        assertEquals(2, Route.hops(route));
        assertEquals(0, Route.pop(route, 3));
        assertArrayEquals(new int[]{1, 65535, 7}, Route.toArray(route));
        assertEquals("1>65535>7", Route.toString(route));
        assertEquals(route, Route.pack(new int[]{1, 65535, 7}, 3));
    }

    @Test
    void shouldReverseARoute()
    {
        assertEquals(Route.of(4, 3, 2, 1), Route.reverse(Route.of(1, 2, 3, 4)));
        assertEquals(Route.of(2, 1), Route.reverse(Route.of(1, 2)));
    }

    @Test
    void shouldRejectInvalidRoutes()
    {
        assertFalse(Route.isValid(Route.NONE));
        assertFalse(Route.isValid(Route.of(1, 1)));
        assertFalse(Route.isValid(Route.of(1, 2, 1)));
        assertFalse(Route.isValid(((long)1 << 48) | 5));
        assertEquals(Route.NONE, Route.pack(new int[]{1}, 1));
        assertEquals(Route.NONE, Route.pack(new int[]{1, 0}, 2));
        assertEquals(Route.NONE, Route.pack(new int[]{1, 70_000}, 2));
        assertTrue(Route.isValid(Route.of(1, 2, 3, 4)));
    }
}
