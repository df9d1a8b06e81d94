package io.flyover.bench;

import io.flyover.dataplane.protocol.ParseVerdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The benchmarks measure the paths they claim to: each state's setup (which checks its packets
 * parse, tags verify and full and incremental checksums agree) passes with bounds checks on, and
 * a few invocations give the expected results. Timing is JMH's business, not asserted here.
 */
class BenchmarkSetupTest
{
    @Test
    void shouldParseEveryBenchmarkPacketToOk()
    {
        final ParseBenchmark benchmark = new ParseBenchmark();
        benchmark.setup();
        for (int i = 0; i < 3; i++)
        {
            assertEquals(ParseVerdict.OK, benchmark.parseIpv4Udp64());
            assertEquals(ParseVerdict.OK, benchmark.parseIpv4Udp64NoChecksum());
            assertEquals(ParseVerdict.OK, benchmark.parseEthernetIpv4Udp64());
            assertEquals(ParseVerdict.OK, benchmark.parseIpv6TcpOptions());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {64, 1500})
    void shouldAgreeOnChecksumsAfterEveryRewrite(final int packetLength)
    {
        final ChecksumBenchmark benchmark = new ChecksumBenchmark();
        benchmark.packetLength = packetLength;
        benchmark.setup();
        for (int i = 0; i < 5; i++)
        {
            benchmark.ipv4HeaderFull();
            benchmark.ipv4HeaderIncremental();
            benchmark.tcpDnatFull();
            benchmark.tcpDnatIncremental();
        }
    }

    @Test
    void shouldVerifyTheTunnelTagAndWriteWholeHeaders()
    {
        final TunnelBenchmark benchmark = new TunnelBenchmark();
        benchmark.setup();
        assertEquals(ParseVerdict.OK, benchmark.verifyTagIpv4());
        assertEquals(ParseVerdict.OK, benchmark.parseGeneve());
        assertEquals(68 + 64, benchmark.writeHeaders());
        assertEquals(benchmark.computeTagIpv4(), benchmark.computeTagIpv4());
        assertNotEquals(0L, benchmark.sipHash32());
    }
}
