package io.flyover.dataplane.counters;

import org.agrona.DirectBuffer;
import org.agrona.IoUtil;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.status.CountersReader;

import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static io.flyover.dataplane.counters.CountersFileDescriptor.HEADER_LENGTH;
import static io.flyover.dataplane.counters.CountersFileDescriptor.KEY_ID_OFFSET;
import static io.flyover.dataplane.counters.CountersFileDescriptor.KEY_OWNER_ID_OFFSET;
import static io.flyover.dataplane.counters.CountersFileDescriptor.LAYOUT_VERSION;
import static io.flyover.dataplane.counters.CountersFileDescriptor.LAYOUT_VERSION_OFFSET;
import static io.flyover.dataplane.counters.CountersFileDescriptor.MAGIC;
import static io.flyover.dataplane.counters.CountersFileDescriptor.MAGIC_OFFSET;
import static io.flyover.dataplane.counters.CountersFileDescriptor.METADATA_LENGTH_OFFSET;
import static io.flyover.dataplane.counters.CountersFileDescriptor.PID_OFFSET;
import static io.flyover.dataplane.counters.CountersFileDescriptor.START_TIME_MS_OFFSET;
import static io.flyover.dataplane.counters.CountersFileDescriptor.VALUES_LENGTH_OFFSET;

/**
 * A read-only view of a counters file, for another process (the CLI's status command, a metrics
 * exporter, a test): maps the file read-only and reads it through an Agrona
 * {@link CountersReader}. Values are read with volatile semantics, so they are those last
 * published by the workers. Not thread-safe; use one per reading thread.
 */
public final class CountersView implements AutoCloseable
{
    private final MappedByteBuffer mapped;
    private final UnsafeBuffer header;
    private final CountersReader reader;
    private boolean closed;

    private CountersView(final MappedByteBuffer mapped, final UnsafeBuffer header, final CountersReader reader)
    {
        this.mapped = mapped;
        this.header = header;
        this.reader = reader;
    }

    /**
     * Opens a counters file read-only.
     *
     * @param file the counters file (its directory joined with {@link CountersFileDescriptor#FILE_NAME}).
     * @return the view.
     * @throws IllegalStateException if the file is not a counters file, is of another layout
     *                               version, or is not yet fully created.
     */
    public static CountersView open(final Path file)
    {
        final MappedByteBuffer mapped = IoUtil.mapExistingFile(file.toFile(), FileChannel.MapMode.READ_ONLY, "counters");
        try
        {
            final int fileLength = mapped.capacity();
            if (fileLength < HEADER_LENGTH)
            {
                throw new IllegalStateException("not a counters file, too short: " + file);
            }
            final UnsafeBuffer header = new UnsafeBuffer(mapped, 0, HEADER_LENGTH);
            if (header.getInt(MAGIC_OFFSET) != MAGIC)
            {
                throw new IllegalStateException("not a counters file: " + file);
            }
            final int version = header.getIntAcquire(LAYOUT_VERSION_OFFSET);
            if (0 == version)
            {
                throw new IllegalStateException("counters file not ready yet: " + file);
            }
            if (LAYOUT_VERSION != version)
            {
                throw new IllegalStateException(
                    "counters file layout version " + version + ", this reader knows " + LAYOUT_VERSION + ": " + file);
            }
            final int metadataLength = header.getInt(METADATA_LENGTH_OFFSET);
            final int valuesLength = header.getInt(VALUES_LENGTH_OFFSET);
            if (metadataLength <= 0 || valuesLength <= 0 ||
                (long)HEADER_LENGTH + metadataLength + valuesLength > fileLength)
            {
                throw new IllegalStateException("counters file lengths do not fit the file: " + file);
            }

            final UnsafeBuffer metadata = new UnsafeBuffer(mapped, HEADER_LENGTH, metadataLength);
            final UnsafeBuffer values = new UnsafeBuffer(
                mapped, CountersFileDescriptor.valuesOffset(metadataLength), valuesLength);
            return new CountersView(mapped, header, new CountersReader(metadata, values, StandardCharsets.UTF_8));
        }
        catch (final RuntimeException ex)
        {
            IoUtil.unmap(mapped);
            throw ex;
        }
    }

    /**
     * @return the Agrona reader over the file.
     */
    public CountersReader reader()
    {
        return reader;
    }

    /**
     * @return the writer's process id.
     */
    public long pid()
    {
        return header.getLong(PID_OFFSET);
    }

    /**
     * @return the writer's start time, epoch ms.
     */
    public long startTimeMs()
    {
        return header.getLong(START_TIME_MS_OFFSET);
    }

    /**
     * @return every allocated counter's label and current value, in counter id order.
     */
    public Map<String, Long> labelsToValues()
    {
        final Map<String, Long> result = new LinkedHashMap<>();
        reader.forEach((counterId, typeId, keyBuffer, label) -> result.put(label, reader.getCounterValue(counterId)));
        return result;
    }

    /**
     * @param label a counter's label.
     * @return its current value.
     * @throws IllegalArgumentException if no counter has that label.
     */
    public long value(final String label)
    {
        final int[] found = {CountersReader.NULL_COUNTER_ID};
        reader.forEach((counterId, typeId, keyBuffer, counterLabel) ->
        {
            if (counterLabel.equals(label))
            {
                found[0] = counterId;
            }
        });
        if (CountersReader.NULL_COUNTER_ID == found[0])
        {
            throw new IllegalArgumentException("no counter labelled " + label);
        }
        return reader.getCounterValue(found[0]);
    }

    /**
     * Finds a Flyover counter by its key.
     *
     * @param type    the counter's type.
     * @param ownerId the worker that owns it.
     * @param id      the id within the type.
     * @return the Agrona counter id, or {@link CountersReader#NULL_COUNTER_ID}.
     */
    public int findCounterId(final CounterType type, final int ownerId, final int id)
    {
        final int[] found = {CountersReader.NULL_COUNTER_ID};
        reader.forEach((counterId, typeId, keyBuffer, label) ->
        {
            if (typeId == type.typeId() && matchesKey(keyBuffer, ownerId, id))
            {
                found[0] = counterId;
            }
        });
        return found[0];
    }

    /**
     * Unmaps the file.
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

    private static boolean matchesKey(final DirectBuffer key, final int ownerId, final int id)
    {
        return key.getInt(KEY_OWNER_ID_OFFSET) == ownerId && key.getInt(KEY_ID_OFFSET) == id;
    }
}
