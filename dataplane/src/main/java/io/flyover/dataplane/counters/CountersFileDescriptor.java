package io.flyover.dataplane.counters;

/**
 * Layout of the counters file: a header, then the metadata and values buffers of an Agrona
 * {@code CountersManager}, as Aeron lays out its CnC file. Another process maps the file
 * read-only to list counters ({@link CountersView}).
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                        Magic 'FLYC'                           |  0
 * +---------------------------------------------------------------+
 * |      Layout version (written last, with release order)        |  4
 * +---------------------------------------------------------------+
 * |                     Metadata buffer length                    |  8
 * +---------------------------------------------------------------+
 * |                      Values buffer length                     | 12
 * +---------------------------------------------------------------+
 * |                      Writer's process id                      | 16
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                  Writer's start time, epoch ms                | 24
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                    Reserved to byte 128                      ... 32
 * +---------------------------------------------------------------+
 * |          Metadata buffer: 512 bytes per counter              ... 128
 * +---------------------------------------------------------------+
 * |          Values buffer: 128 bytes per counter                ...
 * +---------------------------------------------------------------+
 * </pre>
 * Integers are in the platform's byte order (the file is read on the same host). A reader that
 * sees version 0 is early: the writer has not finished creating the file.
 * <p>
 * A Flyover counter's key (in its metadata record) holds the owner (worker) id at
 * {@link #KEY_OWNER_ID_OFFSET} and the id within its {@link CounterType} at {@link #KEY_ID_OFFSET}.
 */
public final class CountersFileDescriptor
{
    /** The file's name in the counters directory. */
    public static final String FILE_NAME = "flyover-counters.dat";

    /** "FLYC" as a little-endian int. */
    public static final int MAGIC = 0x4359_4C46;

    /** Current layout version; a reader refuses any other. */
    public static final int LAYOUT_VERSION = 1;

    /** Offset of the magic. */
    public static final int MAGIC_OFFSET = 0;

    /** Offset of the layout version. */
    public static final int LAYOUT_VERSION_OFFSET = 4;

    /** Offset of the metadata buffer's length. */
    public static final int METADATA_LENGTH_OFFSET = 8;

    /** Offset of the values buffer's length. */
    public static final int VALUES_LENGTH_OFFSET = 12;

    /** Offset of the writer's pid. */
    public static final int PID_OFFSET = 16;

    /** Offset of the writer's start time. */
    public static final int START_TIME_MS_OFFSET = 24;

    /** Length of the header: the metadata buffer starts here, cache-line aligned. */
    public static final int HEADER_LENGTH = 128;

    /** Offset of the owner id in a counter's key. */
    public static final int KEY_OWNER_ID_OFFSET = 0;

    /** Offset of the id within the counter's type in its key. */
    public static final int KEY_ID_OFFSET = 4;

    private CountersFileDescriptor()
    {
    }

    /**
     * @param maxCounters counters the file can hold.
     * @return the metadata buffer's length.
     */
    public static int metadataLength(final int maxCounters)
    {
        return maxCounters * org.agrona.concurrent.status.CountersReader.METADATA_LENGTH;
    }

    /**
     * @param maxCounters counters the file can hold.
     * @return the values buffer's length.
     */
    public static int valuesLength(final int maxCounters)
    {
        return maxCounters * org.agrona.concurrent.status.CountersReader.COUNTER_LENGTH;
    }

    /**
     * @param metadataLength the metadata buffer's length.
     * @return offset of the values buffer.
     */
    public static int valuesOffset(final int metadataLength)
    {
        return HEADER_LENGTH + metadataLength;
    }

    /**
     * @param maxCounters counters the file can hold.
     * @return the file's length.
     */
    public static long fileLength(final int maxCounters)
    {
        return (long)HEADER_LENGTH + metadataLength(maxCounters) + valuesLength(maxCounters);
    }
}
