package io.flyover.optimizer.probe;

import io.flyover.optimizer.PathOptimizer;
import io.flyover.optimizer.path.Route;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test network on a simulated clock: messages sent along a route arrive at its last POP after
 * half the route's RTT (set per route, or the sum of its links' RTTs), unless the route or one of
 * its links is cut when sent. Each POP's prober or optimizer gets messages through its
 * {@code onProbeMessage}.
 */
final class LoopbackNetwork
{
    private static final class InFlight
    {
        final long arriveNs;
        final int toPop;
        final byte[] bytes;

        InFlight(final long arriveNs, final int toPop, final byte[] bytes)
        {
            this.arriveNs = arriveNs;
            this.toPop = toPop;
            this.bytes = bytes;
        }
    }

    private final Map<Integer, Prober> probers = new HashMap<>();
    /** Explicit per-route one-way delays; they win over link sums. */
    private final Map<Long, Long> oneWayNs = new HashMap<>();
    private final Map<Long, Boolean> cut = new HashMap<>();
    private final Map<Long, Long> linkRttNs = new HashMap<>();
    private final Map<Long, Boolean> linkCut = new HashMap<>();
    private final List<InFlight> inFlight = new ArrayList<>();
    long nowNs;

    private interface Receiver
    {
        void onMessage(UnsafeBuffer buffer, int offset, int length, long nowNs);
    }

    private final Map<Integer, Receiver> receivers = new HashMap<>();

    void register(final int pop, final PathOptimizer optimizer)
    {
        receivers.put(pop, optimizer::onProbeMessage);
        optimizers.add(optimizer);
    }

    private final List<PathOptimizer> optimizers = new ArrayList<>();

    /** Sets a link's RTT; routes without an explicit RTT cost the sum of their links. */
    void setLinkRtt(final int a, final int b, final long rttNs)
    {
        linkRttNs.put(Route.of(a, b), rttNs);
        linkRttNs.put(Route.of(b, a), rttNs);
    }

    void setLinkCut(final int a, final int b, final boolean isCut)
    {
        linkCut.put(Route.of(a, b), isCut);
        linkCut.put(Route.of(b, a), isCut);
    }

    private long routeOneWayNs(final long route)
    {
        final Long explicit = oneWayNs.get(route);
        if (explicit != null)
        {
            return explicit;
        }
        long sum = 0;
        for (int i = 0; i + 1 < Route.length(route); i++)
        {
            final long link = Route.of(Route.pop(route, i), Route.pop(route, i + 1));
            final Long rtt = linkRttNs.get(link);
            if (rtt == null || linkCut.getOrDefault(link, false))
            {
                return -1;
            }
            sum += rtt;
        }
        return sum / 2;
    }

    ProbeTransport transport()
    {
        return this::send;
    }

    void register(final int pop, final Prober prober)
    {
        probers.put(pop, prober);
    }

    void setRtt(final long route, final long rttNs)
    {
        oneWayNs.put(route, rttNs / 2);
        oneWayNs.put(Route.reverse(route), rttNs / 2);
    }

    void setCut(final long route, final boolean isCut)
    {
        cut.put(route, isCut);
        cut.put(Route.reverse(route), isCut);
    }

    private boolean send(final long route, final DirectBuffer buffer, final int offset, final int length)
    {
        final long oneWay = routeOneWayNs(route);
        if (cut.getOrDefault(route, false) || oneWay < 0)
        {
            return true;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        inFlight.add(new InFlight(nowNs + oneWay, Route.egress(route), bytes));
        return true;
    }

    /**
     * Advances the clock to {@code untilNs} in 1 ms steps: delivers due messages, then runs every prober.
     */
    void runUntil(final long untilNs)
    {
        while (nowNs < untilNs)
        {
            nowNs += 1_000_000L;
            for (int i = 0; i < inFlight.size(); )
            {
                final InFlight message = inFlight.get(i);
                if (message.arriveNs <= nowNs)
                {
                    inFlight.remove(i);
                    final UnsafeBuffer buffer = new UnsafeBuffer(message.bytes);
                    if (probers.containsKey(message.toPop))
                    {
                        probers.get(message.toPop).onProbeMessage(buffer, 0, message.bytes.length, nowNs);
                    }
                    else if (receivers.containsKey(message.toPop))
                    {
                        receivers.get(message.toPop).onMessage(buffer, 0, message.bytes.length, nowNs);
                    }
                }
                else
                {
                    i++;
                }
            }
            for (final Prober prober : probers.values())
            {
                prober.doWork(nowNs);
            }
            for (final PathOptimizer optimizer : optimizers)
            {
                optimizer.doWork(nowNs);
            }
        }
    }

    void dropInFlight()
    {
        inFlight.clear();
    }
}
