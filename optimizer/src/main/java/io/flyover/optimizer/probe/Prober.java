package io.flyover.optimizer.probe;

import io.flyover.optimizer.latency.FailureDetector;
import io.flyover.optimizer.latency.LatencyEstimator;
import io.flyover.optimizer.linkstate.LinkStateSink;
import io.flyover.optimizer.path.Route;
import org.agrona.DirectBuffer;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.collections.Long2ObjectHashMap;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Probe logic of one POP, without I/O: a schedule per path (every interval, minus a seeded random
 * jitter), sequence numbers, a window of pending probes to match replies and to declare losses
 * (no reply by {@code sendNs} plus the larger of {@code interval × detectMultiplier} and the
 * path's RTO {@code SRTT + 4 × RTTVAR}, or a reply to a later probe arrived first), and the
 * resulting samples fed to
 * each path's {@link LatencyEstimator} and {@link FailureDetector}, then to a {@link ProbeListener}.
 * It also reflects probes addressed to this POP, and exchanges link state: every message carries
 * some of this POP's direct-link measurements (rotating through them) and every valid message
 * received hands its entries to a {@link LinkStateSink}.
 * <p>
 * Deterministic for a given seed and call sequence. Allocates only when paths are added.
 * Not thread safe: owned by the optimizer thread ({@link #doWork(long)} and the {@code on*}
 * entry points run there).
 */
public final class Prober
{
    /** Loss-timeout doublings at most: 16 × the RTO, capped by the pending window anyway. */
    private static final int MAX_BACKOFF = 4;

    private final ProberConfig config;
    private final int localPop;
    private final ProbeTransport transport;
    private final ProbeListener listener;
    private final LinkStateSink linkStateSink;
    private final SplittableRandom random;
    private final long minLossTimeoutNs;
    private final long maxLossTimeoutNs;
    private final MutableDirectBuffer sendBuffer = new ExpandableArrayBuffer(ProbeMessage.MAX_LENGTH);
    private final Long2ObjectHashMap<ProbedPath> pathByRoute = new Long2ObjectHashMap<>();
    private final List<ProbedPath> paths = new ArrayList<>();
    private final List<ProbedPath> directPaths = new ArrayList<>();
    private final long[] verdictCounts = new long[ProbeVerdict.maxId() + 1];
    private int nextPathId = 1;
    private int entryCursor;
    private long probesSent;
    private long repliesSent;

    /**
     * @param config        settings.
     * @param localPop      this POP's id.
     * @param transport     sends probes and replies.
     * @param listener      receives per-path results.
     * @param linkStateSink receives link-state entries: peers' and this POP's direct links.
     * @param seed          seed of the schedule jitter.
     */
    public Prober(
        final ProberConfig config,
        final int localPop,
        final ProbeTransport transport,
        final ProbeListener listener,
        final LinkStateSink linkStateSink,
        final long seed)
    {
        if (localPop < Route.MIN_POP || localPop > Route.MAX_POP)
        {
            throw new IllegalArgumentException("POP id out of 1..65535: " + localPop);
        }
        this.config = config;
        this.localPop = localPop;
        this.transport = transport;
        this.listener = listener;
        this.linkStateSink = linkStateSink;
        this.random = new SplittableRandom(seed);
        this.minLossTimeoutNs = config.failure().detectionTimeNs();
        this.maxLossTimeoutNs = Math.max(minLossTimeoutNs,
            (long)((config.pendingWindow() - 1) * config.failure().intervalNs() * (1 - config.jitterFraction())));
    }

    /**
     * Starts probing a path. Its first probe goes out at a random phase within one interval.
     *
     * @param route packed route starting at this POP.
     * @param nowNs current time.
     * @return true if added, false if already probed.
     */
    public boolean addPath(final long route, final long nowNs)
    {
        if (!Route.isValid(route) || Route.ingress(route) != localPop)
        {
            throw new IllegalArgumentException("not a valid route from POP " + localPop + ": " + Route.toString(route));
        }
        if (pathByRoute.containsKey(route))
        {
            return false;
        }
        final ProbedPath path = new ProbedPath(route, nextPathId++, config, nowNs);
        path.nextSendNs = nowNs + (long)(random.nextDouble() * config.failure().intervalNs());
        pathByRoute.put(route, path);
        paths.add(path);
        if (Route.hops(route) == 1)
        {
            directPaths.add(path);
        }
        return true;
    }

    /**
     * Stops probing a path; replies still in flight for it will be {@link ProbeVerdict#UNKNOWN_PATH}.
     *
     * @param route packed route.
     * @return true if it was probed.
     */
    public boolean removePath(final long route)
    {
        final ProbedPath path = pathByRoute.remove(route);
        if (path == null)
        {
            return false;
        }
        paths.remove(path);
        directPaths.remove(path);
        return true;
    }

    /**
     * Sends due probes, declares overdue ones lost and checks detection times.
     *
     * @param nowNs current time.
     * @return work done: probes sent plus losses declared plus transitions.
     */
    public int doWork(final long nowNs)
    {
        int work = 0;
        for (int i = 0, n = paths.size(); i < n; i++)
        {
            final ProbedPath path = paths.get(i);
            work += expire(path, nowNs);
            if (nowNs - path.nextSendNs >= 0)
            {
                work += send(path, nowNs);
            }
            final int transition = path.detector.onTick(nowNs);
            if (transition != FailureDetector.NO_CHANGE)
            {
                onTransition(path, transition, nowNs);
                work++;
            }
        }
        return work;
    }

    /**
     * Handles any probe message: a request is reflected, a reply is matched.
     *
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length.
     * @param nowNs  arrival time.
     * @return the verdict, also counted.
     */
    public ProbeVerdict onProbeMessage(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        final ProbeVerdict verdict = ProbeMessage.validate(buffer, offset, length);
        if (verdict != ProbeVerdict.OK)
        {
            return count(verdict);
        }
        return ProbeMessage.type(buffer, offset) == ProbeMessage.TYPE_REQUEST ?
            reflect(buffer, offset, nowNs) : matchReply(buffer, offset, nowNs);
    }

    /**
     * Handles a reply to one of this POP's probes.
     *
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length.
     * @param nowNs  arrival time.
     * @return the verdict, also counted.
     */
    public ProbeVerdict onProbeReply(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        final ProbeVerdict verdict = ProbeMessage.validate(buffer, offset, length);
        if (verdict != ProbeVerdict.OK)
        {
            return count(verdict);
        }
        if (ProbeMessage.type(buffer, offset) != ProbeMessage.TYPE_REPLY)
        {
            return count(ProbeVerdict.UNEXPECTED_TYPE);
        }
        return matchReply(buffer, offset, nowNs);
    }

    /**
     * Reflects a probe whose route ends at this POP: sends the reply back along the reversed route.
     *
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length its length.
     * @param nowNs  arrival time.
     * @return the verdict, also counted.
     */
    public ProbeVerdict onProbeRequest(final DirectBuffer buffer, final int offset, final int length, final long nowNs)
    {
        final ProbeVerdict verdict = ProbeMessage.validate(buffer, offset, length);
        if (verdict != ProbeVerdict.OK)
        {
            return count(verdict);
        }
        if (ProbeMessage.type(buffer, offset) != ProbeMessage.TYPE_REQUEST)
        {
            return count(ProbeVerdict.UNEXPECTED_TYPE);
        }
        return reflect(buffer, offset, nowNs);
    }

    /**
     * @param route packed route.
     * @return its estimator, or null if the route is not probed.
     */
    public LatencyEstimator estimator(final long route)
    {
        final ProbedPath path = pathByRoute.get(route);
        return path == null ? null : path.estimator;
    }

    /**
     * @param route packed route.
     * @return its failure detector, or null if the route is not probed.
     */
    public FailureDetector detector(final long route)
    {
        final ProbedPath path = pathByRoute.get(route);
        return path == null ? null : path.detector;
    }

    /**
     * @return the probed routes, in the order they were added (a new array; control thread).
     */
    public long[] routes()
    {
        final long[] routes = new long[paths.size()];
        for (int i = 0; i < routes.length; i++)
        {
            routes[i] = paths.get(i).route;
        }
        return routes;
    }

    /**
     * @return paths probed.
     */
    public int pathCount()
    {
        return paths.size();
    }

    /**
     * @param verdict a verdict.
     * @return how many messages got it.
     */
    public long verdictCount(final ProbeVerdict verdict)
    {
        return verdictCounts[verdict.id()];
    }

    /**
     * @return probes handed to the transport.
     */
    public long probesSent()
    {
        return probesSent;
    }

    /**
     * @return replies handed to the transport.
     */
    public long repliesSent()
    {
        return repliesSent;
    }

    private int send(final ProbedPath path, final long nowNs)
    {
        final double jitter = 1.0 - config.jitterFraction() * random.nextDouble();
        path.nextSendNs = nowNs + (long)(config.failure().intervalNs() * jitter);
        int work = 0;
        if (path.nextSeq - path.oldestPending >= path.pendingSeq.length)
        {
            work += declareLost(path, path.oldestPending, nowNs);
        }
        final long seq = path.nextSeq;
        final int entries = putLocalEntries();
        final int length = ProbeMessage.putHeader(
            sendBuffer, 0, ProbeMessage.TYPE_REQUEST, localPop, path.route, path.pathId, seq, nowNs, 0, 0, entries);
        if (!transport.send(path.route, sendBuffer, 0, length))
        {
            count(ProbeVerdict.SEND_FAILED);
            return work;
        }
        final int slot = (int)(seq & (path.pendingSeq.length - 1));
        path.pendingSeq[slot] = seq;
        path.pendingSendNs[slot] = nowNs;
        path.pendingAnswered[slot] = false;
        path.nextSeq = seq + 1;
        probesSent++;
        return work + 1;
    }

    private int putLocalEntries()
    {
        final int available = directPaths.size();
        final int max = Math.min(config.maxEntriesPerProbe(), available);
        int written = 0;
        for (int i = 0; i < available && written < max; i++)
        {
            final ProbedPath path = directPaths.get((entryCursor + i) % available);
            if (path.estimator.hasRtt())
            {
                ProbeMessage.putEntry(sendBuffer, 0, written, localPop, Route.egress(path.route),
                    rttUs(path), lossPpm(path));
                written++;
            }
        }
        entryCursor = available == 0 ? 0 : (entryCursor + max) % available;
        return written;
    }

    private int expire(final ProbedPath path, final long nowNs)
    {
        int work = 0;
        while (path.oldestPending < path.nextSeq)
        {
            final int slot = (int)(path.oldestPending & (path.pendingSeq.length - 1));
            if (path.pendingAnswered[slot])
            {
                path.oldestPending++;
            }
            else if (nowNs - path.pendingSendNs[slot] >= lossTimeoutNs(path))
            {
                work += declareLost(path, path.oldestPending, nowNs);
                path.backoff = Math.min(path.backoff + 1, MAX_BACKOFF);
            }
            else
            {
                break;
            }
        }
        return work;
    }

    /**
     * How long a probe may wait for its reply before it is lost: the detection time, or the
     * path's retransmission timeout (RFC 6298: SRTT + 4 × RTTVAR) when that is longer, so a path
     * whose RTT exceeds the detection time is not declared lost probe by probe; doubled for each
     * timeout in a row since the last reply (Karn's backoff: when the RTT jumps past the timeout,
     * as in congestion, the next probes wait long enough for their replies to count); at most
     * what the pending window allows, and that before the first RTT sample (a long path's first
     * replies must count). Liveness does not wait for it: the detector goes down by time,
     * {@code detectMultiplier} intervals after the last reply, whatever the RTT.
     */
    private long lossTimeoutNs(final ProbedPath path)
    {
        final LatencyEstimator estimator = path.estimator;
        if (!estimator.hasRtt())
        {
            return maxLossTimeoutNs;
        }
        final double rtoNs = Math.max(minLossTimeoutNs, estimator.srttNs() + 4 * estimator.rttVarNs());
        return Math.min(maxLossTimeoutNs, (long)rtoNs << path.backoff);
    }

    private int declareLost(final ProbedPath path, final long seq, final long nowNs)
    {
        final int slot = (int)(seq & (path.pendingSeq.length - 1));
        final long sendNs = path.pendingSendNs[slot];
        path.pendingAnswered[slot] = true;
        path.oldestPending = seq + 1;
        path.estimator.onProbeLost(seq, sendNs, nowNs);
        listener.onProbeLost(path.route, seq, sendNs, nowNs);
        final int transition = path.detector.onProbeLost(nowNs);
        if (transition != FailureDetector.NO_CHANGE)
        {
            onTransition(path, transition, nowNs);
        }
        return 1;
    }

    private ProbeVerdict matchReply(final DirectBuffer buffer, final int offset, final long nowNs)
    {
        final long route = ProbeMessage.route(buffer, offset);
        if (Route.ingress(route) != localPop)
        {
            return count(ProbeVerdict.NOT_FOR_THIS_POP);
        }
        final ProbedPath path = pathByRoute.get(route);
        if (path == null || path.pathId != ProbeMessage.pathId(buffer, offset))
        {
            return count(ProbeVerdict.UNKNOWN_PATH);
        }
        final long seq = ProbeMessage.sequence(buffer, offset);
        final int slot = (int)(seq & (path.pendingSeq.length - 1));
        final long sendNs = ProbeMessage.sendNs(buffer, offset);
        if (seq < path.oldestPending || seq >= path.nextSeq || path.pendingSeq[slot] != seq ||
            path.pendingAnswered[slot] || path.pendingSendNs[slot] != sendNs)
        {
            return count(ProbeVerdict.NOT_PENDING);
        }
        // A reply overtaking older pending probes: those are lost (reordering is rare in a tunnel).
        while (path.oldestPending < seq)
        {
            final int older = (int)(path.oldestPending & (path.pendingSeq.length - 1));
            if (path.pendingAnswered[older])
            {
                path.oldestPending++;
            }
            else
            {
                declareLost(path, path.oldestPending, nowNs);
            }
        }
        final long residenceNs = ProbeMessage.echoTransmitNs(buffer, offset) - ProbeMessage.echoReceiveNs(buffer, offset);
        final long rttNs = Math.max(0, nowNs - sendNs - residenceNs);
        path.pendingAnswered[slot] = true;
        path.backoff = 0;
        ProbeMessage.forEachEntry(buffer, offset, linkStateSink, nowNs);
        path.estimator.onProbeAnswered(seq, sendNs, rttNs, nowNs);
        listener.onProbeAnswered(route, seq, sendNs, rttNs, nowNs);
        final int transition = path.detector.onProbeAnswered(nowNs);
        if (transition != FailureDetector.NO_CHANGE)
        {
            onTransition(path, transition, nowNs);
        }
        else if (path.detector.isUp() && Route.hops(route) == 1)
        {
            linkStateSink.onLinkState(localPop, Route.egress(route), rttUs(path), lossPpm(path), nowNs);
        }
        expire(path, nowNs);
        return count(ProbeVerdict.OK);
    }

    private ProbeVerdict reflect(final DirectBuffer buffer, final int offset, final long nowNs)
    {
        final long route = ProbeMessage.route(buffer, offset);
        if (Route.egress(route) != localPop)
        {
            return count(ProbeVerdict.NOT_FOR_THIS_POP);
        }
        ProbeMessage.forEachEntry(buffer, offset, linkStateSink, nowNs);
        final int entries = putLocalEntries();
        final int length = ProbeMessage.putHeader(
            sendBuffer, 0, ProbeMessage.TYPE_REPLY, localPop, route, ProbeMessage.pathId(buffer, offset),
            ProbeMessage.sequence(buffer, offset), ProbeMessage.sendNs(buffer, offset), nowNs, nowNs, entries);
        if (!transport.send(Route.reverse(route), sendBuffer, 0, length))
        {
            return count(ProbeVerdict.SEND_FAILED);
        }
        repliesSent++;
        return count(ProbeVerdict.OK);
    }

    private void onTransition(final ProbedPath path, final int transition, final long nowNs)
    {
        final boolean up = transition == FailureDetector.WENT_UP;
        if (up)
        {
            path.estimator.forgetLoss();
        }
        if (Route.hops(path.route) == 1)
        {
            linkStateSink.onLinkState(localPop, Route.egress(path.route), rttUs(path),
                up ? lossPpm(path) : LinkStateSink.LOSS_PPM_DOWN, nowNs);
        }
        listener.onPathStateChange(path.route, up, nowNs);
    }

    private ProbeVerdict count(final ProbeVerdict verdict)
    {
        verdictCounts[verdict.id()]++;
        return verdict;
    }

    private static int rttUs(final ProbedPath path)
    {
        final double srttNs = path.estimator.srttNs();
        return Double.isNaN(srttNs) ? 0 : (int)Math.min(Integer.MAX_VALUE, Math.round(srttNs / 1000.0));
    }

    private static int lossPpm(final ProbedPath path)
    {
        if (!path.detector.isUp())
        {
            return LinkStateSink.LOSS_PPM_DOWN;
        }
        return (int)Math.round(path.estimator.lossRate() * 1e6);
    }

    private static final class ProbedPath
    {
        private final long route;
        private final int pathId;
        private final LatencyEstimator estimator;
        private final FailureDetector detector;
        private final long[] pendingSeq;
        private final long[] pendingSendNs;
        private final boolean[] pendingAnswered;
        private long nextSeq;
        private long oldestPending;
        private long nextSendNs;
        /** Timeouts in a row since the last reply: each doubles the loss timeout (Karn), up to the window. */
        private int backoff;

        private ProbedPath(final long route, final int pathId, final ProberConfig config, final long nowNs)
        {
            this.route = route;
            this.pathId = pathId;
            this.estimator = new LatencyEstimator(config.estimator());
            this.detector = new FailureDetector(config.failure(), nowNs);
            this.pendingSeq = new long[config.pendingWindow()];
            this.pendingSendNs = new long[config.pendingWindow()];
            this.pendingAnswered = new boolean[config.pendingWindow()];
            Arrays.fill(pendingSeq, -1);
        }
    }
}
