package io.flyover.tools;

import io.flyover.tools.gateway.JsonReader;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class StatusCommandTest
{
    @Test
    void shouldPrintTheOptimizersRoutesWithTheirEstimates()
    {
        final String json = """
            {"pop":{"id":1,"name":"pop-a","underlay":"10.77.0.1:6081"},"uptime_seconds":4.2,"tables_version":7,
             "optimizer":"probes every 100 ms on every candidate path",
             "peers":[{"id":3,"name":"pop-c","underlay":"10.77.0.3:6081","state":"up","rtt_us":20010}],
             "paths":[{"to":3,"route":"1>3","weight":9500,"buckets":62259}],
             "routes":[{"to":3,"route":"1>3","state":"up","rtt_ms":20.012,"rtt_p50_ms":20.0,"rtt_p95_ms":20.5,
               "jitter_ms":0.011,"loss":0.0,"weight":0.95,"preferred":true},
              {"to":3,"route":"1>2>3","state":"down","rtt_ms":null,"rtt_p50_ms":null,"rtt_p95_ms":null,
               "jitter_ms":0.0,"loss":0.25,"weight":0.0,"preferred":false}],
             "services":[]}
            """;
        final String text = StatusCommand.format(JsonReader.parse(json));
        assertTrue(text.contains("Routes (optimizer)"), text);
        assertTrue(text.matches("(?s).*3 +1>3 +up +20\\.01 +20\\.00 +20\\.50 +0\\.01 +0\\.0% +95\\.0% +\\*.*"), text);
        assertTrue(text.matches("(?s).*3 +1>2>3 +down +- +- +- +0\\.00 +25\\.0% +0\\.0%.*"), text);
        assertTrue(text.contains("optimizer: probes every 100 ms"), text);
    }
}
