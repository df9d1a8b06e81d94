package io.flyover.optimizer.policy;

import io.flyover.optimizer.path.Route;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Chooses how new flows toward one destination POP spread over its candidate paths.
 * <p>
 * <b>Cost.</b> From discounted evidence ({@link DiscountedArms}):
 * {@code cost = mean RTT + lossPenalty × (loss fraction + failure rate × outage)}; probes weigh 1,
 * passive RTT samples {@code passiveWeight}.
 * <p>
 * <b>Preferred path and hysteresis.</b> The preferred path changes only when the cheapest other
 * live path with at least {@code minSamples} of evidence beats it by
 * {@code max(absoluteMargin, relativeMargin × preferred cost, confidenceZ × standard error of the
 * difference of the two means)}, continuously for {@code hold}, <i>and</i> also beats it by
 * {@code max(absoluteMargin, stableMargin × preferred stable cost)} on the stable horizon
 * (half-life {@code stableHalfLife}: under stationary noise long-run means converge and stop
 * crossing, so slow noise moves no traffic). After such a change no other one happens for
 * {@code minDwell}, unless a level shift happened since (see {@link DiscountedArms}): the preferred
 * path's RTT or loss shifted up beyond its noise (congestion, a new loss level), or the
 * challenger's RTT shifted down (its congestion is over). A shift restarts the path's evidence
 * from the recent samples, so both horizons follow at once, and within one hold of it the hold is
 * a third as long: the change of regime is already established beyond noise.
 * <p>
 * <b>Failures skip all of that</b>: when the preferred path goes down ({@link #onPathState}) the
 * live path with the lowest pessimistic cost (mean + {@code confidenceZ} standard errors; without
 * evidence: the first live candidate in link-state order) takes over at once. That choice is forced,
 * not judged, so it is undone the same way: when the route the failure forced the policy off is
 * live again and beats the current one by the noise margin and on the stable horizon, its failures
 * priced in, it takes its flows back at once, without hold or dwell (a failback); a later change
 * by hysteresis settles the matter and ends the failback.
 * <p>
 * <b>Flapping.</b> A path's failures are priced, not vetoed: its failure rate is estimated from
 * its failures since the first (each halving in weight every {@code flapHalfLife}), and each
 * failure costs its flows {@code outage} dead, so the path's cost rises by
 * {@code lossPenalty × rate × outage} (see {@link DiscountedArms}). A path that keeps flapping loses its flows to the next path as soon as
 * its outages make it dearer, and keeps them while it is still cheaper with them, which a fixed
 * suppression threshold cannot tell apart.
 * <p>
 * <b>Retired routes.</b> A route that leaves the candidate set keeps its evidence (loss record,
 * failure count) for a while, so a route that the link-state ranking brings back does
 * not return as a clean, unknown path.
 * <p>
 * <b>Exploration.</b> At most {@code explorationShare} of new flows go to the {@code exploreTopN}
 * cheapest other live paths. Thompson: every exploration period, {@code thompsonDraws} posterior
 * draws over the preferred path and those candidates; a candidate gets
 * {@code explorationShare × its wins / draws} (so nothing when the preferred path is clearly the
 * best). UCB: the candidates whose optimistic index is below the preferred path's mean share
 * {@code explorationShare} equally. The preferred path gets the rest; dead paths get 0.
 * <p>
 * Deterministic for a seed and a call sequence. Not thread safe: owned by the optimizer thread;
 * the {@link PathWeights} it returns are immutable and may be published.
 */
public final class PathPolicy
{
    /** Within one hold of a level shift up of the preferred path, the hold is this many times shorter. */
    static final long SHIFT_HOLD_DIVISOR = 3;
    private final int dstPop;
    private final PolicyConfig config;
    private final SplittableRandom random;
    private final DiscountedArms arms;
    private final long[] routes;
    private final boolean[] live;
    private final double[] exploreWeight;
    private final int[] scratchArms;
    private final double[] scratchCost;
    private final int[] scratchWins;
    /**
     * Evidence of routes that left the candidate set (the most recent {@code 2 × maxCandidates}),
     * so that a route the link-state ranking brings back keeps its loss record and failure count
     * instead of returning as a clean, unknown path. It keeps decaying while retired.
     */
    private final DiscountedArms retired;
    private final long[] retiredRoutes;
    private final boolean[] retiredLive;
    private int retiredNext;
    private int count;

    private long preferred = Route.NONE;
    private long holdSinceNs;
    private boolean holding;
    private long nextExplorationNs;
    private boolean explorationDirty = true;
    private long preferredChanges;
    private boolean hysteresisChanged;
    private long lastHysteresisChangeNs;
    private long failedFrom = Route.NONE;
    private long lastPreferredChangeNs;
    private PathWeights weights;

    /**
     * @param dstPop destination POP.
     * @param config settings.
     * @param seed   seed of the Thompson draws.
     * @param nowNs  current time.
     */
    public PathPolicy(final int dstPop, final PolicyConfig config, final long seed, final long nowNs)
    {
        this.dstPop = dstPop;
        this.config = config;
        this.random = new SplittableRandom(seed);
        this.arms = DiscountedArms.of(config, nowNs);
        final int capacity = config.maxCandidates();
        routes = new long[capacity];
        live = new boolean[capacity];
        exploreWeight = new double[capacity];
        scratchArms = new int[capacity];
        scratchCost = new double[capacity];
        scratchWins = new int[capacity];
        retired = DiscountedArms.of(config, 2 * capacity, nowNs);
        retiredRoutes = new long[2 * capacity];
        retiredLive = new boolean[2 * capacity];
        Arrays.fill(retiredRoutes, Route.NONE);
        weights = PathWeights.empty(dstPop);
        lastPreferredChangeNs = nowNs;
    }

    /**
     * Sets the candidate paths, cheapest first by link state. Evidence and liveness of routes
     * that stay are kept; routes that leave are retired with their evidence; new routes start
     * down, with their retired evidence if they had left recently, else with none. If the
     * preferred route is dropped, the next {@link #update(long)} picks another at once.
     *
     * @param candidates packed routes; beyond {@code maxCandidates} are ignored.
     * @param length     how many.
     * @param nowNs      current time.
     */
    public void setCandidates(final long[] candidates, final int length, final long nowNs)
    {
        final long[] oldRoutes = Arrays.copyOf(routes, count);
        final boolean[] oldLive = Arrays.copyOf(live, count);
        final long[] offered = keepLivePreferred(candidates, Math.min(length, routes.length), oldRoutes, oldLive);
        final int n = offered.length;
        final DiscountedArms old = DiscountedArms.of(config, nowNs);
        for (int i = 0; i < count; i++)
        {
            copyArm(arms, i, old, i);
            if (!Route.contains(offered, oldRoutes[i]))
            {
                retire(old, i, oldRoutes[i], oldLive[i]);
            }
        }
        for (int i = 0; i < n; i++)
        {
            final long route = offered[i];
            routes[i] = route;
            int previous = -1;
            for (int j = 0; j < oldRoutes.length; j++)
            {
                if (oldRoutes[j] == route)
                {
                    previous = j;
                    break;
                }
            }
            if (previous >= 0)
            {
                copyArm(old, previous, arms, i);
                live[i] = oldLive[previous];
            }
            else
            {
                final int r = retiredIndexOf(route);
                if (r >= 0)
                {
                    copyArm(retired, r, arms, i);
                    retiredRoutes[r] = Route.NONE;
                }
                else
                {
                    arms.reset(i, nowNs);
                }
                live[i] = false;
            }
        }
        count = n;
        if (indexOf(preferred) < 0)
        {
            preferred = Route.NONE;
        }
        explorationDirty = true;
    }

    /**
     * The preferred route stays a candidate while it is live, even when the search ranks it out of
     * the k best: a reshuffle of the ranking as link estimates move must not move traffic — only
     * the policy's hysteresis (or a failure) does. It takes the place of the worst candidate when
     * the list is full.
     *
     * @return the candidates to use, exactly as many as there are.
     */
    private long[] keepLivePreferred(
        final long[] candidates, final int n, final long[] oldRoutes, final boolean[] oldLive)
    {
        if (Route.NONE == preferred)
        {
            return Arrays.copyOf(candidates, n);
        }
        boolean alive = false;
        for (int j = 0; j < oldRoutes.length; j++)
        {
            if (oldRoutes[j] == preferred)
            {
                alive = oldLive[j];
                break;
            }
        }
        for (int i = 0; i < n; i++)
        {
            if (candidates[i] == preferred)
            {
                return Arrays.copyOf(candidates, n);
            }
        }
        if (!alive || 0 == n)
        {
            return Arrays.copyOf(candidates, n);
        }
        if (n < routes.length)
        {
            final long[] kept = Arrays.copyOf(candidates, n + 1);
            kept[n] = preferred;
            return kept;
        }
        final long[] kept = Arrays.copyOf(candidates, n);
        kept[n - 1] = preferred;
        return kept;
    }

    /**
     * @param route  packed route.
     * @param rttNs  probe RTT.
     * @param nowNs  current time.
     */
    public void onProbeAnswered(final long route, final long rttNs, final long nowNs)
    {
        final int i = indexOf(route);
        if (i >= 0)
        {
            arms.onRtt(i, rttNs, 1.0, nowNs);
            arms.onOutcome(i, false, nowNs);
            return;
        }
        final int r = retiredIndexOf(route);
        if (r >= 0)
        {
            retired.onRtt(r, rttNs, 1.0, nowNs);
            retired.onOutcome(r, false, nowNs);
        }
    }

    /**
     * A lost probe. Losses while the path is down are not loss evidence: an outage is priced by
     * the failover and the failure count, and counting it again as loss would keep a recovered
     * path out for minutes (the loss half-life).
     *
     * @param route packed route.
     * @param nowNs current time.
     */
    public void onProbeLost(final long route, final long nowNs)
    {
        final int i = indexOf(route);
        if (i >= 0)
        {
            if (live[i])
            {
                arms.onOutcome(i, true, nowNs);
            }
            return;
        }
        final int r = retiredIndexOf(route);
        if (r >= 0 && retiredLive[r])
        {
            retired.onOutcome(r, true, nowNs);
        }
    }

    /**
     * @param route packed route.
     * @param rttNs passive RTT sample (TCP handshake).
     * @param nowNs current time.
     */
    public void onPassiveRtt(final long route, final long rttNs, final long nowNs)
    {
        final int i = indexOf(route);
        if (i >= 0)
        {
            arms.onRtt(i, rttNs, config.passiveWeight(), nowNs);
        }
    }

    /**
     * Liveness from the failure detector. When the preferred route goes down, another takes over
     * at once and the new weights are returned.
     *
     * @param route packed route.
     * @param up    new state.
     * @param nowNs time of the transition.
     * @return the current weights.
     */
    public PathWeights onPathState(final long route, final boolean up, final long nowNs)
    {
        final int i = indexOf(route);
        if (i < 0)
        {
            final int r = retiredIndexOf(route);
            if (r >= 0 && retiredLive[r] != up)
            {
                retiredLive[r] = up;
                if (!up)
                {
                    retired.onFailure(r, nowNs);
                }
            }
            return weights;
        }
        if (live[i] == up)
        {
            return weights;
        }
        live[i] = up;
        explorationDirty = true;
        if (!up)
        {
            arms.onFailure(i, nowNs);
            exploreWeight[i] = 0;
            if (route == preferred)
            {
                failover(nowNs);
            }
            publish();
        }
        return weights;
    }

    /**
     * Re-evaluates the preferred route (hysteresis) and the exploration split.
     *
     * @param nowNs current time.
     * @return the current weights (the same instance when nothing changed).
     */
    public PathWeights update(final long nowNs)
    {
        final int p = indexOf(preferred);
        if (p < 0 || !live[p])
        {
            failover(nowNs);
        }
        else
        {
            considerChallenger(p, nowNs);
        }
        if (explorationDirty || nowNs - nextExplorationNs >= 0)
        {
            computeExploration(nowNs);
            nextExplorationNs = nowNs + config.explorationPeriodNs();
            explorationDirty = false;
        }
        publish();
        return weights;
    }

    /**
     * @return the latest weights.
     */
    public PathWeights weights()
    {
        return weights;
    }

    /**
     * @return the preferred route, or {@link Route#NONE}.
     */
    public long preferredRoute()
    {
        return preferred;
    }

    /**
     * @return changes of the preferred route since creation (the first choice counts).
     */
    public long preferredChanges()
    {
        return preferredChanges;
    }

    /**
     * @return when the preferred route last changed.
     */
    public long lastPreferredChangeNs()
    {
        return lastPreferredChangeNs;
    }

    /**
     * @param route packed route.
     * @param nowNs current time.
     * @return its discounted cost estimate in nanoseconds, NaN if unknown.
     */
    public double costNs(final long route, final long nowNs)
    {
        final int i = indexOf(route);
        return i < 0 ? Double.NaN : arms.meanCostNs(i, nowNs);
    }

    /**
     * @param route packed route.
     * @return true if the route is a candidate and up.
     */
    public boolean isLive(final long route)
    {
        final int i = indexOf(route);
        return i >= 0 && live[i];
    }

    /**
     * @return destination POP.
     */
    public int dstPop()
    {
        return dstPop;
    }

    private void considerChallenger(final int p, final long nowNs)
    {
        final double preferredCost = arms.meanCostNs(p, nowNs);
        int challenger = -1;
        double challengerCost = Double.POSITIVE_INFINITY;
        for (int i = 0; i < count; i++)
        {
            if (i != p && live[i] && arms.samples(i, nowNs) >= config.minSamples())
            {
                final double cost = arms.meanCostNs(i, nowNs);
                if (cost < challengerCost)
                {
                    challenger = i;
                    challengerCost = cost;
                }
            }
        }
        final boolean better = challenger >= 0 && (Double.isNaN(preferredCost) ||
            preferredCost - challengerCost >= requiredMarginNs(p, challenger, preferredCost, nowNs) &&
            betterOnStableHorizon(p, challenger, nowNs));
        if (better && routes[challenger] == failedFrom)
        {
            // failback: the route a failure forced the policy off, back and still the better one
            failedFrom = Route.NONE;
            setPreferred(routes[challenger], nowNs);
            return;
        }
        // A level shift since the last change (the preferred path's RTT or loss up, the
        // challenger's RTT down) is a change of regime established beyond noise.
        final long shiftNs = challenger < 0 ? arms.lastShiftUpNs(p) :
            Math.max(arms.lastShiftUpNs(p), arms.lastShiftDownNs(challenger));
        final boolean shifted = shiftNs != Long.MIN_VALUE && shiftNs - lastHysteresisChangeNs > 0;
        // Dwell: after a change, noise gets no second chance for a while; a failure (handled
        // elsewhere) or a level shift overrides it.
        final boolean dwelling = hysteresisChanged && nowNs - lastHysteresisChangeNs < config.minDwellNs() && !shifted;
        if (dwelling)
        {
            holding = false;
            return;
        }
        if (!better)
        {
            holding = false;
            return;
        }
        if (!holding)
        {
            holding = true;
            holdSinceNs = nowNs;
        }
        // within one hold of such a shift the challenger needs a shorter hold
        final long holdNs = shifted && shiftNs - (nowNs - config.holdNs()) > 0 ?
            config.holdNs() / SHIFT_HOLD_DIVISOR : config.holdNs();
        if (nowNs - holdSinceNs >= holdNs)
        {
            failedFrom = Route.NONE;
            setPreferred(routes[challenger], nowNs);
            hysteresisChanged = true;
            lastHysteresisChangeNs = nowNs;
        }
    }

    /**
     * The stable horizon must agree: the challenger's long-run cost beats the preferred path's by
     * the stable and absolute margins. Under stationary noise the long-run means converge and
     * stop crossing; after a level shift the stable evidence restarts, so it follows at once.
     */
    private boolean betterOnStableHorizon(final int p, final int challenger, final long nowNs)
    {
        final double preferredStable = arms.stableCostNs(p, nowNs);
        final double challengerStable = arms.stableCostNs(challenger, nowNs);
        if (Double.isNaN(preferredStable))
        {
            return true;
        }
        return preferredStable - challengerStable >=
            Math.max(config.absoluteMarginNs(), config.stableMargin() * preferredStable);
    }

    private double requiredMarginNs(final int p, final int challenger, final double preferredCost, final long nowNs)
    {
        final double standardErrorNs = Math.sqrt(
            squaredStandardError(p, nowNs) + squaredStandardError(challenger, nowNs));
        return Math.max(Math.max(config.absoluteMarginNs(), config.relativeMargin() * preferredCost),
            config.confidenceZ() * standardErrorNs);
    }

    private double squaredStandardError(final int arm, final long nowNs)
    {
        final double std = arms.sampleStdNs(arm, nowNs);
        return std * std / Math.max(1e-9, arms.samples(arm, nowNs));
    }

    private void failover(final long nowNs)
    {
        final int chosen = cheapestLive(nowNs);
        if (chosen >= 0)
        {
            // in a chain of failovers, the route to go back to is the one judged best before the first
            if (failedFrom == Route.NONE && preferred != Route.NONE && routes[chosen] != preferred)
            {
                failedFrom = preferred;
            }
            setPreferred(routes[chosen], nowNs);
        }
        else if (preferred != Route.NONE && indexOf(preferred) < 0)
        {
            preferred = Route.NONE;
        }
    }

    /**
     * @return the cheapest live path with evidence, else the first live one in link-state order, else −1.
     */
    private int cheapestLive(final long nowNs)
    {
        int best = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        int firstLive = -1;
        for (int i = 0; i < count; i++)
        {
            if (!live[i])
            {
                continue;
            }
            if (firstLive < 0)
            {
                firstLive = i;
            }
            // all traffic moves at once: judge by the pessimistic cost, so a path measured a few
            // times does not win on a lucky sample
            final double cost = arms.meanCostNs(i, nowNs) + config.confidenceZ() * Math.sqrt(squaredStandardError(i, nowNs));
            if (!Double.isNaN(cost) && cost < bestCost)
            {
                best = i;
                bestCost = cost;
            }
        }
        return best >= 0 ? best : firstLive;
    }

    private void setPreferred(final long route, final long nowNs)
    {
        if (route != preferred)
        {
            preferred = route;
            preferredChanges++;
            lastPreferredChangeNs = nowNs;
            explorationDirty = true;
        }
        holding = false;
        final int p = indexOf(route);
        if (p >= 0)
        {
            exploreWeight[p] = 0;
        }
    }

    private void computeExploration(final long nowNs)
    {
        Arrays.fill(exploreWeight, 0.0);
        final int p = indexOf(preferred);
        if (p < 0 || !live[p] || config.explorationShare() <= 0 || config.exploreTopN() <= 0)
        {
            return;
        }
        // The exploreTopN cheapest other live paths (unmeasured ones count as cheapest: they must be learned).
        int n = 0;
        for (int i = 0; i < count; i++)
        {
            if (i == p || !live[i])
            {
                continue;
            }
            final double cost = arms.meanCostNs(i, nowNs);
            final double key = Double.isNaN(cost) ? Double.NEGATIVE_INFINITY : cost;
            int at = n;
            while (at > 0 && key < scratchCost[at - 1])
            {
                scratchArms[at] = scratchArms[at - 1];
                scratchCost[at] = scratchCost[at - 1];
                at--;
            }
            scratchArms[at] = i;
            scratchCost[at] = key;
            n++;
        }
        n = Math.min(n, config.exploreTopN());
        if (n == 0)
        {
            return;
        }
        final double share = config.explorationShare();
        if (config.strategy() == ExplorationStrategy.THOMPSON)
        {
            scratchArms[n] = p;
            Arrays.fill(scratchWins, 0);
            final int draws = config.thompsonDraws();
            for (int d = 0; d < draws; d++)
            {
                final int winner = arms.select(ExplorationStrategy.THOMPSON, scratchArms, n + 1, random, nowNs);
                scratchWins[winner]++;
            }
            for (int j = 0; j < n; j++)
            {
                final int arm = scratchArms[j];
                exploreWeight[arm] = share * scratchWins[arm] / draws;
            }
        }
        else
        {
            double total = arms.samples(p, nowNs);
            for (int j = 0; j < n; j++)
            {
                total += arms.samples(scratchArms[j], nowNs);
            }
            final double preferredCost = arms.meanCostNs(p, nowNs);
            int plausible = 0;
            for (int j = 0; j < n; j++)
            {
                final double index = arms.ucbIndex(scratchArms[j], total, nowNs);
                if (Double.isNaN(preferredCost) || index < preferredCost)
                {
                    scratchWins[plausible++] = scratchArms[j];
                }
            }
            for (int j = 0; j < plausible; j++)
            {
                exploreWeight[scratchWins[j]] = share / plausible;
            }
        }
    }

    private void publish()
    {
        final int p = indexOf(preferred);
        final long[] outRoutes = Arrays.copyOf(routes, count);
        final double[] outWeights = new double[count];
        boolean anyLive = false;
        for (int i = 0; i < count; i++)
        {
            anyLive |= live[i];
        }
        if (p >= 0 && live[p])
        {
            double explored = 0;
            for (int i = 0; i < count; i++)
            {
                if (i != p && live[i])
                {
                    outWeights[i] = exploreWeight[i];
                    explored += exploreWeight[i];
                }
            }
            outWeights[p] = 1.0 - explored;
        }
        else if (count > 0)
        {
            // Nothing known to be up: send everything along the cheapest path by link state.
            outWeights[0] = 1.0;
        }
        final PathWeights next = new PathWeights(dstPop, outRoutes, outWeights, Arrays.copyOf(live, count), preferred, anyLive);
        if (!next.sameAs(weights))
        {
            weights = next;
        }
    }

    private int indexOf(final long route)
    {
        if (route == Route.NONE)
        {
            return -1;
        }
        for (int i = 0; i < count; i++)
        {
            if (routes[i] == route)
            {
                return i;
            }
        }
        return -1;
    }

    private void retire(
        final DiscountedArms from, final int arm, final long route, final boolean wasLive)
    {
        int slot = retiredIndexOf(route);
        if (slot < 0)
        {
            slot = retiredNext;
            retiredNext = (retiredNext + 1) % retiredRoutes.length;
        }
        copyArm(from, arm, retired, slot);
        retiredRoutes[slot] = route;
        retiredLive[slot] = wasLive;
    }

    private int retiredIndexOf(final long route)
    {
        if (Route.NONE == route)
        {
            return -1;
        }
        for (int r = 0; r < retiredRoutes.length; r++)
        {
            if (retiredRoutes[r] == route)
            {
                return r;
            }
        }
        return -1;
    }

    private static void copyArm(final DiscountedArms from, final int fromArm, final DiscountedArms to, final int toArm)
    {
        to.copyFrom(from, fromArm, toArm);
    }
}
