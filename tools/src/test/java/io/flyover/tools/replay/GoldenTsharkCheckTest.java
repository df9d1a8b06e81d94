package io.flyover.tools.replay;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.flyover.tools.gateway.JsonReader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * tshark, an independent decoder, checks the committed expected outputs of every golden fixture,
 * so they do not merely confirm what replay wrote: each capture has as many frames as the stats
 * say; every IPv4 header, TCP and UDP checksum it verifies is good; backbone frames are Geneve to
 * port 6081 between the built-in world's POPs, with the critical Flyover option and the VNI of
 * the inner packet's service; frames to the backends carry a client flow of the input (as tshark
 * decodes the input) DNAT-ed to a backend; frames to clients are ICMP fragmentation-needed from
 * the VIP with the tunnel's inner MTU. Skipped without tshark unless {@code FLYOVER_REQUIRE_TOOLS=true}.
 */
class GoldenTsharkCheckTest
{
    private static final Set<String> UNDERLAYS = Set.of("10.255.0.1", "10.255.0.2", "10.255.0.3");
    private static final Set<String> BACKENDS = Set.of("10.1.0.5", "10.1.0.6");
    private static final String VIP = "203.0.113.10";
    private static final String GOOD = "1";
    private static final String UNVERIFIED = "2";
    private static final String NOT_PRESENT = "3";

    private static final String[] FIELDS = {
        "frame.number", "ip.src", "ip.dst", "ip.checksum.status",
        "udp.srcport", "udp.dstport", "udp.checksum.status",
        "tcp.srcport", "tcp.dstport", "tcp.checksum.status",
        "geneve.vni", "geneve.option.class", "geneve.option.type", "geneve.flags.critical", "geneve.flags.oam",
        "icmp.type", "icmp.code", "icmp.mtu", "icmp.checksum.status", "_ws.malformed",
    };

    @TempDir
    Path dir;

    static List<GoldenFixture> fixtures() throws IOException
    {
        return GoldenFixture.all();
    }

    /** One frame as tshark decoded it: each field's occurrences, outermost first. */
    private record Frame(Map<String, List<String>> fields)
    {
        List<String> all(final String field)
        {
            return fields.getOrDefault(field, List.of());
        }

        String first(final String field)
        {
            final List<String> values = all(field);
            return values.isEmpty() ? null : values.get(0);
        }

        String last(final String field)
        {
            final List<String> values = all(field);
            return values.isEmpty() ? null : values.get(values.size() - 1);
        }

        /** The innermost transport source: TCP or UDP port of the innermost header. */
        String innerFlow()
        {
            final String tcp = last("tcp.srcport");
            final String udp = last("udp.srcport");
            final String port = null != tcp ? tcp : udp;
            return last("ip.src") + ":" + port + "/" + (null != tcp ? "tcp" : "udp");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    @SuppressWarnings("unchecked")
    void shouldBeDecodedByTsharkAsTheWorldPrescribes(final GoldenFixture fixture) throws Exception
    {
        final String tshark = findTshark();
        final Set<String> inputFlows = new HashSet<>();
        final Set<String> inputClients = new HashSet<>();
        for (final Frame frame : decode(tshark, fixture.inputPath()))
        {
            if (null != frame.last("ip.src"))
            {
                inputFlows.add(frame.innerFlow());
                inputClients.add(frame.last("ip.src"));
            }
        }
        assertTrue(inputFlows.size() > 10, "tshark decodes the input: " + inputFlows);

        final Map<String, Object> stats = (Map<String, Object>)JsonReader.parse(
            Files.readString(fixture.expectedDir().resolve("stats.json"), StandardCharsets.UTF_8));
        final Map<String, Object> out = (Map<String, Object>)stats.get("out");
        final List<Path> captures;
        try (Stream<Path> files = Files.list(fixture.expectedDir()))
        {
            captures = files.filter(p -> p.toString().endsWith(".pcap")).sorted().toList();
        }
        int checked = 0;
        for (final Path capture : captures)
        {
            final String file = capture.getFileName().toString();
            final String port = file.substring(file.lastIndexOf('.', file.length() - 6) + 1, file.length() - 5);
            final List<Frame> frames = decode(tshark, capture);
            if (file.indexOf('.') == file.length() - 5)
            {
                // the last POP's outputs: as many frames as the stats count
                assertEquals(((Number)out.get(port)).longValue(), frames.size(), fixture.name() + "/" + file);
            }
            for (final Frame frame : frames)
            {
                final String where = fixture.name() + "/" + file + " frame " + frame.first("frame.number");
                assertTrue(frame.all("_ws.malformed").isEmpty(), where + ": malformed");
                for (final String status : frame.all("ip.checksum.status"))
                {
                    assertEquals(GOOD, status, where + ": IPv4 header checksum");
                }
                for (final String status : frame.all("tcp.checksum.status"))
                {
                    assertEquals(GOOD, status, where + ": TCP checksum");
                }
                final List<String> udp = frame.all("udp.checksum.status");
                for (int i = 0; i < udp.size(); i++)
                {
                    // the outer UDP of a tunnel carries no checksum (RFC 8926 allows it); inner ones do;
                    // the header an ICMP error quotes cannot be verified without the whole datagram
                    final boolean outerOfTunnel = 0 == i && !frame.all("geneve.vni").isEmpty();
                    final boolean quoted = !frame.all("icmp.type").isEmpty();
                    assertEquals(outerOfTunnel ? NOT_PRESENT : quoted ? UNVERIFIED : GOOD, udp.get(i),
                        where + ": UDP checksum " + i);
                }
                switch (port)
                {
                    case "backbone" -> checkTunnel(frame, where, inputFlows);
                    case "origin" -> checkAtBackend(frame, where, inputFlows);
                    case "edge" -> checkToClient(frame, where, inputClients);
                    default -> fail(where + ": no port " + port);
                }
                checked++;
            }
        }
        assertTrue(checked > 0, fixture.name() + ": no frames to check");
    }

    private static void checkTunnel(final Frame frame, final String where, final Set<String> inputFlows)
    {
        assertTrue(UNDERLAYS.contains(frame.first("ip.src")), where + ": outer source " + frame.first("ip.src"));
        assertTrue(UNDERLAYS.contains(frame.first("ip.dst")), where + ": outer destination " + frame.first("ip.dst"));
        assertEquals("6081", frame.first("udp.dstport"), where);
        assertEquals(List.of("0xfff0"), frame.all("geneve.option.class"), where);
        assertEquals(List.of("0x81"), frame.all("geneve.option.type"), where);
        assertEquals("1", frame.first("geneve.flags.critical"), where);
        assertEquals("0", frame.first("geneve.flags.oam"), where);
        final boolean web = "80".equals(frame.last("tcp.dstport"));
        assertEquals(web ? 7 : 8, Integer.decode(frame.first("geneve.vni")), where + ": VNI of the service");
        assertEquals(VIP, frame.last("ip.dst"), where + ": inner destination");
        assertTrue(inputFlows.contains(frame.innerFlow()), where + ": inner flow " + frame.innerFlow() + " not in the input");
    }

    private static void checkAtBackend(final Frame frame, final String where, final Set<String> inputFlows)
    {
        assertEquals(1, frame.all("ip.src").size(), where + ": decapsulated");
        assertTrue(BACKENDS.contains(frame.first("ip.dst")), where + ": to a backend, not " + frame.first("ip.dst"));
        assertTrue(inputFlows.contains(frame.innerFlow()), where + ": client flow " + frame.innerFlow() + " kept");
        if (null != frame.first("tcp.dstport"))
        {
            assertEquals("8080", frame.first("tcp.dstport"), where);
        }
        else
        {
            assertEquals("53", frame.first("udp.dstport"), where);
        }
    }

    private static void checkToClient(final Frame frame, final String where, final Set<String> inputClients)
    {
        assertEquals(VIP, frame.first("ip.src"), where + ": from the VIP");
        assertTrue(inputClients.contains(frame.first("ip.dst")), where + ": to a client of the input");
        assertEquals("3", frame.first("icmp.type"), where);
        assertEquals("4", frame.first("icmp.code"), where);
        assertEquals("1432", frame.first("icmp.mtu"), where + ": the tunnel's inner MTU");
        assertEquals(GOOD, frame.first("icmp.checksum.status"), where);
    }

    private List<Frame> decode(final String tshark, final Path capture) throws IOException, InterruptedException
    {
        final List<String> command = new ArrayList<>(List.of(tshark, "-r", capture.toString(), "-n",
            "-o", "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE",
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
        final byte[] stdout = process.getInputStream().readAllBytes();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "tshark finished");
        assertEquals(0, process.exitValue(), () -> "tshark failed: " + readQuietly(stderr));
        final List<Frame> frames = new ArrayList<>();
        for (final String line : new String(stdout, StandardCharsets.UTF_8).split("\n"))
        {
            if (line.isBlank())
            {
                continue;
            }
            final String[] values = line.split("\\|", -1);
            assertEquals(FIELDS.length, values.length, "tshark line: " + line);
            final Map<String, List<String>> fields = new HashMap<>();
            for (int i = 0; i < FIELDS.length; i++)
            {
                fields.put(FIELDS[i], values[i].isEmpty() ? List.of() : List.of(values[i].split(",")));
            }
            frames.add(new Frame(fields));
        }
        return frames;
    }

    private static String readQuietly(final Path file)
    {
        try
        {
            return Files.readString(file);
        }
        catch (final IOException ex)
        {
            return "(no stderr: " + ex.getMessage() + ")";
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
        final String reason = "tshark is not installed (apt-get install tshark); it is the independent decoder";
        if ("true".equalsIgnoreCase(System.getenv("FLYOVER_REQUIRE_TOOLS")))
        {
            fail(reason + ", and FLYOVER_REQUIRE_TOOLS=true");
        }
        Assumptions.abort(reason);
        return null;
    }
}
