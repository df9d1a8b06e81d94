package io.flyover.dataplane.engine;

/**
 * Jazzer fuzz target over the whole pipeline at the edge port of ingress POP A: client packets.
 * <p>
 * Input: one flag byte, then the raw IP packet. Flag bit 0 rewrites the packet's IPv4 header
 * checksum first (when it has an IPv4 header that fits), so the fuzzer gets past the header check
 * into classify, flow, police, MSS clamp, path MTU, ICMP errors that quote a flow, and encap.
 * Before the packet, {@link PipelineFuzzFixture#reset(boolean, boolean)} opens known flows (TCP client:40000 and
 * UDP client:5353 to the VIP), so quoted headers and repeated packets can hit live flows. The
 * invariant checked per input is {@link PipelineFuzzFixture#account}'s.
 * <p>
 * Run by {@code .ci/fuzz} (listed in {@code .ci/fuzz-targets}); its committed corpus is replayed
 * by {@code PipelineFuzzTest.edge} in every test run.
 */
public final class EdgePipelineFuzzTarget
{
    private static final PipelineFuzzFixture FIXTURE = new PipelineFuzzFixture();

    private EdgePipelineFuzzTarget()
    {
    }

    /**
     * Jazzer's entry point.
     *
     * @param data flag byte, then the client's IP packet.
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
        return FIXTURE.runIpPort(data, true);
    }
}
