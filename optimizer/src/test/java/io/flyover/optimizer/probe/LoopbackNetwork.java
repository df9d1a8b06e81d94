package io.flyover.optimizer.probe;

import io.flyover.optimizer.path.Route;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Test network on a simulated clock: messages sent along a route arrive at its last POP after
 * half the route's RTT, unless the route is cut at send or arrival time. Each POP's prober gets
 * messages through {@link Prober#onProbeMessage}.
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
    private final Map<Long, Long> oneWayNs = new HashMap<>();
    private final Map<Long, Boolean> cut = new HashMap<>();
    private final List<InFlight> inFlight = new ArrayList<>();
    long nowNs;

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
        if (cut.getOrDefault(route, false))
        {
            return true;
        }
        final byte[] bytes = new byte[length];
        buffer.getBytes(offset, bytes);
        inFlight.add(new InFlight(nowNs + oneWayNs.getOrDefault(route, 0L), Route.egress(route), bytes));
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
                    probers.get(message.toPop).onProbeMessage(new UnsafeBuffer(message.bytes), 0,
                        message.bytes.length, nowNs);
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
        }
    }

    void dropInFlight()
    {
        inFlight.clear();
    }
}
