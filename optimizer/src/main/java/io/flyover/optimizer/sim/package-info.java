/**
 * {@code flyover sim}: a discrete-event simulation, on a simulated clock, of the POPs of a latency
 * matrix, each running the real prober, estimator, failure detector, candidate search and policy,
 * against baselines on the same flows. Single-threaded; deterministic for a seed.
 */
package io.flyover.optimizer.sim;
