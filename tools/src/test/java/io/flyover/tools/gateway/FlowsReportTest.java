package io.flyover.tools.gateway;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowsReportTest
{
    @Test
    void shouldParseLimitAndSortAndRejectWhatItCannotAnswer()
    {
        assertArrayEquals(new Object[] {FlowsReport.DEFAULT_LIMIT, FlowsReport.Sort.NEWEST},
            (Object[])FlowsReport.parseQuery(null));
        assertArrayEquals(new Object[] {5, FlowsReport.Sort.OLDEST},
            (Object[])FlowsReport.parseQuery("limit=5&sort=oldest"));
        assertArrayEquals(new Object[] {FlowsReport.DEFAULT_LIMIT, FlowsReport.Sort.LARGEST},
            (Object[])FlowsReport.parseQuery("sort=largest"));
        assertEquals("sort must be newest, oldest or largest, got 'bytes'", FlowsReport.parseQuery("sort=bytes"));
        assertEquals("limit must be a whole number 1..10000, got '0'", FlowsReport.parseQuery("limit=0"));
        assertEquals("limit must be a whole number 1..10000, got 'x'", FlowsReport.parseQuery("limit=x"));
        assertEquals("unknown parameter 'by'; allowed: limit, sort", FlowsReport.parseQuery("by=age"));
    }

    @Test
    void shouldWriteFlowsAsJsonWithAddressesRouteAndAge()
    {
        final FlowsReport.Flow flow = new FlowsReport.Flow(0, io.flyover.dataplane.flow.FlowKind.INGRESS, 17, false,
            0, 0xC0000207L, 40_001, 0, 0x7F00640AL, 53, io.flyover.dataplane.flow.FlowState.UDP,
            io.flyover.dataplane.table.Route.of(1, 2, 3).packed(), 100, 0, 9, 1234, 56);
        final io.flyover.dataplane.table.ForwardingTables tables = io.flyover.dataplane.table.ForwardingTables.build(1, 1,
            List.of(new io.flyover.dataplane.table.Pop(1, "a", new java.net.InetSocketAddress("127.0.0.1", 6081),
                new io.flyover.dataplane.table.KeyRing(1, List.of(new io.flyover.dataplane.table.BackboneKey(1, 1, 2))))),
            List.of(), List.of());
        final String json = FlowsReport.json(List.of(flow), tables, FlowsReport.Sort.NEWEST);
        assertEquals("{\"sort\":\"newest\",\"count\":1,\"flows\":[{\"worker\":0,\"kind\":\"ingress\",\"protocol\":17,"
            + "\"src\":\"192.0.2.7:40001\",\"dst\":\"127.0.100.10:53\",\"state\":\"udp\",\"route\":\"1>2>3\","
            + "\"service\":100,\"backend\":null,\"packets\":9,\"age_ms\":1234,\"idle_ms\":56}]}\n", json);
        assertEquals("[2001:db8:0:0:0:0:0:1]", FlowsReport.address(true, 0x20010DB800000000L, 1));
    }

    @Test
    void shouldOrderByAgeOrByPacketsWithTheOlderFirstAmongEqualCounts()
    {
        final FlowsReport.Flow young = flow(10, 5);
        final FlowsReport.Flow old = flow(900, 5);
        final FlowsReport.Flow busy = flow(50, 4000);
        final FlowsReport.Flow saturatedYoung = flow(20, 65535);
        final FlowsReport.Flow saturatedOld = flow(800, 65535);
        final List<FlowsReport.Flow> all = List.of(young, old, busy, saturatedYoung, saturatedOld);

        assertEquals(List.of(young, saturatedYoung, busy, saturatedOld, old), sorted(all, FlowsReport.Sort.NEWEST));
        assertEquals(List.of(old, saturatedOld, busy, saturatedYoung, young), sorted(all, FlowsReport.Sort.OLDEST));
        assertEquals(List.of(saturatedOld, saturatedYoung, busy, old, young), sorted(all, FlowsReport.Sort.LARGEST));
    }

    private static List<FlowsReport.Flow> sorted(final List<FlowsReport.Flow> flows, final FlowsReport.Sort sort)
    {
        final List<FlowsReport.Flow> copy = new java.util.ArrayList<>(flows);
        copy.sort(FlowsReport.order(sort));
        return copy;
    }

    private static FlowsReport.Flow flow(final long ageMs, final int packets)
    {
        return new FlowsReport.Flow(0, io.flyover.dataplane.flow.FlowKind.INGRESS, 17, false, 0, 1, 1, 0, 2, 2,
            io.flyover.dataplane.flow.FlowState.UDP, 0, 100, 0, packets, ageMs, 0);
    }
}
