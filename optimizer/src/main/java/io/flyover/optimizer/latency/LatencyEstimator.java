package io.flyover.optimizer.latency;

import java.util.Arrays;

/**
 * Latency, jitter and loss estimates of one path, from probe results and passive RTT samples.
 * <ul>
 *     <li>Smoothed RTT (EWMA, RFC 6298): {@code srtt += g·w·(rtt − srtt)}, g = {@code rttGain},
 *     w = 1 for probes and {@code passiveWeight} for passive samples; the first sample sets it.</li>
 *     <li>RTT variation (RFC 6298): {@code rttvar += β·w·(|rtt − srtt| − rttvar)}, before srtt moves.</li>
 *     <li>Jitter (RFC 3550 §6.4.1): {@code J += (|D| − J)/16}, D the difference between the RTTs of
 *     two consecutively answered probes. Passive samples do not touch it.</li>
 *     <li>p50/p95: nearest rank ({@code sorted[ceil(p·n) − 1]}) over the last
 *     {@code percentileWindow} probe RTTs, kept in a ring; no allocation after construction.</li>
 *     <li>Loss: lost / decided over the last {@code lossWindow} probe sequence numbers (from the
 *     highest seen); probes still pending count neither way; {@link #forgetLoss()} clears it when
 *     the path comes back up after an outage.</li>
 *     <li>Staleness: time since the last sample of either kind. Confidence, 0..1:
 *     {@code min(1, samples / percentileWindow) × min(1, staleAfterNs / staleness)}.</li>
 * </ul>
 * Not thread safe: owned by the optimizer thread.
 */
public final class LatencyEstimator
{
    private static final byte NONE = 0;
    private static final byte ANSWERED = 1;
    private static final byte LOST = 2;

    private final EstimatorConfig config;

    private double srttNs;
    private double rttVarNs;
    private double jitterNs;
    private long lastProbeRttNs = -1;
    private boolean hasRtt;
    private long probeSamples;
    private long passiveSamples;
    private long lastSampleNs;
    private boolean hasSample;

    private final long[] ring;
    private final long[] sorted;
    private int ringCount;
    private int ringNext;
    private boolean percentilesDirty;
    private long p50Ns = -1;
    private long p95Ns = -1;

    private final long[] slotSeq;
    private final byte[] slotOutcome;
    private long highestSeq = -1;
    private int answeredInWindow;
    private int lostInWindow;

    /**
     * @param config settings.
     */
    public LatencyEstimator(final EstimatorConfig config)
    {
        this.config = config;
        ring = new long[config.percentileWindow()];
        sorted = new long[config.percentileWindow()];
        slotSeq = new long[config.lossWindow()];
        slotOutcome = new byte[config.lossWindow()];
        Arrays.fill(slotSeq, -1);
    }

    /**
     * A probe was answered.
     *
     * @param seq    probe sequence number, ≥ 0.
     * @param sendNs when it was sent.
     * @param rttNs  measured round-trip time, ≥ 0.
     * @param nowNs  current time.
     */
    public void onProbeAnswered(final long seq, final long sendNs, final long rttNs, final long nowNs)
    {
        if (rttNs < 0 || !recordOutcome(seq, ANSWERED))
        {
            return;
        }
        smooth(rttNs, 1.0);
        if (lastProbeRttNs >= 0)
        {
            jitterNs += config.jitterGain() * (Math.abs(rttNs - lastProbeRttNs) - jitterNs);
        }
        lastProbeRttNs = rttNs;
        ring[ringNext] = rttNs;
        ringNext = ringNext + 1 == ring.length ? 0 : ringNext + 1;
        ringCount = Math.min(ringCount + 1, ring.length);
        percentilesDirty = true;
        probeSamples++;
        lastSampleNs = nowNs;
        hasSample = true;
    }

    /**
     * A probe was not answered in time.
     *
     * @param seq    probe sequence number, ≥ 0.
     * @param sendNs when it was sent.
     * @param nowNs  current time.
     */
    public void onProbeLost(final long seq, final long sendNs, final long nowNs)
    {
        recordOutcome(seq, LOST);
    }

    /**
     * A passive RTT sample, e.g. a TCP handshake seen by the data plane on this path.
     *
     * @param rttNs measured round-trip time, ≥ 0.
     * @param nowNs current time.
     */
    public void onPassiveRtt(final long rttNs, final long nowNs)
    {
        if (rttNs < 0)
        {
            return;
        }
        smooth(rttNs, config.passiveWeight());
        passiveSamples++;
        lastSampleNs = nowNs;
        hasSample = true;
    }

    /**
     * @return true once any RTT sample arrived.
     */
    public boolean hasRtt()
    {
        return hasRtt;
    }

    /**
     * @return smoothed RTT in nanoseconds, NaN before the first sample.
     */
    public double srttNs()
    {
        return hasRtt ? srttNs : Double.NaN;
    }

    /**
     * @return RTT mean deviation in nanoseconds (RFC 6298 RTTVAR), NaN before the first sample.
     */
    public double rttVarNs()
    {
        return hasRtt ? rttVarNs : Double.NaN;
    }

    /**
     * @return RFC 3550 jitter of probe RTTs in nanoseconds (0 until two probes were answered).
     */
    public double jitterNs()
    {
        return jitterNs;
    }

    /**
     * @return median of the windowed probe RTTs, −1 if none.
     */
    public long p50Ns()
    {
        updatePercentiles();
        return p50Ns;
    }

    /**
     * @return 95th percentile of the windowed probe RTTs, −1 if none.
     */
    public long p95Ns()
    {
        updatePercentiles();
        return p95Ns;
    }

    /**
     * @param p percentile as a fraction, 0 &lt; p ≤ 1.
     * @return the nearest-rank percentile of the windowed probe RTTs, −1 if none.
     */
    public long percentileNs(final double p)
    {
        updatePercentiles();
        if (ringCount == 0)
        {
            return -1;
        }
        final int rank = (int)Math.ceil(p * ringCount);
        return sorted[Math.min(ringCount, Math.max(1, rank)) - 1];
    }

    /**
     * @return lost fraction of the decided probes in the window, 0 if none decided.
     */
    public double lossRate()
    {
        final int decided = answeredInWindow + lostInWindow;
        return decided == 0 ? 0.0 : (double)lostInWindow / decided;
    }

    /**
     * Forgets the outcomes in the loss window (not the sequence numbers seen): when a path comes
     * back up, the probes lost during its outage are the failure detector's business, and counting
     * them as loss would price the recovered path as lossy for a whole window.
     */
    public void forgetLoss()
    {
        Arrays.fill(slotSeq, -1);
        Arrays.fill(slotOutcome, NONE);
        answeredInWindow = 0;
        lostInWindow = 0;
    }

    /**
     * @return probes decided (answered or lost) within the loss window.
     */
    public int decidedInWindow()
    {
        return answeredInWindow + lostInWindow;
    }

    /**
     * @return answered probes since creation.
     */
    public long probeSamples()
    {
        return probeSamples;
    }

    /**
     * @return passive samples since creation.
     */
    public long passiveSamples()
    {
        return passiveSamples;
    }

    /**
     * @param nowNs current time.
     * @return time since the last sample, {@link Long#MAX_VALUE} if there was none.
     */
    public long stalenessNs(final long nowNs)
    {
        return hasSample ? nowNs - lastSampleNs : Long.MAX_VALUE;
    }

    /**
     * @param nowNs current time.
     * @return confidence 0..1 as documented on the class.
     */
    public double confidence(final long nowNs)
    {
        if (!hasSample)
        {
            return 0.0;
        }
        final double count = Math.min(1.0, (probeSamples + passiveSamples * config.passiveWeight()) /
            config.percentileWindow());
        final long staleness = Math.max(1L, stalenessNs(nowNs));
        final double freshness = Math.min(1.0, (double)config.staleAfterNs() / staleness);
        return count * freshness;
    }

    private void smooth(final long rttNs, final double weight)
    {
        if (!hasRtt)
        {
            srttNs = rttNs;
            rttVarNs = rttNs / 2.0;
            hasRtt = true;
            return;
        }
        rttVarNs += config.rttVarGain() * weight * (Math.abs(rttNs - srttNs) - rttVarNs);
        srttNs += config.rttGain() * weight * (rttNs - srttNs);
    }

    private boolean recordOutcome(final long seq, final byte outcome)
    {
        if (seq < 0)
        {
            return false;
        }
        final int window = slotSeq.length;
        if (seq > highestSeq)
        {
            final long first = Math.max(highestSeq + 1, seq - window + 1);
            for (long s = first; s <= seq; s++)
            {
                clearSlot((int)(s % window));
            }
            highestSeq = seq;
        }
        else if (seq <= highestSeq - window)
        {
            return false;
        }
        final int slot = (int)(seq % window);
        if (slotSeq[slot] == seq)
        {
            return false;
        }
        clearSlot(slot);
        slotSeq[slot] = seq;
        slotOutcome[slot] = outcome;
        if (outcome == ANSWERED)
        {
            answeredInWindow++;
        }
        else
        {
            lostInWindow++;
        }
        return true;
    }

    private void clearSlot(final int slot)
    {
        if (slotSeq[slot] >= 0)
        {
            if (slotOutcome[slot] == ANSWERED)
            {
                answeredInWindow--;
            }
            else if (slotOutcome[slot] == LOST)
            {
                lostInWindow--;
            }
            slotSeq[slot] = -1;
            slotOutcome[slot] = NONE;
        }
    }

    private void updatePercentiles()
    {
        if (!percentilesDirty)
        {
            return;
        }
        System.arraycopy(ring, 0, sorted, 0, ringCount);
        Arrays.sort(sorted, 0, ringCount);
        p50Ns = sorted[Math.max(1, (int)Math.ceil(0.50 * ringCount)) - 1];
        p95Ns = sorted[Math.max(1, (int)Math.ceil(0.95 * ringCount)) - 1];
        percentilesDirty = false;
    }
}
