package io.flyover.dataplane.counters;

import org.agrona.IoUtil;
import org.agrona.SystemUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static io.flyover.dataplane.counters.CountersFileDescriptor.HEADER_LENGTH;
import static io.flyover.dataplane.counters.CountersFileDescriptor.LAYOUT_VERSION;
import static io.flyover.dataplane.counters.CountersFileDescriptor.LAYOUT_VERSION_OFFSET;
import static io.flyover.dataplane.counters.CountersFileDescriptor.MAGIC;
import static io.flyover.dataplane.counters.CountersFileDescriptor.MAGIC_OFFSET;
import static io.flyover.dataplane.counters.CountersFileDescriptor.METADATA_LENGTH_OFFSET;
import static io.flyover.dataplane.counters.CountersFileDescriptor.PID_OFFSET;
import static io.flyover.dataplane.counters.CountersFileDescriptor.START_TIME_MS_OFFSET;
import static io.flyover.dataplane.counters.CountersFileDescriptor.VALUES_LENGTH_OFFSET;

/**
 * Creates and owns the counters file ({@link CountersFileDescriptor}) and the Agrona
 * {@link CountersManager} over it. The control plane creates it at start-up and allocates every
 * counter (each worker's {@link CounterBlock}s) before the workers run; workers then only write
 * values, each to its own counters. Another process reads the file with {@link CountersView}.
 * <p>
 * Allocation is not thread-safe: one thread allocates. The file stays on disk after
 * {@link #close()} for post-mortem reading; the next {@code create} replaces it.
 */
public final class CountersFile implements AutoCloseable
{
    private final Path path;
    private final MappedByteBuffer mapped;
    private final CountersManager countersManager;
    private boolean closed;

    private CountersFile(final Path path, final MappedByteBuffer mapped, final CountersManager countersManager)
    {
        this.path = path;
        this.mapped = mapped;
        this.countersManager = countersManager;
    }

    /**
     * Creates (or replaces) {@link CountersFileDescriptor#FILE_NAME} in a directory.
     *
     * @param directory   the counters directory; created if missing.
     * @param maxCounters how many counters the file can hold.
     * @return the open file.
     */
    public static CountersFile create(final Path directory, final int maxCounters)
    {
        if (maxCounters < 1 || maxCounters > 1 << 20)
        {
            throw new IllegalArgumentException("max counters out of range [1, 2^20]: " + maxCounters);
        }

        final Path path = directory.resolve(CountersFileDescriptor.FILE_NAME);
        try
        {
            Files.createDirectories(directory);
            Files.deleteIfExists(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }

        final int metadataLength = CountersFileDescriptor.metadataLength(maxCounters);
        final int valuesLength = CountersFileDescriptor.valuesLength(maxCounters);
        final MappedByteBuffer mapped = IoUtil.mapNewFile(path.toFile(), CountersFileDescriptor.fileLength(maxCounters));

        final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
        final UnsafeBuffer metadata = new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength);
        final UnsafeBuffer values = new UnsafeBuffer(
            mapped, CountersFileDescriptor.valuesOffset(metadataLength), valuesLength);
        final CountersManager manager = new CountersManager(metadata, values, StandardCharsets.UTF_8);

        header.putInt(MAGIC_OFFSET, MAGIC);
        header.putInt(METADATA_LENGTH_OFFSET, metadataLength);
        header.putInt(VALUES_LENGTH_OFFSET, valuesLength);
        header.putLong(PID_OFFSET, SystemUtil.getPid());
        header.putLong(START_TIME_MS_OFFSET, System.currentTimeMillis());
        header.putIntRelease(LAYOUT_VERSION_OFFSET, LAYOUT_VERSION);

        return new CountersFile(path, mapped, manager);
    }

    /**
     * @return the file's path.
     */
    public Path path()
    {
        return path;
    }

    /**
     * @return the manager that allocates counters in the file.
     */
    public CountersManager countersManager()
    {
        return countersManager;
    }

    /**
     * Unmaps the file. Counters allocated from it must not be written afterwards.
     */
    @Override
    public void close()
    {
        if (!closed)
        {
            closed = true;
            IoUtil.unmap(mapped);
        }
    }
}
