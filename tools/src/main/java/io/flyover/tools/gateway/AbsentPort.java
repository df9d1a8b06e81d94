package io.flyover.tools.gateway;

import io.flyover.dataplane.engine.FrameHandler;
import io.flyover.dataplane.engine.Port;
import org.agrona.DirectBuffer;

/**
 * Stands in for a side the POP does not have (a relay has no edge and no origin): receives
 * nothing, and refuses what the engine would send there (counted by the TX agent as
 * back-pressure drops).
 */
final class AbsentPort implements Port
{
    private final String name;

    AbsentPort(final String name)
    {
        this.name = name;
    }

    @Override
    public String name()
    {
        return name;
    }

    @Override
    public boolean carriesEthernet()
    {
        return false;
    }

    @Override
    public int poll(final FrameHandler handler, final int limit)
    {
        return 0;
    }

    @Override
    public int offer(final DirectBuffer buffer, final int offset, final int length)
    {
        return BACK_PRESSURED;
    }

    @Override
    public int flush()
    {
        return 0;
    }

    @Override
    public void close()
    {
    }
}
