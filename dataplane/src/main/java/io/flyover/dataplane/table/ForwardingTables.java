package io.flyover.dataplane.table;

import it.unimi.dsi.fastutil.ints.Int2ObjectMap;
import it.unimi.dsi.fastutil.ints.Int2ObjectMaps;
import it.unimi.dsi.fastutil.ints.Int2ObjectOpenHashMap;

import java.util.Collection;
import java.util.Objects;

/**
 * One snapshot of everything the workers forward by: POPs (the local one and its peers) with
 * their keys, services with their Maglev tables, path tables per egress POP, and the VIP index.
 * Built and validated by the control plane ({@link #build}), published whole through a
 * {@link SnapshotPublisher}, read by workers once per batch. Immutable; every lookup here is
 * allocation-free (fastutil's int-keyed maps do not box on {@code get(int)}).
 *
 * @param version    increases with every snapshot the control plane publishes.
 * @param localPop   this POP.
 * @param pops       every known POP by id, the local one included (unmodifiable).
 * @param services   every service by id (VNI) (unmodifiable).
 * @param pathTables path tables from this POP by egress POP id (unmodifiable).
 * @param vips       services by VIP, protocol and port.
 */
public record ForwardingTables(
    long version,
    Pop localPop,
    Int2ObjectMap<Pop> pops,
    Int2ObjectMap<Service> services,
    Int2ObjectMap<PathTable> pathTables,
    VipIndex vips)
{
    /**
     * Checks the parts fit together and makes the maps unmodifiable.
     */
    public ForwardingTables
    {
        Objects.requireNonNull(localPop, "localPop");
        Objects.requireNonNull(vips, "vips");
        if (pops.get(localPop.id()) != localPop)
        {
            throw new IllegalArgumentException("the local POP must be among the POPs");
        }
        if (vips.size() != services.size())
        {
            throw new IllegalArgumentException("the VIP index does not cover the services");
        }
        pops = Int2ObjectMaps.unmodifiable(pops);
        services = Int2ObjectMaps.unmodifiable(services);
        pathTables = Int2ObjectMaps.unmodifiable(pathTables);
    }

    /**
     * Builds and validates a snapshot: ids unique; every service's egress POP known; every path
     * table's egress POP known and its routes starting at this POP through known POPs; VIP port
     * ranges disjoint.
     *
     * @param version    the snapshot's version.
     * @param localPopId this POP's id.
     * @param pops       every known POP, this one included.
     * @param services   every service.
     * @param pathTables path tables from this POP, at most one per egress POP.
     * @return the snapshot.
     * @throws IllegalArgumentException naming the first inconsistency.
     */
    public static ForwardingTables build(
        final long version,
        final int localPopId,
        final Collection<Pop> pops,
        final Collection<Service> services,
        final Collection<PathTable> pathTables)
    {
        final Int2ObjectOpenHashMap<Pop> popsById = new Int2ObjectOpenHashMap<>(pops.size());
        for (final Pop pop : pops)
        {
            if (null != popsById.put(pop.id(), pop))
            {
                throw new IllegalArgumentException("duplicate POP id " + pop.id());
            }
        }
        final Pop localPop = popsById.get(localPopId);
        if (null == localPop)
        {
            throw new IllegalArgumentException("local POP " + localPopId + " is not among the POPs");
        }

        final Int2ObjectOpenHashMap<Service> servicesById = new Int2ObjectOpenHashMap<>(services.size());
        for (final Service service : services)
        {
            if (null != servicesById.put(service.id(), service))
            {
                throw new IllegalArgumentException("duplicate service id " + service.id());
            }
            if (!popsById.containsKey(service.egressPopId()))
            {
                throw new IllegalArgumentException(service + " names unknown egress POP " + service.egressPopId());
            }
        }

        final Int2ObjectOpenHashMap<PathTable> pathTablesByEgress = new Int2ObjectOpenHashMap<>(pathTables.size());
        for (final PathTable table : pathTables)
        {
            if (null != pathTablesByEgress.put(table.egressPopId(), table))
            {
                throw new IllegalArgumentException("two path tables to egress POP " + table.egressPopId());
            }
            if (!popsById.containsKey(table.egressPopId()))
            {
                throw new IllegalArgumentException("path table to unknown egress POP " + table.egressPopId());
            }
            for (final WeightedRoute weighted : table.routes())
            {
                final Route route = weighted.route();
                if (route.ingressPop() != localPopId)
                {
                    throw new IllegalArgumentException(route + " does not start at local POP " + localPopId);
                }
                for (int i = 0; i < route.length(); i++)
                {
                    if (!popsById.containsKey(route.pop(i)))
                    {
                        throw new IllegalArgumentException(route + " goes through unknown POP " + route.pop(i));
                    }
                }
            }
        }

        return new ForwardingTables(
            version, localPop, popsById, servicesById, pathTablesByEgress, VipIndex.build(services));
    }

    /**
     * @param high     destination address, high 64 bits (0 for IPv4).
     * @param low      destination address, low 64 bits.
     * @param ipv6     whether it is IPv6.
     * @param protocol IP protocol number.
     * @param port     destination port (0 for ICMP).
     * @return the service listening there, or {@code null}.
     */
    public Service serviceForVip(final long high, final long low, final boolean ipv6, final int protocol, final int port)
    {
        return vips.lookup(high, low, ipv6, protocol, port);
    }

    /**
     * @param serviceId a service id (VNI).
     * @return the service, or {@code null}.
     */
    public Service service(final int serviceId)
    {
        return services.get(serviceId);
    }

    /**
     * @param popId a POP id.
     * @return the POP, or {@code null}.
     */
    public Pop pop(final int popId)
    {
        return pops.get(popId);
    }

    /**
     * @param egressPopId an egress POP id.
     * @return the path table from this POP to it, or {@code null}.
     */
    public PathTable pathTable(final int egressPopId)
    {
        return pathTables.get(egressPopId);
    }
}
