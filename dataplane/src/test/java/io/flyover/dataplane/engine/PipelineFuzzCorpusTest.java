package io.flyover.dataplane.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToIntFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.flyover.dataplane.counters.DropReason;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole-pipeline fuzz corpora are committed unchanged from {@link PipelineFuzzCorpus}, every
 * committed input (seeds and regression inputs) keeps its target's invariant, and the seeds reach
 * the stages they were written for: the verdicts below are the design's (packet walk, forged
 * tunnel rules), so a fuzz harness that silently stopped getting past parse or tag fails here.
 */
final class PipelineFuzzCorpusTest
{
    private static final Map<String, ToIntFunction<byte[]>> TARGETS = Map.of(
        "edge", EdgePipelineFuzzTarget::run,
        "backbone", BackbonePipelineFuzzTarget::run,
        "origin", OriginPipelineFuzzTarget::run);

    private static String label(final int verdict)
    {
        if (verdict >= 0)
        {
            return Pipeline.CONSUMED == verdict ? "consumed" : PortRole.forId(verdict).label();
        }
        return DropReason.labelOf(-verdict);
    }

    @Test
    void shouldCommitEveryGeneratedSeedUnchanged() throws IOException
    {
        for (final Map.Entry<String, Map<String, byte[]>> target : PipelineFuzzCorpus.seeds().entrySet())
        {
            final Path directory = PipelineFuzzCorpus.DIRECTORY.resolve(target.getKey());
            for (final Map.Entry<String, byte[]> seed : target.getValue().entrySet())
            {
                final Path file = directory.resolve(PipelineFuzzCorpus.SEED_PREFIX + seed.getKey());
                assertTrue(Files.isRegularFile(file), () -> "missing " + file + ": run PipelineFuzzCorpus.main");
                assertArrayEquals(seed.getValue(), Files.readAllBytes(file),
                    () -> file + " differs from PipelineFuzzCorpus: run its main");
            }
        }
    }

    @Test
    void shouldKeepTheInvariantOnEveryCommittedInput() throws IOException
    {
        for (final Map.Entry<String, ToIntFunction<byte[]>> target : TARGETS.entrySet())
        {
            final List<Path> files;
            try (Stream<Path> list = Files.list(PipelineFuzzCorpus.DIRECTORY.resolve(target.getKey())))
            {
                files = list.filter(Files::isRegularFile).sorted().toList();
            }
            assertTrue(files.size() >= 10, target.getKey() + " corpus size " + files.size());
            for (final Path file : files)
            {
                final byte[] data = Files.readAllBytes(file);
                assertDoesNotThrow(() -> target.getValue().applyAsInt(data), file::toString);
            }
        }
    }

    @Test
    void shouldReachTheStageEachSeedWasWrittenFor()
    {
        final Map<String, Map<String, String>> expected = Map.of(
            "edge", Map.ofEntries(
                Map.entry("tcp-syn-new", "backbone"),
                Map.entry("tcp-ack-known", "backbone"),
                Map.entry("udp-known", "backbone"),
                Map.entry("udp-over-mtu", "mtu_exceeded"),
                Map.entry("no-service-port", "no_service"),
                Map.entry("ipv4-options", "backbone"),
                Map.entry("ipv4-fragment", "fragment_v4"),
                Map.entry("ipv6-ext-chain", "no_service"),
                Map.entry("ipv6-ext-chain-too-long", "parse_ipv6_ext_chain_too_long"),
                Map.entry("icmp-frag-needed-known-flow", "backbone"),
                Map.entry("icmp-port-unreachable-known-udp", "backbone"),
                Map.entry("icmp-error-garbage-quote", "parse_icmp_quote_truncated")),
            "backbone", Map.ofEntries(
                Map.entry("relay-at-b", "backbone"),
                Map.entry("egress-at-c-new-flow", "origin"),
                Map.entry("egress-at-c-known-flow", "origin"),
                Map.entry("egress-at-c-direct-udp", "origin"),
                Map.entry("return-at-a", "edge"),
                Map.entry("return-relay-at-b", "backbone"),
                Map.entry("probe-at-c", "consumed"),
                Map.entry("forged-bad-tag", "tunnel_bad_tag"),
                Map.entry("forged-unknown-key", "tunnel_unknown_key"),
                Map.entry("forged-flipped-tag", "tunnel_bad_tag"),
                Map.entry("forged-unknown-peer", "tunnel_unknown_peer"),
                Map.entry("hop-limit-spent", "tunnel_hop_limit"),
                Map.entry("misrouted-hop", "tunnel_misrouted"),
                Map.entry("egress-icmp-error-known-flow", "origin"),
                Map.entry("raw-egress-at-c", "origin"),
                Map.entry("raw-not-geneve", "backbone_not_geneve")),
            "origin", Map.ofEntries(
                Map.entry("syn-ack-known", "backbone"),
                Map.entry("data-known", "backbone"),
                Map.entry("reply-no-flow", "no_reverse_flow"),
                Map.entry("icmp-error-known-flow", "backbone"),
                Map.entry("icmp-error-garbage-quote", "parse_icmp_quote_truncated"),
                Map.entry("icmp-error-unknown-quote", "icmp_no_flow"),
                Map.entry("fragment", "fragment_v4")));
        for (final Map.Entry<String, Map<String, String>> target : expected.entrySet())
        {
            final Map<String, byte[]> seeds = PipelineFuzzCorpus.seeds().get(target.getKey());
            for (final Map.Entry<String, String> seed : target.getValue().entrySet())
            {
                final int verdict = TARGETS.get(target.getKey()).applyAsInt(seeds.get(seed.getKey()));
                assertEquals(seed.getValue(), label(verdict), target.getKey() + "/" + seed.getKey());
            }
        }
    }
}
