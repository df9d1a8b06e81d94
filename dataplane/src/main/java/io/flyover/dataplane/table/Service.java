package io.flyover.dataplane.table;

import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.lb.Maglev;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A service: a VIP bound to a backend pool in one region (its egress POP), with a bandwidth cap.
 * Its id is the Geneve VNI. Built by the control plane with its Maglev table; immutable; read by
 * workers ({@link #pickBackend(long)} and {@link #backend(int)} allocate nothing).
 */
public final class Service
{
    /** Largest service id: the VNI is 24 bits. */
    public static final int MAX_ID = 0xFF_FFFF;

    /** Bandwidth cap meaning "not capped". */
    public static final long UNCAPPED = 0;

    private final int id;
    private final String name;
    private final Vip vip;
    private final int egressPopId;
    private final long bandwidthCapBytesPerSecond;
    private final Maglev maglev;
    private final Backend[] backendsById;

    /**
     * @param id                         service id and VNI, {@code 1..MAX_ID}.
     * @param name                       operator's name.
     * @param vip                        what it listens on.
     * @param egressPopId                the POP in front of its backends.
     * @param backends                   its pool; weight 0 drains a backend.
     * @param bandwidthCapBytesPerSecond cap on the service's traffic, or {@link #UNCAPPED}.
     */
    public Service(
        final int id,
        final String name,
        final Vip vip,
        final int egressPopId,
        final Collection<Backend> backends,
        final long bandwidthCapBytesPerSecond)
    {
        if (id < 1 || id > MAX_ID)
        {
            throw new IllegalArgumentException("service id out of range 1.." + MAX_ID + ": " + id);
        }
        if (egressPopId < 1 || egressPopId > Route.MAX_POP_ID)
        {
            throw new IllegalArgumentException("egress POP id out of range: " + egressPopId);
        }
        if (bandwidthCapBytesPerSecond < 0)
        {
            throw new IllegalArgumentException("negative bandwidth cap: " + bandwidthCapBytesPerSecond);
        }
        this.id = id;
        this.name = Objects.requireNonNull(name, "name");
        this.vip = Objects.requireNonNull(vip, "vip");
        this.egressPopId = egressPopId;
        this.bandwidthCapBytesPerSecond = bandwidthCapBytesPerSecond;
        this.maglev = Maglev.build(backends);

        int maxId = -1;
        for (final Backend backend : backends)
        {
            maxId = Math.max(maxId, backend.id());
        }
        backendsById = new Backend[maxId + 1];
        for (final Backend backend : backends)
        {
            backendsById[backend.id()] = backend;
        }
    }

    /**
     * The backend for a new flow, by Maglev over the flow hash: the same at every egress host
     * with the same pool.
     *
     * @param flowHash the flow's hash.
     * @return a backend id, or {@link Maglev#NO_BACKEND}.
     */
    public int pickBackend(final long flowHash)
    {
        return maglev.lookup(flowHash);
    }

    /**
     * @param backendId a backend id, for example from a flow entry.
     * @return the backend (drained ones included), or {@code null} if the pool no longer has it.
     */
    public Backend backend(final int backendId)
    {
        return backendId >= 0 && backendId < backendsById.length ? backendsById[backendId] : null;
    }

    /**
     * @return the id (VNI).
     */
    public int id()
    {
        return id;
    }

    /**
     * @return the name.
     */
    public String name()
    {
        return name;
    }

    /**
     * @return what it listens on.
     */
    public Vip vip()
    {
        return vip;
    }

    /**
     * @return its egress POP.
     */
    public int egressPopId()
    {
        return egressPopId;
    }

    /**
     * @return its bandwidth cap, bytes per second, or {@link #UNCAPPED}.
     */
    public long bandwidthCapBytesPerSecond()
    {
        return bandwidthCapBytesPerSecond;
    }

    /**
     * @return its Maglev table.
     */
    public Maglev maglev()
    {
        return maglev;
    }

    /**
     * @return its backends in canonical order.
     */
    public List<Backend> backends()
    {
        return maglev.backends();
    }

    /**
     * {@inheritDoc}
     */
    @Override
    public String toString()
    {
        return "Service[" + id + " " + name + " " + vip + " egress=" + egressPopId + " backends=" + backends().size() + "]";
    }
}
