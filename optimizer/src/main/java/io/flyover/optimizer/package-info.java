/**
 * The path optimizer: prober, latency table, failure detector, path policy, path tables, journal.
 */
package io.flyover.optimizer;
