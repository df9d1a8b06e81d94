package io.flyover.tools.replay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.flyover.tools.CliRun;
import io.flyover.tools.gateway.JsonReader;
import io.flyover.tools.pcap.CaptureFormatException;
import io.flyover.tools.pcap.CaptureReader;
import io.flyover.tools.pcap.CapturedPacket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Golden captures: each fixture's input, made again by the generator, must equal the committed
 * one, and replaying it must give the committed output captures packet by packet (bytes and
 * timestamps) and the committed counts. With {@code FLYOVER_GOLDEN_UPDATE=true} the fixtures are
 * rewritten instead (then check them with {@link GoldenTsharkCheckTest} and read the diff).
 */
class GoldenReplayTest
{
    @TempDir
    Path dir;

    static List<GoldenFixture> fixtures() throws IOException
    {
        return GoldenFixture.all();
    }

    @Test
    void shouldHaveFixturesForEveryPortTheReplayTakesAndAChain() throws IOException
    {
        final List<GoldenFixture> all = fixtures();
        assertTrue(all.size() >= 4, "fixtures: " + all);
        assertTrue(all.stream().anyMatch(f -> f.replay().contains("--chain")));
        assertTrue(all.stream().anyMatch(f -> f.replay().contains("backbone")));
        assertTrue(all.stream().anyMatch(f -> f.input().endsWith(".pcapng")));
        assertTrue(all.stream().anyMatch(f -> f.input().endsWith(".pcap")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("fixtures")
    void shouldReplayTheFixtureToItsExpectedCaptures(final GoldenFixture fixture) throws Exception
    {
        // the input is the generator's output: nobody edited it by hand
        final Path regenerated = dir.resolve(fixture.input());
        final List<String> generate = new ArrayList<>(List.of("replay", "generate", "--out", regenerated.toString()));
        generate.addAll(fixture.generate());
        final CliRun made = ReplayRuns.run(generate.toArray(String[]::new));
        assertEquals(0, made.exit(), made.err());

        final Path outDir = dir.resolve("out");
        final List<String> replay = new ArrayList<>(List.of("replay", "--in", fixture.inputPath().toString(),
            "--out", outDir.toString(), "--json", "--no-progress"));
        replay.addAll(fixture.replay());

        if (GoldenFixture.updating())
        {
            Files.copy(regenerated, fixture.inputPath(), StandardCopyOption.REPLACE_EXISTING);
            final CliRun run = ReplayRuns.run(replay.toArray(String[]::new));
            assertEquals(0, run.exit(), run.err());
            final Path expected = fixture.expectedDir();
            if (Files.isDirectory(expected))
            {
                try (Stream<Path> old = Files.list(expected))
                {
                    for (final Path file : old.toList())
                    {
                        Files.delete(file);
                    }
                }
            }
            Files.createDirectories(expected);
            for (final String file : names(outDir))
            {
                Files.copy(outDir.resolve(file), expected.resolve(file));
            }
            Files.writeString(expected.resolve("stats.json"), normalized(run.out(), fixture) + "\n");
            return;
        }

        assertTrue(Arrays.equals(Files.readAllBytes(fixture.inputPath()), Files.readAllBytes(regenerated)),
            fixture.name() + ": the committed input differs from what `flyover replay generate "
                + String.join(" ", fixture.generate()) + "` writes now; if the generator changed on purpose, run the "
                + "tests with " + GoldenFixture.UPDATE_ENV + "=true and review the diff");

        final CliRun run = ReplayRuns.run(replay.toArray(String[]::new));
        assertEquals(0, run.exit(), run.err());
        final List<String> expectedFiles = names(fixture.expectedDir()).stream().filter(f -> f.endsWith(".pcap")).toList();
        assertEquals(expectedFiles, names(outDir), fixture.name() + ": output captures");
        for (final String file : expectedFiles)
        {
            comparePacketByPacket(fixture.name() + "/" + file, fixture.expectedDir().resolve(file), outDir.resolve(file));
        }
        final Object expectedStats = JsonReader.parse(Files.readString(fixture.expectedDir().resolve("stats.json")));
        final Object actualStats = JsonReader.parse(normalized(run.out(), fixture));
        assertEquals(expectedStats, actualStats, fixture.name() + ": stats");
        ReplayRuns.assertBalanced(ReplayRuns.run(replay.toArray(String[]::new)).json());
    }

    /**
     * The replay's JSON with the capture's path replaced by its file name, so it does not depend
     * on where the tests run.
     */
    private static String normalized(final String json, final GoldenFixture fixture)
    {
        return json.trim().replace(ReplayStats.quote(fixture.inputPath().toString()), ReplayStats.quote(fixture.input()));
    }

    private static List<String> names(final Path dir) throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static void comparePacketByPacket(final String label, final Path expected, final Path actual)
        throws CaptureFormatException
    {
        try (CaptureReader want = CaptureReader.open(expected); CaptureReader got = CaptureReader.open(actual))
        {
            final CapturedPacket w = new CapturedPacket();
            final CapturedPacket g = new CapturedPacket();
            int index = 0;
            while (true)
            {
                final boolean hasWant = want.next(w);
                final boolean hasGot = got.next(g);
                if (!hasWant && !hasGot)
                {
                    return;
                }
                if (hasWant != hasGot)
                {
                    fail(label + ": expected " + (hasWant ? "more" : "fewer") + " packets; they differ from packet " + index);
                }
                assertEquals(w.timestampNs(), g.timestampNs(), label + " packet " + index + ": timestamp");
                final byte[] wb = Arrays.copyOf(w.bytes(), w.length());
                final byte[] gb = Arrays.copyOf(g.bytes(), g.length());
                if (!Arrays.equals(wb, gb))
                {
                    final int at = Arrays.mismatch(wb, gb);
                    fail(label + " packet " + index + ": " + wb.length + " bytes expected, " + gb.length
                        + " got, first difference at byte " + at + "\nexpected " + hex(wb) + "\ngot      " + hex(gb));
                }
                index++;
            }
        }
    }

    private static String hex(final byte[] bytes)
    {
        final StringBuilder sb = new StringBuilder();
        for (final byte b : bytes)
        {
            sb.append(String.format("%02x", b & 0xFF));
        }
        return sb.toString();
    }

    @Test
    void shouldDocumentEveryFixture() throws IOException
    {
        for (final GoldenFixture fixture : fixtures())
        {
            assertTrue(fixture.description().length() > 20, fixture.name() + ": describe the fixture");
            assertTrue(Files.exists(fixture.inputPath()) || GoldenFixture.updating(), fixture.name() + ": input");
        }
        assertTrue(Files.readString(Path.of("..", "docs", "replay.md"), StandardCharsets.UTF_8).contains("fixture.properties"));
    }
}
