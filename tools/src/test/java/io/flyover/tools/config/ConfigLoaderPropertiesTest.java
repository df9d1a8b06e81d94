package io.flyover.tools.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loader's promise under arbitrary input: it returns a result, never throws, and an invalid
 * result always carries at least one one-line error naming the file.
 */
class ConfigLoaderPropertiesTest
{
    private static final Path BASE_DIR = Path.of("/etc/flyover");

    private static void assertWellFormed(final ConfigLoader.Result result)
    {
        assertNotNull(result);
        if (!result.isValid())
        {
            assertFalse(result.errors().isEmpty());
            for (final ConfigError error : result.errors())
            {
                final String line = error.toString();
                assertTrue(line.startsWith("pop.yaml"), line);
                assertFalse(line.contains("\n"), line);
                assertFalse(line.contains("internal error"), line);
                assertTrue(error.line() >= 0 && error.column() >= 0, line);
            }
        }
    }

    @Property(tries = 500)
    void shouldNeverThrowOnRandomBytes(@ForAll @Size(max = 512) final byte[] bytes)
    {
        assertWellFormed(ConfigLoader.parse("pop.yaml", bytes, BASE_DIR));
    }

    @Property(tries = 1000)
    void shouldNeverThrowOnRandomYamlishText(@ForAll("yamlish") final String text)
    {
        assertWellFormed(ConfigLoader.parse("pop.yaml", text, BASE_DIR));
    }

    @Provide
    Arbitrary<String> yamlish()
    {
        final Arbitrary<String> token = Arbitraries.oneOf(
            Arbitraries.of(
                "pop", "ports", "peers", "keys", "services", "routes", "id", "name", "vip", "via", "backends",
                "weight", "type", "udp", "tun", "afpacket", ":", ": ", "- ", "-", "\n", "\n  ", "\n    ", "  ", "[", "]",
                "{", "}", ",", "&a ", "*a", "!!str ", "!!binary ", "? ", "|", ">", "#", "'", "\"", "---", "...",
                "%YAML 1.2", "~", "null", "direct", "6081-6088", "100ms", "1M", "10MB/s", "::1", "127.0.0.1",
                "\t", "\\", "<<: ", "0x10", "1e9", "-1", "70000"),
            Arbitraries.strings().ofMaxLength(6),
            Arbitraries.integers().map(String::valueOf));
        return token.list().ofMaxSize(60).map(tokens -> String.join("", tokens));
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenAKeyOfAValidExampleIsDeleted(
        @ForAll("examples") final String example, @ForAll @IntRange(min = 0, max = 10_000) final int pick)
    {
        final List<NodeTuple> tuples = new ArrayList<>();
        final Node root = compose(example);
        collectTuples(root, tuples);
        final NodeTuple victim = tuples.get(pick % tuples.size());
        final String mutated = cutLines(example, victim.getKeyNode(), victim.getValueNode());
        assertWellFormed(ConfigLoader.parse("pop.yaml", mutated, BASE_DIR));
    }

    @Property(tries = 500)
    void shouldNeverThrowWhenAValueOfAValidExampleBecomesARandomScalar(
        @ForAll("examples") final String example,
        @ForAll @IntRange(min = 0, max = 10_000) final int pick,
        @ForAll("scalars") final String scalar)
    {
        final List<ScalarNode> scalars = new ArrayList<>();
        collectScalarValues(compose(example), scalars);
        final ScalarNode victim = scalars.get(pick % scalars.size());
        final int start = victim.getStartMark().orElseThrow().getIndex();
        final int end = victim.getEndMark().orElseThrow().getIndex();
        final String mutated = example.substring(0, start) + scalar + example.substring(end);
        final ConfigLoader.Result result = ConfigLoader.parse("pop.yaml", mutated, BASE_DIR);
        assertWellFormed(result);
    }

    @Property(tries = 300)
    void shouldNeverThrowWhenAListElementOfAValidExampleIsDuplicated(
        @ForAll("examples") final String example, @ForAll @IntRange(min = 0, max = 10_000) final int pick)
    {
        final List<Node> items = new ArrayList<>();
        collectBlockListItems(compose(example), items);
        final Node victim = items.get(pick % items.size());
        final int lineStart = example.lastIndexOf('\n', victim.getStartMark().orElseThrow().getIndex()) + 1;
        final int end = endOfLastLine(example, victim.getEndMark().orElseThrow().getIndex());
        final String item = example.substring(lineStart, end);
        final String mutated = example.substring(0, end) + item + example.substring(end);
        final ConfigLoader.Result result = ConfigLoader.parse("pop.yaml", mutated, BASE_DIR);
        assertWellFormed(result);
    }

    @Property(tries = 100)
    void shouldReportADuplicatedServicePeerOrKeyAsAnError(
        @ForAll("examples") final String example, @ForAll @IntRange(min = 0, max = 10_000) final int pick)
    {
        final List<Node> items = new ArrayList<>();
        final Node root = compose(example);
        for (final NodeTuple tuple : ((MappingNode)root).getValue())
        {
            final String key = ((ScalarNode)tuple.getKeyNode()).getValue();
            if (List.of("peers", "services").contains(key) && tuple.getValueNode() instanceof final SequenceNode list)
            {
                items.addAll(list.getValue());
            }
        }
        if (items.isEmpty())
        {
            return;
        }
        final Node victim = items.get(pick % items.size());
        final int lineStart = example.lastIndexOf('\n', victim.getStartMark().orElseThrow().getIndex()) + 1;
        final int end = endOfLastLine(example, victim.getEndMark().orElseThrow().getIndex());
        final String mutated = example.substring(0, end) + example.substring(lineStart, end) + example.substring(end);
        final ConfigLoader.Result result = ConfigLoader.parse("pop.yaml", mutated, BASE_DIR);
        assertFalse(result.isValid());
        assertTrue(result.describe().contains("duplicate"), result::describe);
    }

    @Provide
    Arbitrary<String> examples() throws Exception
    {
        final List<String> texts = new ArrayList<>();
        try (var files = Files.list(ExampleConfigsTest.examples()))
        {
            for (final Path file : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList())
            {
                texts.add(Files.readString(file, StandardCharsets.UTF_8));
            }
        }
        texts.add(ConfigFixtures.BASE);
        return Arbitraries.of(texts);
    }

    @Provide
    Arbitrary<String> scalars()
    {
        return Arbitraries.oneOf(
            Arbitraries.of("", "~", "null", "0", "-1", "65536", "99999999999999999999", "1.5", "true", "[]", "{}",
                "direct", "tcp", "icmp", "1-0", "0-0", "6081-6088", "::", "::1", "0.0.0.0", "255.255.255.255",
                "1ms", "0s", "999999999h", "1G", "0", "1K", "10MB/s", "0bit", "'quoted'", "\"x\"", "*undefined",
                "&anchor x", "!!binary AAAA", "[1, 2, 3]", "{a: b}", "- x"),
            Arbitraries.integers().map(String::valueOf),
            Arbitraries.strings().withCharRange('!', '~').ofMaxLength(12),
            Combinators.combine(Arbitraries.integers().between(0, 300), Arbitraries.integers().between(0, 300))
                .as((a, b) -> a + "." + b + ".0.1"));
    }

    private static Node compose(final String yaml)
    {
        return new Compose(LoadSettings.builder().setUseMarks(true).build()).composeString(yaml).orElseThrow();
    }

    private static void collectTuples(final Node node, final List<NodeTuple> out)
    {
        if (node instanceof final MappingNode mapping)
        {
            for (final NodeTuple tuple : mapping.getValue())
            {
                out.add(tuple);
                collectTuples(tuple.getValueNode(), out);
            }
        }
        else if (node instanceof final SequenceNode sequence)
        {
            sequence.getValue().forEach(item -> collectTuples(item, out));
        }
    }

    private static void collectScalarValues(final Node node, final List<ScalarNode> out)
    {
        if (node instanceof final MappingNode mapping)
        {
            for (final NodeTuple tuple : mapping.getValue())
            {
                if (tuple.getValueNode() instanceof final ScalarNode scalar)
                {
                    out.add(scalar);
                }
                collectScalarValues(tuple.getValueNode(), out);
            }
        }
        else if (node instanceof final SequenceNode sequence)
        {
            for (final Node item : sequence.getValue())
            {
                if (item instanceof final ScalarNode scalar)
                {
                    out.add(scalar);
                }
                collectScalarValues(item, out);
            }
        }
    }

    private static void collectBlockListItems(final Node node, final List<Node> out)
    {
        if (node instanceof final MappingNode mapping)
        {
            mapping.getValue().forEach(tuple -> collectBlockListItems(tuple.getValueNode(), out));
        }
        else if (node instanceof final SequenceNode sequence)
        {
            for (final Node item : sequence.getValue())
            {
                if (item instanceof MappingNode)
                {
                    out.add(item);
                }
                collectBlockListItems(item, out);
            }
        }
    }

    /**
     * Removes the key's line through the end of its value (whole lines).
     */
    private static String cutLines(final String yaml, final Node key, final Node value)
    {
        final int start = yaml.lastIndexOf('\n', key.getStartMark().orElseThrow().getIndex()) + 1;
        final int end = endOfLastLine(yaml, value.getEndMark().orElseThrow().getIndex());
        return yaml.substring(0, start) + yaml.substring(end);
    }

    /**
     * The index just after the newline ending the line that holds the character before
     * {@code endIndex} (block nodes end at the start of the next line).
     */
    private static int endOfLastLine(final String yaml, final int endIndex)
    {
        final int from = Math.max(0, endIndex - 1);
        if (from < yaml.length() && yaml.charAt(from) == '\n')
        {
            return from + 1;
        }
        final int newline = yaml.indexOf('\n', from);
        return newline < 0 ? yaml.length() : newline + 1;
    }
}
