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
        assertTrue(((String)FlowsReport.parseQuery("sort=largest")).contains("no byte or packet counts"));
        assertEquals("limit must be a whole number 1..10000, got '0'", FlowsReport.parseQuery("limit=0"));
        assertEquals("limit must be a whole number 1..10000, got 'x'", FlowsReport.parseQuery("limit=x"));
        assertEquals("unknown parameter 'by'; allowed: limit, sort", FlowsReport.parseQuery("by=age"));
    }

    @Test
    void shouldWriteFlowsAsJsonWithAddressesRouteAndAge()
    {
        final FlowsReport.Flow flow = new FlowsReport.Flow(0, io.flyover.dataplane.flow.FlowKind.INGRESS, 17, false,
            0, 0xC0000207L, 40_001, 0, 0x7F00640AL, 53, io.flyover.dataplane.flow.FlowState.UDP,
            io.flyover.dataplane.table.Route.of(1, 2, 3).packed(), 100, 0, 1234, 56);
        final io.flyover.dataplane.table.ForwardingTables tables = io.flyover.dataplane.table.ForwardingTables.build(1, 1,
            List.of(new io.flyover.dataplane.table.Pop(1, "a", new java.net.InetSocketAddress("127.0.0.1", 6081),
                new io.flyover.dataplane.table.KeyRing(1, List.of(new io.flyover.dataplane.table.BackboneKey(1, 1, 2))))),
            List.of(), List.of());
        final String json = FlowsReport.json(List.of(flow), tables, FlowsReport.Sort.NEWEST);
        assertEquals("{\"sort\":\"newest\",\"count\":1,\"flows\":[{\"worker\":0,\"kind\":\"ingress\",\"protocol\":17,"
            + "\"src\":\"192.0.2.7:40001\",\"dst\":\"127.0.100.10:53\",\"state\":\"udp\",\"route\":\"1>2>3\","
            + "\"service\":100,\"backend\":null,\"age_ms\":1234,\"idle_ms\":56}]}\n", json);
        assertEquals("[2001:db8:0:0:0:0:0:1]", FlowsReport.address(true, 0x20010DB800000000L, 1));
    }
}
