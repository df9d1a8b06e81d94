package io.flyover.optimizer.journal;

import io.flyover.optimizer.path.Route;
import io.flyover.optimizer.policy.PathWeights;
import net.openhft.chronicle.bytes.Bytes;
import net.openhft.chronicle.queue.ChronicleQueue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.wire.DocumentContext;

import java.nio.file.Path;
import java.util.function.LongSupplier;

/**
 * The optimizer's journal on a Chronicle Queue in a directory. Every entry is one document of raw
 * bytes (Chronicle's native little-endian order), see {@link JournalFormat}. Written by one
 * thread at a time, the optimizer's, never on the packet path; the appender is made by the thread
 * that writes (made again if another thread takes over, e.g. after a warm-up before the agents start).
 */
public final class ChronicleJournal implements OptimizerJournal
{
    private final ChronicleQueue queue;
    private ExcerptAppender appender;
    private Thread appenderThread;
    private final LongSupplier wallClockMs;
    private long written;

    /**
     * Opens (or creates) the queue.
     *
     * @param dir         the queue's directory.
     * @param wallClockMs the wall clock in ms since the epoch.
     */
    public ChronicleJournal(final Path dir, final LongSupplier wallClockMs)
    {
        this.queue = JournalFormat.open(dir, false);
        this.wallClockMs = wallClockMs;
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
