package io.flyover.optimizer.probe;

import io.flyover.optimizer.linkstate.LinkStateGraph;
import io.flyover.optimizer.path.Route;
import io.flyover.optimizer.policy.PathPolicy;
import io.flyover.optimizer.policy.PathWeights;
import io.flyover.optimizer.policy.PolicyConfig;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProberToPolicyFailoverTest
{
    private static final long MS = 1_000_000L;
    private static final long DIRECT = Route.of(1, 9);
    private static final long RELAYED = Route.of(1, 2, 9);

    @Test
    void shouldRepinNewFlowsWithin350MsWhenThePreferredPathIsCut()
    {
        final LoopbackNetwork network = new LoopbackNetwork();
        final PathPolicy policy = new PathPolicy(9, PolicyConfig.DEFAULT, 1, 0);
        policy.setCandidates(new long[]{DIRECT, RELAYED}, 2, 0);
        final long[] repinnedNs = {-1};
        final ProbeListener listener = new ProbeListener()
        {
            public void onProbeAnswered(final long route, final long seq, final long sendNs, final long rttNs, final long nowNs)
            {
                policy.onProbeAnswered(route, rttNs, nowNs);
            }

            public void onProbeLost(final long route, final long seq, final long sendNs, final long nowNs)
            {
                policy.onProbeLost(route, nowNs);
            }

            public void onPathStateChange(final long route, final boolean up, final long nowNs)
            {
                final PathWeights weights = policy.onPathState(route, up, nowNs);
                if (!up && weights.weightOf(DIRECT) == 0.0 && repinnedNs[0] < 0)
                {
                    repinnedNs[0] = nowNs;
                }
            }
        };
        final Prober ingress = new Prober(ProberConfig.DEFAULT, 1, network.transport(), listener, new LinkStateGraph(), 1);
        final Prober egress = new Prober(ProberConfig.DEFAULT, 9, network.transport(), new ProbeListener()
        {
        }, new LinkStateGraph(), 2);
        network.register(1, ingress);
        network.register(9, egress);
        network.setRtt(DIRECT, 30 * MS);
        network.setRtt(RELAYED, 45 * MS);
        ingress.addPath(DIRECT, 0);
        ingress.addPath(RELAYED, 0);

        for (long t = 0; t < 20_000 * MS; t += 100 * MS)
        {
            network.runUntil(t);
            policy.update(t);
        }
        assertEquals(DIRECT, policy.preferredRoute());

        final long cutNs = network.nowNs + 7 * MS;
        network.runUntil(cutNs);
        network.setCut(DIRECT, true);
        network.dropInFlight();
        network.runUntil(cutNs + 400 * MS);

        assertEquals(RELAYED, policy.preferredRoute());
        assertEquals(1.0, policy.weights().weightOf(RELAYED));
        assertTrue(repinnedNs[0] > 0 && repinnedNs[0] - cutNs <= 350 * MS,
            "re-pinned after " + (repinnedNs[0] - cutNs) / MS + " ms");
    }
}
