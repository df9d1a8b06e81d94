package io.flyover.tools.gateway;

import io.flyover.dataplane.counters.CountersFileDescriptor;
import io.flyover.dataplane.engine.FrameHandler;
import io.flyover.dataplane.engine.Port;
import io.flyover.dataplane.engine.PortRole;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.status.AtomicCounter;
import org.agrona.concurrent.status.CountersManager;

/**
 * Wraps a {@link Port} to count packets and bytes each way into the counters file. The receive
 * counts belong to the port's RX agent thread, the send counts to its TX agent thread: each is
 * bumped plainly and published with one ordered store per {@code poll} or {@code flush}.
 */
final class PortCounters implements Port
{
    /** Counter type id of port counters in the counters file (the engine's types use 1..3). */
    static final int TYPE_ID = 10;
    /** Key ids: which of a port's counters. */
    static final int RX_PACKETS = 0;
    /** See {@link #RX_PACKETS}. */
    static final int RX_BYTES = 1;
    /** See {@link #RX_PACKETS}. */
    static final int TX_PACKETS = 2;
    /** See {@link #RX_PACKETS}. */
    static final int TX_BYTES = 3;
    /** See {@link #RX_PACKETS}. */
    static final int TX_DROPPED = 4;
    /** Names of the key ids. */
    static final String[] NAMES = {"rx_packets", "rx_bytes", "tx_packets", "tx_bytes", "tx_dropped"};

    private final Port port;
    private final AtomicCounter[] counters = new AtomicCounter[NAMES.length];
    private final FrameHandler onFrame = this::onFrame;
    private FrameHandler handler;
    private long rxPackets;
    private long rxBytes;
    private long txPackets;
    private long txBytes;
    private long txDropped;

    PortCounters(final Port port, final PortRole role, final CountersManager manager)
    {
        this.port = port;
        for (int i = 0; i < NAMES.length; i++)
        {
            final int id = i;
            final int counterId = manager.allocate("port." + role.label() + "." + NAMES[i], TYPE_ID, key ->
            {
                key.putInt(CountersFileDescriptor.KEY_OWNER_ID_OFFSET, role.id());
                key.putInt(CountersFileDescriptor.KEY_ID_OFFSET, id);
            });
            counters[i] = new AtomicCounter(manager.valuesBuffer(), counterId, manager);
        }
    }

    /**
     * @return the wrapped port.
     */
    Port port()
    {
        return port;
    }

    @Override
    public String name()
    {
        return port.name();
    }

    @Override
    public boolean carriesEthernet()
    {
        return port.carriesEthernet();
    }

    @Override
    public int poll(final FrameHandler handler, final int limit)
    {
        this.handler = handler;
        final int received = port.poll(onFrame, limit);
        if (received > 0)
        {
            counters[RX_PACKETS].setRelease(rxPackets);
            counters[RX_BYTES].setRelease(rxBytes);
        }
        return received;
    }

    private void onFrame(final DirectBuffer buffer, final int offset, final int length)
    {
        rxPackets++;
        rxBytes += length;
        handler.onFrame(buffer, offset, length);
    }

    @Override
    public int offer(final DirectBuffer buffer, final int offset, final int length)
    {
        final int result = port.offer(buffer, offset, length);
        if (result >= 0)
        {
            txPackets++;
            txBytes += length;
        }
        else
        {
            txDropped++;
        }
        return result;
    }

    @Override
    public int flush()
    {
        final int sent = port.flush();
        counters[TX_PACKETS].setRelease(txPackets);
        counters[TX_BYTES].setRelease(txBytes);
        counters[TX_DROPPED].setRelease(txDropped);
        return sent;
    }

    @Override
    public void close()
    {
        port.close();
    }
}
