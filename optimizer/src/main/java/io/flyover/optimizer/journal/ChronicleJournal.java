package io.flyover.optimizer.journal;

import io.flyover.optimizer.path.Route;
import io.flyover.optimizer.policy.PathWeights;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.wire.DocumentContext;

import java.io.File;
import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The optimizer's journal on a Chronicle Queue in a directory. Every entry is one document of raw
 * bytes (Chronicle's native little-endian order), see {@link JournalFormat}. Written by one
 * thread at a time, the optimizer's, never on the packet path; the appender is made by the thread
 * that writes (made again if another thread takes over, e.g. after a warm-up before the agents start).
 * <p>
 * Retention: the queue rolls to a new file every {@link JournalFormat#ROLL_CYCLE} (an hour; a queue
 * created by an older build keeps the cycle it was created with, a day). {@link #deleteExpired()}
 * deletes the files of whole cycles that ended more than the retention ago; the current cycle is
 * never deleted. The queue's clock is the wall clock given here, so cycles and retention agree.
 */
public final class ChronicleJournal implements OptimizerJournal
{
    /** Retention meaning keep every cycle. */
    public static final long KEEP_ALL = 0;

    private final SingleChronicleQueue queue;
    private final RollingResourcesCache cycleNames;
    private final long retentionMs;
    private ExcerptAppender appender;
    private Thread appenderThread;
    private final LongSupplier wallClockMs;
    private long written;
    private long cyclesDeleted;
    private long deleteFailures;

    /**
     * Opens (or creates) the queue, keeping every cycle.
     *
     * @param dir         the queue's directory.
     * @param wallClockMs the wall clock in ms since the epoch.
     */
    public ChronicleJournal(final Path dir, final LongSupplier wallClockMs)
    {
        this(dir, wallClockMs, KEEP_ALL);
    }

    /**
     * Opens (or creates) the queue.
     *
     * @param dir         the queue's directory.
     * @param wallClockMs the wall clock in ms since the epoch; the queue rolls its files by it.
     * @param retentionMs how long a cycle is kept after it ended, {@code > 0}, or {@link #KEEP_ALL}.
     */
    public ChronicleJournal(final Path dir, final LongSupplier wallClockMs, final long retentionMs)
    {
        if (retentionMs < 0)
        {
            throw new IllegalArgumentException("negative journal retention: " + retentionMs);
        }
        this.queue = JournalFormat.open(dir, false, wallClockMs::getAsLong);
        this.cycleNames = new RollingResourcesCache(queue.rollCycle(), queue.epoch(),
            name -> new File(queue.file(), name + SingleChronicleQueue.SUFFIX),
            file -> stripSuffix(file.getName()));
        this.wallClockMs = wallClockMs;
        this.retentionMs = retentionMs;
    }

    @Override
    public void probeAnswered(final long route, final long seq, final long rttNs, final long nowNs)
    {
        write(JournalRecord.PROBE_ANSWERED, nowNs, route, seq, rttNs);
    }

    @Override
    public void probeLost(final long route, final long seq, final long nowNs)
    {
        write(JournalRecord.PROBE_LOST, nowNs, route, seq, 0);
    }

    @Override
    public void linkState(final int fromPop, final int toPop, final int rttUs, final int lossPpm, final long nowNs)
    {
        write(JournalRecord.LINK_STATE, nowNs, Route.of(fromPop, toPop), rttUs, lossPpm);
    }

    @Override
    public void pathState(final long route, final boolean up, final long nowNs)
    {
        write(JournalRecord.PATH_STATE, nowNs, route, up ? 1 : 0, 0);
    }

    @Override
    public void weights(final PathWeights weights, final long nowNs)
    {
        try (DocumentContext dc = appender().writingDocument())
        {
            final Bytes<?> bytes = dc.wire().bytes();
            header(bytes, JournalRecord.WEIGHTS, nowNs, weights.preferredRoute(), weights.dstPop(),
                weights.anyLive() ? 1 : 0);
            final int n = Math.min(weights.size(), JournalFormat.MAX_WEIGHTS);
            bytes.writeShort((short)n);
            for (int i = 0; i < n; i++)
            {
                bytes.writeLong(weights.route(i));
                bytes.writeDouble(weights.weight(i));
            }
        }
        written++;
    }

    /**
     * {@inheritDoc}
     * <p>
     * Lists the queue's directory and deletes every cycle file whose cycle ended at least the
     * retention before now (by the wall clock given at construction); never the current cycle,
     * never a file whose name is not a cycle of this queue. A file that cannot be deleted is
     * counted ({@link #deleteFailures()}) and tried again next time. Readers of a deleted cycle in
     * other processes keep their mapping until they move on (Linux unlinks, it does not truncate).
     */
    @Override
    public int deleteExpired()
    {
        if (KEEP_ALL == retentionMs)
        {
            return 0;
        }
        final long nowMs = wallClockMs.getAsLong();
        final int current = queue.cycle();
        final long lengthMs = queue.rollCycle().lengthInMillis();
        final File[] files = queue.file().listFiles((d, name) -> name.endsWith(SingleChronicleQueue.SUFFIX));
        if (null == files)
        {
            return 0;
        }
        int deleted = 0;
        for (final File file : files)
        {
            final int cycle = cycleOf(file);
            if (cycle < 0 || cycle >= current)
            {
                continue;
            }
            final long endMs = queue.epoch() + (cycle + 1L) * lengthMs;
            if (nowMs - endMs >= retentionMs)
            {
                if (file.delete())
                {
                    deleted++;
                }
                else
                {
                    deleteFailures++;
                }
            }
        }
        if (deleted > 0)
        {
            cyclesDeleted += deleted;
            try
            {
                queue.refreshDirectoryListing();
            }
            catch (final RuntimeException ex)
            {
                // a stray file named like a cycle; the queue lists its files again on its own later
                deleteFailures++;
            }
        }
        return deleted;
    }

    /**
     * @param file a file of the queue's directory.
     * @return its cycle, or -1 if its name is not one of this queue's cycles.
     */
    public int cycleOf(final File file)
    {
        final String name = file.getName();
        if (!name.endsWith(SingleChronicleQueue.SUFFIX))
        {
            return -1;
        }
        try
        {
            return cycleNames.parseCount(stripSuffix(name));
        }
        catch (final RuntimeException ex)
        {
            return -1;
        }
    }

    /**
     * @return the current cycle by the wall clock.
     */
    public int currentCycle()
    {
        return queue.cycle();
    }

    /**
     * @return the length of one cycle (one file) in ms.
     */
    public long cycleLengthMs()
    {
        return queue.rollCycle().lengthInMillis();
    }

    /**
     * @return cycle files deleted by {@link #deleteExpired()} so far.
     */
    public long cyclesDeleted()
    {
        return cyclesDeleted;
    }

    /**
     * @return cycle files {@link #deleteExpired()} could not delete so far.
     */
    public long deleteFailures()
    {
        return deleteFailures;
    }

    /**
     * @return entries written.
     */
    public long written()
    {
        return written;
    }

    @Override
    public void close()
    {
        if (null != appender)
        {
            appender.close();
            appender = null;
        }
        queue.close();
    }

    private ExcerptAppender appender()
    {
        final Thread current = Thread.currentThread();
        if (current != appenderThread)
        {
            if (null != appender)
            {
                appender.close();
            }
            appender = queue.createAppender();
            appenderThread = current;
        }
        return appender;
    }

    private static String stripSuffix(final String name)
    {
        return name.endsWith(SingleChronicleQueue.SUFFIX) ?
            name.substring(0, name.length() - SingleChronicleQueue.SUFFIX.length()) : name;
    }

    private void write(final int type, final long nowNs, final long route, final long a, final long b)
    {
        try (DocumentContext dc = appender().writingDocument())
        {
            header(dc.wire().bytes(), type, nowNs, route, a, b);
        }
        written++;
    }

    private void header(
        final Bytes<?> bytes, final int type, final long nowNs, final long route, final long a, final long b)
    {
        bytes.writeByte((byte)JournalFormat.VERSION);
        bytes.writeByte((byte)type);
        bytes.writeLong(wallClockMs.getAsLong());
        bytes.writeLong(nowNs);
        bytes.writeLong(route);
        bytes.writeLong(a);
        bytes.writeLong(b);
    }
}
