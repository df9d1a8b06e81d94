package io.flyover.tools.replay;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.flyover.dataplane.protocol.Checksums;
import io.flyover.dataplane.protocol.IpProtocol;
import io.flyover.dataplane.protocol.PacketParser;
import io.flyover.dataplane.protocol.ParseVerdict;
import io.flyover.dataplane.protocol.ParsedPacket;
import io.flyover.dataplane.protocol.TcpFlyweight;
import io.flyover.dataplane.world.IpPackets;
import io.flyover.tools.CliRun;
import io.flyover.tools.pcap.CaptureFormatException;
import io.flyover.tools.pcap.CaptureReader;
import io.flyover.tools.pcap.CaptureWriter;
import io.flyover.tools.pcap.CapturedPacket;
import io.flyover.tools.pcap.LinkType;

import static io.flyover.tools.replay.ReplayRuns.assertBalanced;
import static io.flyover.tools.replay.ReplayRuns.count;
import static io.flyover.tools.replay.ReplayRuns.drop;
import static io.flyover.tools.replay.ReplayRuns.out;
import static io.flyover.tools.replay.ReplayRuns.run;
import static java.nio.ByteOrder.BIG_ENDIAN;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplayCommandTest
{
    /** Edge-mix packets POP a forwards into the backbone: the TCP connection (3) and 16 DNS queries. */
    private static final int EDGE_MIX_FORWARDED = 19;

    @TempDir
    Path dir;

    @TempDir
    static Path shared;

    private static Path referenceOut;

    /**
     * @return the outputs of the edge mix as a raw-IP pcap, made once.
     */
    private static synchronized Path referenceOutputs()
    {
        if (null == referenceOut)
        {
            final Path reference = shared.resolve("ref.pcap");
            assertEquals(0, run("replay", "generate", "--out", reference.toString(), "--kind", "edge-mix", "--link", "raw")
                .exit());
            final Path out = shared.resolve("ref-out");
            final CliRun refRun = run("replay", "--in", reference.toString(), "--out", out.toString(), "--json");
            assertEquals(0, refRun.exit(), refRun.err());
            referenceOut = out;
        }
        return referenceOut;
    }

    private Path generate(final String name, final String... args)
    {
        final Path file = dir.resolve(name);
        final List<String> all = new ArrayList<>(List.of("replay", "generate", "--out", file.toString()));
        all.addAll(List.of(args));
        final CliRun run = run(all.toArray(String[]::new));
        assertEquals(0, run.exit(), run.err());
        return file;
    }

    private static List<byte[]> packets(final Path capture) throws CaptureFormatException
    {
        final List<byte[]> packets = new ArrayList<>();
        try (CaptureReader reader = CaptureReader.open(capture))
        {
            final CapturedPacket p = new CapturedPacket();
            while (reader.next(p))
            {
                packets.add(Arrays.copyOf(p.bytes(), p.length()));
            }
        }
        return packets;
    }

    static Stream<Arguments> linkTypesFormatsAndResolutions()
    {
        final List<Arguments> all = new ArrayList<>();
        for (final String link : List.of("ethernet", "raw", "ipv4", "ipv6", "sll", "sll2"))
        {
            for (final String format : List.of("pcap", "pcapng"))
            {
                for (final String resolution : List.of("us", "ns"))
                {
                    all.add(Arguments.of(link, format, resolution));
                }
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("linkTypesFormatsAndResolutions")
    void shouldForwardTheSamePacketsWhateverTheLinkTypeFormatAndResolution(
        final String link, final String format, final String resolution) throws Exception
    {
        final Path refOut = referenceOutputs();

        final Path capture = generate("in." + format, "--kind", "edge-mix", "--link", link, "--format", format,
            "--resolution", resolution);
        final Path outDir = dir.resolve("out");
        final Map<String, Object> json = run("replay", "--in", capture.toString(), "--out", outDir.toString(), "--json").json();

        final boolean etherType = List.of("ethernet", "sll", "sll2").contains(link);
        assertEquals(etherType ? 31 : 30, count(json, "packets_in"));
        assertEquals(EDGE_MIX_FORWARDED, count(json, "forwarded"));
        assertEquals(EDGE_MIX_FORWARDED, out(json, "backbone"));
        assertEquals(1, count(json, "generated"), "the ICMP fragmentation-needed for the too-big packet");
        assertEquals(1, out(json, "edge"));
        assertEquals(etherType ? 1 : 0, drop(json, LinkLayer.DROP_LINK_NOT_IP), "the ARP frame");
        assertEquals(0, drop(json, LinkLayer.DROP_LINK_TRUNCATED));
        assertEquals(1, drop(json, "fragment_v4"));
        assertEquals(1, drop(json, "fragment_v6"));
        assertEquals(1, drop(json, "parse_ipv4_bad_checksum"));
        assertEquals(1, drop(json, "mtu_exceeded"));
        assertEquals(format, ((Map<?, ?>)json.get("capture")).get("format"));
        assertBalanced(json);

        // what leaves is the same, byte for byte, as for the raw-IP capture: the link layer is gone
        for (final String port : List.of("backbone.pcap", "edge.pcap"))
        {
            final List<byte[]> expected = packets(refOut.resolve(port));
            final List<byte[]> actual = packets(outDir.resolve(port));
            assertEquals(expected.size(), actual.size(), port);
            for (int i = 0; i < expected.size(); i++)
            {
                assertArrayEquals(expected.get(i), actual.get(i), port + " packet " + i);
            }
        }
    }

    @Test
    void shouldReadTimestampsAtTheCapturesResolution() throws Exception
    {
        for (final String resolution : List.of("us", "ns"))
        {
            for (final String format : List.of("pcap", "pcapng"))
            {
                final Path capture = generate("t-" + resolution + "." + format, "--kind", "edge-mix",
                    "--format", format, "--resolution", resolution, "--link", "sll2");
                try (CaptureReader reader = CaptureReader.open(capture))
                {
                    final CapturedPacket p = new CapturedPacket();
                    long i = 0;
                    while (reader.next(p))
                    {
                        final long exact = CaptureGenerator.FIRST_TIMESTAMP_NS + i * CaptureGenerator.SPACING_NS;
                        assertEquals("ns".equals(resolution) ? exact : exact / 1000 * 1000, p.timestampNs(),
                            format + " " + resolution + " packet " + i);
                        assertEquals(LinkType.LINUX_SLL2, p.linkType());
                        i++;
                    }
                    assertEquals(31, i);
                }
            }
        }
    }

    @Test
    void shouldReadBigEndianCaptures()
    {
        for (final String format : List.of("pcap", "pcapng"))
        {
            final Path capture = generate("be." + format, "--kind", "edge-mix", "--format", format, "--big-endian");
            final Map<String, Object> json = run("replay", "--in", capture.toString(), "--json").json();
            assertEquals(31, count(json, "packets_in"));
            assertEquals(EDGE_MIX_FORWARDED, count(json, "forwarded"));
            assertBalanced(json);
        }
    }

    @Test
    void shouldWriteByteIdenticalOutputsForTheSameInput() throws IOException
    {
        final Path capture = generate("mix.pcapng", "--kind", "edge-mix", "--format", "pcapng", "--resolution", "ns");
        final CliRun first = run("replay", "--in", capture.toString(), "--chain", "a,b,c", "--out",
            dir.resolve("one").toString(), "--json");
        final CliRun second = run("replay", "--in", capture.toString(), "--chain", "a,b,c", "--out",
            dir.resolve("two").toString(), "--json");
        assertEquals(first.out(), second.out());
        final List<String> files;
        try (Stream<Path> list = Files.list(dir.resolve("one")))
        {
            files = list.map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertEquals(List.of("a.edge.pcap", "backbone.pcap", "edge.pcap", "origin.pcap"), files);
        for (final String file : files)
        {
            assertArrayEquals(Files.readAllBytes(dir.resolve("one").resolve(file)),
                Files.readAllBytes(dir.resolve("two").resolve(file)), file);
        }
        assertTrue(Files.size(dir.resolve("one").resolve("origin.pcap")) > 24, "the backends got packets");
    }

    @Test
    void shouldCarryPacketsThroughChainABCToTheBackends() throws Exception
    {
        final Path capture = generate("mix.pcap", "--kind", "edge-mix");
        final Path outDir = dir.resolve("out");
        final Map<String, Object> json = run("replay", "--in", capture.toString(), "--chain", "a,b,c", "--out",
            outDir.toString(), "--json").json();
        assertEquals("c", json.get("pop"));
        assertEquals(EDGE_MIX_FORWARDED, count(json, "packets_in"), "c sees what a sent, through b");
        assertEquals(EDGE_MIX_FORWARDED, out(json, "origin"));
        assertBalanced(json);
        @SuppressWarnings("unchecked")
        final List<Map<String, Object>> chain = (List<Map<String, Object>>)json.get("chain");
        assertEquals(List.of("a", "b", "c"), chain.stream().map(m -> m.get("pop")).toList());
        chain.forEach(ReplayRuns::assertBalanced);
        assertEquals(31, count(chain.get(0), "packets_in"));
        assertEquals(out(chain.get(0), "backbone"), count(chain.get(1), "packets_in"));
        assertEquals(out(chain.get(1), "backbone"), count(chain.get(2), "packets_in"));

        // at the backends: client addresses kept, DNAT to a backend, MSS clamped to fit the tunnel
        final List<byte[]> atBackends = packets(outDir.resolve("origin.pcap"));
        assertEquals(EDGE_MIX_FORWARDED, atBackends.size());
        final ParsedPacket p = new ParsedPacket();
        boolean sawSyn = false;
        for (final byte[] packet : atBackends)
        {
            final UnsafeBuffer b = new UnsafeBuffer(packet);
            assertEquals(ParseVerdict.OK, PacketParser.parseIp(b, 0, packet.length, p));
            final int dst = b.getInt(p.dstAddressOffset, BIG_ENDIAN);
            assertTrue(dst == ReplayWorld.BACKEND_1 || dst == ReplayWorld.BACKEND_2, Integer.toHexString(dst));
            assertEquals(0xC6336400, b.getInt(p.srcAddressOffset, BIG_ENDIAN) & 0xFFFFFF00, "a client of 198.51.100.0/24");
            assertTrue(Checksums.isValid(b, p.l4Offset, p.l4Length,
                Checksums.ipv4PseudoHeaderSum(b, p.l3Offset, p.protocol, p.l4Length)), "L4 checksum");
            if (IpProtocol.TCP == p.protocol)
            {
                assertEquals(8080, p.dstPort);
                if (p.tcpMss > 0)
                {
                    assertEquals(1500 - 68 - 40, p.tcpMss);
                    sawSyn = true;
                }
            }
            else
            {
                assertEquals(53, p.dstPort);
            }
        }
        assertTrue(sawSyn);
        // a's ICMP error toward the client is a's own output, not the chain's
        assertEquals(1, packets(outDir.resolve("a.edge.pcap")).size());
    }

    @Test
    void shouldReplayTunnelPacketsArrivingAtTheBackbone()
    {
        final Path capture = generate("bb.pcapng", "--kind", "backbone-mix", "--link", "raw", "--format", "pcapng");
        final Map<String, Object> json = run("replay", "--in", capture.toString(), "--chain", "c", "--port", "backbone",
            "--json").json();
        assertEquals("backbone", json.get("port"));
        assertBalanced(json);
        assertEquals(1, drop(json, "tunnel_bad_tag"));
        assertEquals(1, drop(json, "tunnel_unknown_peer"));
        assertEquals(1, drop(json, "backbone_not_geneve"));
        // a sent each flow to c directly or through b; c takes the direct ones, the others are not for it yet
        final long tunnels = count(json, "packets_in") - 3;
        assertTrue(count(json, "forwarded") > 0 && drop(json, "tunnel_misrouted") > 0, json::toString);
        assertEquals(tunnels, count(json, "forwarded") + drop(json, "tunnel_misrouted"));
        assertEquals(count(json, "forwarded"), out(json, "origin"));

        // through b then c, the flows a sent via b arrive as well
        final Map<String, Object> viaB = run("replay", "--in", capture.toString(), "--chain", "b,c", "--port",
            "backbone", "--json").json();
        assertBalanced(viaB);
        assertEquals(drop(json, "tunnel_misrouted"), out(viaB, "origin"));
    }

    @Test
    void shouldReplayIntoAPopBuiltFromAConfiguration() throws Exception
    {
        final int client = 0xC6336407;
        final int vip = 0x0A4D640A;   // 10.77.100.10 in examples/pop-a.yaml
        final Path capture = dir.resolve("a.pcap");
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        try (CaptureWriter writer = CaptureWriter.pcap(capture, LinkType.RAW, false))
        {
            int length = IpPackets.tcp4(frame, 0, client, 40_000, vip, 80, 1, 0, TcpFlyweight.FLAG_SYN, 1460, payload, 0, 0);
            writer.write(1_000_000_000L, frame, 0, length);
            length = IpPackets.udp4(frame, 0, client, 40_001, vip, 53, payload, 0, 8);
            writer.write(1_000_010_000L, frame, 0, length);
        }
        final Path outDir = dir.resolve("out");
        final Map<String, Object> json = run("replay", "--config", "../examples/pop-a.yaml", "--in", capture.toString(),
            "--out", outDir.toString(), "--json").json();
        assertEquals("pop-a", json.get("pop"));
        assertEquals(2, count(json, "packets_in"));
        assertEquals(1, out(json, "backbone"), "the web SYN goes to the region");
        assertEquals(1, drop(json, "no_service"), "no UDP service on the VIP");
        assertBalanced(json);
        final byte[] tunnel = packets(outDir.resolve("backbone.pcap")).get(0);
        final UnsafeBuffer b = new UnsafeBuffer(tunnel);
        assertEquals(0x0A4D0001, b.getInt(12, BIG_ENDIAN), "from a's underlay 10.77.0.1");
        assertEquals(0x0A4D0003, b.getInt(16, BIG_ENDIAN), "to the region c, 10.77.0.3");
        assertEquals(6081, b.getShort(22, BIG_ENDIAN) & 0xFFFF);
    }

    @Test
    void shouldDropBackendRepliesThatNoFlowExpectsAtTheOriginPort() throws Exception
    {
        // replies from the backends behind c, for flows c never saw: each a counted drop
        final Path capture = dir.resolve("replies.pcap");
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[64]);
        try (CaptureWriter writer = CaptureWriter.pcap(capture, LinkType.RAW, true))
        {
            for (int i = 0; i < 10; i++)
            {
                final int length = IpPackets.udp4(frame, 0, ReplayWorld.BACKEND_1, 53, 0xC6336400 + i, 5000 + i,
                    payload, 0, 20);
                writer.write(1_000_000_000L + i, frame, 0, length);
            }
            final int length = IpPackets.tcp4(frame, 0, ReplayWorld.BACKEND_2, 8080, 0xC6336407, 40_000, 1, 1,
                TcpFlyweight.FLAG_SYN | TcpFlyweight.FLAG_ACK, 1460, payload, 0, 0);
            writer.write(1_000_000_100L, frame, 0, length);
        }
        final Map<String, Object> json = run("replay", "--in", capture.toString(), "--chain", "c", "--port", "origin",
            "--json").json();
        assertEquals("origin", json.get("port"));
        assertEquals(11, count(json, "packets_in"));
        assertEquals(11, drop(json, "no_reverse_flow"));
        assertEquals(0, count(json, "forwarded"));
        assertBalanced(json);
    }

    @Test
    void shouldTakeTheClockFromTheCaptureTimestamps() throws Exception
    {
        // 300 packets too big for the tunnel; ICMP errors are limited to 100 a second (burst 100)
        final Path dense = tooBig("dense.pcap", 10_000L);
        final Path sparse = tooBig("sparse.pcap", 100_000_000L);
        final Map<String, Object> fast = run("replay", "--in", dense.toString(), "--json").json();
        final Map<String, Object> slow = run("replay", "--in", sparse.toString(), "--json").json();
        assertEquals(300, drop(fast, "mtu_exceeded"));
        assertEquals(300, drop(slow, "mtu_exceeded"));
        assertTrue(count(fast, "generated") >= 100 && count(fast, "generated") <= 101,
            "3 ms of capture time: about the burst, " + count(fast, "generated"));
        assertEquals(300, count(slow, "generated"), "30 s of capture time: the rate allows every one");
        assertBalanced(fast);
        assertBalanced(slow);
    }

    private Path tooBig(final String name, final long spacingNs) throws IOException
    {
        final Path file = dir.resolve(name);
        final UnsafeBuffer frame = new UnsafeBuffer(new byte[2048]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[1500]);
        try (CaptureWriter writer = CaptureWriter.open(file, false, LinkType.IPV4, true, ByteOrder.LITTLE_ENDIAN))
        {
            for (int i = 0; i < 300; i++)
            {
                final int length = IpPackets.udp4(frame, 0, 0xC6336400 + i, 6000, ReplayWorld.VIP, 53, payload, 0, 1472);
                writer.write(1_600_000_000_000_000_000L + i * spacingNs, frame, 0, length);
            }
        }
        return file;
    }

    @Test
    void shouldAccountForEveryPacketOfCapturesWithMangledPackets() throws Exception
    {
        final Path clean = generate("clean.pcap", "--kind", "edge-mix", "--link", "ethernet");
        final byte[] file = Files.readAllBytes(clean);
        final SplittableRandom random = new SplittableRandom(20_261_127L);
        for (int round = 0; round < 40; round++)
        {
            final byte[] mangled = file.clone();
            // walk the records; flip bytes inside packets, and sometimes cut a packet's captured length
            final UnsafeBuffer b = new UnsafeBuffer(mangled);
            final List<int[]> records = new ArrayList<>();
            int at = 24;
            while (at < mangled.length)
            {
                final int captured = b.getInt(at + 8, ByteOrder.LITTLE_ENDIAN);
                records.add(new int[] {at, captured});
                at += 16 + captured;
            }
            final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            out.write(mangled, 0, 24);
            for (final int[] record : records)
            {
                final int start = record[0] + 16;
                for (int flips = random.nextInt(4); flips > 0; flips--)
                {
                    mangled[start + random.nextInt(record[1])] = (byte)random.nextInt(256);
                }
                final int keep = random.nextInt(8) == 0 ? random.nextInt(record[1] + 1) : record[1];
                b.putInt(record[0] + 8, keep, ByteOrder.LITTLE_ENDIAN);
                out.write(mangled, record[0], 16 + keep);
            }
            final Path capture = dir.resolve("mangled-" + round + ".pcap");
            Files.write(capture, out.toByteArray());
            final CliRun replay = run("replay", "--in", capture.toString(), "--chain", "a,b,c", "--json");
            final Map<String, Object> json = replay.json();
            @SuppressWarnings("unchecked")
            final List<Map<String, Object>> chain = (List<Map<String, Object>>)json.get("chain");
            assertEquals(31, count(chain.get(0), "packets_in"), "round " + round);
            chain.forEach(ReplayRuns::assertBalanced);
            assertFalse(replay.err().contains("Exception"), replay.err());
        }
    }

    static Stream<Arguments> brokenFiles()
    {
        final byte[] pcapHeader = {
            (byte)0xD4, (byte)0xC3, (byte)0xB2, (byte)0xA1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0,
            0, 0, 4, 0, 1, 0, 0, 0};
        final byte[] wifiHeader = pcapHeader.clone();
        wifiHeader[20] = 105;
        final byte[] hugeRecord = Arrays.copyOf(pcapHeader, 24 + 16 + 4);
        hugeRecord[24 + 8] = 0;
        hugeRecord[24 + 9] = 0;
        hugeRecord[24 + 10] = 0x10;     // 1 MiB captured
        final byte[] shortRecord = Arrays.copyOf(pcapHeader, 24 + 16 + 10);
        shortRecord[24 + 8] = 60;       // 60 bytes captured, 10 present
        final byte[] halfRecordHeader = Arrays.copyOf(pcapHeader, 24 + 7);
        final byte[] pcapngNoSection = {1, 0, 0, 0, 12, 0, 0, 0, 12, 0, 0, 0};
        final byte[] pcapngBadLength = {0x0A, 0x0D, 0x0D, 0x0A, 13, 0, 0, 0, 0x4D, 0x3C, 0x2B, 0x1A, 1, 0, 0, 0};
        return Stream.of(
            Arguments.of("empty", new byte[0], "empty file"),
            Arguments.of("text", "hello, this is not a capture\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "not a pcap or pcapng file"),
            Arguments.of("short header", Arrays.copyOf(pcapHeader, 10), "truncated pcap file header"),
            Arguments.of("802.11", wifiHeader, "unsupported link type 105"),
            Arguments.of("huge record", hugeRecord, "captured length 1048576"),
            Arguments.of("truncated record", shortRecord, "truncated packet 1"),
            Arguments.of("truncated record header", halfRecordHeader, "truncated packet header"),
            Arguments.of("pcapng without section", pcapngNoSection, "not a pcap or pcapng file"),
            Arguments.of("pcapng bad block length", pcapngBadLength, "bad length 13"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenFiles")
    void shouldExitTwoWithOneLineForABrokenOrUnsupportedFile(
        final String name, final byte[] bytes, final String expected) throws IOException
    {
        final Path capture = dir.resolve("broken");
        Files.write(capture, bytes);
        final Path outDir = dir.resolve("out");
        final CliRun replay = run("replay", "--in", capture.toString(), "--out", outDir.toString());
        assertEquals(2, replay.exit(), replay.err());
        assertEquals("", replay.out());
        final String err = replay.err().strip();
        assertFalse(err.contains("\n"), "one line: " + err);
        assertTrue(err.startsWith("flyover replay: "), err);
        assertTrue(err.contains(expected), err);
        assertFalse(err.contains("Exception"), err);
        assertFalse(Files.exists(outDir.resolve("edge.pcap")), "nothing written for a broken file");
    }

    @Test
    void shouldExitTwoWithOneLineForAMissingFileAndBadArguments()
    {
        final Path capture = generate("ok.pcap", "--kind", "edge-mix");
        final List<String[]> cases = List.of(
            new String[] {"replay", "--in", dir.resolve("missing.pcap").toString()},
            new String[] {"replay", "--in", dir.toString()},
            new String[] {"replay"},
            new String[] {"replay", "--in", capture.toString(), "--port", "sideways"},
            new String[] {"replay", "--in", capture.toString(), "--out", capture.toString()},
            new String[] {"replay", "--in", capture.toString(), "--chain", "a,x"},
            new String[] {"replay", "--in", capture.toString(), "--chain", "a,a"},
            new String[] {"replay", "--in", capture.toString(), "--chain", "a", "--config", "../examples/pop-a.yaml"},
            new String[] {"replay", "--in", capture.toString(), "--config", dir.resolve("none.yaml").toString()},
            new String[] {"replay", "generate", "--kind", "nonsense", "--out", dir.resolve("x").toString()},
            new String[] {"replay", "generate", "--kind", "flows", "--link", "token-ring", "--out", dir.resolve("x").toString()});
        for (final String[] args : cases)
        {
            final CliRun replay = run(args);
            final String err = replay.err().strip();
            assertEquals(2, replay.exit(), String.join(" ", args) + ": " + err);
            assertFalse(err.isEmpty());
            if (args.length > 1)
            {
                assertFalse(err.contains("\n"), "one line: " + err);
                assertFalse(err.contains("Exception"), err);
            }
        }
    }

    @Test
    void shouldPrintATableWithTheRate()
    {
        final Path capture = generate("flows.pcap", "--kind", "flows", "--packets", "5000", "--flows", "100", "--link", "raw");
        final CliRun replay = run("replay", "--in", capture.toString(), "--no-progress");
        assertEquals(0, replay.exit(), replay.err());
        assertTrue(replay.out().contains("packets in         5000"), replay.out());
        assertTrue(replay.out().contains("forwarded          5000"), replay.out());
        assertTrue(replay.out().matches("(?s).*replayed 5000 packets in [0-9.]+ s: [0-9.]+ Mpps \\([0-9.]+ s of CPU on the replay thread: [0-9.]+ Mpps\\).*"), replay.out());
    }
}
