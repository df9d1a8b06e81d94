package io.flyover.optimizer.probe;

import io.flyover.optimizer.latency.LatencyEstimator;
import io.flyover.optimizer.linkstate.LinkStateGraph;
import io.flyover.optimizer.path.Route;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProberTest
{
    private static final long MS = 1_000_000L;
    private static final long DIRECT = Route.of(1, 2);

    private final LoopbackNetwork network = new LoopbackNetwork();
    private final LinkStateGraph graph1 = new LinkStateGraph();
    private final LinkStateGraph graph2 = new LinkStateGraph();
    private final List<String> transitions = new ArrayList<>();
    private final List<Long> answeredAtNs = new ArrayList<>();

    private final ProbeListener listener = new ProbeListener()
    {
        public void onProbeAnswered(final long route, final long seq, final long sendNs, final long rttNs, final long nowNs)
        {
            answeredAtNs.add(nowNs);
        }

        public void onPathStateChange(final long route, final boolean up, final long nowNs)
        {
            transitions.add((up ? "up@" : "down@") + nowNs / MS);
        }
    };

    private final Prober prober1 = new Prober(ProberConfig.DEFAULT, 1, network.transport(), listener, graph1, 42);
    private final Prober prober2 = new Prober(ProberConfig.DEFAULT, 2, network.transport(), new ProbeListener()
    {
    }, graph2, 43);

    ProberTest()
    {
        network.register(1, prober1);
        network.register(2, prober2);
        network.setRtt(DIRECT, 40 * MS);
        prober1.addPath(DIRECT, 0);
    }

    @Test
    void shouldMeasureRttThroughTheReflectorAndComeUp()
    {
        network.runUntil(2_000 * MS);

        final LatencyEstimator estimator = prober1.estimator(DIRECT);
        assertEquals(40 * MS, estimator.srttNs(), 1e-6);
        assertEquals(0.0, estimator.lossRate());
        assertTrue(prober1.detector(DIRECT).isUp());
        assertTrue(prober1.probesSent() >= 19 && prober1.probesSent() <= 23, "sent " + prober1.probesSent());
        assertEquals(prober1.probesSent(), prober2.repliesSent(), 1.0);
    }

    @Test
    void shouldMarkACutPathDownWithin350MsOfTheCut()
    {
        network.runUntil(3_000 * MS);
        assertTrue(prober1.detector(DIRECT).isUp());
        final long cutNs = 3_017 * MS;
        network.runUntil(cutNs);
        network.setCut(DIRECT, true);
        network.dropInFlight();

        network.runUntil(cutNs + 350 * MS);

        assertFalse(prober1.detector(DIRECT).isUp());
        final long downNs = prober1.detector(DIRECT).lastTransitionNs();
        assertTrue(downNs - cutNs <= 350 * MS, "down after " + (downNs - cutNs) / MS + " ms");
    }

    @Test
    void shouldComeBackOnlyAfterTheConfiguredGoodProbes()
    {
        network.runUntil(3_000 * MS);
        network.setCut(DIRECT, true);
        network.dropInFlight();
        network.runUntil(5_000 * MS);
        assertFalse(prober1.detector(DIRECT).isUp());

        final long restoreNs = network.nowNs;
        final int answeredBefore = answeredAtNs.size();
        network.setCut(DIRECT, false);
        network.runUntil(restoreNs + 2_000 * MS);

        assertTrue(prober1.detector(DIRECT).isUp());
        final long upNs = prober1.detector(DIRECT).lastTransitionNs();
        final long goodBeforeUp = answeredAtNs.subList(answeredBefore, answeredAtNs.size()).stream()
            .filter(t -> t <= upNs).count();
        assertEquals(5, goodBeforeUp);
        assertEquals(3, transitions.size(), transitions.toString());
    }

    @Test
    void shouldDeclareLossesAfterTheTimeoutAndCountThemInTheEstimator()
    {
        network.runUntil(1_000 * MS);
        // shorter than the detection time: one or two probes lost, the path stays up
        network.setCut(DIRECT, true);
        network.dropInFlight();
        network.runUntil(1_150 * MS);
        network.setCut(DIRECT, false);
        network.runUntil(3_000 * MS);

        assertTrue(prober1.detector(DIRECT).isUp());
        assertEquals(1, transitions.size(), transitions.toString());
        final LatencyEstimator estimator = prober1.estimator(DIRECT);
        assertTrue(estimator.lossRate() > 0.02 && estimator.lossRate() < 0.1, "loss " + estimator.lossRate());
        assertTrue(graph1.costNs(1, 2) > 40 * MS + 0.02 * LinkStateGraph.DEFAULT_LOSS_PENALTY_NS,
            "link cost " + graph1.costNs(1, 2) / MS);
    }

    @Test
    void shouldRestartTheLossWindowWhenAPathComesBackUpAfterAnOutage()
    {
        network.runUntil(1_000 * MS);
        network.setCut(DIRECT, true);
        network.dropInFlight();
        network.runUntil(3_000 * MS);
        assertFalse(prober1.detector(DIRECT).isUp());
        network.setCut(DIRECT, false);
        network.runUntil(4_000 * MS);

        // the ~20 probes lost during the outage priced it as down, not as loss of the recovered path
        assertTrue(prober1.detector(DIRECT).isUp());
        assertEquals(0.0, prober1.estimator(DIRECT).lossRate());
        assertTrue(prober1.estimator(DIRECT).decidedInWindow() >= 5);
        assertEquals(40 * MS, graph1.costNs(1, 2), 1e-6);
    }

    @Test
    void shouldKeepAPathLongerThanTheDetectionTimeUpAndStillDetectItsCutWithin350Ms()
    {
        // 450 ms RTT, longer than the 300 ms detection time: replies must count, not be declared lost
        final long longPath = Route.of(1, 2, 3);
        final Prober prober3 = new Prober(ProberConfig.DEFAULT, 3, network.transport(), new ProbeListener()
        {
        }, new LinkStateGraph(), 44);
        network.register(3, prober3);
        network.setRtt(longPath, 450 * MS);
        prober1.addPath(longPath, 0);
        network.runUntil(5_000 * MS);

        assertTrue(prober1.detector(longPath).isUp());
        assertEquals(450 * MS, prober1.estimator(longPath).srttNs(), 1e-6);
        assertEquals(0.0, prober1.estimator(longPath).lossRate());
        assertEquals(1, prober1.detector(longPath).transitions());

        final long cutNs = 5_013 * MS;
        network.runUntil(cutNs);
        network.setCut(longPath, true);
        network.dropInFlight();
        network.runUntil(cutNs + 350 * MS);
        assertFalse(prober1.detector(longPath).isUp());
        assertTrue(prober1.detector(longPath).lastTransitionNs() - cutNs <= 350 * MS);
    }

    @Test
    void shouldFollowAnRttJumpPastTheLossTimeoutWithoutDeclaringThePathDown()
    {
        network.setRtt(DIRECT, 200 * MS);
        network.runUntil(3_000 * MS);
        assertTrue(prober1.detector(DIRECT).isUp());
        final long lostBefore = lost(prober1.estimator(DIRECT));

        // congestion: 200 ms becomes 380 ms, beyond the path's loss timeout (300 ms: the detection
        // time, as the RTO is shorter); replies keep coming less than 300 ms apart, so it is up
        network.setRtt(DIRECT, 380 * MS);
        network.runUntil(8_000 * MS);

        assertTrue(prober1.detector(DIRECT).isUp(), transitions.toString());
        assertEquals(1, transitions.size(), transitions.toString());
        assertEquals(380 * MS, prober1.estimator(DIRECT).srttNs(), 20 * MS);
        assertTrue(lost(prober1.estimator(DIRECT)) - lostBefore <= 2, "lost " + (lost(prober1.estimator(DIRECT)) - lostBefore));
    }

    private static long lost(final LatencyEstimator estimator)
    {
        return Math.round(estimator.lossRate() * estimator.decidedInWindow());
    }

    @Test
    void shouldShareDirectLinkStateWithTheReflector()
    {
        network.runUntil(2_000 * MS);

        assertEquals(40_000, graph1.rttUs(1, 2));
        assertEquals(40_000, graph2.rttUs(1, 2));
    }

    @Test
    void shouldRejectRepliesThatAreNotPendingOrNotOurs()
    {
        network.runUntil(1_000 * MS);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[ProbeMessage.MAX_LENGTH]);
        final int length = ProbeMessage.putHeader(buffer, 0, ProbeMessage.TYPE_REPLY, 2, DIRECT, 1, 9_999, 0, 0, 0, 0);
        assertEquals(ProbeVerdict.NOT_PENDING, prober1.onProbeReply(buffer, 0, length, network.nowNs));

        ProbeMessage.putHeader(buffer, 0, ProbeMessage.TYPE_REPLY, 2, DIRECT, 99, 1, 0, 0, 0, 0);
        assertEquals(ProbeVerdict.UNKNOWN_PATH, prober1.onProbeReply(buffer, 0, length, network.nowNs));

        ProbeMessage.putHeader(buffer, 0, ProbeMessage.TYPE_REPLY, 3, Route.of(3, 2), 1, 1, 0, 0, 0, 0);
        assertEquals(ProbeVerdict.NOT_FOR_THIS_POP, prober1.onProbeReply(buffer, 0, length, network.nowNs));

        assertEquals(ProbeVerdict.TRUNCATED, prober1.onProbeReply(buffer, 0, 10, network.nowNs));
        assertEquals(1, prober1.verdictCount(ProbeVerdict.TRUNCATED));
    }

    @Test
    void shouldScheduleIdenticallyForTheSameSeed()
    {
        final List<Long> first = sendTimes(7);
        final List<Long> second = sendTimes(7);
        assertEquals(first, second);
        assertFalse(first.equals(sendTimes(8)));
        for (int i = 1; i < first.size(); i++)
        {
            final long gap = first.get(i) - first.get(i - 1);
            assertTrue(gap >= 90 * MS && gap <= 101 * MS, "gap " + gap);
        }
    }

    private static List<Long> sendTimes(final long seed)
    {
        final List<Long> times = new ArrayList<>();
        final long[] clock = {0};
        final Prober prober = new Prober(ProberConfig.DEFAULT, 1, (route, buffer, offset, length) ->
        {
            times.add(clock[0]);
            return true;
        }, new ProbeListener()
        {
        }, (from, to, rttUs, lossPpm, nowNs) ->
        {
        }, seed);
        prober.addPath(DIRECT, 0);
        for (clock[0] = 0; clock[0] < 2_000 * MS; clock[0] += MS)
        {
            prober.doWork(clock[0]);
        }
        return times;
    }
}
