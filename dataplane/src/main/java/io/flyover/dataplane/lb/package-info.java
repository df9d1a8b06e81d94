/**
 * Backend selection: {@link io.flyover.dataplane.lb.Maglev} consistent hashing per service and
 * the weighted Maglev fill ({@link io.flyover.dataplane.lb.MaglevFill}) it shares with path
 * tables. Built by the control plane, immutable, read lock-free and allocation-free by workers.
 * <p>
 * Flow hash bits: Maglev uses the low 32 bits of the flow hash, the path table the top 16, and
 * the flow table hashes its keys itself with a per-table seed; shard selection uses its own keyed
 * hash of the client side. No two consumers depend on the same bits.
 */
package io.flyover.dataplane.lb;
