package io.flyover.nativeio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class NeighborTableTest
{
    private static final String TABLE = """
        IP address       HW type     Flags       HW address            Mask     Device
        10.9.0.2         0x1         0x2         02:00:00:00:00:02     *        fo-e0
        10.9.0.3         0x1         0x0         00:00:00:00:00:00     *        fo-e0
        10.9.0.4         0x1         0x6         02:00:00:00:00:04     *        fo-e0
        10.8.0.2         0x1         0x2         02:00:00:00:08:02     *        eth9
        10.9.0.5         0x1         0x2         ff:ff:ff:ff:ff:ff     *        fo-e0
        10.9.0.300       0x1         0x2         02:00:00:00:00:06     *        fo-e0
        garbage line
        10.9.0.7         0x1         0xzz        02:00:00:00:00:07     *        fo-e0
        """;

    @Test
    void shouldKeepCompleteUnicastEntriesOfTheInterfaceOnly()
    {
        final NeighborTable table = NeighborTable.parse(TABLE, "fo-e0");
        assertEquals(2, table.size());
        assertEquals(0x020000000002L, table.lookup(Ipv4.parse("10.9.0.2")));
        assertEquals(0x020000000004L, table.lookup(Ipv4.parse("10.9.0.4")));
        assertEquals(MacAddress.NONE, table.lookup(Ipv4.parse("10.9.0.3")), "incomplete entry");
        assertEquals(MacAddress.NONE, table.lookup(Ipv4.parse("10.8.0.2")), "other interface");
        assertEquals(MacAddress.NONE, table.lookup(Ipv4.parse("10.9.0.5")), "broadcast MAC");
        assertEquals(MacAddress.NONE, table.lookup(Ipv4.parse("10.9.0.7")), "bad flags");
    }

    @Test
    void shouldGiveTheEmptyTableForNoEntriesAndLookUpHighAddresses()
    {
        assertSame(NeighborTable.EMPTY, NeighborTable.parse("header only\n", "fo-e0"));
        final NeighborTable table = NeighborTable.of(new int[] {Ipv4.parse("203.0.113.9")}, new long[] {0x02AAL});
        assertEquals(0x02AAL, table.lookup(Ipv4.parse("203.0.113.9")));
    }
}
