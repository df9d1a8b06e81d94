package io.flyover.dataplane.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tshark as an independent decoder: packets built by {@link TunnelPacketBuilder} are written to a
 * pcap (link type 101, raw IP) and decoded by Wireshark's own IPv4, UDP, Geneve and inner IP
 * dissectors in one tshark run; every decoded field must equal what was built, and tshark must
 * judge the outer IPv4 header checksum good.
 * <p>
 * Skipped when tshark is not installed, unless {@code FLYOVER_REQUIRE_TOOLS=true} (CI), which
 * turns a missing tshark into a failure.
 */
class TsharkGeneveOracleTest
{
    private static final int LINKTYPE_RAW = 101;

    private static final String[] FIELDS = {
        "frame.number",
        "ip.src",
        "ip.dst",
        "ip.ttl",
        "ip.flags.df",
        "ip.checksum.status",
        "udp.srcport",
        "udp.dstport",
        "udp.length",
        "udp.checksum",
        "geneve.version",
        "geneve.flags.oam",
        "geneve.flags.critical",
        "geneve.proto_type",
        "geneve.vni",
        "geneve.option.class",
        "geneve.option.type",
        "geneve.option.type.critical",
        "geneve.option.length",
        "geneve.option.unknown.data",
        "ipv6.src",
        "ipv6.dst",
        "tcp.srcport",
        "tcp.dstport",
    };

    /** One packet to build and what tshark should decode from it. */
    record Case(TunnelPacketBuilder builder, byte[] inner, int outerSrc, int outerDst, int flowHash,
        int vni, boolean oam, boolean returnPath, int keyId)
    {
    }

    @TempDir
    Path dir;

    @Test
    void shouldBeDecodedByTsharkExactlyAsBuilt() throws Exception
    {
        final String tshark = findTshark();
        final TunnelKeys keys = TunnelKeys.of(1, 0x0123456789abcdefL, 0x0fedcba987654321L).with(255, 7L, 9L);
        final byte[] v6a = TestPackets.hex("20010db8000000000000000000000001");
        final byte[] v6b = TestPackets.hex("20010db80000000000000000000000ff");

        final List<Case> cases = List.of(
            new Case(new TunnelPacketBuilder(),
                TestPackets.ipv4(TestPackets.UDP, 0xCB007105, 0xC000020A, 1234, 80, "hello".getBytes(), false),
                0xC0000201, 0xC6336401, 0x12345678, 0xabcd, false, false, 1),
            new Case(new TunnelPacketBuilder().route(FlyoverRoute.pack(3, 4, 5, 6)).hopIndex(2),
                TestPackets.ipv4(TestPackets.TCP, 0xCB007106, 0xC000020B, 40000, 443, new byte[100], true),
                0xC0000202, 0xC6336402, -1, 1, false, false, 1),
            new Case(new TunnelPacketBuilder().route(FlyoverRoute.pack(7, 8, 9, 0)),
                TestPackets.ipv6(TestPackets.UDP, v6a, v6b, 5353, 53, new byte[12]),
                0xC0000203, 0xC6336403, 42, GeneveFlyweight.MAX_VNI, false, false, 255),
            new Case(new TunnelPacketBuilder().sendTimeUs(1_700_000_000_000_000L),
                TestPackets.ipv4(TestPackets.UDP, 0xCB007107, 0xC000020C, 40001, 9, new byte[48], false),
                0xC0000204, 0xC6336404, 7, 2, true, true, 1),
            new Case(new TunnelPacketBuilder(),
                TestPackets.ipv4(TestPackets.ICMP, 0xCB007108, 0xC000020D, 1, 2, new byte[8], false),
                0xC0000205, 0xC6336405, 0, 0, false, false, 1),
            new Case(new TunnelPacketBuilder().route(FlyoverRoute.pack(0xffff, 0xfffe, 0, 0)),
                TestPackets.ipv6(TestPackets.TCP, v6b, v6a, 443, 50000, new byte[0]),
                0xC0000206, 0xC6336406, 99, 0x800000, true, true, 255));

        final List<byte[]> packets = new ArrayList<>();
        for (final Case c : cases)
        {
            final byte[] bytes = new byte[GeneveEncapsulator.ENCAP_LENGTH + c.inner().length];
            final int length = c.builder()
                .keys(keys).keyId(c.keyId())
                .outerAddresses(c.outerSrc(), c.outerDst()).flowHash(c.flowHash())
                .vni(c.vni()).oam(c.oam()).returnPath(c.returnPath())
                .build(new UnsafeBuffer(bytes), 0, new UnsafeBuffer(c.inner()), 0, c.inner().length);
            assertEquals(bytes.length, length);
            packets.add(bytes);
        }
        final Path pcap = dir.resolve("geneve.pcap");
        Files.write(pcap, pcap(packets));

        final List<String> lines = runTshark(tshark, pcap);
        assertEquals(cases.size(), lines.size(), "one line per packet: " + lines);

        for (int i = 0; i < cases.size(); i++)
        {
            final Case c = cases.get(i);
            final byte[] bytes = packets.get(i);
            final UnsafeBuffer buffer = new UnsafeBuffer(bytes);
            final String[] f = lines.get(i).split("\\|", -1);
            final String where = "packet " + (i + 1) + ": " + lines.get(i);
            final boolean ipv6 = 6 == (c.inner()[0] & 0xFF) >>> 4;

            assertEquals(String.valueOf(i + 1), f[0], where);
            final String[] ipSrc = f[1].split(",");
            final String[] ipDst = f[2].split(",");
            assertEquals(dotted(c.outerSrc()), ipSrc[0], where);
            assertEquals(dotted(c.outerDst()), ipDst[0], where);
            assertEquals(String.valueOf(GeneveEncapsulator.OUTER_TTL), f[3].split(",")[0], where);
            assertEquals("1", f[4].split(",")[0], "DF " + where);
            assertEquals("1", f[5].split(",")[0], "outer IPv4 checksum good " + where);

            final String[] udpSrc = f[6].split(",");
            final String[] udpDst = f[7].split(",");
            assertEquals(String.valueOf(GeneveEncapsulator.udpSourcePort(c.flowHash())), udpSrc[0], where);
            assertEquals(String.valueOf(GeneveFlyweight.UDP_PORT), udpDst[0], where);
            assertEquals(String.valueOf(bytes.length - 20), f[8].split(",")[0], where);
            assertEquals(0, Integer.decode(f[9].split(",")[0]), "UDP checksum zero " + where);

            assertEquals("0", f[10], where);
            assertEquals(c.oam() ? "1" : "0", f[11], where);
            assertEquals("1", f[12], where);
            assertEquals(ipv6 ? 0x86DD : 0x0800, Integer.decode(f[13]), where);
            assertEquals(c.vni(), Integer.decode(f[14]), where);
            assertEquals(0xFFF0, Integer.decode(f[15]), where);
            assertEquals(0x81, Integer.decode(f[16]), where);
            assertEquals("1", f[17], "option critical " + where);
            // geneve.option.length appears for the whole option area and for the option: both 32 bytes.
            for (final String len : f[18].split(","))
            {
                assertEquals(String.valueOf(FlyoverOptionFlyweight.LENGTH), len, where);
            }
            assertEquals(
                TestPackets.hex(bytes, GeneveEncapsulator.FLYOVER_OPTION_OFFSET + 4, FlyoverOptionFlyweight.LENGTH - 4),
                f[19],
                "option data " + where);

            // The inner packet, found by tshark after the Geneve options.
            if (ipv6)
            {
                assertEquals(1, ipSrc.length, where);
                assertEquals(ipv6Text(c.inner(), 8), f[20], where);
                assertEquals(ipv6Text(c.inner(), 24), f[21], where);
            }
            else
            {
                assertEquals(2, ipSrc.length, where);
                final UnsafeBuffer inner = new UnsafeBuffer(c.inner());
                assertEquals(dotted(inner.getInt(12, ByteOrder.BIG_ENDIAN)), ipSrc[1], where);
                assertEquals(dotted(inner.getInt(16, ByteOrder.BIG_ENDIAN)), ipDst[1], where);
                assertEquals("1", f[5].split(",")[1], "inner IPv4 checksum good " + where);
            }
            final int protocol = TestPackets.protocol(c.inner());
            final int l4 = TestPackets.l4Offset(c.inner());
            final UnsafeBuffer inner = new UnsafeBuffer(c.inner());
            final String srcPort = String.valueOf(inner.getShort(l4, ByteOrder.BIG_ENDIAN) & 0xFFFF);
            final String dstPort = String.valueOf(inner.getShort(l4 + 2, ByteOrder.BIG_ENDIAN) & 0xFFFF);
            if (TestPackets.UDP == protocol)
            {
                assertEquals(srcPort, udpSrc[1], where);
                assertEquals(dstPort, udpDst[1], where);
            }
            else if (TestPackets.TCP == protocol)
            {
                assertEquals(srcPort, f[22], where);
                assertEquals(dstPort, f[23], where);
            }

            // And our own parser and tag agree with what was sent.
            final ParsedTunnel tunnel = new ParsedTunnel();
            assertEquals(ParseVerdict.OK, GeneveParser.parse(
                buffer, GeneveEncapsulator.GENEVE_OFFSET, bytes.length - GeneveEncapsulator.GENEVE_OFFSET, tunnel));
            assertEquals(ParseVerdict.OK, TunnelTag.verify(keys, buffer, tunnel, protocol, tunnel.innerOffset() + l4));
        }
    }

    private static String findTshark()
    {
        final String path = System.getenv("PATH");
        if (null != path)
        {
            for (final String d : path.split(File.pathSeparator))
            {
                final File candidate = new File(d, "tshark");
                if (candidate.canExecute())
                {
                    return candidate.getPath();
                }
            }
        }
        final String reason = "tshark is not installed (apt-get install tshark); it is the independent Geneve decoder";
        if ("true".equalsIgnoreCase(System.getenv("FLYOVER_REQUIRE_TOOLS")))
        {
            fail(reason + ", and FLYOVER_REQUIRE_TOOLS=true");
        }
        Assumptions.abort(reason);
        return null;
    }

    private List<String> runTshark(final String tshark, final Path pcap) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(
            tshark, "-r", pcap.toString(), "-n",
            "-o", "ip.check_checksum:TRUE",
            "-T", "fields", "-E", "separator=|", "-E", "occurrence=a", "-E", "aggregator=,"));
        for (final String field : FIELDS)
        {
            command.add("-e");
            command.add(field);
        }
        final Path stderr = dir.resolve("tshark.err");
        final Process process = new ProcessBuilder(command)
            .redirectError(stderr.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
        final byte[] out = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark finished");
        assertEquals(0, process.exitValue(), () -> "tshark failed: " + readQuietly(stderr));
        final List<String> lines = new ArrayList<>();
        for (final String line : new String(out, StandardCharsets.UTF_8).split("\n"))
        {
            if (!line.isBlank())
            {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    private static String readQuietly(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return ex.toString();
        }
    }

    /** Classic pcap: little-endian global header, version 2.4, snaplen 65535, raw IP, one record per packet. */
    static byte[] pcap(final List<byte[]> packets)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteBuffer header = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        header.putInt(0xa1b2c3d4).putShort((short)2).putShort((short)4).putInt(0).putInt(0).putInt(65535).putInt(LINKTYPE_RAW);
        out.writeBytes(header.array());
        int second = 1_700_000_000;
        for (final byte[] packet : packets)
        {
            final ByteBuffer record = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
            record.putInt(second++).putInt(0).putInt(packet.length).putInt(packet.length);
            out.writeBytes(record.array());
            out.writeBytes(packet);
        }
        return out.toByteArray();
    }

    private static String dotted(final int address)
    {
        return (address >>> 24) + "." + ((address >>> 16) & 0xFF) + "." + ((address >>> 8) & 0xFF) + "." + (address & 0xFF);
    }

    private static String ipv6Text(final byte[] packet, final int offset)
    {
        try
        {
            final byte[] address = new byte[16];
            System.arraycopy(packet, offset, address, 0, 16);
            return java.net.InetAddress.getByAddress(address).getHostAddress().replaceAll("(^|:)0(:0)+(:|$)", "::");
        }
        catch (final java.net.UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
