package io.flyover.tools.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokenYamlTest
{
    private static String aliasBomb(final int levels)
    {
        final StringBuilder sb = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < levels; i++)
        {
            sb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 9; j++)
            {
                sb.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            sb.append("]\n");
        }
        return sb.toString();
    }

    private static String deepIndentation(final int levels)
    {
        final StringBuilder sb = new StringBuilder();
        for (int i = 0; i < levels; i++)
        {
            sb.append(" ".repeat(i)).append("k").append(i).append(":\n");
        }
        return sb.toString();
    }

    @Test
    void shouldNotCountCommentsOrModestNestingAsDeep()
    {
        assertEquals(0, ConfigLoader.lineTooDeep("# " + "[".repeat(5000) + "\na: [[[1]]]\n"));
        assertEquals(0, ConfigLoader.lineTooDeep(ConfigFixtures.BASE));
    }

    static Stream<Arguments> brokenDocuments()
    {
        return Stream.of(
            Arguments.of("empty file", "", 0, "is empty"),
            Arguments.of("only comments", "# nothing here\n\n", 0, "is empty"),
            Arguments.of("a list at the root", "- pop\n- ports\n", 1, "must be a mapping (key: value lines), got a list"),
            Arguments.of("a scalar at the root", "hello", 1, "must be a mapping (key: value lines), got the value 'hello'"),
            Arguments.of("unclosed flow list", "pop: [1, 2\n", 2, "invalid YAML: while parsing a flow sequence"),
            Arguments.of("bad indentation", "pop:\n  id: 1\n name: x\n", 3, "invalid YAML: while parsing a block mapping"),
            Arguments.of("two colons", "pop: id: 1\n", 1, "invalid YAML: mapping values are not allowed here"),
            Arguments.of("tab indentation", "pop:\n\tid: 1\n", 2, "invalid YAML:"),
            Arguments.of("unterminated quote", "pop:\n  name: \"abc\n", 3, "invalid YAML: while scanning a quoted scalar"),
            Arguments.of("a key right after a quoted scalar's closing quote", "pop:\n    - id: \"\n   \"vip: 1\n", 3,
                "invalid YAML: A simple key is required only if it is the first token in the current line"),
            Arguments.of("two documents", "pop: 1\n---\npop: 2\n", 2, "expected a single document"),
            Arguments.of("undefined alias", "pop: *nowhere\n", 1, "found undefined alias nowhere"),
            Arguments.of("control characters", "pop:\n  name: a\u0001b\n", 2, "character U+0001 is not allowed"),
            Arguments.of("NUL bytes", "\u0000\u0000\u0000", 1, "character U+0000 is not allowed"),
            Arguments.of("deep flow nesting", "pop:\n  id: " + "[".repeat(200_000), 2, "nested deeper than 1000 levels"),
            Arguments.of("deep block nesting", "pop: 1\n" + "- ".repeat(100_000) + "x\n", 2,
                "nested deeper than 1000 levels"),
            Arguments.of("deep indentation", deepIndentation(1500), 1002, "nested deeper than 1000 levels"),
            Arguments.of("alias bomb", aliasBomb(10), 0, "invalid YAML: Number of aliases for non-scalar nodes exceeds"),
            Arguments.of("recursive alias", "pop: &p\n  id: *p\n", 0, ""),
            Arguments.of("too many characters", "#" + "x".repeat(ConfigLoader.MAX_FILE_BYTES), 0,
                "input is larger than 4194304 characters"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("brokenDocuments")
    void shouldReportBrokenYamlAsOneClearErrorWithItsLine(
        final String description, final String yaml, final int line, final String message)
    {
        final ConfigLoader.Result result = ConfigLoader.parse("pop.yaml", yaml, Path.of("/"));
        assertFalse(result.isValid(), description);
        final List<ConfigError> errors = result.errors();
        if (!"recursive alias".equals(description))
        {
            assertEquals(1, errors.size(), () -> description + ": " + errors);
            assertEquals(line, errors.get(0).line(), () -> description + ": " + errors);
        }
        assertTrue(errors.get(0).message().contains(message), () -> description + ": " + errors);
        for (final ConfigError error : errors)
        {
            assertFalse(error.toString().contains("\n"), error::toString);
            assertFalse(error.toString().contains("Exception"), error::toString);
            assertTrue(error.toString().startsWith("pop.yaml"), error::toString);
        }
    }

    @Test
    void shouldReportWrongEncodingWithTheLineOfTheFirstBadByte()
    {
        final byte[] bytes = "pop:\n  id: 1\n  name: \u00ff\u00fe\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of("pop.yaml:3: is not UTF-8 text (binary file?)"),
            ConfigLoader.parse("pop.yaml", bytes, Path.of("/")).errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void shouldAcceptAByteOrderMark()
    {
        final byte[] bom = {(byte)0xEF, (byte)0xBB, (byte)0xBF};
        final byte[] yaml = ConfigFixtures.BASE.getBytes(StandardCharsets.UTF_8);
        final byte[] bytes = new byte[bom.length + yaml.length];
        System.arraycopy(bom, 0, bytes, 0, 3);
        System.arraycopy(yaml, 0, bytes, 3, yaml.length);
        final ConfigLoader.Result result = ConfigLoader.parse("pop.yaml", bytes, Path.of("/"));
        assertTrue(result.isValid(), result::describe);
    }

    @Test
    void shouldAcceptAnchorsAndAliasesUsedModestly()
    {
        final String yaml = ConfigFixtures.BASE
            .replace("    backends:\n      - address: 127.0.30.2", "    backends: &pool\n      - address: 127.0.30.2")
            .replace("    ports: 53\n    egress: 3\n", "    ports: 53\n    egress: 1\n    backends: *pool\n");
        final ConfigLoader.Result result = ConfigFixtures.load(yaml);
        assertTrue(result.isValid(), result::describe);
        assertEquals(result.config().services().get(0).backends(), result.config().services().get(1).backends());
    }

    @Test
    void shouldReportNonScalarKeysWithTheirLine()
    {
        final List<String> errors = ConfigFixtures.errors("? [a]\n: b\n");
        assertTrue(errors.contains("pop.yaml:1: keys must be plain text, got a list"), errors::toString);
    }
}
