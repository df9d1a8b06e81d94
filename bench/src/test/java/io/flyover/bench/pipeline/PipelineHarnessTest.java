package io.flyover.bench.pipeline;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.flyover.dataplane.engine.Pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineHarnessTest
{
    private static double number(final Map<String, Object> json, final String key)
    {
        return assertInstanceOf(Double.class, json.get(key), key).doubleValue();
    }

    private static Map<String, Object> runJson(final PipelineOptions options) throws InterruptedException
    {
        final StringWriter progress = new StringWriter();
        final PipelineResult result = PipelineHarness.run(options, new PrintWriter(progress));
        final String json = result.toJson();
        assertEquals(1, json.lines().count(), json);
        final Map<String, Object> parsed = FlatJson.parse(json);
        assertEquals(PipelineResult.JSON_KEYS, List.copyOf(parsed.keySet()), json);
        return parsed;
    }

    @Test
    void shouldReportEveryKeyWithSaneValues() throws InterruptedException
    {
        final Map<String, Object> json = runJson(new PipelineOptions(5_000, 0.2, 0.1, 1, 1.0, false));
        for (final String key : List.of("ingress_mpps", "relay_mpps", "egress_mpps", "new_flows_per_s", "bytes_per_flow"))
        {
            assertTrue(number(json, key) > 0, key + " > 0: " + json);
        }
        assertTrue(number(json, "alloc_bytes_per_packet") >= 0, json.toString());
        assertEquals(5_000.0, number(json, "flows"));
        assertEquals(1.0, number(json, "zipf"));
        assertEquals(1.0, number(json, "threads"));
        assertTrue(number(json, "bytes_per_flow") >= 2 * 64, "two 64 B entries per flow at the egress POP");
        assertTrue(((String)json.get("cpu")).length() > 0);
    }

    @Test
    void shouldSplitFlowsAcrossThreadsAndReportUniform() throws InterruptedException
    {
        final Map<String, Object> json = runJson(new PipelineOptions(4_001, 0.2, 0, 2, 1.0, true));
        assertEquals(2.0, number(json, "threads"));
        assertEquals(4_001.0, number(json, "flows"));
        assertEquals("uniform", json.get("zipf"));
        assertTrue(number(json, "ingress_mpps") > 0);
    }

    @Test
    void shouldForwardEveryPreGeneratedPacketAtEveryStage()
    {
        final PipelineRig rig = new PipelineRig(2_000, 0x0B00_0000, 1.0, 1 << 12, 1);
        try
        {
            assertEquals(0, rig.prefillDrops());
            assertEquals(2_000, rig.ingressFlowTable().size());
            assertEquals(4_000, rig.egressFlowTable().size(), "forward and reverse entry per flow");
            assertTrue(rig.relayFlows() > 600 && rig.relayFlows() < 1_400, "about half go via B: " + rig.relayFlows());
            final long now = System.nanoTime();
            for (int i = 0; i < 10_000; i++)
            {
                assertEquals(Pipeline.TO_BACKBONE, rig.ingress(i, now));
                assertEquals(Pipeline.TO_BACKBONE, rig.relay(i, now));
                assertEquals(Pipeline.TO_ORIGIN, rig.egress(i, now));
                assertEquals(Pipeline.TO_BACKBONE, rig.newFlow());
            }
            assertEquals(2_000, rig.ingressFlowTable().size(), "no new flows at ingress");
            assertEquals(4_000, rig.egressFlowTable().size(), "no new flows at egress");
            assertTrue(rig.newFlowTable().size() <= 2_000 + PipelineRig.capacityFor(2_000) / 8,
                "expiry keeps the new-flow table near its flow count: " + rig.newFlowTable().size());
        }
        finally
        {
            rig.close();
        }
    }

    @Test
    void shouldSizeTablesAtMostEightyPercentFull()
    {
        assertEquals(1 << 21, PipelineRig.capacityFor(1_000_000));
        assertEquals(1 << 22, PipelineRig.capacityFor(2_000_000));
        assertEquals(1024, PipelineRig.capacityFor(10));
        assertEquals(1 << 20, PipelineRig.capacityFor(838_860));
    }

    @Test
    void shouldEscapeTheCpuName()
    {
        final PipelineResult result = new PipelineResult(
            List.of(
                new PipelineResult.StageResult(PipelineResult.INGRESS, 1e6, 1, 0, 0, 1000),
                new PipelineResult.StageResult(PipelineResult.RELAY, 1e6, 1, 0, 0, 1000),
                new PipelineResult.StageResult(PipelineResult.EGRESS, 1e6, 1, 0, 0, 1000),
                new PipelineResult.StageResult(PipelineResult.NEW_FLOWS, 1e6, 1, 0, 0, 1000)),
            10, null, 1, "a \"quoted\" \\ cpu\t", true, 64, 128);
        final Map<String, Object> json = FlatJson.parse(result.toJson());
        assertEquals("a \"quoted\" \\ cpu\t", json.get("cpu"));
        assertEquals("uniform", json.get("zipf"));
        assertNull(json.get("missing"));
    }

    @Test
    void shouldRejectBadOptions()
    {
        assertThrows(IllegalArgumentException.class, () -> new PipelineOptions(0, 1, 0, 1, 1.0, false));
        assertThrows(IllegalArgumentException.class, () -> new PipelineOptions(10, 0, 0, 1, 1.0, false));
        assertThrows(IllegalArgumentException.class, () -> new PipelineOptions(10, 1, 0, 0, 1.0, false));
        assertThrows(IllegalArgumentException.class, () -> new PipelineOptions(10, 1, 0, 1, 0, false));
    }
}
