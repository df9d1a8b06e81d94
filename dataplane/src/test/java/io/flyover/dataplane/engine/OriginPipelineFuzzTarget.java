package io.flyover.dataplane.engine;

/**
 * Jazzer fuzz target over the whole pipeline at the origin port of egress POP C: packets from
 * backends.
 * <p>
 * Input: one flag byte, then the raw IP packet. Flag bit 0 rewrites the packet's IPv4 header
 * checksum first. Before the packet, {@link PipelineFuzzFixture#reset(boolean, boolean)} opens the egress entries
 * of a TCP flow (client:40000 → VIP:80, backend 10.1.0.5:8080) and a UDP flow (client:5353 →
 * VIP:53), so replies and ICMP errors from the backends can match a reverse flow and go on
 * through SNAT and encap. The invariant checked per input is {@link PipelineFuzzFixture#account}'s.
 * <p>
 * Run by {@code .ci/fuzz}; its committed corpus is replayed by {@code PipelineFuzzTest.origin}.
 */
public final class OriginPipelineFuzzTarget
{
    private static final PipelineFuzzFixture FIXTURE = new PipelineFuzzFixture();

    private OriginPipelineFuzzTarget()
    {
    }

    /**
     * Jazzer's entry point.
     *
     * @param data flag byte, then the backend's IP packet.
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
        return FIXTURE.runIpPort(data, false);
    }
}
