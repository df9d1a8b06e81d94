/**
 * Flyover's data plane: packet flyweights and codecs, flow table, Maglev, tables, pipeline
 * stages, agents and rings, counters.
 */
package io.flyover.dataplane;
