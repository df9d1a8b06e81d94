package io.flyover.tools.lab;

import io.flyover.dataplane.engine.ThreadingMode;
import io.flyover.tools.config.ConfigLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab's parts that need no root: generated configurations, the download content, the
 * sniffer's packet test, the status parser.
 */
class LabPartsTest
{
    @TempDir
    Path dir;

    @Test
    void shouldGenerateConfigurationsTheGatewayAccepts() throws Exception
    {
        final LabTopology.Secrets secrets = LabTopology.Secrets.random(new Random(7));
        for (final LabTopology.Options options : new LabTopology.Options[] {
            LabTopology.Options.DEFAULT, new LabTopology.Options(false, false, false), new LabTopology.Options(true, false, true),
            new LabTopology.Options(true, true, false) })
        {
            for (final String[] pop : new String[][] {
                { "a", LabTopology.popA(dir, secrets, options) }, { "b", LabTopology.popB(dir, secrets, options) },
                { "c", LabTopology.popC(dir, secrets, options) } })
            {
                final Path file = dir.resolve("pop-" + pop[0] + ".yaml");
                Files.writeString(file, pop[1]);
                final ConfigLoader.Result result = ConfigLoader.load(file);
                assertTrue(result.errors().isEmpty(), options + " " + pop[0] + ": " + result.errors());
                final var ports = result.config().ports();
                if ("a".equals(pop[0]))
                {
                    assertEquals(options.afPacket() ? "afpacket" : "tun", ports.edge().type(), options.describe());
                    assertEquals(options.dedicatedThreads() ? ThreadingMode.DEDICATED : ThreadingMode.SHARED,
                        result.config().threads().mode(), options.describe());
                }
                if ("c".equals(pop[0]))
                {
                    assertEquals(options.afPacket() ? "afpacket" : "tun", ports.origin().type(), options.describe());
                }
                assertEquals("udp", ports.backbone().type(), "the backbone stays UDP");
                assertEquals(options.optimizer(), result.config().optimizer().enabled(), options.describe());
                // with the optimizer a move to the relay can only be learned: no configured standby
                assertEquals(options.optimizer() || "b".equals(pop[0]) ? 0 : 1, result.config().routes().size(),
                    options.describe() + " " + pop[0]);
            }
        }
        assertTrue(LabTopology.popA(dir, secrets, LabTopology.Options.DEFAULT)
            .contains("flow-hash-key: " + secrets.flowHashKey()));
        assertTrue(LabTopology.popC(dir, secrets, LabTopology.Options.DEFAULT)
            .contains("secret: " + secrets.backboneKey()));
        assertTrue(LabTopology.popA(dir, secrets, new LabTopology.Options(true, false, true))
            .contains("interface: " + LabTopology.LINK_A_CLIENT));
        assertTrue(LabTopology.popC(dir, secrets, new LabTopology.Options(true, false, true))
            .contains("interface: " + LabTopology.LINK_C_BACKEND));
    }

    @Test
    void shouldGenerateTheSameContentForAnySplitOfTheStream()
    {
        final byte[] whole = new byte[1000];
        Payload.fill(42, 0, whole, whole.length);
        final byte[] second = new byte[1000 - 512];
        Payload.fill(42, 512, second, second.length);
        for (int i = 0; i < second.length; i++)
        {
            assertEquals(whole[512 + i], second[i], "byte " + (512 + i));
        }
        final byte[] other = new byte[1000];
        Payload.fill(43, 0, other, other.length);
        assertNotEquals(HexFormat.of().formatHex(whole), HexFormat.of().formatHex(other));
        assertEquals(Payload.sha256(42, 1000), HexFormat.of().formatHex(Payload.sha256().digest(whole)));
    }

    @Test
    void shouldCountOnlyGeneveDataWithTcpPayloadBetweenTheWatchedUnderlays()
    {
        try (Arena arena = Arena.ofConfined())
        {
            final MemorySegment packet = arena.allocate(256);
            final int length = geneve(packet, false, 100);
            final int a = TunnelSniffer.ipv4("10.77.0.2");
            final int b = TunnelSniffer.ipv4("10.77.0.1");
            assertTrue(TunnelSniffer.isPayload(packet, length, a, b));
            assertFalse(TunnelSniffer.isPayload(packet, length, b, a), "other direction");
            assertFalse(TunnelSniffer.isPayload(packet, geneve(packet, true, 100), a, b), "OAM (O bit)");
            assertFalse(TunnelSniffer.isPayload(packet, geneve(packet, false, 0), a, b), "pure ACK");
            assertFalse(TunnelSniffer.isPayload(packet, 30, a, b), "truncated");
        }
    }

    /** Outer IPv4/UDP 6081, Geneve with a 28-byte option, inner IPv4/TCP with {@code payload} bytes. */
    private static int geneve(final MemorySegment p, final boolean oam, final int payload)
    {
        p.fill((byte)0);
        p.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte)0x45);
        p.set(java.lang.foreign.ValueLayout.JAVA_BYTE, 9, (byte)17);
        put(p, 12, new int[] { 10, 77, 0, 2, 10, 77, 0, 1 });
        put(p, 22, new int[] { 0x17, 0xC1 });
        final int g = 28;
        p.set(java.lang.foreign.ValueLayout.JAVA_BYTE, g, (byte)7);
        p.set(java.lang.foreign.ValueLayout.JAVA_BYTE, g + 1, (byte)(oam ? 0xC0 : 0x40));
        put(p, g + 2, new int[] { 0x08, 0x00 });
        final int inner = g + 8 + 28;
        p.set(java.lang.foreign.ValueLayout.JAVA_BYTE, inner, (byte)0x45);
        final int total = 20 + 20 + payload;
        put(p, inner + 2, new int[] { total >>> 8, total & 0xFF });
        p.set(java.lang.foreign.ValueLayout.JAVA_BYTE, inner + 9, (byte)6);
        p.set(java.lang.foreign.ValueLayout.JAVA_BYTE, inner + 20 + 12, (byte)0x50);
        return inner + 40;
    }

    private static void put(final MemorySegment p, final int offset, final int[] bytes)
    {
        for (int i = 0; i < bytes.length; i++)
        {
            p.set(java.lang.foreign.ValueLayout.JAVA_BYTE, offset + i, (byte)bytes[i]);
        }
    }

    @Test
    void shouldReportBenchRatiosAndTheLowerOfTheOfferedRates()
    {
        final LabBench.Result result = new LabBench.Result(
            new LabBench.UdpRate(40_000, 10_000), new LabBench.UdpRate(80_000, 80_000), 0.25, 1.0,
            new LabTopology.Options(true, false, true));
        assertEquals(0.125, result.ppsRatio(), 1e-9);
        assertEquals(0.25, result.tcpRatio(), 1e-9);
        assertEquals(40_000, result.offeredPps(), 1e-9);
        assertEquals(0.75, result.flyover().loss(), 1e-9);
        final String json = result.toJson();
        for (final String field : new String[] { "\"ports\":\"afpacket\"", "\"threads\":\"shared\"", "\"offered_pps\":40000", "\"flyover_pps\":10000",
            "\"kernel_pps\":80000", "\"pps_ratio\":0.125", "\"flyover_tcp_gbps\":0.250",
            "\"kernel_tcp_gbps\":1.000", "\"tcp_ratio\":0.250", "\"flyover_loss\":0.7500", "\"kernel_loss\":0.0000" })
        {
            assertTrue(json.contains(field), field + " in " + json);
        }
        assertEquals(0, new LabBench.Result(new LabBench.UdpRate(1, 1), new LabBench.UdpRate(0, 0), 1, 0,
            LabTopology.Options.DEFAULT).ppsRatio(),
            "no kernel rate gives ratio 0, not infinity");
    }

    @Test
    void shouldReadAPeersStateFromStatus()
    {
        final String status = "{\"peers\":[{\"id\":2,\"name\":\"pop-b\",\"underlay\":\"x\",\"state\":\"init\"},"
            + "{\"id\":3,\"name\":\"pop-c\",\"underlay\":\"y\",\"state\":\"up\",\"keepalives\":{}}]}";
        assertEquals("init", Lab.peerState(status, 2));
        assertEquals("up", Lab.peerState(status, 3));
        assertEquals("", Lab.peerState(status, 4));
    }

    @Test
    void shouldReadTheOptimizersRoutesAndThePathTableFromStatus()
    {
        final String status = "{\"peers\":[],\"paths\":[{\"to\":2,\"route\":\"1>2\",\"weight\":1,\"buckets\":65536},"
            + "{\"to\":3,\"route\":\"1>3\",\"weight\":0,\"buckets\":0},{\"to\":3,\"route\":\"1>2>3\",\"weight\":10000,"
            + "\"buckets\":65536}],\"routes\":[{\"to\":3,\"route\":\"1>3\",\"state\":\"down\",\"rtt_ms\":0.412,"
            + "\"weight\":0.0000,\"preferred\":false,\"probe_samples\":40},{\"to\":3,\"route\":\"1>2>3\",\"state\":\"up\","
            + "\"rtt_ms\":0.901,\"weight\":1.0000,\"preferred\":true,\"probe_samples\":38,\"passive_samples\":2}],\"services\":[]}";
        assertEquals("down", Lab.routeField(status, "1>3", "state"));
        assertEquals("false", Lab.routeField(status, "1>3", "preferred"));
        assertEquals("up", Lab.routeField(status, "1>2>3", "state"));
        assertEquals("true", Lab.routeField(status, "1>2>3", "preferred"));
        assertEquals("0.901", Lab.routeField(status, "1>2>3", "rtt_ms"));
        assertEquals("", Lab.routeField(status, "1>2", "state"), "1>2 is in the path table, not a probed route here");
        assertEquals("2", Lab.routeField(status, "1>2>3", "passive_samples"));
        assertEquals("", Lab.routeField(status, "1>3", "passive_samples"), "a field of the next entry is not this one's");
        assertEquals(List.of("1>3 w0", "1>2>3 w10000"), Lab.tableRoutes(status, 3));
        assertEquals(List.of(), Lab.tableRoutes("{\"peers\":[]}", 3));
    }
}
