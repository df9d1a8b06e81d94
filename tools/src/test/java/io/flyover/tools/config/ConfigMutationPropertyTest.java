package io.flyover.tools.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Broken and random configurations never crash the loader: the valid example configurations
 * ({@code examples/pop-*.yaml}) damaged by random edits (characters inserted, spans deleted, lines
 * swapped, duplicated or re-indented, cut short, bytes flipped), cut after every line, and random
 * YAML documents built from the configuration's own keys. Each load returns either a valid
 * configuration or errors that name the file and point at something: a line, or a field path;
 * one line each, never an internal error; a line number never past the end of the document.
 */
class ConfigMutationPropertyTest
{
    private static final Path BASE_DIR = Path.of("/etc/flyover");
    private static final String FILE = "pop.yaml";
    private static final String[] INSERTS = {
        ":", ": ", "-", "- ", "\n", "  ", "\t", "[", "]", "{", "}", ",", "#", "'", "\"", "&x ", "*x", "!!str ",
        "? ", "|", ">", "~", "0", "-1", "99999999999", "::", "\u00e9", "\u0000", "%", "@", "`"};
    private static final String[] KEYS = {
        "pop", "id", "name", "ports", "edge", "backbone", "origin", "type", "udp", "tun", "afpacket", "peers",
        "address", "keys", "services", "vip", "protocol", "port", "backends", "weight", "routes", "via", "liveness",
        "threads", "flow-table", "admin", "bandwidth-cap", "unknown-key"};
    private static final String[] SCALARS = {
        "1", "0", "-1", "65536", "tcp", "udp", "icmp", "10.0.0.1", "::1", "300.1.1.1", "6081-6088", "100ms", "1G",
        "10MB/s", "direct", "true", "null", "~", "''", "x", "a b", "[1, 2]", "{}"};

    private static List<String> examples() throws Exception
    {
        final List<String> texts = new ArrayList<>();
        try (var files = Files.list(ExampleConfigsTest.examples()))
        {
            for (final Path file : files.filter(p -> p.getFileName().toString().matches("pop-.*\\.yaml")).sorted().toList())
            {
                texts.add(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        assertFalse(texts.isEmpty(), "example configurations found");
        return texts;
    }

    /**
     * The loader's promise for one document (as text or bytes).
     */
    private static void assertClear(final ConfigLoader.Result result, final String document)
    {
        assertNotNull(result);
        if (result.isValid())
        {
            assertNotNull(result.config());
            return;
        }
        final int lines = (int)document.chars().filter(c -> c == '\n').count() + 1;
        assertFalse(result.errors().isEmpty());
        for (final ConfigError error : result.errors())
        {
            final String line = error.toString();
            assertTrue(line.startsWith(FILE), () -> "names the file: " + line);
            assertFalse(line.contains("\n"), () -> "one line: " + line);
            assertFalse(line.toLowerCase(java.util.Locale.ROOT).contains("internal error"), line);
            assertFalse(line.contains("Exception"), () -> "no exception text: " + line);
            assertTrue(error.line() > 0 || !error.path().isEmpty() || error.message().contains("empty"),
                () -> "points at a line or a field: " + line);
            assertTrue(error.line() <= lines + 1, () -> "line within the document (" + lines + " lines): " + line);
        }
    }

    @Provide
    Arbitrary<String> example() throws Exception
    {
        return Arbitraries.of(examples());
    }

    @Property(tries = 1000)
    void shouldLoadOrExplainAnExampleAfterRandomEdits(
        @ForAll("example") final String example,
        @ForAll @IntRange(min = 1, max = 8) final int edits,
        @ForAll final long seed)
    {
        final Random random = new Random(seed);
        String text = example;
        for (int i = 0; i < edits; i++)
        {
            text = edit(text, random);
        }
        assertClear(ConfigLoader.parse(FILE, text, BASE_DIR), text);
    }

    @Property(tries = 300)
    void shouldLoadOrExplainAnExampleWithFlippedBytes(
        @ForAll("example") final String example,
        @ForAll @IntRange(min = 1, max = 16) final int flips,
        @ForAll final long seed)
    {
        final Random random = new Random(seed);
        final byte[] bytes = example.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < flips; i++)
        {
            bytes[random.nextInt(bytes.length)] ^= (byte)(1 << random.nextInt(8));
        }
        assertClear(ConfigLoader.parse(FILE, bytes, BASE_DIR), new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Test
    void shouldLoadOrExplainEveryExampleCutAfterEachLine() throws Exception
    {
        int invalid = 0;
        for (final String example : examples())
        {
            final String[] lines = example.split("\n", -1);
            for (int keep = 0; keep < lines.length; keep++)
            {
                final String cut = String.join("\n", Arrays.copyOf(lines, keep));
                final ConfigLoader.Result result = ConfigLoader.parse(FILE, cut, BASE_DIR);
                assertClear(result, cut);
                invalid += result.isValid() ? 0 : 1;
            }
            assertTrue(ConfigLoader.parse(FILE, example, BASE_DIR).isValid(), "the whole example is valid");
        }
        assertTrue(invalid > 0, "cutting a configuration short makes some prefixes invalid");
    }

    @Property(tries = 500)
    void shouldLoadOrExplainRandomYamlDocuments(@ForAll final long seed)
    {
        final Random random = new Random(seed);
        final StringBuilder document = new StringBuilder();
        randomMapping(document, random, 0, 3);
        final String text = document.toString();
        assertClear(ConfigLoader.parse(FILE, text, BASE_DIR), text);
    }

    private static void randomMapping(final StringBuilder out, final Random random, final int indent, final int depth)
    {
        final int entries = 1 + random.nextInt(5);
        for (int i = 0; i < entries; i++)
        {
            out.append(" ".repeat(indent)).append(KEYS[random.nextInt(KEYS.length)]).append(':');
            final int kind = depth <= 0 ? 0 : random.nextInt(3);
            if (0 == kind)
            {
                out.append(' ').append(SCALARS[random.nextInt(SCALARS.length)]).append('\n');
            }
            else if (1 == kind)
            {
                out.append('\n');
                randomMapping(out, random, indent + 2, depth - 1);
            }
            else
            {
                out.append('\n');
                final int items = 1 + random.nextInt(3);
                for (int j = 0; j < items; j++)
                {
                    if (random.nextBoolean())
                    {
                        out.append(" ".repeat(indent + 2)).append("- ").append(SCALARS[random.nextInt(SCALARS.length)])
                            .append('\n');
                    }
                    else
                    {
                        out.append(" ".repeat(indent + 2)).append("-\n");
                        randomMapping(out, random, indent + 4, depth - 1);
                    }
                }
            }
        }
    }

    /**
     * One random edit: insert a YAML-significant token, delete a span, swap two lines, duplicate a
     * line, shift a line's indentation, or cut the document short.
     */
    private static String edit(final String text, final Random random)
    {
        if (text.isEmpty())
        {
            return INSERTS[random.nextInt(INSERTS.length)];
        }
        final int at = random.nextInt(text.length());
        final List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        final int line = random.nextInt(lines.size());
        return switch (random.nextInt(6))
        {
            case 0 -> text.substring(0, at) + INSERTS[random.nextInt(INSERTS.length)] + text.substring(at);
            case 1 -> text.substring(0, at) + text.substring(Math.min(text.length(), at + 1 + random.nextInt(12)));
            case 2 ->
            {
                final int other = random.nextInt(lines.size());
                final String swap = lines.get(line);
                lines.set(line, lines.get(other));
                lines.set(other, swap);
                yield String.join("\n", lines);
            }
            case 3 ->
            {
                lines.add(line, lines.get(line));
                yield String.join("\n", lines);
            }
            case 4 ->
            {
                final String shifted = random.nextBoolean() ? " " + lines.get(line) :
                    lines.get(line).replaceFirst("^ {1,2}", "");
                lines.set(line, shifted);
                yield String.join("\n", lines);
            }
            default -> text.substring(0, at);
        };
    }
}
