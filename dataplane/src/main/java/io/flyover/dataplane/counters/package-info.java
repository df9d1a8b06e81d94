/**
 * Counters readable from outside the process: every drop reason
 * ({@link io.flyover.dataplane.counters.DropReason}), verdict and flow-table counter has a
 * stable id and label, is bumped plainly per packet by its worker
 * ({@link io.flyover.dataplane.counters.CounterBlock},
 * {@link io.flyover.dataplane.counters.DropCounters}) and published once per duty cycle to an
 * Agrona counters file ({@link io.flyover.dataplane.counters.CountersFile}, laid out like Aeron's
 * CnC file), which another process reads with {@link io.flyover.dataplane.counters.CountersView}.
 */
package io.flyover.dataplane.counters;
