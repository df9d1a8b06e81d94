package io.flyover.dataplane.table;

import io.flyover.dataplane.hash.XxHash64;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the service for a packet's destination: (VIP address, protocol, port) → service. Built
 * once by the control plane; immutable; {@link #lookup} allocates nothing.
 * <p>
 * An open-addressing table (linear probing, load at most one half) keyed by address and
 * protocol, whose entries point at that listener group's port ranges, sorted and disjoint, which
 * a binary search walks. Several services may share a VIP and protocol on disjoint port ranges;
 * overlapping ranges are refused when building.
 */
public final class VipIndex
{
    private static final int OCCUPIED = 1 << 31;
    private static final int IPV6 = 1 << 8;

    private final int mask;
    private final long[] highs;
    private final long[] lows;
    private final int[] metas;
    private final int[] firstRange;
    private final int[] endRange;
    private final int[] rangeFrom;
    private final int[] rangeTo;
    private final Service[] rangeService;

    private VipIndex(
        final int mask,
        final long[] highs,
        final long[] lows,
        final int[] metas,
        final int[] firstRange,
        final int[] endRange,
        final int[] rangeFrom,
        final int[] rangeTo,
        final Service[] rangeService)
    {
        this.mask = mask;
        this.highs = highs;
        this.lows = lows;
        this.metas = metas;
        this.firstRange = firstRange;
        this.endRange = endRange;
        this.rangeFrom = rangeFrom;
        this.rangeTo = rangeTo;
        this.rangeService = rangeService;
    }

    /**
     * Indexes services by their VIPs.
     *
     * @param services the services.
     * @return the index.
     * @throws IllegalArgumentException if two services' port ranges overlap on one VIP and protocol.
     */
    public static VipIndex build(final Collection<Service> services)
    {
        final Map<GroupKey, List<Service>> groups = new LinkedHashMap<>();
        for (final Service service : services)
        {
            final InetAddress address = service.vip().address();
            final GroupKey key = new GroupKey(
                Addresses.high(address), Addresses.low(address), meta(Addresses.isIpv6(address), service.vip().protocol()));
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(service);
        }

        int capacity = 8;
        while (capacity < 2 * groups.size())
        {
            capacity <<= 1;
        }
        final int mask = capacity - 1;
        final long[] highs = new long[capacity];
        final long[] lows = new long[capacity];
        final int[] metas = new int[capacity];
        final int[] firstRange = new int[capacity];
        final int[] endRange = new int[capacity];
        final int[] rangeFrom = new int[services.size()];
        final int[] rangeTo = new int[services.size()];
        final Service[] rangeService = new Service[services.size()];

        int next = 0;
        for (final Map.Entry<GroupKey, List<Service>> group : groups.entrySet())
        {
            final GroupKey key = group.getKey();
            final List<Service> members = new ArrayList<>(group.getValue());
            members.sort(Comparator.comparingInt(s -> s.vip().portFrom()));
            for (int i = 1; i < members.size(); i++)
            {
                if (members.get(i).vip().portFrom() <= members.get(i - 1).vip().portTo())
                {
                    throw new IllegalArgumentException(
                        "port ranges overlap: " + members.get(i - 1) + " and " + members.get(i));
                }
            }

            int slot = slot(key.high(), key.low(), key.meta(), mask);
            while (0 != metas[slot])
            {
                slot = (slot + 1) & mask;
            }
            highs[slot] = key.high();
            lows[slot] = key.low();
            metas[slot] = key.meta();
            firstRange[slot] = next;
            for (final Service member : members)
            {
                rangeFrom[next] = member.vip().portFrom();
                rangeTo[next] = member.vip().portTo();
                rangeService[next] = member;
                next++;
            }
            endRange[slot] = next;
        }

        return new VipIndex(mask, highs, lows, metas, firstRange, endRange, rangeFrom, rangeTo, rangeService);
    }

    /**
     * The service listening on a destination.
     *
     * @param high     destination address, high 64 bits (0 for IPv4).
     * @param low      destination address, low 64 bits (IPv4: the address, zero-extended).
     * @param ipv6     whether the address is IPv6.
     * @param protocol IP protocol number.
     * @param port     destination port (0 for ICMP).
     * @return the service, or {@code null} if none listens there.
     */
    public Service lookup(final long high, final long low, final boolean ipv6, final int protocol, final int port)
    {
        final int meta = meta(ipv6, protocol);
        int slot = slot(high, low, meta, mask);
        while (true)
        {
            final int slotMeta = metas[slot];
            if (0 == slotMeta)
            {
                return null;
            }
            if (slotMeta == meta && lows[slot] == low && highs[slot] == high)
            {
                return findRange(firstRange[slot], endRange[slot], port);
            }
            slot = (slot + 1) & mask;
        }
    }

    /**
     * @param address  an IPv4 destination as an int in network order.
     * @param protocol IP protocol number.
     * @param port     destination port.
     * @return the service, or {@code null}.
     */
    public Service lookupIpv4(final int address, final int protocol, final int port)
    {
        return lookup(0, address & 0xFFFF_FFFFL, false, protocol, port);
    }

    /**
     * @return number of services indexed.
     */
    public int size()
    {
        return rangeService.length;
    }

    private Service findRange(final int first, final int end, final int port)
    {
        int low = first;
        int high = end - 1;
        while (low <= high)
        {
            final int mid = (low + high) >>> 1;
            if (rangeFrom[mid] <= port)
            {
                if (port <= rangeTo[mid])
                {
                    return rangeService[mid];
                }
                low = mid + 1;
            }
            else
            {
                high = mid - 1;
            }
        }
        return null;
    }

    private static int meta(final boolean ipv6, final int protocol)
    {
        return OCCUPIED | (ipv6 ? IPV6 : 0) | (protocol & 0xFF);
    }

    private static int slot(final long high, final long low, final int meta, final int mask)
    {
        long h = XxHash64.PRIME64_5 + 24;
        h = XxHash64.mixLane(h, high);
        h = XxHash64.mixLane(h, low);
        h = XxHash64.mixLane(h, meta);
        return (int)XxHash64.avalanche(h) & mask;
    }

    private record GroupKey(long high, long low, int meta)
    {
    }
}
