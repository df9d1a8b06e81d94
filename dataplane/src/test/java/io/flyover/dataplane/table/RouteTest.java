package io.flyover.dataplane.table;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RouteTest
{
    @Test
    void shouldDescribeRoutesOfOneToFourPops()
    {
        final Route direct = Route.of(1, 3);
        assertEquals(2, direct.length());
        assertEquals(3, direct.egressPop());
        assertEquals(1, Route.of(7).length());
        assertEquals(7, Route.of(7).egressPop());
        final Route full = Route.of(1, 2, 3, 65535);
        assertEquals(4, full.length());
        assertEquals(65535, full.egressPop());
        assertEquals(2, full.pop(1));
        assertEquals("Route[1 > 2 > 3 > 65535]", full.toString());
    }

    @Test
    void shouldPackAsTheFlowEntryStoresIt()
    {
        final Route route = Route.of(0x0102, 0x0304, 0x0506);
        final long packed = route.packed();
        assertEquals(0x0102_0304_0506_0000L, packed);
        assertEquals(route, Route.unpack(packed));
        assertEquals(3, Route.length(packed));
        assertEquals(0x0506, Route.egressPop(packed));
        assertEquals(0x0102, Route.pop(packed, 0));
        assertEquals(0, Route.pop(packed, 3));
        assertEquals(0xFFFF, Route.egressPop(Route.of(1, 2, 3, 0xFFFF).packed()));
        assertEquals(1, Route.length(Route.of(9).packed()));
    }

    @Test
    void shouldRejectGapsLoopsAndBadIds()
    {
        assertThrows(IllegalArgumentException.class, () -> new Route(0, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new Route(1, 0, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new Route(1, 2, 0, 3));
        assertThrows(IllegalArgumentException.class, () -> Route.of(1, 2, 1));
        assertThrows(IllegalArgumentException.class, () -> Route.of(1, 2, 3, 2));
        assertThrows(IllegalArgumentException.class, () -> Route.of(1, 65536));
        assertThrows(IllegalArgumentException.class, () -> Route.of(1, 2, 3, 4, 5));
        assertThrows(IllegalArgumentException.class, () -> Route.of());
    }
}
