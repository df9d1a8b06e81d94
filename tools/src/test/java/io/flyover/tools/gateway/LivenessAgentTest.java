package io.flyover.tools.gateway;

import io.flyover.dataplane.engine.EngineEvents;
import io.flyover.dataplane.protocol.FlyoverOptionFlyweight;
import io.flyover.dataplane.protocol.FlyoverRoute;
import io.flyover.dataplane.protocol.GeneveEncapsulator;
import io.flyover.dataplane.protocol.GeneveFlyweight;
import io.flyover.dataplane.protocol.Ipv4Flyweight;
import io.flyover.dataplane.table.ForwardingTables;
import io.flyover.nativeio.Ipv4;
import io.flyover.tools.config.GatewayConfig;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Two liveness agents, A (1) and C (3), on a manual clock: each one's frames are handed to the
 * other's event ring as the pipeline would post them (the OAM packet's route and inner packet), at
 * once or after a one-way delay, or dropped while the "link" is cut. Checks the BFD timing exactly:
 * up after three answers, down at the detection time (100 ms × 3) after the last answer, lost
 * keepalives counted, a peer farther than the detection time, and a republish on every change of
 * the live set.
 */
class LivenessAgentTest
{
    private static final long STEP_NS = 5_000_000L;

    @TempDir
    Path dir;

    private long nowNs = 1_000_000_000L;
    private boolean cut;

    @Test
    void shouldComeUpAfterThreeAnswersGoDownAtTheDetectionTimeAndComeBack()
    {
        final TwoPops pops = new TwoPops();
        final AtomicInteger toElsewhere = new AtomicInteger();

        final LivenessAgent.FrameSink network = (buffer, offset, length) ->
        {
            assertTrue(GeneveFlyweight.oam(buffer, offset + GeneveEncapsulator.GENEVE_OFFSET), "O bit set");
            assertEquals(0, GeneveFlyweight.vni(buffer, offset + GeneveEncapsulator.GENEVE_OFFSET), "VNI 0");
            final int dst = Ipv4Flyweight.dstAddress(buffer, offset);
            if (cut || (dst != pops.addressA && dst != pops.addressC))
            {
                toElsewhere.incrementAndGet();
                return true;
            }
            final int option = offset + GeneveEncapsulator.FLYOVER_OPTION_OFFSET;
            final long route = FlyoverOptionFlyweight.route(buffer, option);
            final boolean answer = FlyoverOptionFlyweight.returnPath(buffer, option);
            assertEquals(answer ? 0 : 1, FlyoverOptionFlyweight.hopIndex(buffer, option));
            assertEquals(answer ? FlyoverRoute.pop(route, 1) : FlyoverRoute.pop(route, 0),
                dst == pops.addressA ? 3 : 1, "sent by the POP at the right end of the route");
            pops.deliver(buffer, offset, length);
            return true;
        };
        final AtomicInteger changesA = new AtomicInteger();
        final LivenessAgent a = new LivenessAgent(() -> pops.configA, () -> pops.tablesA, pops.eventsA, network, () -> nowNs,
            changesA::incrementAndGet, 1);
        final LivenessAgent c = new LivenessAgent(() -> pops.configC, () -> pops.tablesC, pops.eventsC, network, () -> nowNs,
            () -> { }, 2);

        assertFalse(a.isLive(3), "a peer starts init, not live");
        assertTrue(a.isLive(42), "an unknown POP is not liveness's business");
        final long startNs = nowNs;
        final long upAt = runUntil(a, c, () -> a.isLive(3), 2_000_000_000L);
        assertTrue(upAt - startNs >= 2 * 90_000_000L, "three answers need two intervals (jittered): " + (upAt - startNs));
        assertTrue(upAt - startNs <= 3 * 100_000_000L, "up after the third answer: " + (upAt - startNs));
        assertEquals(1, changesA.get());
        assertEquals("up", a.peers().get(3).state().label());
        runUntil(a, c, () -> c.isLive(1), 200_000_000L); // C probes A on its own (jittered) schedule

        final long cutAt = nowNs;
        cut = true;
        final long downAt = runUntil(a, c, () -> !a.isLive(3), 2_000_000_000L);
        assertTrue(downAt - cutAt >= 300_000_000L - 100_000_000L, "no earlier than the detection time after the last "
            + "answer: " + (downAt - cutAt));
        assertTrue(downAt - cutAt <= 300_000_000L + STEP_NS, "at the detection time: " + (downAt - cutAt));
        assertEquals("down", a.peers().get(3).state().label());
        assertEquals(2, changesA.get());
        runUntil(a, c, () -> a.peers().get(3).lost.get() >= 3, 2_000_000_000L);

        final long healAt = nowNs;
        cut = false;
        final long backAt = runUntil(a, c, () -> a.isLive(3), 2_000_000_000L);
        assertTrue(backAt - healAt <= 3 * 100_000_000L + STEP_NS, "three answers after healing: " + (backAt - healAt));
        assertEquals(3, changesA.get());
        assertEquals(3, a.peers().get(3).transitions.get());
        assertEquals(0, a.malformed());
        assertTrue(c.peers().get(1).reflected.get() >= 6);
        assertTrue(a.peers().get(3).sent.get() >= a.peers().get(3).received.get() + a.peers().get(3).lost.get());
        assertTrue(toElsewhere.get() > 0, "C's keepalives to B (absent) and the cut ones went nowhere");
    }

    @Test
    void shouldBringUpAPeerFartherThanTheDetectionTimeAndStillDetectItsCut()
    {
        // 450 ms round trip: every answer arrives after the 300 ms detection time
        final TwoPops pops = new TwoPops();
        final long oneWayNs = 225_000_000L;
        final LivenessAgent.FrameSink network = (buffer, offset, length) ->
        {
            if (!cut)
            {
                final UnsafeBuffer copy = new UnsafeBuffer(new byte[length]);
                copy.putBytes(0, buffer, offset, length);
                inFlight.add(new InFlight(nowNs + oneWayNs, copy, pops));
            }
            return true;
        };
        final LivenessAgent a = new LivenessAgent(() -> pops.configA, () -> pops.tablesA, pops.eventsA, network, () -> nowNs,
            () -> { }, 1);
        final LivenessAgent c = new LivenessAgent(() -> pops.configC, () -> pops.tablesC, pops.eventsC, network, () -> nowNs,
            () -> { }, 2);

        final long startNs = nowNs;
        final long upAt = runUntil(a, c, () -> a.isLive(3), 2_000_000_000L);
        assertTrue(upAt - startNs <= 450_000_000L + 3 * 100_000_000L, "up after three answers: " + (upAt - startNs));
        runUntil(a, c, () -> false, 3_000_000_000L, true);
        assertTrue(a.isLive(3), "stays up");
        assertEquals(0, a.peers().get(3).lost.get(), "no answer counted lost");
        assertEquals(0, a.peers().get(3).late.get(), "no answer ignored as late");
        assertEquals(450, a.peers().get(3).lastRttNs() / 1_000_000, 5);

        final long cutAt = nowNs;
        cut = true;
        inFlight.clear();
        final long downAt = runUntil(a, c, () -> !a.isLive(3), 2_000_000_000L);
        assertTrue(downAt - cutAt <= 300_000_000L + STEP_NS, "down at the detection time: " + (downAt - cutAt));
        cut = false;
    }

    /** A frame on its way, delivered to its POP's ring when its time comes. */
    private record InFlight(long dueNs, UnsafeBuffer bytes, TwoPops pops)
    {
    }

    private final List<InFlight> inFlight = new ArrayList<>();

    private long runUntil(
        final LivenessAgent a, final LivenessAgent c, final BooleanSupplier done, final long maxNs)
    {
        return runUntil(a, c, done, maxNs, false);
    }

    private long runUntil(
        final LivenessAgent a, final LivenessAgent c, final BooleanSupplier done, final long maxNs,
        final boolean forTheWholeTime)
    {
        final long deadline = nowNs + maxNs;
        while (!done.getAsBoolean())
        {
            if (forTheWholeTime && nowNs - deadline >= 0)
            {
                return nowNs;
            }
            assertTrue(nowNs - deadline < 0, "did not happen within " + maxNs / 1_000_000 + " ms of test time");
            nowNs += STEP_NS;
            for (final Iterator<InFlight> it = inFlight.iterator(); it.hasNext(); )
            {
                final InFlight frame = it.next();
                if (nowNs - frame.dueNs() >= 0)
                {
                    it.remove();
                    frame.pops().deliver(frame.bytes(), 0, frame.bytes().capacity());
                }
            }
            for (int i = 0; i < 3; i++)
            {
                a.doWork();
                c.doWork();
            }
        }
        return nowNs;
    }

    @Test
    void shouldAnswerAnOptimizersProbesAndBeAnsweredByItDuringARollout()
    {
        final TwoPops pops = new TwoPops();
        final LivenessAgent.FrameSink network = (buffer, offset, length) ->
        {
            pops.deliver(buffer, offset, length);
            return true;
        };
        // A runs the optimizer, C still runs liveness keepalives
        final io.flyover.optimizer.control.ControlPlane a = new io.flyover.optimizer.control.ControlPlane(
            ConfigCompiler.controlPlane(pops.configA, 1), () -> pops.tablesA, pops.eventsA, network::offer, () -> nowNs,
            learned -> { }, io.flyover.optimizer.journal.OptimizerJournal.NONE);
        final LivenessAgent c = new LivenessAgent(() -> pops.configC, () -> pops.tablesC, pops.eventsC, network, () -> nowNs,
            () -> { }, 2);
        final long direct = io.flyover.optimizer.path.Route.of(1, 3);
        final long deadline = nowNs + 3_000_000_000L;
        while (!(a.optimizer().prober().detector(direct).isUp() && c.isLive(1)))
        {
            assertTrue(nowNs - deadline < 0, "both sides up within 3 s of test time");
            nowNs += STEP_NS;
            for (int i = 0; i < 3; i++)
            {
                a.doWork();
                c.doWork();
            }
        }
        assertTrue(c.peers().get(1).reflected.get() >= 5, "C's liveness agent answered A's probes");
        assertEquals(0, c.malformed());
        assertTrue(a.optimizer().prober().estimator(direct).probeSamples() >= 5, "A matched the answers (path id echoed)");
        assertTrue(a.optimizer().prober().repliesSent() >= 3, "A's control plane answered C's keepalives");
    }

    /**
     * POPs A and C from {@link GatewayTestConfigs}, compiled, each with its own event ring, and the
     * hand-off of an OAM frame to the ring of the POP it is addressed to, as the pipeline would
     * post it (the packet's route and inner packet) at the test's current time.
     */
    private final class TwoPops
    {
        final GatewayConfig configA = GatewayEndToEndTest.load(GatewayTestConfigs.write(dir.resolve("a.yaml"),
            GatewayTestConfigs.popA(30_000, 30_010, dir, "shared", 1)));
        final GatewayConfig configC = GatewayEndToEndTest.load(GatewayTestConfigs.write(dir.resolve("c.yaml"),
            GatewayTestConfigs.popC(30_010, 30_000, dir, 1)));
        final ForwardingTables tablesA = ConfigCompiler.tables(configA, 1);
        final ForwardingTables tablesC = ConfigCompiler.tables(configC, 1);
        final EngineEvents eventsA = new EngineEvents(1 << 16);
        final EngineEvents eventsC = new EngineEvents(1 << 16);
        final int addressA = Ipv4.parse("127.0.0.1");
        final int addressC = Ipv4.parse("127.0.0.3");
        private final EngineEvents.Writer toA = eventsA.writer(0);
        private final EngineEvents.Writer toC = eventsC.writer(0);

        /**
         * Posts the frame to A's or C's event ring; a frame to any other address goes nowhere.
         */
        void deliver(final DirectBuffer buffer, final int offset, final int length)
        {
            final int dst = Ipv4Flyweight.dstAddress(buffer, offset);
            if (dst == addressA || dst == addressC)
            {
                final long route = FlyoverOptionFlyweight.route(buffer, offset + GeneveEncapsulator.FLYOVER_OPTION_OFFSET);
                (dst == addressA ? toA : toC).probe(route, nowNs, buffer, offset + GeneveEncapsulator.ENCAP_LENGTH,
                    length - GeneveEncapsulator.ENCAP_LENGTH);
            }
        }
    }
}
