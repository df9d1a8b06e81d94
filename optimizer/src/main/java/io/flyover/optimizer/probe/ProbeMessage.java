package io.flyover.optimizer.probe;

import io.flyover.optimizer.linkstate.LinkStateSink;
import io.flyover.optimizer.path.Route;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import java.nio.ByteOrder;

/**
 * Codec of the probe message: the inner payload of a Geneve OAM packet (O bit set). The prober
 * sends a {@link #TYPE_REQUEST}; the POP at the far end of the route reflects it as a
 * {@link #TYPE_REPLY} with its receive and transmit times filled in, so the prober can remove the
 * reflector's residence time from the RTT. Both carry some of their sender's link-state entries.
 * All fields big-endian.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+---------------+---------------+
 * |         Magic 0xF10B          |  Version = 1  |     Type      |   0
 * +-------------------------------+---------------+---------------+
 * |          Sender POP           |      Entry count (0..64)      |   4
 * +-------------------------------+-------------------------------+
 * |          Ingress POP          |             Hop 1             |   8
 * +-------------------------------+-------------------------------+
 * |             Hop 2             |             Hop 3             |  12
 * +-------------------------------+-------------------------------+
 * |                        Path id (32)                           |  16
 * +---------------------------------------------------------------+
 * |                        Reserved (32)                          |  20
 * +---------------------------------------------------------------+
 * |                     Sequence number (64)                      |  24
 * +---------------------------------------------------------------+
 * |           Send time, ns, prober's clock (64)                  |  32
 * +---------------------------------------------------------------+
 * |      Echo receive time, ns, reflector's clock (64)            |  40
 * +---------------------------------------------------------------+
 * |      Echo transmit time, ns, reflector's clock (64)           |  48
 * +-------------------------------+-------------------------------+
 * |           From POP            |            To POP             |  56 + 12·i
 * +-------------------------------+-------------------------------+
 * |                     Link RTT, µs (32)                         |
 * +---------------------------------------------------------------+
 * |                     Link loss, ppm (32)                       |
 * +---------------------------------------------------------------+
 * </pre>
 * The route is the probed path (the reply goes back along it reversed). Echo times are 0 in a
 * request. Decoding never throws: {@link #validate} checks every length and field before any
 * accessor is used and returns a {@link ProbeVerdict}. Stateless; any thread.
 */
public final class ProbeMessage
{
    /** Byte order of every field. */
    public static final ByteOrder BYTE_ORDER = ByteOrder.BIG_ENDIAN;

    /** Magic number. */
    public static final int MAGIC = 0xF10B;

    /** Version of this layout. */
    public static final int VERSION = 1;

    /** A probe from the prober toward the reflector. */
    public static final int TYPE_REQUEST = 1;

    /** The reflected probe. */
    public static final int TYPE_REPLY = 2;

    /** Field offsets from the start of the message, see the diagram. */
    public static final int MAGIC_OFFSET = 0;
    public static final int VERSION_OFFSET = 2;
    public static final int TYPE_OFFSET = 3;
    public static final int SENDER_POP_OFFSET = 4;
    public static final int ENTRY_COUNT_OFFSET = 6;
    public static final int ROUTE_OFFSET = 8;
    public static final int PATH_ID_OFFSET = 16;
    public static final int RESERVED_OFFSET = 20;
    public static final int SEQUENCE_OFFSET = 24;
    public static final int SEND_TIME_OFFSET = 32;
    public static final int ECHO_RECEIVE_TIME_OFFSET = 40;
    public static final int ECHO_TRANSMIT_TIME_OFFSET = 48;
    public static final int HEADER_LENGTH = 56;

    /** Field offsets from the start of an entry, see the diagram. */
    public static final int ENTRY_FROM_OFFSET = 0;
    public static final int ENTRY_TO_OFFSET = 2;
    public static final int ENTRY_RTT_US_OFFSET = 4;
    public static final int ENTRY_LOSS_PPM_OFFSET = 8;
    public static final int ENTRY_LENGTH = 12;

    /** Most link-state entries one message carries. */
    public static final int MAX_ENTRIES = 64;

    /** Longest message. */
    public static final int MAX_LENGTH = HEADER_LENGTH + MAX_ENTRIES * ENTRY_LENGTH;

    private ProbeMessage()
    {
    }

    /**
     * @param entryCount link-state entries.
     * @return the message length with that many entries.
     */
    public static int length(final int entryCount)
    {
        return HEADER_LENGTH + entryCount * ENTRY_LENGTH;
    }

    /**
     * Writes a header; entries follow with {@link #putEntry}.
     *
     * @param buffer         destination, at least {@link #length(int)} bytes from offset.
     * @param offset         where the message starts.
     * @param type           {@link #TYPE_REQUEST} or {@link #TYPE_REPLY}.
     * @param senderPop      POP writing this message.
     * @param route          probed route.
     * @param pathId         prober's id of the path.
     * @param sequence       sequence number.
     * @param sendNs         prober's send time.
     * @param echoReceiveNs  reflector's receive time, 0 in a request.
     * @param echoTransmitNs reflector's transmit time, 0 in a request.
     * @param entryCount     entries that follow, 0..{@link #MAX_ENTRIES}.
     * @return the message length.
     */
    public static int putHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final int type,
        final int senderPop,
        final long route,
        final int pathId,
        final long sequence,
        final long sendNs,
        final long echoReceiveNs,
        final long echoTransmitNs,
        final int entryCount)
    {
        buffer.putShort(offset + MAGIC_OFFSET, (short)MAGIC, BYTE_ORDER);
        buffer.putByte(offset + VERSION_OFFSET, (byte)VERSION);
        buffer.putByte(offset + TYPE_OFFSET, (byte)type);
        buffer.putShort(offset + SENDER_POP_OFFSET, (short)senderPop, BYTE_ORDER);
        buffer.putShort(offset + ENTRY_COUNT_OFFSET, (short)entryCount, BYTE_ORDER);
        buffer.putLong(offset + ROUTE_OFFSET, route, BYTE_ORDER);
        buffer.putInt(offset + PATH_ID_OFFSET, pathId, BYTE_ORDER);
        buffer.putInt(offset + RESERVED_OFFSET, 0, BYTE_ORDER);
        buffer.putLong(offset + SEQUENCE_OFFSET, sequence, BYTE_ORDER);
        buffer.putLong(offset + SEND_TIME_OFFSET, sendNs, BYTE_ORDER);
        buffer.putLong(offset + ECHO_RECEIVE_TIME_OFFSET, echoReceiveNs, BYTE_ORDER);
        buffer.putLong(offset + ECHO_TRANSMIT_TIME_OFFSET, echoTransmitNs, BYTE_ORDER);
        return length(entryCount);
    }

    /**
     * @param buffer  destination.
     * @param offset  where the message starts.
     * @param index   entry index.
     * @param fromPop POP that measured the link.
     * @param toPop   POP at its far end.
     * @param rttUs   RTT in microseconds.
     * @param lossPpm loss in parts per million.
     */
    public static void putEntry(
        final MutableDirectBuffer buffer,
        final int offset,
        final int index,
        final int fromPop,
        final int toPop,
        final int rttUs,
        final int lossPpm)
    {
        final int at = offset + HEADER_LENGTH + index * ENTRY_LENGTH;
        buffer.putShort(at + ENTRY_FROM_OFFSET, (short)fromPop, BYTE_ORDER);
        buffer.putShort(at + ENTRY_TO_OFFSET, (short)toPop, BYTE_ORDER);
        buffer.putInt(at + ENTRY_RTT_US_OFFSET, rttUs, BYTE_ORDER);
        buffer.putInt(at + ENTRY_LOSS_PPM_OFFSET, lossPpm, BYTE_ORDER);
    }

    /**
     * Checks a message completely: every length, magic, version, type, route, entry and time.
     * Reads nothing outside {@code [offset, offset + length)} nor outside the buffer's capacity.
     *
     * @param buffer holds the message.
     * @param offset where it starts.
     * @param length bytes available.
     * @return {@link ProbeVerdict#OK} or the first fault found.
     */
    public static ProbeVerdict validate(final DirectBuffer buffer, final int offset, final int length)
    {
        if (offset < 0 || length < HEADER_LENGTH || (long)offset + length > buffer.capacity())
        {
            return ProbeVerdict.TRUNCATED;
        }
        if ((buffer.getShort(offset + MAGIC_OFFSET, BYTE_ORDER) & 0xFFFF) != MAGIC)
        {
            return ProbeVerdict.BAD_MAGIC;
        }
        if ((buffer.getByte(offset + VERSION_OFFSET) & 0xFF) != VERSION)
        {
            return ProbeVerdict.BAD_VERSION;
        }
        final int type = type(buffer, offset);
        if (type != TYPE_REQUEST && type != TYPE_REPLY)
        {
            return ProbeVerdict.BAD_TYPE;
        }
        if (!Route.isValid(route(buffer, offset)) || senderPop(buffer, offset) == 0)
        {
            return ProbeVerdict.BAD_ROUTE;
        }
        final int entries = entryCount(buffer, offset);
        if (entries > MAX_ENTRIES)
        {
            return ProbeVerdict.TOO_MANY_ENTRIES;
        }
        if (length < length(entries))
        {
            return ProbeVerdict.ENTRIES_TRUNCATED;
        }
        for (int i = 0; i < entries; i++)
        {
            final int at = offset + HEADER_LENGTH + i * ENTRY_LENGTH;
            final int from = buffer.getShort(at + ENTRY_FROM_OFFSET, BYTE_ORDER) & 0xFFFF;
            final int to = buffer.getShort(at + ENTRY_TO_OFFSET, BYTE_ORDER) & 0xFFFF;
            final int rttUs = buffer.getInt(at + ENTRY_RTT_US_OFFSET, BYTE_ORDER);
            final int lossPpm = buffer.getInt(at + ENTRY_LOSS_PPM_OFFSET, BYTE_ORDER);
            if (from == 0 || to == 0 || from == to || rttUs < 0 || lossPpm < 0 ||
                lossPpm > LinkStateSink.LOSS_PPM_DOWN)
            {
                return ProbeVerdict.BAD_ENTRY;
            }
        }
        if (type == TYPE_REPLY && echoTransmitNs(buffer, offset) - echoReceiveNs(buffer, offset) < 0)
        {
            return ProbeVerdict.BAD_ECHO_TIMES;
        }
        return ProbeVerdict.OK;
    }

    /**
     * Hands every entry of a validated message to a sink.
     *
     * @param buffer holds a message that passed {@link #validate}.
     * @param offset where it starts.
     * @param sink   receives the entries.
     * @param nowNs  arrival time.
     * @return entries delivered.
     */
    public static int forEachEntry(
        final DirectBuffer buffer, final int offset, final LinkStateSink sink, final long nowNs)
    {
        final int entries = entryCount(buffer, offset);
        for (int i = 0; i < entries; i++)
        {
            final int at = offset + HEADER_LENGTH + i * ENTRY_LENGTH;
            sink.onLinkState(
                buffer.getShort(at + ENTRY_FROM_OFFSET, BYTE_ORDER) & 0xFFFF,
                buffer.getShort(at + ENTRY_TO_OFFSET, BYTE_ORDER) & 0xFFFF,
                buffer.getInt(at + ENTRY_RTT_US_OFFSET, BYTE_ORDER),
                buffer.getInt(at + ENTRY_LOSS_PPM_OFFSET, BYTE_ORDER),
                nowNs);
        }
        return entries;
    }

    /**
     * @param buffer holds a message of at least {@link #HEADER_LENGTH} bytes.
     * @param offset where it starts.
     * @return the message type, {@link #TYPE_REQUEST} or {@link #TYPE_REPLY} once validated.
     */
    public static int type(final DirectBuffer buffer, final int offset)
    {
        return buffer.getByte(offset + TYPE_OFFSET) & 0xFF;
    }

    /**
     * @param buffer holds a message of at least {@link #HEADER_LENGTH} bytes.
     * @param offset where it starts.
     * @return the POP that wrote the message.
     */
    public static int senderPop(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + SENDER_POP_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * @param buffer holds a message of at least {@link #HEADER_LENGTH} bytes.
     * @param offset where it starts.
     * @return the number of link-state entries.
     */
    public static int entryCount(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + ENTRY_COUNT_OFFSET, BYTE_ORDER) & 0xFFFF;
    }

    /**
     * @param buffer holds a message of at least {@link #HEADER_LENGTH} bytes.
     * @param offset where it starts.
     * @return the probed route, packed (see {@link Route}).
     */
    public static long route(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + ROUTE_OFFSET, BYTE_ORDER);
    }

    /**
     * @param buffer holds a message of at least {@link #HEADER_LENGTH} bytes.
     * @param offset where it starts.
     * @return the prober's id of the path.
     */
    public static int pathId(final DirectBuffer buffer, final int offset)
    {
        return buffer.getInt(offset + PATH_ID_OFFSET, BYTE_ORDER);
    }

    /**
     * @param buffer holds a message of at least {@link #HEADER_LENGTH} bytes.
     * @param offset where it starts.
     * @return the probe sequence number.
     */
    public static long sequence(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEQUENCE_OFFSET, BYTE_ORDER);
    }

    /**
     * @param buffer holds a message of at least {@link #HEADER_LENGTH} bytes.
     * @param offset where it starts.
     * @return the prober's send time, ns on its clock.
     */
    public static long sendNs(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + SEND_TIME_OFFSET, BYTE_ORDER);
    }

    /**
     * @param buffer holds a message of at least {@link #HEADER_LENGTH} bytes.
     * @param offset where it starts.
     * @return the reflector's receive time, ns on its clock (0 in a request).
     */
    public static long echoReceiveNs(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + ECHO_RECEIVE_TIME_OFFSET, BYTE_ORDER);
    }

    /**
     * @param buffer holds a message of at least {@link #HEADER_LENGTH} bytes.
     * @param offset where it starts.
     * @return the reflector's transmit time, ns on its clock (0 in a request).
     */
    public static long echoTransmitNs(final DirectBuffer buffer, final int offset)
    {
        return buffer.getLong(offset + ECHO_TRANSMIT_TIME_OFFSET, BYTE_ORDER);
    }
}
