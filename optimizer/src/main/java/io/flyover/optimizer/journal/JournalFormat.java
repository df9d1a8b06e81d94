package io.flyover.optimizer.journal;

import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.TailerDirection;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * The journal's entry layout and its readers. Each entry is one Chronicle document of raw bytes,
 * little-endian:
 * <pre>
 *   0  version (byte) = 1
 *   1  type (byte): 1 probe answered, 2 probe lost, 3 link state, 4 path state, 5 weights
 *   2  wall-clock time, ms since the epoch (long)
 *  10  optimizer clock, ns (long)
 *  18  route (long, packed: ingress, hop 1..3, 16 bits each)
 *  26  a (long)
 *  34  b (long)                 -- see JournalRecord for a and b by type
 *  42  weights only: count (short), then count × { route (long), weight (double) }
 * </pre>
 * Entries of another version or a truncated entry are skipped and counted by the readers, never
 * thrown. Stateless; any thread.
 */
public final class JournalFormat
{
    /** Layout version. */
    public static final int VERSION = 1;

    /** Bytes of the fixed part of an entry. */
    public static final int HEADER_LENGTH = 42;

    /** Most routes one weights entry holds. */
    public static final int MAX_WEIGHTS = 64;

    private JournalFormat()
    {
    }

    /**
     * How often the queue rolls to a new file, for queues created from now on (an existing queue
     * keeps the cycle it was created with: Chronicle reads it from the queue's metadata). Retention
     * deletes whole cycles, so this is its granularity.
     */
    public static final RollCycles ROLL_CYCLE = RollCycles.FAST_HOURLY;

    /**
     * @param dir      the queue's directory.
     * @param readOnly open for reading only.
     * @return the queue, rolling by the system clock.
     */
    public static ChronicleQueue open(final Path dir, final boolean readOnly)
    {
        return open(dir, readOnly, System::currentTimeMillis);
    }

    /**
     * @param dir         the queue's directory.
     * @param readOnly    open for reading only.
     * @param wallClockMs the clock the queue rolls its files by (ms since the epoch).
     * @return the queue.
     */
    public static SingleChronicleQueue open(final Path dir, final boolean readOnly, final TimeProvider wallClockMs)
    {
        return ChronicleQueue.singleBuilder(dir).rollCycle(ROLL_CYCLE).timeProvider(wallClockMs).readOnly(readOnly)
            .build();
    }

    /**
     * @param dir a directory.
     * @return true if it holds a queue to read.
     */
    public static boolean exists(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return false;
        }
        try (var files = Files.list(dir))
        {
            return files.anyMatch(f -> f.getFileName().toString().endsWith(".cq4"));
        }
        catch (final java.io.IOException ex)
        {
            return false;
        }
    }

    /**
     * Decodes one document.
     *
     * @param bytes the document's bytes, positioned at its start.
     * @return the record, or null if it is not a valid entry of this version.
     */
    public static JournalRecord decode(final Bytes<?> bytes)
    {
        if (bytes.readRemaining() < HEADER_LENGTH)
        {
            return null;
        }
        final int version = bytes.readByte();
        final int type = bytes.readByte();
        if (VERSION != version || type < JournalRecord.PROBE_ANSWERED || type > JournalRecord.WEIGHTS)
        {
            return null;
        }
        final long wallMs = bytes.readLong();
        final long nowNs = bytes.readLong();
        final long route = bytes.readLong();
        final long a = bytes.readLong();
        final long b = bytes.readLong();
        long[] routes = new long[0];
        double[] weights = new double[0];
        if (JournalRecord.WEIGHTS == type)
        {
            if (bytes.readRemaining() < 2)
            {
                return null;
            }
            final int n = bytes.readShort();
            if (n < 0 || n > MAX_WEIGHTS || bytes.readRemaining() < n * 16L)
            {
                return null;
            }
            routes = new long[n];
            weights = new double[n];
            for (int i = 0; i < n; i++)
            {
                routes[i] = bytes.readLong();
                weights[i] = bytes.readDouble();
            }
        }
        return new JournalRecord(type, wallMs, nowNs, route, a, b, routes, weights);
    }

    /**
     * Reads the newest entries.
     *
     * @param dir       the queue's directory.
     * @param limit     most entries.
     * @param minWallMs entries written before this wall-clock time are not read.
     * @return the entries, oldest first.
     */
    public static List<JournalRecord> tail(final Path dir, final int limit, final long minWallMs)
    {
        final List<JournalRecord> records = new ArrayList<>();
        if (!exists(dir) || limit <= 0)
        {
            return records;
        }
        try (ChronicleQueue queue = open(dir, true))
        {
            final ExcerptTailer tailer = queue.createTailer().direction(TailerDirection.BACKWARD).toEnd();
            while (records.size() < limit)
            {
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (!dc.isPresent())
                    {
                        break;
                    }
                    final JournalRecord record = decode(dc.wire().bytes());
                    if (null == record)
                    {
                        continue;
                    }
                    if (record.wallMs() < minWallMs)
                    {
                        break;
                    }
                    records.add(record);
                }
            }
        }
        Collections.reverse(records);
        return records;
    }

    /**
     * Hands every entry after the current end to a consumer as it is written, until told to stop.
     *
     * @param dir     the queue's directory.
     * @param sink    told of each entry.
     * @param running polled between entries; false stops.
     * @param idle    called when nothing new is there.
     */
    public static void follow(
        final Path dir, final Consumer<JournalRecord> sink, final BooleanSupplier running,
        final Runnable idle)
    {
        try (ChronicleQueue queue = open(dir, true))
        {
            final ExcerptTailer tailer = queue.createTailer().toEnd();
            while (running.getAsBoolean())
            {
                boolean read = false;
                try (DocumentContext dc = tailer.readingDocument())
                {
                    if (dc.isPresent())
                    {
                        read = true;
                        final JournalRecord record = decode(dc.wire().bytes());
                        if (null != record)
                        {
                            sink.accept(record);
                        }
                    }
                }
                if (!read)
                {
                    idle.run();
                }
            }
        }
    }
}
