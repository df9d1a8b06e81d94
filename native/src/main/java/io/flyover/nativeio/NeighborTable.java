package io.flyover.nativeio;

import org.agrona.collections.Long2LongHashMap;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A snapshot of the kernel's IPv4 neighbor (ARP) table for one interface: address → MAC, complete
 * entries only. Read from {@code /proc/thread-self/net/arp}, which shows the table of the reading
 * thread's network namespace. Immutable once built; a port holds the latest one and the control thread
 * replaces it (see {@link EthernetPort#neighbors}).
 */
public final class NeighborTable
{
    /**
     * Where the kernel shows its IPv4 neighbor table to the calling thread: the table of the
     * thread's own network namespace ({@code /proc/net} is the process's, which differs for a
     * thread moved by {@code setns}).
     */
    public static final Path THREAD_TABLE = Path.of("/proc/thread-self/net/arp");

    /** {@code ATF_COM}: the entry is complete (the MAC is known). */
    private static final int ATF_COM = 0x02;

    /** An empty table. */
    public static final NeighborTable EMPTY = new NeighborTable(new Long2LongHashMap(MacAddress.NONE));

    private final Long2LongHashMap macByAddress;

    private NeighborTable(final Long2LongHashMap macByAddress)
    {
        this.macByAddress = macByAddress;
    }

    /**
     * @param address an IPv4 address, host order.
     * @return its MAC, or {@link MacAddress#NONE} if the kernel has no complete entry.
     */
    public long lookup(final int address)
    {
        return macByAddress.get(address & 0xFFFF_FFFFL);
    }

    /**
     * @return the number of complete entries.
     */
    public int size()
    {
        return macByAddress.size();
    }

    /**
     * Reads the kernel's table for one interface.
     *
     * @param file   the table ({@link #THREAD_TABLE}).
     * @param device the interface.
     * @return the snapshot.
     * @throws IOException if the file cannot be read.
     */
    public static NeighborTable read(final Path file, final String device) throws IOException
    {
        return parse(Files.readString(file, StandardCharsets.US_ASCII), device);
    }

    /**
     * Parses the text of {@code /proc/net/arp}: a header line, then
     * {@code address  hw-type  flags  hw-address  mask  device} per entry. Lines that do not have
     * that shape are skipped, as are incomplete entries and other interfaces' entries.
     *
     * @param text   the file's text.
     * @param device the interface to keep.
     * @return the snapshot.
     */
    public static NeighborTable parse(final String text, final String device)
    {
        final Long2LongHashMap table = new Long2LongHashMap(MacAddress.NONE);
        final String[] lines = text.split("\n");
        for (int i = 1; i < lines.length; i++)
        {
            final String[] fields = lines[i].trim().split("\\s+");
            if (6 != fields.length || !device.equals(fields[5]))
            {
                continue;
            }
            try
            {
                final int flags = Integer.decode(fields[2]);
                if (0 == (flags & ATF_COM))
                {
                    continue;
                }
                final long mac = MacAddress.parse(fields[3]);
                if (MacAddress.isUnicast(mac))
                {
                    table.put(Ipv4.parse(fields[0]) & 0xFFFF_FFFFL, mac);
                }
            }
            catch (final IllegalArgumentException ex)
            {
                // not an entry of the expected shape: skip it
            }
        }
        return table.isEmpty() ? EMPTY : new NeighborTable(table);
    }

    /**
     * @param addresses IPv4 addresses, host order.
     * @param macs      their MACs, index for index.
     * @return a table holding them.
     */
    public static NeighborTable of(final int[] addresses, final long[] macs)
    {
        final Long2LongHashMap table = new Long2LongHashMap(MacAddress.NONE);
        for (int i = 0; i < addresses.length; i++)
        {
            table.put(addresses[i] & 0xFFFF_FFFFL, macs[i]);
        }
        return new NeighborTable(table);
    }
}
