package io.flyover.dataplane.counters;

import io.flyover.dataplane.protocol.ParseVerdict;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DropReasonTest
{
    /**
     * Ids and labels appear in counters files, metrics and JSON: this list only ever grows.
     */
    @Test
    void shouldKeepIdsAndLabelsStable()
    {
        final Map<Integer, String> expected = new LinkedHashMap<>();
        expected.put(1, "no_service");
        expected.put(2, "fragment_v4");
        expected.put(3, "fragment_v6");
        expected.put(4, "flow_table_full");
        expected.put(5, "police_exceeded");
        expected.put(6, "mtu_exceeded");
        expected.put(7, "tunnel_bad_tag");
        expected.put(8, "tunnel_unknown_key");
        expected.put(9, "tunnel_unknown_peer");
        expected.put(10, "tunnel_hop_limit");
        expected.put(11, "tunnel_unknown_service");
        expected.put(12, "tunnel_misrouted");
        expected.put(13, "no_route");
        expected.put(14, "no_backend");
        expected.put(15, "no_reverse_flow");
        expected.put(16, "ring_full");
        expected.put(17, "icmp_no_flow");
        expected.put(18, "icmp_unsupported");
        expected.put(19, "ttl_expired");
        expected.put(20, "backbone_not_geneve");
        expected.put(21, "port_back_pressured");
        expected.put(22, "frame_too_large");
        expected.put(23, "neighbor_unresolved");

        final Map<Integer, String> actual = new LinkedHashMap<>();
        for (final DropReason reason : DropReason.values())
        {
            actual.put(reason.id(), reason.label());
            assertSame(reason, DropReason.forId(reason.id()));
            assertEquals(reason.label(), DropReason.labelOf(reason.id()));
        }
        assertEquals(expected, actual);
        assertEquals(64 + 15, DropReason.idOf(ParseVerdict.IPV4_BAD_CHECKSUM));
        assertEquals("parse_ipv4_bad_checksum", DropReason.labelOf(64 + 15));
    }

    @Test
    void shouldMapEveryParseFaultToItsOwnDropId()
    {
        final Set<Integer> ids = new HashSet<>();
        for (final ParseVerdict verdict : ParseVerdict.values())
        {
            final int id = DropReason.idOf(verdict);
            switch (verdict)
            {
                case OK -> assertEquals(DropReason.NONE, id);
                case IPV4_FRAGMENT -> assertEquals(DropReason.FRAGMENT_V4.id(), id);
                case IPV6_FRAGMENT -> assertEquals(DropReason.FRAGMENT_V6.id(), id);
                default ->
                {
                    assertEquals(DropReason.PARSE_FAULT_ID_BASE + verdict.id(), id);
                    assertTrue(id < DropReason.PARSE_FAULT_ID_LIMIT);
                    assertTrue(ids.add(id));
                    assertEquals("parse_" + verdict.label(), DropReason.labelOf(id));
                    assertNull(DropReason.forId(id));
                }
            }
        }
        assertTrue(ParseVerdict.maxId() < DropReason.PARSE_FAULT_ID_LIMIT - DropReason.PARSE_FAULT_ID_BASE);
    }

    @Test
    void shouldHaveNoCatchAllAndNoLabelForUnusedIds()
    {
        for (int id = 0; id < DropReason.ID_LIMIT; id++)
        {
            final String label = DropReason.labelOf(id);
            if (null != label)
            {
                assertFalse(label.contains("other") || label.contains("unknown_reason"), label);
            }
        }
        assertNull(DropReason.labelOf(0));
        assertNull(DropReason.labelOf(63));
        assertNull(DropReason.labelOf(DropReason.PARSE_FAULT_ID_BASE));
        assertNull(DropReason.labelOf(DropReason.PARSE_FAULT_ID_BASE + ParseVerdict.IPV4_FRAGMENT.id()));
        assertNull(DropReason.labelOf(DropReason.ID_LIMIT));
        assertNull(DropReason.labelOf(-1));
    }

    @Test
    void shouldKeepVerdictAndFlowCounterLabelsStable()
    {
        assertEquals("forward", Verdict.labelOf(1));
        assertEquals("drop", Verdict.labelOf(2));
        assertEquals("punt", Verdict.labelOf(3));
        assertEquals("reply", Verdict.labelOf(4));
        assertEquals("inserts", FlowTableCounter.labelOf(1));
        assertEquals("full", FlowTableCounter.labelOf(6));
        assertEquals("active", FlowTableCounter.labelOf(7));
        assertEquals("drop.no_service worker=3", CounterType.DROP_REASON.counterLabel(1, 3));
        assertEquals("drop.parse_udp_truncated worker=0",
            CounterType.DROP_REASON.counterLabel(DropReason.idOf(ParseVerdict.UDP_TRUNCATED), 0));
        assertEquals("flow.evictions worker=1", CounterType.FLOW_TABLE.counterLabel(5, 1));
        assertEquals(1, CounterType.DROP_REASON.typeId());
        assertEquals(2, CounterType.VERDICT.typeId());
        assertEquals(3, CounterType.FLOW_TABLE.typeId());
    }
}
