package io.flyover.optimizer.policy;

/**
 * How a {@link PathPolicy} spreads its exploration share over candidate paths.
 */
public enum ExplorationStrategy
{
    /**
     * Discounted Thompson sampling: each path's cost has a Gaussian posterior built from
     * discounted evidence; a path is explored in proportion to how often a posterior draw makes
     * it the cheapest.
     */
    THOMPSON,

    /**
     * Discounted UCB (Garivier and Moulines' D-UCB, for costs): a path is explored when its
     * optimistic index {@code mean − c·s·sqrt(2·ln N / n)} says it could beat the preferred one.
     */
    UCB
}
