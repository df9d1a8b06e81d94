package io.flyover.optimizer.linkstate;

/**
 * Receives candidate paths from {@link CandidatePathFinder}, best first per destination.
 * Called on the thread running the search.
 */
@FunctionalInterface
public interface CandidateConsumer
{
    /**
     * @param srcPop source (ingress) POP.
     * @param dstPop destination (egress) POP.
     * @param rank   0 for the best path, then 1, 2, ...
     * @param route  packed route.
     * @param costNs estimated cost in nanoseconds.
     */
    void onCandidate(int srcPop, int dstPop, int rank, long route, double costNs);
}
