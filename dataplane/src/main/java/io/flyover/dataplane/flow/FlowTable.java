package io.flyover.dataplane.flow;

import io.flyover.dataplane.counters.CounterBlock;
import io.flyover.dataplane.counters.FlowTableCounter;
import io.flyover.dataplane.hash.XxHash64;
import org.agrona.BufferUtil;
import org.agrona.concurrent.UnsafeBuffer;

import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;

import static io.flyover.dataplane.flow.FlowEntryDescriptor.BACKEND_ID_MASK;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.BACKEND_ID_OFFSET;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.CREATED_MS_OFFSET;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.DST_ADDRESS_HI_OFFSET;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.DST_ADDRESS_LO_OFFSET;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.ENTRY_LENGTH;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.ENTRY_SHIFT;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.KIND_IPV6_FLAG;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.KIND_MASK;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.LAST_SEEN_MS_OFFSET;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.META_KEY_MASK;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.META_OFFSET;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.PACKETS_SHIFT;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.META_SECOND_HOME_FLAG;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.PORTS_OFFSET;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.ROUTE_OFFSET;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.SERVICE_ID_OFFSET;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.SRC_ADDRESS_HI_OFFSET;
import static io.flyover.dataplane.flow.FlowEntryDescriptor.SRC_ADDRESS_LO_OFFSET;

/**
 * One shard's flow table: off-heap, fixed capacity, open addressing, one writer. Owned by one
 * worker thread; nothing here locks, uses atomics or allocates after construction.
 * <p>
 * <b>Layout.</b> A power-of-two array of 64-byte entries ({@link FlowEntryDescriptor}), each on
 * its own cache line, in one direct buffer aligned to a page.
 * <p>
 * <b>Probing.</b> Two-way linear probing with a bounded probe length: a key has two home slots,
 * from the low and the high 32 bits of its hash, and may sit in the probe window of either (the
 * {@link FlowTableConfig#maxProbeLength()} slots from that home on). A lookup walks both windows
 * in lockstep, each up to its first empty slot. An insert takes the nearer first empty slot of
 * the two windows, which keeps clusters short: at a probe bound of 32 the first insert that
 * finds both windows full came at 80% load on 2^20 slots, against 47% with one home slot (the
 * power of two choices; 87% at a bound of 64), so at 75% load a flow costs about 85 bytes.
 * <p>
 * Chosen for DRAM misses: each entry is one cache line; the batch pipeline touches both home
 * lines of every packet's key ({@link #prefetch(long)}) before looking any up, so their misses
 * overlap; most hits lie in a home line, and a longer walk reads adjacent lines, which the
 * hardware prefetchers stream. Removal shifts later entries of the cluster back towards their
 * homes (backward-shift deletion), so there are no tombstones and a miss ends at the first hole.
 * <p>
 * <b>Hash.</b> The table hashes keys itself ({@link #hash(FlowKey)}): XXH64 lanes of the key with
 * a per-table seed, so a remote party cannot aim keys at one probe window without knowing the
 * seed, and the table can recompute any entry's home slot from its stored key. Callers use
 * {@code hash(key)} for {@code prefetch}, {@code lookup}, {@code insert} and {@code remove}; any
 * other value corrupts the table.
 * <p>
 * <b>Offsets.</b> {@code lookup} and {@code insert} return an entry's byte offset, read and written
 * through the accessors. An offset is valid until the next {@code insert}, {@code remove},
 * {@code removeEntry} or {@code expire}: inserts may evict, removals shift entries.
 * <p>
 * <b>Full.</b> When neither probe window holds an empty slot, {@code insert} reuses, of the
 * {@code 2 * maxProbeLength} entries in them, in order: an
 * expired entry (its flow is already over; counted as an expiry), else the longest-idle TCP
 * embryonic entry (counted as an eviction: under a SYN flood embryonic flows churn among
 * themselves while established ones survive), else, only if
 * {@link FlowTableConfig#evictIdleWhenFull()}, the longest-idle entry of any state; else it
 * returns {@link #FULL} and counts it.
 * <p>
 * <b>Expiry.</b> {@link #expire(long, int)} advances a cursor over a bounded number of slots per
 * duty cycle and removes entries idle for at least their state's timeout, so the cost is spread.
 * <p>
 * <b>Other readers.</b> Only {@link #readConcurrently} may be called from another thread (the
 * admin API), while the table is open; it never writes and never stops the owner.
 * <p>
 * <b>Counters.</b> Plain longs (inserts, hits, misses, expiries, evictions, full), bumped by the
 * owning thread and read by it to publish once per duty cycle.
 */
public final class FlowTable implements AutoCloseable
{
    /** {@link #lookup} found nothing. */
    public static final int NOT_FOUND = -1;

    /** {@link #insert} found no slot to use in the key's two probe windows. */
    public static final int FULL = -2;

    /** {@link #insert} found the key already present. */
    public static final int DUPLICATE = -3;

    private static final int PAGE_SIZE = 4096;

    private final FlowTableConfig config;
    private final ByteBuffer allocation;
    private final UnsafeBuffer buffer;
    private final int capacity;
    private final int mask;
    private final int maxProbe;
    private final long seed;
    private final int[] timeoutMsByState = new int[FlowState.STATE_COUNT];
    private final boolean evictIdleWhenFull;
    private final FlowEndHandler endHandler;

    private int size;
    private int expiryCursor;
    private long inserts;
    private long hits;
    private long misses;
    private long expiries;
    private long evictions;
    private long full;

    /**
     * Allocates the table, zeroed (every slot empty).
     *
     * @param config     capacity, probe bound, timeouts and eviction policy.
     * @param seed       the hash seed; pick it at random per table (for example from
     *                   {@code SecureRandom}) so keys cannot be aimed at one probe window.
     * @param endHandler told of expiries and evictions, or {@link FlowEndHandler#NO_OP}.
     */
    public FlowTable(final FlowTableConfig config, final long seed, final FlowEndHandler endHandler)
    {
        this.config = config;
        this.capacity = config.capacity();
        this.mask = capacity - 1;
        this.maxProbe = config.maxProbeLength();
        this.seed = seed;
        this.evictIdleWhenFull = config.evictIdleWhenFull();
        this.endHandler = endHandler;

        for (int state = FlowState.TCP_EMBRYONIC; state < FlowState.STATE_COUNT; state++)
        {
            timeoutMsByState[state] = (int)(config.idleTimeoutNs(state) / 1_000_000L);
        }

        final int length = capacity * ENTRY_LENGTH;
        allocation = ByteBuffer.allocateDirect(length + PAGE_SIZE);
        final int alignmentOffset = (int)(-BufferUtil.address(allocation) & (PAGE_SIZE - 1));
        buffer = new UnsafeBuffer(allocation, alignmentOffset, length);
    }

    /**
     * The key's hash: XXH64 lanes with this table's seed; IPv4 keys take two lanes (addresses,
     * then ports and meta), IPv6 keys five.
     *
     * @param key the key.
     * @return its hash, for every other call about this key.
     */
    public long hash(final FlowKey key)
    {
        return hash(
            seed, key.srcAddressHi(), key.srcAddressLo(), key.dstAddressHi(), key.dstAddressLo(), key.portsWord(), key.keyMeta());
    }

    /**
     * @param hash a key's hash.
     * @return the byte offset of the key's first home slot (from the hash's low 32 bits).
     */
    public int firstHomeOffset(final long hash)
    {
        return ((int)hash & mask) << ENTRY_SHIFT;
    }

    /**
     * @param hash a key's hash.
     * @return the byte offset of the key's second home slot (from the hash's high 32 bits).
     */
    public int secondHomeOffset(final long hash)
    {
        return ((int)(hash >>> 32) & mask) << ENTRY_SHIFT;
    }

    /**
     * Touches both home lines of a key so their DRAM misses overlap others': the batch pipeline
     * calls this for every packet of a batch before looking any up. Java has no prefetch
     * instruction; plain loads that the caller folds into a sink (so the JIT keeps them) do the
     * same work.
     *
     * @param hash a key's hash.
     * @return the sum of the meta words at the two home slots (fold it into a sink).
     */
    public int prefetch(final long hash)
    {
        return buffer.getInt(firstHomeOffset(hash) + META_OFFSET) + buffer.getInt(secondHomeOffset(hash) + META_OFFSET);
    }

    /**
     * Finds a key. Counts a hit or a miss.
     *
     * @param key  the key.
     * @param hash {@code hash(key)}.
     * @return the entry's offset, or {@link #NOT_FOUND}.
     */
    public int lookup(final FlowKey key, final long hash)
    {
        final int offset = find(key, hash);
        if (offset >= 0)
        {
            hits++;
        }
        else
        {
            misses++;
        }
        return offset;
    }

    /**
     * Adds a key, with created and last-seen set to now and route, service and backend zero. The
     * key must not be present (look it up first); if it is, nothing changes.
     *
     * @param key   the key.
     * @param hash  {@code hash(key)}.
     * @param state its initial {@link FlowState}.
     * @param nowNs the injected clock.
     * @return the new entry's offset, {@link #FULL}, or {@link #DUPLICATE}.
     */
    public int insert(final FlowKey key, final long hash, final int state, final long nowNs)
    {
        if (!FlowState.isValid(state))
        {
            throw new IllegalArgumentException("invalid flow state " + state);
        }

        final int keyPorts = key.portsWord();
        final int keyMeta = key.keyMeta();
        final int home1 = (int)hash & mask;
        final int home2 = (int)(hash >>> 32) & mask;
        final int nowMs = toMs(nowNs);

        int empty1 = -1;
        int empty2 = -1;
        int distance1 = 0;
        int distance2 = 0;
        int slot1 = home1;
        int slot2 = home2;
        for (int i = 0; i < maxProbe && (empty1 < 0 || empty2 < 0); i++)
        {
            if (empty1 < 0)
            {
                final int candidate = slot1 << ENTRY_SHIFT;
                final int meta = buffer.getInt(candidate + META_OFFSET);
                if (0 == meta)
                {
                    empty1 = candidate;
                    distance1 = i;
                }
                else if (matches(candidate, meta, keyPorts, keyMeta, key))
                {
                    return DUPLICATE;
                }
                slot1 = (slot1 + 1) & mask;
            }
            if (empty2 < 0)
            {
                final int candidate = slot2 << ENTRY_SHIFT;
                final int meta = buffer.getInt(candidate + META_OFFSET);
                if (0 == meta)
                {
                    empty2 = candidate;
                    distance2 = i;
                }
                else if (matches(candidate, meta, keyPorts, keyMeta, key))
                {
                    return DUPLICATE;
                }
                slot2 = (slot2 + 1) & mask;
            }
        }

        final int offset;
        final int homeFlag;
        if (empty1 >= 0 && (empty2 < 0 || distance1 <= distance2))
        {
            offset = empty1;
            homeFlag = 0;
            size++;
        }
        else if (empty2 >= 0)
        {
            offset = empty2;
            homeFlag = META_SECOND_HOME_FLAG;
            size++;
        }
        else
        {
            offset = reclaim(home1, home2, nowMs);
            if (offset < 0)
            {
                full++;
                return FULL;
            }
            homeFlag = ((offset >> ENTRY_SHIFT) - home1 & mask) < maxProbe ? 0 : META_SECOND_HOME_FLAG;
        }

        buffer.putLong(offset + SRC_ADDRESS_HI_OFFSET, key.srcAddressHi());
        buffer.putLong(offset + SRC_ADDRESS_LO_OFFSET, key.srcAddressLo());
        buffer.putLong(offset + DST_ADDRESS_HI_OFFSET, key.dstAddressHi());
        buffer.putLong(offset + DST_ADDRESS_LO_OFFSET, key.dstAddressLo());
        buffer.putInt(offset + PORTS_OFFSET, keyPorts);
        buffer.putInt(offset + META_OFFSET, keyMeta | homeFlag | state << 8);
        buffer.putLong(offset + ROUTE_OFFSET, 0);
        buffer.putInt(offset + SERVICE_ID_OFFSET, 0);
        buffer.putInt(offset + BACKEND_ID_OFFSET, 1 << PACKETS_SHIFT); // backend 0, the first packet counted
        buffer.putInt(offset + CREATED_MS_OFFSET, nowMs);
        buffer.putInt(offset + LAST_SEEN_MS_OFFSET, nowMs);
        inserts++;

        return offset;
    }

    /**
     * Removes a key if present.
     *
     * @param key  the key.
     * @param hash {@code hash(key)}.
     * @return whether it was present.
     */
    public boolean remove(final FlowKey key, final long hash)
    {
        final int offset = find(key, hash);
        if (offset < 0)
        {
            return false;
        }
        removeSlot(offset >> ENTRY_SHIFT);
        return true;
    }

    /**
     * Removes the entry at an offset returned by {@code lookup} or {@code insert}.
     *
     * @param entryOffset a live entry's offset.
     */
    public void removeEntry(final int entryOffset)
    {
        if (isEmpty(entryOffset))
        {
            throw new IllegalArgumentException("no entry at offset " + entryOffset);
        }
        removeSlot(entryOffset >> ENTRY_SHIFT);
    }

    /**
     * Scans up to {@code maxSlotsToScan} slots from where the last call stopped, removing entries
     * idle for at least their state's timeout (and telling the end handler). Call once per duty
     * cycle with a budget such that the whole table is scanned well within the shortest timeout.
     *
     * @param nowNs          the injected clock.
     * @param maxSlotsToScan slots to advance the cursor by, at most the capacity.
     * @return the number of entries removed (work done).
     */
    public int expire(final long nowNs, final int maxSlotsToScan)
    {
        final int nowMs = toMs(nowNs);
        final int limit = Math.min(maxSlotsToScan, capacity);
        int slot = expiryCursor;
        int removed = 0;
        int scanned = 0;
        while (scanned < limit)
        {
            final int offset = slot << ENTRY_SHIFT;
            final int meta = buffer.getInt(offset + META_OFFSET);
            if (0 != meta && isExpired(offset, meta, nowMs))
            {
                endHandler.onFlowEnd(this, offset, FlowEndHandler.EXPIRED);
                removeSlot(slot);
                expiries++;
                removed++;
                continue; // an entry may have shifted into this slot: look at it again
            }
            slot = (slot + 1) & mask;
            scanned++;
        }
        expiryCursor = slot;
        return removed;
    }

    /**
     * Marks the flow as seen now.
     *
     * @param entryOffset a live entry's offset.
     * @param nowNs       the injected clock.
     */
    public void touch(final int entryOffset, final long nowNs)
    {
        buffer.putInt(entryOffset + LAST_SEEN_MS_OFFSET, toMs(nowNs));
        final int word = buffer.getInt(entryOffset + BACKEND_ID_OFFSET);
        if (word >>> PACKETS_SHIFT != FlowEntryDescriptor.MAX_PACKETS)
        {
            buffer.putInt(entryOffset + BACKEND_ID_OFFSET, word + (1 << PACKETS_SHIFT));
        }
    }

    /**
     * @param entryOffset a live entry's offset.
     * @return its {@link FlowState}.
     */
    public int state(final int entryOffset)
    {
        return FlowEntryDescriptor.state(buffer.getInt(entryOffset + META_OFFSET));
    }

    /**
     * Changes the flow's state (and so its idle timeout).
     *
     * @param entryOffset a live entry's offset.
     * @param state       the new {@link FlowState}.
     */
    public void state(final int entryOffset, final int state)
    {
        if (!FlowState.isValid(state))
        {
            throw new IllegalArgumentException("invalid flow state " + state);
        }
        final int meta = buffer.getInt(entryOffset + META_OFFSET);
        buffer.putInt(entryOffset + META_OFFSET, (meta & 0xFFFF_00FF) | state << 8);
    }

    /**
     * @param entryOffset a live entry's offset.
     * @return its flag bits.
     */
    public int flags(final int entryOffset)
    {
        return FlowEntryDescriptor.flags(buffer.getInt(entryOffset + META_OFFSET));
    }

    /**
     * @param entryOffset a live entry's offset.
     * @param flags       8 flag bits for the pipeline's use (for example FIN seen per direction).
     */
    public void flags(final int entryOffset, final int flags)
    {
        final int meta = buffer.getInt(entryOffset + META_OFFSET);
        buffer.putInt(entryOffset + META_OFFSET, (meta & 0xFFFF_FF00) | (flags & 0xFF));
    }

    /**
     * @param entryOffset a live entry's offset.
     * @return its {@link FlowKind}.
     */
    public int kind(final int entryOffset)
    {
        return FlowEntryDescriptor.kindByte(buffer.getInt(entryOffset + META_OFFSET)) & KIND_MASK;
    }

    /**
     * @param entryOffset a live entry's offset.
     * @return whether its addresses are IPv6.
     */
    public boolean isIpv6(final int entryOffset)
    {
        return (FlowEntryDescriptor.kindByte(buffer.getInt(entryOffset + META_OFFSET)) & KIND_IPV6_FLAG) != 0;
    }

    /**
     * @param entryOffset a live entry's offset.
     * @return its IP protocol.
     */
    public int protocol(final int entryOffset)
    {
        return FlowEntryDescriptor.protocol(buffer.getInt(entryOffset + META_OFFSET));
    }

    /**
     * @param entryOffset a live entry's offset.
     * @return its route: ingress POP and hops 1..3 packed as in {@link FlowEntryDescriptor}.
     */
    public long route(final int entryOffset)
    {
        return buffer.getLong(entryOffset + ROUTE_OFFSET);
    }

    /**
     * @param entryOffset a live entry's offset.
     * @param packedRoute ingress POP {@code << 48 |} hop 1 {@code << 32 |} hop 2 {@code << 16 |} hop 3.
     */
    public void route(final int entryOffset, final long packedRoute)
    {
        buffer.putLong(entryOffset + ROUTE_OFFSET, packedRoute);
    }

    /**
     * @param entryOffset a live entry's offset.
     * @return its service id.
     */
    public int serviceId(final int entryOffset)
    {
        return buffer.getInt(entryOffset + SERVICE_ID_OFFSET);
    }

    /**
     * @param entryOffset a live entry's offset.
     * @param serviceId   the service id.
     */
    public void serviceId(final int entryOffset, final int serviceId)
    {
        buffer.putInt(entryOffset + SERVICE_ID_OFFSET, serviceId);
    }

    /**
     * @param entryOffset a live entry's offset.
     * @return its backend id.
     */
    public int backendId(final int entryOffset)
    {
        return buffer.getInt(entryOffset + BACKEND_ID_OFFSET) & BACKEND_ID_MASK;
    }

    /**
     * @param entryOffset a live entry's offset.
     * @param backendId   the backend id.
     */
    public void backendId(final int entryOffset, final int backendId)
    {
        final int word = buffer.getInt(entryOffset + BACKEND_ID_OFFSET);
        buffer.putInt(entryOffset + BACKEND_ID_OFFSET, (word & ~BACKEND_ID_MASK) | (backendId & BACKEND_ID_MASK));
    }

    /**
     * @param entryOffset a live entry's offset.
     * @return packets the entry has seen, the one that created it included, saturating at
     * {@link FlowEntryDescriptor#MAX_PACKETS}.
     */
    public int packets(final int entryOffset)
    {
        return buffer.getInt(entryOffset + BACKEND_ID_OFFSET) >>> PACKETS_SHIFT;
    }

    /**
     * @param entryOffset a live entry's offset.
     * @return when it was created: milliseconds of the injected clock, truncated to 32 bits.
     */
    public int createdMs(final int entryOffset)
    {
        return buffer.getInt(entryOffset + CREATED_MS_OFFSET);
    }

    /**
     * @param entryOffset a live entry's offset.
     * @return when it was last seen: milliseconds of the injected clock, truncated to 32 bits.
     */
    public int lastSeenMs(final int entryOffset)
    {
        return buffer.getInt(entryOffset + LAST_SEEN_MS_OFFSET);
    }

    /**
     * @param entryOffset a live entry's offset.
     * @param nowNs       the injected clock.
     * @return how long it has been idle, ms.
     */
    public int idleMs(final int entryOffset, final long nowNs)
    {
        return toMs(nowNs) - buffer.getInt(entryOffset + LAST_SEEN_MS_OFFSET);
    }

    /**
     * Reads an entry's key, for example to report a flow's end.
     *
     * @param entryOffset a live entry's offset.
     * @param key         filled with the entry's key.
     * @return the key.
     */
    public FlowKey readKey(final int entryOffset, final FlowKey key)
    {
        key.setRaw(
            buffer.getLong(entryOffset + SRC_ADDRESS_HI_OFFSET),
            buffer.getLong(entryOffset + SRC_ADDRESS_LO_OFFSET),
            buffer.getLong(entryOffset + DST_ADDRESS_HI_OFFSET),
            buffer.getLong(entryOffset + DST_ADDRESS_LO_OFFSET),
            buffer.getInt(entryOffset + PORTS_OFFSET),
            buffer.getInt(entryOffset + META_OFFSET));
        return key;
    }

    /**
     * Reads one slot from a thread that is not the owner (the admin thread), without any help from
     * the owner and without slowing it: the entry's words are read, then, after a load fence, its
     * key, route, service, backend and creation time are read again; if anything differs (the
     * owner inserted, removed or shifted the entry meanwhile) the read is retried, up to
     * {@code 4} times, then given up. An accepted copy is an entry that existed whole at the
     * moment of the second read; the last-seen time is whatever the owner wrote last (an aligned
     * 32-bit word is never torn). A seqlock without a sequence word: the owner writes nothing more.
     * Two windows remain, both brief and both harmless for reporting: an entry just inserted may
     * show route, service and backend 0 (the pipeline sets them after the insert), and an entry
     * whose slot an insert is reusing (an expired or evicted entry, not zeroed first) may show the
     * new key with the old entry's route, service and backend until the insert clears them.
     * <p>
     * The caller must keep the table open while reading (see {@link #close()}).
     *
     * @param slot a slot, {@code 0..capacity-1}.
     * @param view filled with the entry when it returns true.
     * @return true if the slot held a live entry read consistently.
     */
    public boolean readConcurrently(final int slot, final FlowEntryView view)
    {
        final int at = slot << FlowEntryDescriptor.ENTRY_SHIFT;
        for (int attempt = 0; attempt < 4; attempt++)
        {
            final int meta = buffer.getIntVolatile(at + META_OFFSET);
            if (FlowKind.EMPTY == ((meta >>> 24) & FlowEntryDescriptor.KIND_MASK))
            {
                return false;
            }
            final long srcHi = buffer.getLong(at + SRC_ADDRESS_HI_OFFSET);
            final long srcLo = buffer.getLong(at + SRC_ADDRESS_LO_OFFSET);
            final long dstHi = buffer.getLong(at + DST_ADDRESS_HI_OFFSET);
            final long dstLo = buffer.getLong(at + DST_ADDRESS_LO_OFFSET);
            final int ports = buffer.getInt(at + PORTS_OFFSET);
            final long route = buffer.getLong(at + ROUTE_OFFSET);
            final int service = buffer.getInt(at + SERVICE_ID_OFFSET);
            final int backendWord = buffer.getInt(at + BACKEND_ID_OFFSET);
            final int created = buffer.getInt(at + CREATED_MS_OFFSET);
            final int lastSeen = buffer.getInt(at + LAST_SEEN_MS_OFFSET);
            VarHandle.loadLoadFence();
            final int meta2 = buffer.getIntVolatile(at + META_OFFSET);
            if ((meta2 & ~0xFF) == (meta & ~0xFF) &&
                srcHi == buffer.getLong(at + SRC_ADDRESS_HI_OFFSET) &&
                srcLo == buffer.getLong(at + SRC_ADDRESS_LO_OFFSET) &&
                dstHi == buffer.getLong(at + DST_ADDRESS_HI_OFFSET) &&
                dstLo == buffer.getLong(at + DST_ADDRESS_LO_OFFSET) &&
                ports == buffer.getInt(at + PORTS_OFFSET) &&
                route == buffer.getLong(at + ROUTE_OFFSET) &&
                service == buffer.getInt(at + SERVICE_ID_OFFSET) &&
                (backendWord & BACKEND_ID_MASK) == (buffer.getInt(at + BACKEND_ID_OFFSET) & BACKEND_ID_MASK) &&
                created == buffer.getInt(at + CREATED_MS_OFFSET))
            {
                view.key.setRaw(srcHi, srcLo, dstHi, dstLo, ports, meta);
                view.route = route;
                view.serviceId = service;
                view.backendId = backendWord & BACKEND_ID_MASK;
                view.packets = backendWord >>> PACKETS_SHIFT;
                view.state = (meta >>> 8) & 0xFF;
                view.createdMs = created;
                view.lastSeenMs = lastSeen;
                return true;
            }
        }
        return false;
    }

    /**
     * @return number of live entries.
     */
    public int size()
    {
        return size;
    }

    /**
     * @return number of slots.
     */
    public int capacity()
    {
        return capacity;
    }

    /**
     * @return the configuration.
     */
    public FlowTableConfig config()
    {
        return config;
    }

    /**
     * @return entries inserted.
     */
    public long inserts()
    {
        return inserts;
    }

    /**
     * @return lookups that found their key.
     */
    public long hits()
    {
        return hits;
    }

    /**
     * @return lookups that did not.
     */
    public long misses()
    {
        return misses;
    }

    /**
     * @return entries ended because idle past their timeout (by {@code expire} or reused by {@code insert}).
     */
    public long expiries()
    {
        return expiries;
    }

    /**
     * @return live entries evicted to make room.
     */
    public long evictions()
    {
        return evictions;
    }

    /**
     * @return inserts that failed with {@link #FULL}.
     */
    public long full()
    {
        return full;
    }

    /**
     * Copies the counters, and the number of live entries as {@link FlowTableCounter#ACTIVE}, into
     * a block of type {@code FLOW_TABLE} for the worker to publish with its other counters.
     *
     * @param block the shard's flow table counter block.
     */
    public void copyCountersTo(final CounterBlock block)
    {
        block.set(FlowTableCounter.INSERTS.id(), inserts);
        block.set(FlowTableCounter.HITS.id(), hits);
        block.set(FlowTableCounter.MISSES.id(), misses);
        block.set(FlowTableCounter.EXPIRIES.id(), expiries);
        block.set(FlowTableCounter.EVICTIONS.id(), evictions);
        block.set(FlowTableCounter.FULL.id(), full);
        block.set(FlowTableCounter.ACTIVE.id(), size);
    }

    /**
     * Frees the off-heap memory. The table must not be used afterwards.
     */
    @Override
    public void close()
    {
        BufferUtil.free(allocation);
    }

    private int find(final FlowKey key, final long hash)
    {
        final int keyPorts = key.portsWord();
        final int keyMeta = key.keyMeta();
        int slot1 = (int)hash & mask;
        int slot2 = (int)(hash >>> 32) & mask;
        boolean open1 = true;
        boolean open2 = true;
        for (int i = 0; i < maxProbe && (open1 || open2); i++)
        {
            if (open1)
            {
                final int offset = slot1 << ENTRY_SHIFT;
                final int meta = buffer.getInt(offset + META_OFFSET);
                if (0 == meta)
                {
                    open1 = false;
                }
                else if (matches(offset, meta, keyPorts, keyMeta, key))
                {
                    return offset;
                }
                slot1 = (slot1 + 1) & mask;
            }
            if (open2)
            {
                final int offset = slot2 << ENTRY_SHIFT;
                final int meta = buffer.getInt(offset + META_OFFSET);
                if (0 == meta)
                {
                    open2 = false;
                }
                else if (matches(offset, meta, keyPorts, keyMeta, key))
                {
                    return offset;
                }
                slot2 = (slot2 + 1) & mask;
            }
        }
        return NOT_FOUND;
    }

    private boolean matches(final int offset, final int meta, final int keyPorts, final int keyMeta, final FlowKey key)
    {
        return (meta & META_KEY_MASK) == keyMeta &&
            buffer.getInt(offset + PORTS_OFFSET) == keyPorts &&
            buffer.getLong(offset + SRC_ADDRESS_LO_OFFSET) == key.srcAddressLo() &&
            buffer.getLong(offset + DST_ADDRESS_LO_OFFSET) == key.dstAddressLo() &&
            buffer.getLong(offset + SRC_ADDRESS_HI_OFFSET) == key.srcAddressHi() &&
            buffer.getLong(offset + DST_ADDRESS_HI_OFFSET) == key.dstAddressHi();
    }

    private boolean isExpired(final int offset, final int meta, final int nowMs)
    {
        final int idleMs = nowMs - buffer.getInt(offset + LAST_SEEN_MS_OFFSET);
        return idleMs >= timeoutMsByState[FlowEntryDescriptor.state(meta)];
    }

    /**
     * Picks a slot to reuse in two full probe windows and ends its flow; see the class doc for the
     * order. Ties go to the earlier slot of window 1.
     *
     * @return the reused entry's offset, or {@link #FULL}.
     */
    private int reclaim(final int home1, final int home2, final int nowMs)
    {
        int oldestEmbryonic = -1;
        int oldestEmbryonicIdleMs = Integer.MIN_VALUE;
        int oldestAny = -1;
        int oldestAnyIdleMs = Integer.MIN_VALUE;

        for (int window = 0; window < 2; window++)
        {
            int slot = 0 == window ? home1 : home2;
            for (int i = 0; i < maxProbe; i++)
            {
                final int offset = slot << ENTRY_SHIFT;
                final int meta = buffer.getInt(offset + META_OFFSET);
                final int state = FlowEntryDescriptor.state(meta);
                final int idleMs = nowMs - buffer.getInt(offset + LAST_SEEN_MS_OFFSET);
                if (idleMs >= timeoutMsByState[state])
                {
                    endHandler.onFlowEnd(this, offset, FlowEndHandler.EXPIRED);
                    expiries++;
                    return offset;
                }
                if (FlowState.TCP_EMBRYONIC == state && idleMs > oldestEmbryonicIdleMs)
                {
                    oldestEmbryonic = offset;
                    oldestEmbryonicIdleMs = idleMs;
                }
                if (idleMs > oldestAnyIdleMs)
                {
                    oldestAny = offset;
                    oldestAnyIdleMs = idleMs;
                }
                slot = (slot + 1) & mask;
            }
        }

        final int victim = oldestEmbryonic >= 0 ? oldestEmbryonic : evictIdleWhenFull ? oldestAny : FULL;
        if (victim >= 0)
        {
            endHandler.onFlowEnd(this, victim, FlowEndHandler.EVICTED);
            evictions++;
        }
        return victim;
    }

    /**
     * Backward-shift deletion: empties the slot, then moves later entries of the cluster back into
     * the hole whenever that keeps them at or after their own home slot (first or second, as
     * their flag says), so that no entry has an empty slot between its home and itself. An entry {@code maxProbe} or more slots past the
     * hole cannot move into it (it would have to be displaced that far), which bounds the scan.
     */
    private void removeSlot(final int slot)
    {
        int hole = slot;
        int next = slot;
        int distance = 0;
        while (true)
        {
            next = (next + 1) & mask;
            distance++;
            if (distance >= maxProbe)
            {
                break;
            }
            final int nextOffset = next << ENTRY_SHIFT;
            if (isEmpty(nextOffset))
            {
                break;
            }
            final int nextHome = homeSlotOf(nextOffset);
            if (((next - nextHome) & mask) >= distance)
            {
                buffer.putBytes(hole << ENTRY_SHIFT, buffer, nextOffset, ENTRY_LENGTH);
                hole = next;
                distance = 0;
            }
        }
        buffer.setMemory(hole << ENTRY_SHIFT, ENTRY_LENGTH, (byte)0);
        size--;
    }

    private boolean isEmpty(final int offset)
    {
        return 0 == buffer.getInt(offset + META_OFFSET);
    }

    private int homeSlotOf(final int offset)
    {
        final int meta = buffer.getInt(offset + META_OFFSET);
        final long hash = hash(
            seed,
            buffer.getLong(offset + SRC_ADDRESS_HI_OFFSET),
            buffer.getLong(offset + SRC_ADDRESS_LO_OFFSET),
            buffer.getLong(offset + DST_ADDRESS_HI_OFFSET),
            buffer.getLong(offset + DST_ADDRESS_LO_OFFSET),
            buffer.getInt(offset + PORTS_OFFSET),
            meta & META_KEY_MASK);
        return (0 == (meta & META_SECOND_HOME_FLAG) ? (int)hash : (int)(hash >>> 32)) & mask;
    }

    private static long hash(
        final long seed,
        final long srcHi,
        final long srcLo,
        final long dstHi,
        final long dstLo,
        final int ports,
        final int keyMeta)
    {
        final long tail = (long)ports << 32 | (keyMeta & 0xFFFF_FFFFL);
        long h;
        if ((FlowEntryDescriptor.kindByte(keyMeta) & KIND_IPV6_FLAG) == 0)
        {
            h = seed + XxHash64.PRIME64_5 + 16;
            h = XxHash64.mixLane(h, srcLo << 32 | dstLo & 0xFFFF_FFFFL);
            h = XxHash64.mixLane(h, tail);
        }
        else
        {
            h = seed + XxHash64.PRIME64_5 + 40;
            h = XxHash64.mixLane(h, srcHi);
            h = XxHash64.mixLane(h, srcLo);
            h = XxHash64.mixLane(h, dstHi);
            h = XxHash64.mixLane(h, dstLo);
            h = XxHash64.mixLane(h, tail);
        }
        return XxHash64.avalanche(h);
    }

    private static int toMs(final long nowNs)
    {
        return (int)Math.floorDiv(nowNs, 1_000_000L);
    }
}
