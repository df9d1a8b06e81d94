package io.flyover.tools.replay;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * One golden replay fixture: a folder under {@code tools/src/test/resources/golden/} holding
 * {@code fixture.properties} (what the input is, how the generator made it, how to replay it), the
 * input capture, and {@code expected/}: a capture per output port and {@code stats.json}. See
 * {@code docs/replay.md}.
 *
 * @param name        the folder's name.
 * @param dir         the folder.
 * @param description what the fixture shows.
 * @param input       the input capture's file name.
 * @param generate    arguments of {@code flyover replay generate} that made the input (without {@code --out}).
 * @param replay      arguments of {@code flyover replay} (without {@code --in}, {@code --out} and {@code --json}).
 */
record GoldenFixture(String name, Path dir, String description, String input, List<String> generate, List<String> replay)
{
    /** The fixtures' folder, from the tools module (where tests run). */
    static final Path ROOT = Path.of("src", "test", "resources", "golden");

    /** Set to {@code true} to rewrite every fixture's input and expected outputs. */
    static final String UPDATE_ENV = "FLYOVER_GOLDEN_UPDATE";

    static List<GoldenFixture> all() throws IOException
    {
        final List<GoldenFixture> fixtures = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(ROOT))
        {
            for (final Path dir : dirs.sorted().toList())
            {
                if (Files.isRegularFile(dir.resolve("fixture.properties")))
                {
                    fixtures.add(load(dir));
                }
            }
        }
        return fixtures;
    }

    static GoldenFixture load(final Path dir) throws IOException
    {
        final Properties p = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve("fixture.properties"), StandardCharsets.UTF_8))
        {
            p.load(reader);
        }
        return new GoldenFixture(dir.getFileName().toString(), dir, require(p, "description", dir),
            require(p, "input", dir), words(require(p, "generate", dir)), words(p.getProperty("replay", "")));
    }

    private static String require(final Properties p, final String key, final Path dir)
    {
        final String value = p.getProperty(key);
        if (null == value)
        {
            throw new IllegalStateException(dir + "/fixture.properties: no '" + key + "'");
        }
        return value.trim();
    }

    private static List<String> words(final String line)
    {
        return line.isBlank() ? List.of() : Arrays.asList(line.trim().split("\\s+"));
    }

    Path inputPath()
    {
        return dir.resolve(input);
    }

    Path expectedDir()
    {
        return dir.resolve("expected");
    }

    static boolean updating()
    {
        return "true".equalsIgnoreCase(System.getenv(UPDATE_ENV));
    }

    @Override
    public String toString()
    {
        return name;
    }
}
