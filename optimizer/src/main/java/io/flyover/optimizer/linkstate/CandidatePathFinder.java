package io.flyover.optimizer.linkstate;

import io.flyover.optimizer.path.Route;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Finds the k cheapest loopless paths of at most three links (direct, one relay, two relays)
 * from a source POP to every destination, by a hop-layered search over the link-state graph:
 * <ol>
 *     <li>layer 1: the links leaving the source;</li>
 *     <li>layer 2: relax every link {@code a → b} leaving a layer-1 POP, keeping at each POP
 *     {@code b} its k + 1 cheapest two-link prefixes {@code s → a → b};</li>
 *     <li>layer 3: relax every link {@code b → t} from the kept prefixes, in cost order, stopping
 *     as soon as a prefix cannot beat the destination's current k-th path.</li>
 * </ol>
 * This is a k-best Bellman-Ford bounded to three rounds: it touches each link at most k + 2 times
 * per source, O(k·E) per source and O(k·V·E) for all pairs, and never enumerates relay pairs.
 * Keeping k + 1 prefixes per POP is what makes it exact under the loopless rule: of the prefixes
 * {@code s → a → b} at most one has {@code a = t}, the only way a three-link path to {@code t}
 * can loop, so k valid prefixes always remain.
 * <p>
 * <b>A disjoint backup.</b> Built {@code diverse} (the default), when none of the k cheapest paths
 * shares no link with the cheapest one, the k-th gives its place to the cheapest path that does,
 * if there is one: the k cheapest often all leave over the same first link or arrive over the
 * same last one, and when that link fails no candidate is left alive to fail over to until link
 * state drops the link and new candidates have been probed up. It is found by one more pass over
 * the links into each destination with the kept prefixes (at least four per POP, so that three
 * excluded first hops still leave one), O(k·E) as well.
 * <p>
 * A path's cost is the sum of its link costs plus {@code relayPenaltyNs} per relay, which breaks
 * ties toward fewer hops (a relay costs processing time and a failure domain). Equal costs order
 * by hop count, then by relay POP ids, so every POP computing from the same link state gets the
 * same answer.
 * <p>
 * Not thread safe: scratch arrays are reused; one instance per thread.
 */
public final class CandidatePathFinder
{
    /** Default number of candidates per destination. */
    public static final int DEFAULT_K = 4;

    /** Default penalty per relay POP: 200 µs. */
    public static final long DEFAULT_RELAY_PENALTY_NS = 200_000L;

    /** Low bits of a relay-order key holding the POP index; the high bits order by cost. */
    private static final long RELAY_MASK = 0xFFFFL;

    private final int k;
    private final int prefixesPerPop;
    private final double relayPenaltyNs;
    private final boolean diverse;

    private int capacity;
    private int[] prefixCount = new int[0];
    private double[] prefixCost = new double[0];
    private int[] prefixVia = new int[0];
    private int[] pathCount = new int[0];
    private double[] pathCost = new double[0];
    private int[] pathHops = new int[0];
    private int[] pathVia1 = new int[0];
    private int[] pathVia2 = new int[0];
    private int[] touched = new int[0];
    private long[] relayOrder = new long[0];
    private double[] firstCost = new double[0];
    private boolean[] needsBackup = new boolean[0];
    private double[] backupCost = new double[0];
    private int[] backupHops = new int[0];
    private int[] backupVia1 = new int[0];
    private int[] backupVia2 = new int[0];

    /**
     * A finder with the default k and relay penalty, keeping a disjoint backup.
     */
    public CandidatePathFinder()
    {
        this(DEFAULT_K, DEFAULT_RELAY_PENALTY_NS, true);
    }

    /**
     * A finder of exactly the k cheapest paths (no disjoint backup).
     *
     * @param k              candidates kept per destination, ≥ 1.
     * @param relayPenaltyNs cost added per relay POP, ≥ 0.
     */
    public CandidatePathFinder(final int k, final long relayPenaltyNs)
    {
        this(k, relayPenaltyNs, false);
    }

    /**
     * @param k              candidates kept per destination, ≥ 1.
     * @param relayPenaltyNs cost added per relay POP, ≥ 0.
     * @param diverse        true to give the k-th place to the cheapest path disjoint from the
     *                       cheapest when no other kept path is (needs k ≥ 2 to matter).
     */
    public CandidatePathFinder(final int k, final long relayPenaltyNs, final boolean diverse)
    {
        if (k < 1 || relayPenaltyNs < 0)
        {
            throw new IllegalArgumentException("k must be ≥ 1 and the relay penalty ≥ 0");
        }
        this.k = k;
        this.prefixesPerPop = diverse ? Math.max(k + 1, 4) : k + 1;
        this.relayPenaltyNs = relayPenaltyNs;
        this.diverse = diverse && k >= 2;
    }

    /**
     * @return candidates kept per destination.
     */
    public int k()
    {
        return k;
    }

    /**
     * Finds candidates from every POP to every other POP.
     *
     * @param graph    link state.
     * @param consumer receives each candidate, best first per pair.
     * @return number of candidates produced.
     */
    public int findAll(final LinkStateGraph graph, final CandidateConsumer consumer)
    {
        int produced = 0;
        for (int s = 0, n = graph.popCount(); s < n; s++)
        {
            produced += findFrom(graph, graph.popAt(s), consumer);
        }
        return produced;
    }

    /**
     * Finds candidates from one POP to every other POP it can reach in ≤ 3 links.
     *
     * @param graph    link state.
     * @param srcPop   source POP id.
     * @param consumer receives each candidate, best first per destination, destinations in
     *                 dense-index order.
     * @return number of candidates produced.
     */
    public int findFrom(final LinkStateGraph graph, final int srcPop, final CandidateConsumer consumer)
    {
        final int s = graph.indexOf(srcPop);
        if (s < 0)
        {
            return 0;
        }
        final int touchedCount = search(graph, s);
        int produced = 0;
        for (int i = 0; i < touchedCount; i++)
        {
            final int t = touched[i];
            final int dstPop = graph.popAt(t);
            for (int r = 0, c = pathCount[t]; r < c; r++)
            {
                consumer.onCandidate(srcPop, dstPop, r, routeOf(graph, s, t, r), pathCost[t * k + r]);
                produced++;
            }
        }
        return produced;
    }

    /**
     * Finds candidates for one pair.
     *
     * @param graph  link state.
     * @param srcPop source POP id.
     * @param dstPop destination POP id.
     * @return up to k candidates, best first; empty if none.
     */
    public List<CandidatePath> find(final LinkStateGraph graph, final int srcPop, final int dstPop)
    {
        final List<CandidatePath> result = new ArrayList<>(k);
        final int s = graph.indexOf(srcPop);
        final int t = graph.indexOf(dstPop);
        if (s < 0 || t < 0 || s == t)
        {
            return result;
        }
        search(graph, s);
        for (int r = 0, c = pathCount[t]; r < c; r++)
        {
            result.add(new CandidatePath(routeOf(graph, s, t, r), pathCost[t * k + r]));
        }
        return result;
    }

    private int search(final LinkStateGraph graph, final int s)
    {
        final int n = graph.popCount();
        ensureCapacity(n);
        final int k = this.k;
        final int kp = prefixesPerPop;
        final int[] prefixCount = this.prefixCount;
        final double[] prefixCost = this.prefixCost;
        final int[] prefixVia = this.prefixVia;
        final int[] pathCount = this.pathCount;
        final double[] pathCost = this.pathCost;
        Arrays.fill(prefixCount, 0, n, 0);
        Arrays.fill(pathCount, 0, n, 0);
        Arrays.fill(firstCost, 0, n, Double.NaN);

        // Layer 1: direct links, and layer 2: two-link prefixes s → a → b.
        final int degreeS = graph.degree(s);
        final int[] targetsS = graph.linkTargets(s);
        final double[] costsS = graph.linkCosts(s);
        for (int i = 0; i < degreeS; i++)
        {
            final int a = targetsS[i];
            final double costA = costsS[i];
            firstCost[a] = costA;
            insertPath(graph, a, costA, 1, -1, -1);
            final int[] targetsA = graph.linkTargets(a);
            final double[] costsA = graph.linkCosts(a);
            for (int j = 0, degreeA = graph.degree(a); j < degreeA; j++)
            {
                final int b = targetsA[j];
                if (b == s)
                {
                    continue;
                }
                final double cost = costA + costsA[j];
                if (prefixCount[b] == kp && cost > prefixCost[b * kp + kp - 1])
                {
                    continue;
                }
                insertPrefix(graph, b, cost, a);
            }
        }

        // Two-link paths, then layer 3: s → a → b → t, relay b taken cheapest prefix first so the
        // destinations' k-th costs drop early and most relaxations stop at the first prefix.
        int relays = 0;
        for (int b = 0; b < n; b++)
        {
            if (prefixCount[b] > 0)
            {
                relayOrder[relays] = (Double.doubleToLongBits(prefixCost[b * kp]) & ~RELAY_MASK) | b;
                relays++;
            }
        }
        Arrays.sort(relayOrder, 0, relays);
        for (int r = 0; r < relays; r++)
        {
            final int b = (int)(relayOrder[r] & RELAY_MASK);
            final int count = prefixCount[b];
            final int base = b * kp;
            for (int p = 0, limit = Math.min(count, k); p < limit; p++)
            {
                insertPath(graph, b, prefixCost[base + p] + relayPenaltyNs, 2, prefixVia[base + p], -1);
            }
            final int[] targetsB = graph.linkTargets(b);
            final double[] costsB = graph.linkCosts(b);
            final double cheapestPrefix = prefixCost[base] + 2 * relayPenaltyNs;
            for (int j = 0, degreeB = graph.degree(b); j < degreeB; j++)
            {
                final int t = targetsB[j];
                if (t == s || (pathCount[t] == k && cheapestPrefix + costsB[j] > pathCost[t * k + k - 1]))
                {
                    continue;
                }
                final double linkCost = costsB[j] + 2 * relayPenaltyNs;
                for (int p = 0; p < count; p++)
                {
                    final int a = prefixVia[base + p];
                    if (a == t)
                    {
                        continue;
                    }
                    final double cost = prefixCost[base + p] + linkCost;
                    if (pathCount[t] == k && cost > pathCost[t * k + k - 1])
                    {
                        break;
                    }
                    insertPath(graph, t, cost, 3, a, b);
                }
            }
        }

        if (diverse)
        {
            addBackups(graph, s, n);
        }

        int touchedCount = 0;
        for (int t = 0; t < n; t++)
        {
            if (pathCount[t] > 0)
            {
                touched[touchedCount++] = t;
            }
        }
        return touchedCount;
    }

    /**
     * For every destination whose k kept paths share a link with the cheapest, finds the cheapest
     * path sharing none (direct, over one relay with its first link, over two with the kept
     * prefixes into the last relay) and puts it in the k-th place. The kept paths are the exact k
     * cheapest, so the backup sorts after all of them.
     */
    private void addBackups(final LinkStateGraph graph, final int s, final int n)
    {
        final int k = this.k;
        final int kp = prefixesPerPop;
        boolean any = false;
        for (int t = 0; t < n; t++)
        {
            needsBackup[t] = false;
            if (pathCount[t] < k)
            {
                continue;
            }
            boolean disjoint = false;
            for (int r = 1; r < k && !disjoint; r++)
            {
                disjoint = disjointFromBest(s, t, pathHops[t * k + r], pathVia1[t * k + r], pathVia2[t * k + r]);
            }
            if (!disjoint)
            {
                needsBackup[t] = true;
                backupHops[t] = 0;
                any = true;
                final double direct = firstCost[t];
                if (!Double.isNaN(direct) && disjointFromBest(s, t, 1, -1, -1))
                {
                    offerBackup(graph, t, direct, 1, -1, -1);
                }
            }
        }
        if (!any)
        {
            return;
        }
        for (int b = 0; b < n; b++)
        {
            final double first = firstCost[b];
            final int count = prefixCount[b];
            if (b == s || (Double.isNaN(first) && count == 0))
            {
                continue;
            }
            final int[] targetsB = graph.linkTargets(b);
            final double[] costsB = graph.linkCosts(b);
            for (int j = 0, degreeB = graph.degree(b); j < degreeB; j++)
            {
                final int t = targetsB[j];
                if (t == s || !needsBackup[t])
                {
                    continue;
                }
                final double bound = Math.min(Double.isNaN(first) ? Double.POSITIVE_INFINITY : first + relayPenaltyNs,
                    count == 0 ? Double.POSITIVE_INFINITY : prefixCost[b * kp] + 2 * relayPenaltyNs) + costsB[j];
                if (backupHops[t] != 0 && bound > backupCost[t])
                {
                    continue;
                }
                if (!Double.isNaN(first) && disjointFromBest(s, t, 2, b, -1))
                {
                    offerBackup(graph, t, first + costsB[j] + relayPenaltyNs, 2, b, -1);
                }
                for (int p = 0; p < count; p++)
                {
                    final int a = prefixVia[b * kp + p];
                    final double cost = prefixCost[b * kp + p] + costsB[j] + 2 * relayPenaltyNs;
                    if (backupHops[t] != 0 && cost > backupCost[t])
                    {
                        break;
                    }
                    if (a != t && disjointFromBest(s, t, 3, a, b))
                    {
                        offerBackup(graph, t, cost, 3, a, b);
                        break;
                    }
                }
            }
        }
        for (int t = 0; t < n; t++)
        {
            if (needsBackup[t] && backupHops[t] != 0)
            {
                final int slot = t * k + k - 1;
                pathCost[slot] = backupCost[t];
                pathHops[slot] = backupHops[t];
                pathVia1[slot] = backupVia1[t];
                pathVia2[slot] = backupVia2[t];
            }
        }
    }

    private void offerBackup(
        final LinkStateGraph graph, final int t, final double cost, final int hops, final int via1, final int via2)
    {
        if (backupHops[t] == 0 || before(graph, cost, hops, via1, via2,
            backupCost[t], backupHops[t], backupVia1[t], backupVia2[t]))
        {
            backupCost[t] = cost;
            backupHops[t] = hops;
            backupVia1[t] = via1;
            backupVia2[t] = via2;
        }
    }

    /**
     * @return true if the path s → [via1 → [via2 →]] t (loopless) shares no link, either way, with
     *         the destination's cheapest kept path s → F [→ M] → t (F = t when direct; L, its last
     *         relay, is s when direct): a direct path shares none unless the best is direct; a
     *         path over b shares none if b is neither F nor L; a path over a then b shares none if
     *         a ≠ F, b ≠ L and it is not F–M backwards (a = M, b = F).
     */
    private boolean disjointFromBest(final int s, final int t, final int hops, final int via1, final int via2)
    {
        final int best = t * k;
        final int bestHops = pathHops[best];
        final int first = bestHops == 1 ? t : pathVia1[best];
        final int last = bestHops == 1 ? s : bestHops == 2 ? pathVia1[best] : pathVia2[best];
        return switch (hops)
        {
            case 1 -> bestHops != 1;
            case 2 -> via1 != first && via1 != last;
            default -> via1 != first && via2 != last && !(bestHops == 3 && via1 == last && via2 == first);
        };
    }

    private void insertPrefix(final LinkStateGraph graph, final int b, final double cost, final int a)
    {
        final int kp = prefixesPerPop;
        final int base = b * kp;
        int count = prefixCount[b];
        if (count == kp)
        {
            if (!prefixBefore(graph, cost, a, prefixCost[base + kp - 1], prefixVia[base + kp - 1]))
            {
                return;
            }
            count--;
        }
        int i = count;
        while (i > 0 && prefixBefore(graph, cost, a, prefixCost[base + i - 1], prefixVia[base + i - 1]))
        {
            prefixCost[base + i] = prefixCost[base + i - 1];
            prefixVia[base + i] = prefixVia[base + i - 1];
            i--;
        }
        prefixCost[base + i] = cost;
        prefixVia[base + i] = a;
        prefixCount[b] = count + 1;
    }

    private static boolean prefixBefore(
        final LinkStateGraph graph, final double cost, final int via, final double otherCost, final int otherVia)
    {
        return cost < otherCost || (cost == otherCost && graph.popAt(via) < graph.popAt(otherVia));
    }

    private void insertPath(
        final LinkStateGraph graph, final int t, final double cost, final int hops, final int via1, final int via2)
    {
        final int k = this.k;
        final int base = t * k;
        int count = pathCount[t];
        if (count == k)
        {
            if (!pathBefore(graph, cost, hops, via1, via2, base + k - 1))
            {
                return;
            }
            count--;
        }
        int i = count;
        while (i > 0 && pathBefore(graph, cost, hops, via1, via2, base + i - 1))
        {
            pathCost[base + i] = pathCost[base + i - 1];
            pathHops[base + i] = pathHops[base + i - 1];
            pathVia1[base + i] = pathVia1[base + i - 1];
            pathVia2[base + i] = pathVia2[base + i - 1];
            i--;
        }
        pathCost[base + i] = cost;
        pathHops[base + i] = hops;
        pathVia1[base + i] = via1;
        pathVia2[base + i] = via2;
        pathCount[t] = count + 1;
    }

    private boolean pathBefore(
        final LinkStateGraph graph, final double cost, final int hops, final int via1, final int via2, final int other)
    {
        return before(graph, cost, hops, via1, via2, pathCost[other], pathHops[other], pathVia1[other], pathVia2[other]);
    }

    private static boolean before(
        final LinkStateGraph graph, final double cost, final int hops, final int via1, final int via2,
        final double otherCost, final int otherHops, final int otherVia1, final int otherVia2)
    {
        if (cost != otherCost)
        {
            return cost < otherCost;
        }
        if (hops != otherHops)
        {
            return hops < otherHops;
        }
        final int pop1 = via1 < 0 ? 0 : graph.popAt(via1);
        final int otherPop1 = otherVia1 < 0 ? 0 : graph.popAt(otherVia1);
        if (pop1 != otherPop1)
        {
            return pop1 < otherPop1;
        }
        final int pop2 = via2 < 0 ? 0 : graph.popAt(via2);
        final int otherPop2 = otherVia2 < 0 ? 0 : graph.popAt(otherVia2);
        return pop2 < otherPop2;
    }

    private long routeOf(final LinkStateGraph graph, final int s, final int t, final int rank)
    {
        final int slot = t * k + rank;
        final int srcPop = graph.popAt(s);
        final int dstPop = graph.popAt(t);
        return switch (pathHops[slot])
        {
            case 1 -> Route.of(srcPop, dstPop);
            case 2 -> Route.of(srcPop, graph.popAt(pathVia1[slot]), dstPop);
            default -> Route.of(srcPop, graph.popAt(pathVia1[slot]), graph.popAt(pathVia2[slot]), dstPop);
        };
    }

    private void ensureCapacity(final int n)
    {
        if (n <= capacity)
        {
            return;
        }
        final int c = Math.max(n, capacity * 2);
        prefixCount = new int[c];
        prefixCost = new double[c * prefixesPerPop];
        prefixVia = new int[c * prefixesPerPop];
        pathCount = new int[c];
        pathCost = new double[c * k];
        pathHops = new int[c * k];
        pathVia1 = new int[c * k];
        pathVia2 = new int[c * k];
        touched = new int[c];
        relayOrder = new long[c];
        firstCost = new double[c];
        needsBackup = new boolean[c];
        backupCost = new double[c];
        backupHops = new int[c];
        backupVia1 = new int[c];
        backupVia2 = new int[c];
        capacity = c;
    }
}
