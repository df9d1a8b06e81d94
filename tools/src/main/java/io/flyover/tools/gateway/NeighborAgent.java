package io.flyover.tools.gateway;

import io.flyover.nativeio.EthernetPort;
import io.flyover.nativeio.Ipv4;
import io.flyover.nativeio.MacAddress;
import io.flyover.nativeio.NeighborTable;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Keeps each AF_PACKET port's view of the kernel's neighbor table fresh: every
 * {@link #REFRESH_INTERVAL_NS} it reads the table ({@link NeighborTable#THREAD_TABLE}, the table of
 * the namespace this thread runs in) and installs a snapshot per port. When a port has a next hop
 * with no MAC yet, or refused a packet for want of one, it asks the kernel to resolve that address
 * by sending it one empty UDP datagram to the discard port (9): the kernel resolves the neighbor
 * to send it, and the next refresh picks the entry up. At most one such datagram per address and
 * interval.
 * <p>
 * Runs on an agent thread (never a worker's); not thread safe.
 */
final class NeighborAgent implements Agent
{
    /** How often the table is read. */
    static final long REFRESH_INTERVAL_NS = 1_000_000_000L;

    private static final int DISCARD_PORT = 9;

    private final List<EthernetPort> ports;
    private final Path table;
    private final NanoClock clock;
    private final ByteBuffer empty = ByteBuffer.allocate(0);
    private DatagramChannel prober;
    private long nextRefreshNs;
    private long refreshes;
    private long resolutionRequests;
    private String lastError;

    /**
     * @param ports the AF_PACKET ports to serve.
     * @param table where the kernel shows its table ({@link NeighborTable#THREAD_TABLE}).
     * @param clock time.
     */
    NeighborAgent(final List<EthernetPort> ports, final Path table, final NanoClock clock)
    {
        this.ports = List.copyOf(ports);
        this.table = table;
        this.clock = clock;
    }

    @Override
    public String roleName()
    {
        return "flyover-neighbors";
    }

    @Override
    public int doWork()
    {
        final long nowNs = clock.nanoTime();
        if (nowNs - nextRefreshNs < 0)
        {
            return 0;
        }
        nextRefreshNs = nowNs + REFRESH_INTERVAL_NS;
        refresh();
        return 1;
    }

    /**
     * Reads the table once and serves every port: installs the snapshot, asks for what is missing.
     */
    void refresh()
    {
        refreshes++;
        final String text;
        try
        {
            text = Files.readString(table, StandardCharsets.US_ASCII);
        }
        catch (final IOException ex)
        {
            lastError = table + ": " + ex;
            return;
        }
        for (final EthernetPort port : ports)
        {
            final NeighborTable snapshot = NeighborTable.parse(text, port.device().config().interfaceName());
            port.neighbors(snapshot);
            if (0 != port.nextHop() && MacAddress.NONE == port.nextHopMac())
            {
                requestResolution(port.nextHop());
            }
            final int unresolved = port.unresolvedAddress();
            if (0 != unresolved && MacAddress.NONE == snapshot.lookup(unresolved) && unresolved != port.nextHop())
            {
                requestResolution(unresolved);
            }
        }
    }

    private void requestResolution(final int address)
    {
        try
        {
            if (null == prober)
            {
                prober = DatagramChannel.open();
                prober.configureBlocking(false);
            }
            empty.clear();
            prober.send(empty, new InetSocketAddress(InetAddress.getByName(Ipv4.format(address)), DISCARD_PORT));
            resolutionRequests++;
        }
        catch (final IOException ex)
        {
            lastError = "resolve " + Ipv4.format(address) + ": " + ex;
        }
    }

    /**
     * @return tables read so far.
     */
    long refreshes()
    {
        return refreshes;
    }

    /**
     * @return datagrams sent to make the kernel resolve an address.
     */
    long resolutionRequests()
    {
        return resolutionRequests;
    }

    /**
     * @return the latest failure to read the table or send a request, or {@code null}.
     */
    String lastError()
    {
        return lastError;
    }

    @Override
    public void onClose()
    {
        if (null != prober)
        {
            try
            {
                prober.close();
            }
            catch (final IOException ex)
            {
                lastError = "close: " + ex;
            }
        }
    }
}
