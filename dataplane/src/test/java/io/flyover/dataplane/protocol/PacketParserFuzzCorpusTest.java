package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The committed fuzz corpus is there, matches its generator {@link PacketParserFuzzCorpus}, and every
 * input in it runs through {@link PacketParserFuzzTarget} without an exception (independently of
 * Jazzer's own regression mode in {@link PacketParserFuzzTest}).
 */
final class PacketParserFuzzCorpusTest
{
    private static List<Path> corpus() throws IOException
    {
        try (Stream<Path> files = Files.list(PacketParserFuzzCorpus.DIRECTORY))
        {
            return files.filter(Files::isRegularFile).sorted().toList();
        }
    }

    @Test
    void shouldCommitEveryGeneratedSeedUnchanged() throws IOException
    {
        final Map<String, byte[]> seeds = PacketParserFuzzCorpus.seeds();
        assertTrue(seeds.size() >= 30, "seed count " + seeds.size());
        for (final Map.Entry<String, byte[]> seed : seeds.entrySet())
        {
            final Path file = PacketParserFuzzCorpus.DIRECTORY.resolve(PacketParserFuzzCorpus.SEED_PREFIX + seed.getKey());
            assertTrue(Files.isRegularFile(file), () -> "missing " + file + ": run PacketParserFuzzCorpus.main");
            assertArrayEquals(seed.getValue(), Files.readAllBytes(file),
                () -> file + " differs from PacketParserFuzzCorpus: run its main");
        }
    }

    @Test
    void shouldRunEveryCommittedInputWithoutException() throws IOException
    {
        final List<Path> files = corpus();
        assertTrue(files.size() >= 30, "corpus size " + files.size());
        for (final Path file : files)
        {
            final byte[] data = Files.readAllBytes(file);
            assertDoesNotThrow(() -> PacketParserFuzzTarget.fuzzerTestOneInput(data), file::toString);
        }
    }

    @Test
    void shouldParseTheValidSeedsAllTheWay()
    {
        final Map<String, byte[]> seeds = PacketParserFuzzCorpus.seeds();
        final ParsedPacket packet = new ParsedPacket();
        for (final String name : List.of("eth-ipv4-udp", "eth-dot1q-ipv4-udp", "eth-qinq-ipv6-tcp",
            "eth-ipv4-icmp-frag-needed-options-quote"))
        {
            final byte[] bytes = seeds.get(name);
            assertEquals(ParseVerdict.OK, PacketParser.parseEthernet(new UnsafeBuffer(bytes), 0, bytes.length, packet),
                name);
        }
        for (final String name : List.of("ipv4-options-tcp-options", "ipv4-icmp-port-unreachable-tcp-quote",
            "ipv4-icmp-time-exceeded-echo-quote", "ipv6-ext-tcp-options", "ipv6-icmpv6-ptb-ext-quote",
            "tunnel-ipv4-udp", "tunnel-ipv6-tcp-return"))
        {
            final byte[] bytes = seeds.get(name);
            assertEquals(ParseVerdict.OK, PacketParser.parseIp(new UnsafeBuffer(bytes), 0, bytes.length, packet), name);
        }
    }

    @Test
    void shouldTagTheTunnelSeedsWithTheFuzzKey()
    {
        final Map<String, byte[]> seeds = PacketParserFuzzCorpus.seeds();
        final ParsedTunnel tunnel = new ParsedTunnel();
        final ParsedPacket inner = new ParsedPacket();
        for (final String name : List.of("geneve-ipv4-udp", "geneve-ipv6-tcp", "geneve-extra-option"))
        {
            final UnsafeBuffer buffer = new UnsafeBuffer(seeds.get(name));
            assertEquals(ParseVerdict.OK, GeneveParser.parse(buffer, 0, buffer.capacity(), tunnel), name);
            assertEquals(ParseVerdict.OK,
                PacketParser.parseIp(buffer, tunnel.innerOffset(), tunnel.innerLength(), inner), name);
            assertEquals(ParseVerdict.OK,
                TunnelTag.verify(PacketParserFuzzTarget.KEYS, buffer, tunnel, inner.protocol, inner.l4Offset), name);
        }
    }
}
