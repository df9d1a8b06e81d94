/**
 * The per-shard flow table: {@link io.flyover.dataplane.flow.FlowTable} (off-heap, two-way
 * linear probing over 64-byte entries laid out by
 * {@link io.flyover.dataplane.flow.FlowEntryDescriptor}), its reusable key
 * {@link io.flyover.dataplane.flow.FlowKey}, the entry kinds (an egress flow has a forward and
 * a reverse entry) and states with their idle timeouts
 * ({@link io.flyover.dataplane.flow.FlowTableConfig}).
 * <p>
 * A worker's use per batch: fill a key per packet, {@code hash} all, {@code prefetch} all,
 * then {@code lookup} each and {@code insert} on a miss (route from the path table at the
 * ingress POP, backend from Maglev at the egress POP), {@code touch} and update state; once per
 * duty cycle, {@code expire} a slice of the table and publish the counters.
 */
package io.flyover.dataplane.flow;
