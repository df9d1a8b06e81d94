package io.flyover.dataplane.engine;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.ManyToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The many-to-one ring of events from the workers toward the control plane (optimizer, journal,
 * flow records): new flows, flow ends, TCP handshake RTT samples and probe messages. Workers
 * write with {@link Writer}, each from its own thread, never blocking: a full ring loses the
 * event and counts it. One control thread reads with {@link #read}.
 * <pre>
 *  Flow event body (NEW_FLOW, FLOW_END, TCP_RTT), 32 bytes, native order:
 *   0  route (long: ingress, hop 1..3, 16 bits each)
 *   8  time, ns of the engine clock (long)
 *  16  value (long): TCP_RTT the sample in ns; FLOW_END the cause; NEW_FLOW the flow kind
 *  24  service id (int)
 *  28  protocol (byte), worker (byte), reserved (2 bytes)
 *  Probe event body (PROBE): route (long), time (long), then the probe message bytes.
 * </pre>
 */
public final class EngineEvents
{
    /** A flow entry was created (value: its kind). */
    public static final int NEW_FLOW = 1;
    /** A flow entry expired or was evicted (value: the cause). */
    public static final int FLOW_END = 2;
    /** A TCP handshake completed at the ingress POP: SYN into the tunnel to SYN-ACK back, ns. */
    public static final int TCP_RTT = 3;
    /** A probe message (Geneve O bit) arrived for this POP. */
    public static final int PROBE = 4;

    /** Offset of the route in an event body. */
    public static final int ROUTE_OFFSET = 0;
    /** Offset of the time. */
    public static final int TIME_OFFSET = 8;
    /** Offset of the value. */
    public static final int VALUE_OFFSET = 16;
    /** Offset of the service id. */
    public static final int SERVICE_OFFSET = 24;
    /** Offset of the protocol. */
    public static final int PROTOCOL_OFFSET = 28;
    /** Offset of the worker id. */
    public static final int WORKER_OFFSET = 29;
    /** Length of a flow event body. */
    public static final int FLOW_EVENT_LENGTH = 32;
    /** Offset of the message in a probe event body. */
    public static final int PROBE_MESSAGE_OFFSET = 16;

    private final ManyToOneRingBuffer ring;

    /**
     * @param capacity bytes of event space, a power of two.
     */
    public EngineEvents(final int capacity)
    {
        ring = new ManyToOneRingBuffer(new UnsafeBuffer(
            BufferUtil.allocateDirectAligned(capacity + RingBufferDescriptor.TRAILER_LENGTH, 64)));
    }

    /**
     * Control thread: reads waiting events.
     *
     * @param handler told of each event (type, buffer, offset, length).
     * @param limit   most events to read.
     * @return events read.
     */
    public int read(final MessageHandler handler, final int limit)
    {
        return ring.read(handler, limit);
    }

    /**
     * @param workerId the writing worker's id.
     * @return a writer for one worker thread.
     */
    public Writer writer(final int workerId)
    {
        return new Writer(ring, workerId);
    }

    /**
     * Writes events from one worker thread; allocation-free.
     */
    public static final class Writer
    {
        private final ManyToOneRingBuffer ring;
        private final int workerId;
        private final UnsafeBuffer scratch = new UnsafeBuffer(new byte[2048]);
        private long lost;

        Writer(final ManyToOneRingBuffer ring, final int workerId)
        {
            this.ring = ring;
            this.workerId = workerId;
        }

        /**
         * @param type    NEW_FLOW, FLOW_END or TCP_RTT.
         * @param route   the flow's route.
         * @param nowNs   current time.
         * @param value   the event's value.
         * @param service the service id.
         * @param protocol the IP protocol.
         */
        public void flowEvent(
            final int type, final long route, final long nowNs, final long value, final int service, final int protocol)
        {
            scratch.putLong(ROUTE_OFFSET, route);
            scratch.putLong(TIME_OFFSET, nowNs);
            scratch.putLong(VALUE_OFFSET, value);
            scratch.putInt(SERVICE_OFFSET, service);
            scratch.putByte(PROTOCOL_OFFSET, (byte)protocol);
            scratch.putByte(WORKER_OFFSET, (byte)workerId);
            scratch.putShort(WORKER_OFFSET + 1, (short)0);
            if (!ring.write(type, scratch, 0, FLOW_EVENT_LENGTH))
            {
                lost++;
            }
        }

        /**
         * @param route   the route the probe came along.
         * @param nowNs   current time.
         * @param buffer  holds the probe message.
         * @param offset  where it starts.
         * @param length  its length.
         */
        public void probe(final long route, final long nowNs, final DirectBuffer buffer, final int offset, final int length)
        {
            final int copy = Math.min(length, scratch.capacity() - PROBE_MESSAGE_OFFSET);
            scratch.putLong(ROUTE_OFFSET, route);
            scratch.putLong(TIME_OFFSET, nowNs);
            scratch.putBytes(PROBE_MESSAGE_OFFSET, buffer, offset, copy);
            if (!ring.write(PROBE, scratch, 0, PROBE_MESSAGE_OFFSET + copy))
            {
                lost++;
            }
        }

        /**
         * @return events lost to a full ring.
         */
        public long lost()
        {
            return lost;
        }
    }
}
