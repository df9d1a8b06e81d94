package io.flyover.dataplane.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class TunnelTagTest
{
    private static final byte[] REFERENCE_KEY = TestPackets.hex("000102030405060708090a0b0c0d0e0f");
    private static final long K0 = SipHash24.k0(REFERENCE_KEY);
    private static final long K1 = SipHash24.k1(REFERENCE_KEY);
    private static final int KEY_ID = 0x2a;
    private static final TunnelKeys KEYS = TunnelKeys.of(KEY_ID, K0, K1);
    private static final int SLACK = 64;

    private static final int GENEVE = GeneveEncapsulator.GENEVE_OFFSET;
    private static final int OPTION = GeneveEncapsulator.FLYOVER_OPTION_OFFSET;
    private static final int INNER = GeneveEncapsulator.ENCAP_LENGTH;

    /** A built tunnel packet and where its flow fields are. */
    record Built(byte[] bytes, int length, boolean ipv6, int protocol, int l4Offset)
    {
        UnsafeBuffer buffer()
        {
            return new UnsafeBuffer(bytes);
        }

        /** The inner protocol as a parser would read it now (the bytes may have been changed). */
        int currentProtocol()
        {
            return ipv6 ? bytes[INNER + 6] & 0xFF : bytes[INNER + 9] & 0xFF;
        }

        long tag()
        {
            return TunnelTag.compute(K0, K1, buffer(), GENEVE, OPTION, INNER, currentProtocol(), l4Offset);
        }

        ParseVerdict verify(final TunnelKeys keys)
        {
            return TunnelTag.verify(keys, buffer(), GENEVE, OPTION, INNER, currentProtocol(), l4Offset);
        }

        /** Positions of the bytes the tag covers, in the order of the tag message. */
        List<Integer> coveredPositions()
        {
            final List<Integer> positions = new ArrayList<>();
            range(positions, GENEVE, 8);
            range(positions, OPTION, 24);
            range(positions, INNER + (ipv6 ? 8 : 12), ipv6 ? 32 : 8);
            positions.add(INNER + (ipv6 ? 6 : 9));
            if (TunnelTag.hasPorts(protocol))
            {
                range(positions, l4Offset, 4);
            }
            return positions;
        }

        private static void range(final List<Integer> positions, final int from, final int count)
        {
            for (int i = 0; i < count; i++)
            {
                positions.add(from + i);
            }
        }
    }

    static Built build(final TunnelPacketBuilder builder, final byte[] inner)
    {
        final byte[] bytes = new byte[INNER + inner.length + SLACK];
        final int length = builder.build(new UnsafeBuffer(bytes), 0, new UnsafeBuffer(inner), 0, inner.length);
        return new Built(
            bytes,
            length,
            6 == (inner[0] & 0xFF) >>> 4,
            TestPackets.protocol(inner),
            INNER + TestPackets.l4Offset(inner));
    }

    private static TunnelPacketBuilder goldenBuilder()
    {
        return new TunnelPacketBuilder()
            .keys(KEYS)
            .keyId(KEY_ID)
            .vni(0xabcd)
            .hopLimit(8)
            .route(FlyoverRoute.pack(0x0102, 0x0304, 0x0506, 0))
            .sendTimeUs(0x0001020304050607L);
    }

    private static byte[] goldenIpv4Inner()
    {
        return TestPackets.ipv4(TestPackets.UDP, 0xCB007105, 0xC000020A, 1234, 80, "hello".getBytes(), false);
    }

    private static byte[] goldenIpv6Inner()
    {
        return TestPackets.ipv6(
            TestPackets.TCP,
            TestPackets.hex("20010db8000000000000000000000001"),
            TestPackets.hex("20010db8000000000000000000000002"),
            49152,
            80,
            new byte[0]);
    }

    @Test
    void shouldProduceGoldenTagAndMessageForIpv4Udp()
    {
        final Built built = build(goldenBuilder(), goldenIpv4Inner());
        final UnsafeBuffer message = new UnsafeBuffer(new byte[TunnelTag.MAX_COVERED_LENGTH]);
        final int length = TunnelTag.coveredBytes(
            built.buffer(), GENEVE, OPTION, INNER, built.protocol(), built.l4Offset(), message, 0);
        assertEquals(TunnelTag.COVERED_LENGTH_IPV4, length);
        assertEquals(
            "0840080000abcd00fff081071001082a01020304050600000001020304050607cb007105c000020a1104d20050",
            TestPackets.hex(message.byteArray(), 0, length));
        // Computed independently (a separate SipHash-2-4 over the message above).
        assertEquals(0xdde2418e1552d325L, FlyoverOptionFlyweight.tag(built.buffer(), OPTION));
    }

    @Test
    void shouldProduceGoldenTagAndMessageForIpv6Tcp()
    {
        final Built built = build(goldenBuilder(), goldenIpv6Inner());
        final UnsafeBuffer message = new UnsafeBuffer(new byte[TunnelTag.MAX_COVERED_LENGTH]);
        final int length = TunnelTag.coveredBytes(
            built.buffer(), GENEVE, OPTION, INNER, built.protocol(), built.l4Offset(), message, 0);
        assertEquals(TunnelTag.COVERED_LENGTH_IPV6, length);
        assertEquals(
            "084086dd00abcd00fff081071001082a01020304050600000001020304050607" +
                "20010db800000000000000000000000120010db800000000000000000000000206c0000050",
            TestPackets.hex(message.byteArray(), 0, length));
        assertEquals(0x7f66c73985936c8aL, FlyoverOptionFlyweight.tag(built.buffer(), OPTION));
    }

    @Test
    void shouldStoreTagBigEndianInTheOption()
    {
        final Built built = build(goldenBuilder(), goldenIpv4Inner());
        final byte[] tag = new byte[8];
        System.arraycopy(built.bytes(), OPTION + FlyoverOptionFlyweight.TAG_OFFSET, tag, 0, 8);
        assertArrayEquals(TestPackets.hex("dde2418e1552d325"), tag);
    }

    @Property(tries = 300)
    void shouldEqualSipHashOfTheCoveredBytes(@ForAll("packets") final Built built)
    {
        final UnsafeBuffer message = new UnsafeBuffer(new byte[TunnelTag.MAX_COVERED_LENGTH]);
        final int length = TunnelTag.coveredBytes(
            built.buffer(), GENEVE, OPTION, INNER, built.protocol(), built.l4Offset(), message, 0);
        assertEquals(built.coveredPositions().size() + (TunnelTag.hasPorts(built.protocol()) ? 0 : 4), length);
        assertEquals(SipHash24.hash(K0, K1, message, 0, length), built.tag());
        assertEquals(ParseVerdict.OK, built.verify(KEYS));
    }

    @Property(tries = 1000)
    void shouldChangeTagWhenAnyCoveredBitFlips(
        @ForAll("packets") final Built built,
        @ForAll @IntRange(max = 1000) final int pick,
        @ForAll @IntRange(max = 7) final int bit)
    {
        final List<Integer> covered = built.coveredPositions();
        final int position = covered.get(pick % covered.size());
        final long before = built.tag();
        built.bytes()[position] ^= (byte)(1 << bit);
        assertNotEquals(before, built.tag(), "flip of bit " + bit + " at " + position);
        assertNotEquals(ParseVerdict.OK, built.verify(KEYS));
    }

    @Property(tries = 1000)
    void shouldKeepTagWhenUncoveredBytesChange(
        @ForAll("packets") final Built built,
        @ForAll @IntRange(max = 10_000) final int pick,
        @ForAll @IntRange(min = 1, max = 255) final int xor)
    {
        final List<Integer> covered = built.coveredPositions();
        final List<Integer> uncovered = new ArrayList<>();
        for (int i = 0; i < built.length(); i++)
        {
            final boolean tagField = i >= OPTION + FlyoverOptionFlyweight.TAG_OFFSET && i < OPTION + FlyoverOptionFlyweight.LENGTH;
            if (!covered.contains(i) && !tagField)
            {
                uncovered.add(i);
            }
        }
        final int position = uncovered.get(pick % uncovered.size());
        final long before = built.tag();
        built.bytes()[position] ^= (byte)xor;
        assertEquals(before, built.tag(), "change at " + position);
        assertEquals(ParseVerdict.OK, built.verify(KEYS));
    }

    @Test
    void shouldIgnoreIcmpEchoIdentifierAndSequence()
    {
        final byte[] inner = TestPackets.ipv4(TestPackets.ICMP, 0xCB007105, 0xC000020A, 7, 9, new byte[8], false);
        final Built built = build(goldenBuilder(), inner);
        final long before = built.tag();
        for (int i = 0; i < 8; i++)
        {
            built.bytes()[built.l4Offset() + i] ^= (byte)0x5a;
        }
        assertEquals(before, built.tag());
    }

    @Test
    void shouldDetectBadTag()
    {
        final Built built = build(goldenBuilder(), goldenIpv4Inner());
        assertEquals(ParseVerdict.OK, built.verify(KEYS));
        built.bytes()[OPTION + FlyoverOptionFlyweight.TAG_OFFSET + 7] ^= 1;
        assertEquals(ParseVerdict.FLYOVER_BAD_TAG, built.verify(KEYS));
    }

    @Test
    void shouldDetectTagMadeWithAnotherKeyUnderTheSameId()
    {
        final Built built = build(goldenBuilder(), goldenIpv4Inner());
        assertEquals(ParseVerdict.FLYOVER_BAD_TAG, built.verify(TunnelKeys.of(KEY_ID, K0, K1 ^ 1)));
    }

    @Test
    void shouldReportUnknownKeyIdBeforeCheckingTheTag()
    {
        final Built built = build(goldenBuilder(), goldenIpv4Inner());
        assertEquals(ParseVerdict.FLYOVER_UNKNOWN_KEY_ID, built.verify(TunnelKeys.empty()));
        assertEquals(ParseVerdict.FLYOVER_UNKNOWN_KEY_ID, built.verify(TunnelKeys.of(KEY_ID + 1, K0, K1)));
        assertEquals(ParseVerdict.FLYOVER_UNKNOWN_KEY_ID, built.verify(KEYS.without(KEY_ID)));
        assertEquals(
            ParseVerdict.FLYOVER_UNKNOWN_KEY_ID,
            TunnelTag.writeTag(TunnelKeys.empty(), built.buffer(), GENEVE, OPTION, INNER, built.protocol(), built.l4Offset()));
    }

    @Test
    void shouldVerifyWithEitherKeyDuringRotation()
    {
        final TunnelKeys both = KEYS.with(7, 0x1111L, 0x2222L);
        final Built old = build(goldenBuilder(), goldenIpv4Inner());
        final Built rotated = build(goldenBuilder().keys(both).keyId(7), goldenIpv4Inner());
        assertEquals(ParseVerdict.OK, old.verify(both));
        assertEquals(ParseVerdict.OK, rotated.verify(both));
        assertEquals(ParseVerdict.FLYOVER_UNKNOWN_KEY_ID, old.verify(both.without(KEY_ID)));
        assertNotEquals(old.tag(), rotated.tag());
    }

    @Test
    void shouldVerifyAfterRelayAdvancesHopAndRetags()
    {
        final Built built = build(
            goldenBuilder().route(FlyoverRoute.pack(10, 20, 30, 40)).hopLimit(2), goldenIpv4Inner());
        final UnsafeBuffer buffer = built.buffer();
        final ParsedTunnel tunnel = new ParsedTunnel();

        for (int expectedHop = 2; expectedHop <= 3; expectedHop++)
        {
            assertEquals(ParseVerdict.OK, GeneveParser.parse(buffer, GENEVE, built.length() - GENEVE, tunnel));
            assertEquals(ParseVerdict.OK, TunnelTag.verify(KEYS, buffer, tunnel, built.protocol(), built.l4Offset()));

            assertEquals(expectedHop, FlyoverOptionFlyweight.advanceHop(buffer, tunnel.flyoverOptionOffset()));
            assertEquals(ParseVerdict.FLYOVER_BAD_TAG, TunnelTag.verify(KEYS, buffer, tunnel, built.protocol(), built.l4Offset()));

            assertEquals(ParseVerdict.OK, TunnelTag.writeTag(KEYS, buffer, tunnel, built.protocol(), built.l4Offset()));
            assertEquals(ParseVerdict.OK, TunnelTag.verify(KEYS, buffer, tunnel, built.protocol(), built.l4Offset()));
        }
        assertEquals(40, FlyoverOptionFlyweight.nextPop(buffer, OPTION));
        assertEquals(0, FlyoverOptionFlyweight.hopLimit(buffer, OPTION));
    }

    @Test
    void shouldNotAllocateWhileParsingVerifyingAndRetagging()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final Built built = build(goldenBuilder(), goldenIpv4Inner());
        final UnsafeBuffer buffer = built.buffer();
        final ParsedTunnel tunnel = new ParsedTunnel();
        final int length = built.length() - GENEVE;
        final int protocol = built.protocol();
        final int l4Offset = built.l4Offset();

        long sink = 0;
        for (int i = 0; i < 50_000; i++)
        {
            sink += work(buffer, length, tunnel, protocol, l4Offset);
        }

        // A runtime event (a compilation landing, a deoptimization) can charge a few bytes to this
        // thread once in a while; allocation per packet would be at least 16 bytes x 50k. So: every
        // window stays far below one byte per packet, and some window allocates nothing at all.
        threads.getCurrentThreadAllocatedBytes();
        long fewest = Long.MAX_VALUE;
        int windows = 0;
        for (; windows < 5 && fewest > 0; windows++)
        {
            final long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 50_000; i++)
            {
                sink += work(buffer, length, tunnel, protocol, l4Offset);
            }
            final long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertTrue(allocated < 50_000, "bytes allocated by 50k parse + verify + re-tag: " + allocated);
            fewest = Math.min(fewest, allocated);
        }
        assertEquals(0L, fewest, "fewest bytes allocated in a window of 50k parse + verify + re-tag");
        assertEquals(50_000L * (1 + windows) * 3, sink, "every parse, verify and re-tag succeeded");
    }

    private static int work(
        final UnsafeBuffer buffer, final int length, final ParsedTunnel tunnel, final int protocol, final int l4Offset)
    {
        int ok = 0;
        ok += ParseVerdict.OK == GeneveParser.parse(buffer, GENEVE, length, tunnel) ? 1 : 0;
        ok += ParseVerdict.OK == TunnelTag.verify(KEYS, buffer, tunnel, protocol, l4Offset) ? 1 : 0;
        ok += ParseVerdict.OK == TunnelTag.writeTag(KEYS, buffer, tunnel, protocol, l4Offset) ? 1 : 0;
        return ok;
    }

    @Provide
    Arbitrary<Built> packets()
    {
        final Arbitrary<byte[]> inner = Combinators.combine(
            Arbitraries.of(TestPackets.UDP, TestPackets.TCP, TestPackets.ICMP),
            Arbitraries.of(false, true),
            Arbitraries.bytes().array(byte[].class).ofSize(32),
            Arbitraries.integers().between(0, 0xFFFF),
            Arbitraries.integers().between(0, 0xFFFF),
            Arbitraries.bytes().array(byte[].class).ofMaxSize(40),
            Arbitraries.of(false, true))
            .as((protocol, ipv6, addresses, srcPort, dstPort, payload, ipv4Option) ->
            {
                if (ipv6)
                {
                    final byte[] src = new byte[16];
                    final byte[] dst = new byte[16];
                    System.arraycopy(addresses, 0, src, 0, 16);
                    System.arraycopy(addresses, 16, dst, 0, 16);
                    return TestPackets.ipv6(
                        TestPackets.ICMP == protocol ? TestPackets.ICMPV6 : protocol, src, dst, srcPort, dstPort, payload);
                }
                final UnsafeBuffer a = new UnsafeBuffer(addresses);
                return TestPackets.ipv4(protocol, a.getInt(0), a.getInt(4), srcPort, dstPort, payload, ipv4Option);
            });
        return Combinators.combine(RoundTripArbitraries.headers(), inner)
            .as((headers, innerPacket) -> build(headers.apply(new TunnelPacketBuilder().keys(KEYS).keyId(KEY_ID)), innerPacket));
    }
}
