package io.flyover.dataplane.engine;

import io.flyover.dataplane.protocol.FlyoverRoute;

/**
 * Jazzer fuzz target over the whole pipeline at the backbone port: tunnel packets arriving at
 * ingress POP A (return traffic), relay POP B or egress POP C.
 * <p>
 * Input: a flag byte, then either a raw outer packet or structured tunnel fields:
 * <ul>
 *   <li>flag bits 0-1: the receiving POP (0 A, 1 B, 2 and 3 C);</li>
 *   <li>flag bit 2: rewrite IPv4 header checksums first (the raw outer packet's, or the
 *       structured inner packet's);</li>
 *   <li>flag bit 3 clear: the rest is the raw outer IPv4 packet;</li>
 *   <li>flag bit 3 set: five field bytes, then the inner IP packet, built into a tunnel packet
 *       by {@link PipelineFuzzFixture#buildTunnel} and tagged as a POP would (so the fuzzer gets
 *       past the tag into relay, egress and return): byte 1 bits 0-1 the sender (A, B, C, or an
 *       underlay address that is no POP), bits 2-4 a route from {@link #ROUTES}; byte 2 bits 0-1
 *       the hop index, bit 2 the D bit, bit 3 the O bit, bits 4-5 the tag mode (genuine, wrong
 *       key, unknown key id, flipped tag bit); byte 3 the hop limit; byte 4 the VNI; byte 5 is
 *       reserved.</li>
 * </ul>
 * Before the packet, {@link PipelineFuzzFixture#reset()} opens known flows at A and C. The
 * invariant checked per input is {@link PipelineFuzzFixture#account}'s.
 * <p>
 * Run by {@code .ci/fuzz}; its committed corpus is replayed by {@code PipelineFuzzTest.backbone}.
 */
public final class BackbonePipelineFuzzTarget
{
    /** Routes the structured mode picks from: valid ones, loops, gaps and strangers. */
    static final long[] ROUTES = {
        FlyoverRoute.pack(PipelineFuzzFixture.A, PipelineFuzzFixture.B, PipelineFuzzFixture.C, 0),
        FlyoverRoute.pack(PipelineFuzzFixture.A, PipelineFuzzFixture.C, 0, 0),
        FlyoverRoute.pack(PipelineFuzzFixture.A, PipelineFuzzFixture.B, PipelineFuzzFixture.A, PipelineFuzzFixture.B),
        FlyoverRoute.pack(PipelineFuzzFixture.A, PipelineFuzzFixture.B, 0, PipelineFuzzFixture.C),
        FlyoverRoute.pack(PipelineFuzzFixture.C, PipelineFuzzFixture.B, PipelineFuzzFixture.A, 0),
        FlyoverRoute.pack(PipelineFuzzFixture.A, PipelineFuzzFixture.B, 99, PipelineFuzzFixture.C),
        FlyoverRoute.pack(PipelineFuzzFixture.B, PipelineFuzzFixture.B, PipelineFuzzFixture.C, 0),
        FlyoverRoute.pack(0, PipelineFuzzFixture.B, PipelineFuzzFixture.C, 0),
    };

    /** Senders the structured mode picks from. */
    static final int[] SENDERS = {
        PipelineFuzzFixture.UNDERLAY_A, PipelineFuzzFixture.UNDERLAY_B, PipelineFuzzFixture.UNDERLAY_C,
        PipelineFuzzFixture.UNDERLAY_STRANGER,
    };

    /** Bytes before the inner packet in the structured mode. */
    static final int STRUCTURED_HEADER = 6;

    private static final int[] POPS = {
        PipelineFuzzFixture.A, PipelineFuzzFixture.B, PipelineFuzzFixture.C, PipelineFuzzFixture.C,
    };

    private static final PipelineFuzzFixture FIXTURE = new PipelineFuzzFixture();

    private BackbonePipelineFuzzTarget()
    {
    }

    /**
     * Jazzer's entry point.
     *
     * @param data flag byte, then a raw outer packet or the structured fields and inner packet.
     */
    public static void fuzzerTestOneInput(final byte[] data)
    {
        run(data);
    }

    /**
     * Runs one input and checks its invariant.
     *
     * @param data the input.
     * @return the pipeline's verdict, or {@link PipelineFuzzFixture#SKIPPED} if the input is too short to run.
     */
    static int run(final byte[] data)
    {
        if (data.length < 1)
        {
            return PipelineFuzzFixture.SKIPPED;
        }
        final PipelineFuzzFixture fixture = FIXTURE;
        fixture.reset();
        final int flags = data[0] & 0xFF;
        final int pop = POPS[flags & 3];
        final boolean fixChecksums = 0 != (flags & 4);
        final int length;
        if (0 == (flags & 8))
        {
            length = fixture.load(data, 1);
            if (fixChecksums)
            {
                PipelineFuzzFixture.fixIpv4Checksum(fixture.work(), PipelineFuzzFixture.HEADROOM, length);
            }
        }
        else
        {
            if (data.length < STRUCTURED_HEADER)
            {
                return PipelineFuzzFixture.SKIPPED;
            }
            final int who = data[1] & 0xFF;
            final int hop = data[2] & 0xFF;
            length = fixture.buildTunnel(SENDERS[who & 3], ROUTES[(who >>> 2) & 7], 0 != (hop & 4), hop & 3,
                data[3] & 0xFF, 0 != (hop & 8), data[4] & 0xFF, (hop >>> 4) & 3, data, STRUCTURED_HEADER, fixChecksums);
        }
        fixture.snapshot(pop);
        final int verdict = fixture.pipeline(pop)
            .onBackbone(fixture.work(), PipelineFuzzFixture.HEADROOM, length, fixture.nowNs());
        fixture.account(pop, verdict, data);
        return verdict;
    }
}
