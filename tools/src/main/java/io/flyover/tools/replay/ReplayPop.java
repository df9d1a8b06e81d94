package io.flyover.tools.replay;

import io.flyover.dataplane.engine.InMemoryPort;
import io.flyover.dataplane.engine.PopEngine;
import io.flyover.dataplane.engine.PortRole;

/**
 * One POP a replay drives: its engine and its in-memory ports (raw IP), indexed by
 * {@link PortRole#id()}.
 *
 * @param id       the POP id.
 * @param name     its name.
 * @param underlay its underlay IPv4 address, as an int.
 * @param engine   its engine, run by {@link PopEngine#doWork()} on the replay thread.
 * @param ports    its ports by role id.
 */
public record ReplayPop(int id, String name, int underlay, PopEngine engine, InMemoryPort[] ports)
{
    /**
     * @param role a role.
     * @return the POP's port of that role.
     */
    public InMemoryPort port(final PortRole role)
    {
        return ports[role.id()];
    }
}
