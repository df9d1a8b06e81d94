package io.flyover.optimizer.linkstate;

import io.flyover.optimizer.path.Route;
import org.agrona.collections.Int2IntHashMap;

import java.util.Arrays;

/**
 * The backbone as this POP knows it: POPs (ids 1..65535) and directed links between them, each
 * with its latest round-trip time, loss and cost. Link-state entries from probes update it; the
 * candidate path search reads it.
 * <p>
 * Link cost, in nanoseconds: {@code cost = rtt + lossPenaltyNs × loss}, where loss is a fraction;
 * with the default penalty of one second (RFC 6298's minimum retransmission timeout) 1% loss
 * costs as much as 10 ms of RTT. A path's cost is the sum of its links' costs (link RTTs are
 * round trips per hop, so they add up to the path's RTT).
 * <p>
 * {@link #version()} moves when a link appears or disappears or its cost moves by more than
 * {@code changeThresholdNs} from the cost it had at the last version change, so callers
 * recompute candidates on material change only.
 * <p>
 * Not thread safe: owned by the optimizer thread.
 */
public final class LinkStateGraph implements LinkStateSink
{
    /** Default loss penalty: one second of RTT per 100% loss. */
    public static final long DEFAULT_LOSS_PENALTY_NS = 1_000_000_000L;

    /** Default change of a link's cost that counts as material: half a millisecond. */
    public static final long DEFAULT_CHANGE_THRESHOLD_NS = 500_000L;

    private static final int INITIAL_DEGREE = 4;

    private final long lossPenaltyNs;
    private final long changeThresholdNs;
    private final Int2IntHashMap indexByPop = new Int2IntHashMap(-1);
    private int[] popByIndex = new int[16];
    private int popCount;

    private int[] degree = new int[16];
    private int[][] linkTo = new int[16][];
    private int[][] linkRttUs = new int[16][];
    private int[][] linkLossPpm = new int[16][];
    private long[][] linkUpdatedNs = new long[16][];
    private double[][] linkCostNs = new double[16][];
    private double[][] linkVersionCostNs = new double[16][];
    private int linkCount;
    private long version;

    /**
     * A graph with the default loss penalty and change threshold.
     */
    public LinkStateGraph()
    {
        this(DEFAULT_LOSS_PENALTY_NS, DEFAULT_CHANGE_THRESHOLD_NS);
    }

    /**
     * @param lossPenaltyNs     cost added per unit of loss fraction, in nanoseconds.
     * @param changeThresholdNs cost change of a link that moves {@link #version()}.
     */
    public LinkStateGraph(final long lossPenaltyNs, final long changeThresholdNs)
    {
        if (lossPenaltyNs < 0 || changeThresholdNs < 0)
        {
            throw new IllegalArgumentException("negative penalty or threshold");
        }
        this.lossPenaltyNs = lossPenaltyNs;
        this.changeThresholdNs = changeThresholdNs;
    }

    /**
     * @param rttNs    round-trip time in nanoseconds.
     * @param lossFraction loss, 0..1.
     * @param lossPenaltyNs penalty per unit of loss fraction.
     * @return the cost in nanoseconds, as documented on the class.
     */
    public static double cost(final double rttNs, final double lossFraction, final long lossPenaltyNs)
    {
        return rttNs + lossPenaltyNs * lossFraction;
    }

    /**
     * Adds a POP with no links, if it is not known yet.
     *
     * @param pop POP id, 1..65535.
     * @return its dense index, 0..{@link #popCount()} − 1.
     */
    public int addPop(final int pop)
    {
        checkPop(pop);
        final int existing = indexByPop.get(pop);
        if (existing >= 0)
        {
            return existing;
        }
        final int index = popCount;
        if (index == popByIndex.length)
        {
            final int capacity = index * 2;
            popByIndex = Arrays.copyOf(popByIndex, capacity);
            degree = Arrays.copyOf(degree, capacity);
            linkTo = Arrays.copyOf(linkTo, capacity);
            linkRttUs = Arrays.copyOf(linkRttUs, capacity);
            linkLossPpm = Arrays.copyOf(linkLossPpm, capacity);
            linkUpdatedNs = Arrays.copyOf(linkUpdatedNs, capacity);
            linkCostNs = Arrays.copyOf(linkCostNs, capacity);
            linkVersionCostNs = Arrays.copyOf(linkVersionCostNs, capacity);
        }
        popByIndex[index] = pop;
        linkTo[index] = new int[INITIAL_DEGREE];
        linkRttUs[index] = new int[INITIAL_DEGREE];
        linkLossPpm[index] = new int[INITIAL_DEGREE];
        linkUpdatedNs[index] = new long[INITIAL_DEGREE];
        linkCostNs[index] = new double[INITIAL_DEGREE];
        linkVersionCostNs[index] = new double[INITIAL_DEGREE];
        indexByPop.put(pop, index);
        popCount++;
        version++;
        return index;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Sets the directed link {@code fromPop → toPop}; a loss of {@link #LOSS_PPM_DOWN} or more
     * removes it. Entries naming invalid POPs or a POP linked to itself are ignored.
     */
    public void onLinkState(final int fromPop, final int toPop, final int rttUs, final int lossPpm, final long nowNs)
    {
        if (!isValidPop(fromPop) || !isValidPop(toPop) || fromPop == toPop || rttUs < 0 || lossPpm < 0)
        {
            return;
        }
        if (lossPpm >= LOSS_PPM_DOWN)
        {
            removeLink(fromPop, toPop);
            return;
        }
        final int from = addPop(fromPop);
        final int to = addPop(toPop);
        final double costNs = cost(rttUs * 1000.0, lossPpm / 1e6, lossPenaltyNs);
        final int slot = slotOf(from, to);
        if (slot >= 0)
        {
            linkRttUs[from][slot] = rttUs;
            linkLossPpm[from][slot] = lossPpm;
            linkUpdatedNs[from][slot] = nowNs;
            linkCostNs[from][slot] = costNs;
            if (Math.abs(costNs - linkVersionCostNs[from][slot]) > changeThresholdNs)
            {
                linkVersionCostNs[from][slot] = costNs;
                version++;
            }
            return;
        }
        final int d = degree[from];
        if (d == linkTo[from].length)
        {
            final int capacity = d * 2;
            linkTo[from] = Arrays.copyOf(linkTo[from], capacity);
            linkRttUs[from] = Arrays.copyOf(linkRttUs[from], capacity);
            linkLossPpm[from] = Arrays.copyOf(linkLossPpm[from], capacity);
            linkUpdatedNs[from] = Arrays.copyOf(linkUpdatedNs[from], capacity);
            linkCostNs[from] = Arrays.copyOf(linkCostNs[from], capacity);
            linkVersionCostNs[from] = Arrays.copyOf(linkVersionCostNs[from], capacity);
        }
        linkTo[from][d] = to;
        linkRttUs[from][d] = rttUs;
        linkLossPpm[from][d] = lossPpm;
        linkUpdatedNs[from][d] = nowNs;
        linkCostNs[from][d] = costNs;
        linkVersionCostNs[from][d] = costNs;
        degree[from] = d + 1;
        linkCount++;
        version++;
    }

    /**
     * Sets both directions of a link to the same measurement.
     *
     * @param popA    one end.
     * @param popB    the other end.
     * @param rttUs   round-trip time in microseconds.
     * @param lossPpm loss in parts per million.
     * @param nowNs   current time.
     */
    public void onUndirectedLinkState(final int popA, final int popB, final int rttUs, final int lossPpm, final long nowNs)
    {
        onLinkState(popA, popB, rttUs, lossPpm, nowNs);
        onLinkState(popB, popA, rttUs, lossPpm, nowNs);
    }

    /**
     * @param fromPop one end.
     * @param toPop   the other end.
     * @return true if the directed link existed and is now gone.
     */
    public boolean removeLink(final int fromPop, final int toPop)
    {
        final int from = indexByPop.get(fromPop);
        final int to = indexByPop.get(toPop);
        if (from < 0 || to < 0)
        {
            return false;
        }
        final int slot = slotOf(from, to);
        if (slot < 0)
        {
            return false;
        }
        removeSlot(from, slot);
        return true;
    }

    /**
     * Forgets links not updated for {@code maxAgeNs}.
     *
     * @param nowNs    current time.
     * @param maxAgeNs oldest update kept.
     * @return how many links were removed.
     */
    public int expireLinks(final long nowNs, final long maxAgeNs)
    {
        int removed = 0;
        for (int from = 0; from < popCount; from++)
        {
            for (int slot = degree[from] - 1; slot >= 0; slot--)
            {
                if (nowNs - linkUpdatedNs[from][slot] > maxAgeNs)
                {
                    removeSlot(from, slot);
                    removed++;
                }
            }
        }
        return removed;
    }

    /**
     * @return a counter that moves on every material change of the graph.
     */
    public long version()
    {
        return version;
    }

    /**
     * @return POPs known, indexed densely 0..popCount − 1 in order of arrival.
     */
    public int popCount()
    {
        return popCount;
    }

    /**
     * @return directed links known.
     */
    public int linkCount()
    {
        return linkCount;
    }

    /**
     * @param index dense index.
     * @return the POP id at that index.
     */
    public int popAt(final int index)
    {
        return popByIndex[index];
    }

    /**
     * @param pop POP id.
     * @return its dense index, or −1 if unknown.
     */
    public int indexOf(final int pop)
    {
        return indexByPop.get(pop);
    }

    /**
     * @param index dense index of a POP.
     * @return how many links leave it.
     */
    public int degree(final int index)
    {
        return degree[index];
    }

    /**
     * @param index dense index of a POP.
     * @param slot  0..degree − 1.
     * @return dense index of the far end of that link.
     */
    public int linkTarget(final int index, final int slot)
    {
        return linkTo[index][slot];
    }

    /**
     * @param index dense index of a POP.
     * @param slot  0..degree − 1.
     * @return cost of that link in nanoseconds.
     */
    public double linkCostNs(final int index, final int slot)
    {
        return linkCostNs[index][slot];
    }

    /**
     * Read-only view for the search: the live prefix is {@code [0, degree(index))}.
     *
     * @param index dense index of a POP.
     * @return the far ends of its links (dense indices).
     */
    int[] linkTargets(final int index)
    {
        return linkTo[index];
    }

    /**
     * Read-only view for the search: the live prefix is {@code [0, degree(index))}.
     *
     * @param index dense index of a POP.
     * @return the costs of its links in nanoseconds.
     */
    double[] linkCosts(final int index)
    {
        return linkCostNs[index];
    }

    /**
     * @param fromPop one end.
     * @param toPop   the other end.
     * @return cost of the directed link in nanoseconds, or {@link Double#NaN} if there is none.
     */
    public double costNs(final int fromPop, final int toPop)
    {
        final int from = indexByPop.get(fromPop);
        final int to = indexByPop.get(toPop);
        if (from < 0 || to < 0)
        {
            return Double.NaN;
        }
        final int slot = slotOf(from, to);
        return slot < 0 ? Double.NaN : linkCostNs[from][slot];
    }

    /**
     * @param fromPop one end.
     * @param toPop   the other end.
     * @return RTT of the directed link in microseconds, or −1 if there is none.
     */
    public int rttUs(final int fromPop, final int toPop)
    {
        final int from = indexByPop.get(fromPop);
        final int to = indexByPop.get(toPop);
        final int slot = from < 0 || to < 0 ? -1 : slotOf(from, to);
        return slot < 0 ? -1 : linkRttUs[from][slot];
    }

    /**
     * @param route a packed route.
     * @return the sum of its links' costs in nanoseconds, or {@link Double#NaN} if a link is missing.
     */
    public double routeCostNs(final long route)
    {
        final int length = Route.length(route);
        double sum = 0;
        for (int i = 0; i + 1 < length; i++)
        {
            sum += costNs(Route.pop(route, i), Route.pop(route, i + 1));
        }
        return length < 2 ? Double.NaN : sum;
    }

    /**
     * @return the loss penalty this graph's costs use, nanoseconds per unit of loss fraction.
     */
    public long lossPenaltyNs()
    {
        return lossPenaltyNs;
    }

    private int slotOf(final int from, final int to)
    {
        final int[] targets = linkTo[from];
        for (int i = 0, d = degree[from]; i < d; i++)
        {
            if (targets[i] == to)
            {
                return i;
            }
        }
        return -1;
    }

    private void removeSlot(final int from, final int slot)
    {
        final int last = degree[from] - 1;
        linkTo[from][slot] = linkTo[from][last];
        linkRttUs[from][slot] = linkRttUs[from][last];
        linkLossPpm[from][slot] = linkLossPpm[from][last];
        linkUpdatedNs[from][slot] = linkUpdatedNs[from][last];
        linkCostNs[from][slot] = linkCostNs[from][last];
        linkVersionCostNs[from][slot] = linkVersionCostNs[from][last];
        degree[from] = last;
        linkCount--;
        version++;
    }

    private static boolean isValidPop(final int pop)
    {
        return pop >= Route.MIN_POP && pop <= Route.MAX_POP;
    }

    private static void checkPop(final int pop)
    {
        if (!isValidPop(pop))
        {
            throw new IllegalArgumentException("POP id out of 1..65535: " + pop);
        }
    }
}
