package io.flyover.dataplane.engine;

/**
 * How the engine's agents are placed on threads.
 */
public enum ThreadingMode
{
    /**
     * One thread per agent: port agents and each worker shard spin on their own core.
     */
    DEDICATED,

    /**
     * Every agent on one thread, in a fixed order; for tests, replay and small hosts.
     */
    SHARED
}
