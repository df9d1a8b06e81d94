package io.flyover.optimizer.sim;

/**
 * Settings of one simulation run. Immutable.
 *
 * @param scenario           built-in scenario; {@link SimScenario#STEADY} when a scenario file is given.
 * @param durationNs         simulated time, warm-up included.
 * @param warmupNs           time before the first flow (probes learn the links meanwhile).
 * @param seed               seed of everything random.
 * @param pairs              ingress → egress POP pairs that carry flows (and are probed every 100 ms).
 * @param flowsPerSecond     Poisson arrival rate over all pairs.
 * @param paretoShape        shape of the Pareto flow durations.
 * @param paretoMinNs        scale (minimum) of the Pareto flow durations.
 * @param linkStateIntervalNs probe interval of every direct link, for link state.
 * @param candidateIntervalNs shortest time between two candidate recomputations per ingress POP.
 * @param scenarioFile       episodes from a scenario file on top of steady noise, or {@code null}.
 */
public record SimConfig(
    SimScenario scenario,
    long durationNs,
    long warmupNs,
    long seed,
    int pairs,
    double flowsPerSecond,
    double paretoShape,
    long paretoMinNs,
    long linkStateIntervalNs,
    long candidateIntervalNs,
    ScenarioFile scenarioFile)
{
    /** Default pairs sampled. */
    public static final int DEFAULT_PAIRS = 40;
    /** Default simulated seconds. */
    public static final int DEFAULT_DURATION_S = 600;

    /**
     * Checks the values.
     */
    public SimConfig
    {
        if (durationNs <= warmupNs || warmupNs < 0 || pairs < 1 || !(flowsPerSecond > 0) || !(paretoShape > 1) ||
            paretoMinNs <= 0 || linkStateIntervalNs <= 0 || candidateIntervalNs <= 0)
        {
            throw new IllegalArgumentException("invalid simulation config");
        }
        if (scenarioFile != null && scenario != SimScenario.STEADY)
        {
            throw new IllegalArgumentException("a scenario file runs on steady, not " + scenario.label());
        }
    }

    /**
     * A run of a built-in scenario (no scenario file).
     *
     * @param scenario           built-in scenario.
     * @param durationNs         simulated time, warm-up included.
     * @param warmupNs           time before the first flow.
     * @param seed               seed of everything random.
     * @param pairs              ingress → egress POP pairs that carry flows.
     * @param flowsPerSecond     Poisson arrival rate over all pairs.
     * @param paretoShape        shape of the Pareto flow durations.
     * @param paretoMinNs        scale (minimum) of the Pareto flow durations.
     * @param linkStateIntervalNs probe interval of every direct link.
     * @param candidateIntervalNs shortest time between two candidate recomputations per ingress POP.
     */
    public SimConfig(
        final SimScenario scenario,
        final long durationNs,
        final long warmupNs,
        final long seed,
        final int pairs,
        final double flowsPerSecond,
        final double paretoShape,
        final long paretoMinNs,
        final long linkStateIntervalNs,
        final long candidateIntervalNs)
    {
        this(scenario, durationNs, warmupNs, seed, pairs, flowsPerSecond, paretoShape, paretoMinNs, linkStateIntervalNs,
            candidateIntervalNs, null);
    }

    /**
     * Defaults: 10 s warm-up, {@value #DEFAULT_PAIRS} pairs, 20 flows/s, Pareto(1.5, 2 s) durations
     * (mean 6 s), link state every 1 s, candidates at most every 1 s.
     *
     * @param scenario   scenario.
     * @param durationS  simulated seconds, more than 10.
     * @param seed       seed.
     * @return the config.
     */
    public static SimConfig defaults(final SimScenario scenario, final double durationS, final long seed)
    {
        return new SimConfig(scenario, (long)(durationS * 1e9), 10_000_000_000L, seed, DEFAULT_PAIRS, 20.0, 1.5,
            2_000_000_000L, 1_000_000_000L, 1_000_000_000L);
    }

    /**
     * @param file the scenario file whose episodes replace the built-in scenario's (on steady noise),
     *             or {@code null} for none.
     * @return this config with that scenario file.
     */
    public SimConfig withScenarioFile(final ScenarioFile file)
    {
        return new SimConfig(file != null ? SimScenario.STEADY : scenario, durationNs, warmupNs, seed, pairs,
            flowsPerSecond, paretoShape, paretoMinNs, linkStateIntervalNs, candidateIntervalNs, file);
    }

    /**
     * @return the run's label: the scenario file's name, else the built-in scenario's.
     */
    public String scenarioName()
    {
        return scenarioFile != null ? scenarioFile.name() : scenario.label();
    }
}
