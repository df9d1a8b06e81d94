/**
 * The forwarding tables: immutable snapshots built and validated by the control plane and
 * handed to workers by one reference swap ({@link io.flyover.dataplane.table.SnapshotPublisher}).
 * {@link io.flyover.dataplane.table.ForwardingTables} bundles POPs and their backbone keys,
 * services (VIP, egress POP, backend pool and its Maglev table, bandwidth cap), the path tables
 * from this POP ({@link io.flyover.dataplane.table.PathTable}: 65,536 buckets of weighted routes)
 * and the VIP index. Workers read the current snapshot once per batch; every lookup they use is
 * allocation-free.
 */
package io.flyover.dataplane.table;
