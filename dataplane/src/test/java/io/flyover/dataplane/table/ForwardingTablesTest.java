package io.flyover.dataplane.table;

import io.flyover.dataplane.AllocationMeter;
import io.flyover.dataplane.lb.Backend;
import io.flyover.dataplane.lb.Maglev;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ForwardingTablesTest
{
    private static final int TCP = 6;
    private static final int UDP = 17;

    @Test
    void shouldFindServicesByVipProtocolAndPort() throws UnknownHostException
    {
        final InetAddress vip4 = InetAddress.getByName("198.51.100.10");
        final InetAddress vip6 = InetAddress.getByName("2001:db8::10");
        final Service web = service(1, new Vip(vip4, TCP, 443, 443));
        final Service games = service(2, new Vip(vip4, UDP, 27000, 27100));
        final Service dns = service(3, Vip.of(vip4, UDP, 53));
        final Service web6 = service(4, new Vip(vip6, TCP, 80, 443));
        final ForwardingTables tables = tables(List.of(web, games, dns, web6), List.of());

        final long v4 = Addresses.low(vip4);
        assertSame(web, tables.serviceForVip(0, v4, false, TCP, 443));
        assertNull(tables.serviceForVip(0, v4, false, TCP, 444));
        assertNull(tables.serviceForVip(0, v4, false, UDP, 443));
        assertSame(games, tables.serviceForVip(0, v4, false, UDP, 27000));
        assertSame(games, tables.serviceForVip(0, v4, false, UDP, 27100));
        assertNull(tables.serviceForVip(0, v4, false, UDP, 27101));
        assertSame(dns, tables.serviceForVip(0, v4, false, UDP, 53));
        assertSame(dns, tables.vips().lookupIpv4(0xC633640A, UDP, 53));
        assertNull(tables.serviceForVip(0, v4 + 1, false, UDP, 53));

        final long hi6 = Addresses.high(vip6);
        final long lo6 = Addresses.low(vip6);
        assertEquals(0x2001_0DB8_0000_0000L, hi6);
        assertEquals(0x10L, lo6);
        assertSame(web6, tables.serviceForVip(hi6, lo6, true, TCP, 80));
        assertSame(web6, tables.serviceForVip(hi6, lo6, true, TCP, 200));
        assertNull(tables.serviceForVip(hi6, lo6, false, TCP, 200), "the IP version is part of the key");
        assertNull(tables.serviceForVip(0, lo6, true, TCP, 200));

        assertSame(web, tables.service(1));
        assertNull(tables.service(99));
    }

    @Test
    void shouldFindEveryOneOfManyVips() throws UnknownHostException
    {
        final List<Service> services = new ArrayList<>();
        for (int i = 1; i <= 2000; i++)
        {
            final InetAddress address = InetAddress.getByAddress(new byte[]{100, 64, (byte)(i >>> 8), (byte)i});
            services.add(service(i, new Vip(address, i % 2 == 0 ? TCP : UDP, 1000, 2000)));
        }
        final ForwardingTables tables = tables(services, List.of());
        for (final Service service : services)
        {
            final InetAddress address = service.vip().address();
            assertSame(service, tables.serviceForVip(0, Addresses.low(address), false, service.vip().protocol(), 1500));
            assertNull(tables.serviceForVip(0, Addresses.low(address), false, service.vip().protocol(), 999));
        }
    }

    @Test
    void shouldRefuseOverlappingPortRanges() throws UnknownHostException
    {
        final InetAddress vip = InetAddress.getByName("198.51.100.10");
        assertThrows(IllegalArgumentException.class, () -> tables(List.of(
            service(1, new Vip(vip, TCP, 80, 90)), service(2, new Vip(vip, TCP, 90, 100))), List.of()));
        tables(List.of(service(1, new Vip(vip, TCP, 80, 90)), service(2, new Vip(vip, UDP, 80, 90))), List.of());
    }

    @Test
    void shouldValidateReferencesBetweenTables() throws UnknownHostException
    {
        final Pop local = pop(1);
        final Pop egress = pop(9);
        final Service service = service(1, Vip.of(InetAddress.getByName("198.51.100.10"), TCP, 443));
        final PathTable toNine = PathTable.build(9, List.of(new WeightedRoute(Route.of(1, 9), 1)));
        final ForwardingTables tables = ForwardingTables.build(3, 1, List.of(local, egress), List.of(service), List.of(toNine));
        assertSame(local, tables.localPop());
        assertSame(egress, tables.pop(9));
        assertSame(toNine, tables.pathTable(9));
        assertNull(tables.pathTable(1));
        assertEquals(3, tables.version());

        assertThrows(IllegalArgumentException.class,
            () -> ForwardingTables.build(1, 2, List.of(local, egress), List.of(service), List.of()));
        assertThrows(IllegalArgumentException.class,
            () -> ForwardingTables.build(1, 1, List.of(local), List.of(service), List.of()), "unknown egress POP");
        assertThrows(IllegalArgumentException.class,
            () -> ForwardingTables.build(1, 1, List.of(local, egress, pop(1)), List.of(), List.of()));
        final PathTable viaUnknown = PathTable.build(9, List.of(new WeightedRoute(Route.of(1, 5, 9), 1)));
        assertThrows(IllegalArgumentException.class,
            () -> ForwardingTables.build(1, 1, List.of(local, egress), List.of(), List.of(viaUnknown)));
        final PathTable fromElsewhere = PathTable.build(9, List.of(new WeightedRoute(Route.of(5, 9), 1)));
        assertThrows(IllegalArgumentException.class,
            () -> ForwardingTables.build(1, 1, List.of(local, egress, pop(5)), List.of(), List.of(fromElsewhere)));
        assertThrows(UnsupportedOperationException.class, () -> tables.pops().put(7, pop(7)));
    }

    @Test
    void shouldPickBackendsByMaglevAndKeepDrainedOnesResolvable() throws UnknownHostException
    {
        final List<Backend> backends = List.of(
            new Backend(0, "a", InetAddress.getByName("10.0.0.1"), 80, 1),
            new Backend(5, "b", InetAddress.getByName("10.0.0.2"), 80, 0));
        final Service service = new Service(
            77, "svc", Vip.of(InetAddress.getByName("198.51.100.1"), TCP, 80), 9, backends, 125_000_000L);
        for (long hash = 0; hash < 1000; hash++)
        {
            assertEquals(0, service.pickBackend(hash * 0x9E37_79B9_7F4A_7C15L));
        }
        assertEquals("b", service.backend(5).name(), "a drained backend still resolves for pinned flows");
        assertNull(service.backend(3));
        assertNull(service.backend(6));
        assertNull(service.backend(-1));
        assertEquals(125_000_000L, service.bandwidthCapBytesPerSecond());
        assertEquals(Maglev.DEFAULT_TABLE_SIZE, service.maglev().tableSize());
        assertThrows(IllegalArgumentException.class, () -> service(0, service.vip()));
        assertThrows(IllegalArgumentException.class, () -> service(Service.MAX_ID + 1, service.vip()));
    }

    @Test
    void shouldKeepKeysByIdAndNeverPrintThem() throws UnknownHostException
    {
        final KeyRing ring = new KeyRing(2, List.of(new BackboneKey(1, 11, 12), new BackboneKey(2, 21, 22)));
        assertEquals(21, ring.sendKey().k0());
        assertEquals(12, ring.key(1).k1());
        assertNull(ring.key(3));
        assertNull(ring.key(256));
        assertNull(ring.key(-1));
        assertFalse(ring.key(1).toString().contains("11"), ring.key(1).toString());
        assertThrows(IllegalArgumentException.class, () -> new KeyRing(3, List.of(new BackboneKey(1, 1, 1))));
        assertThrows(IllegalArgumentException.class,
            () -> new KeyRing(1, List.of(new BackboneKey(1, 1, 1), new BackboneKey(1, 2, 2))));
        assertThrows(IllegalArgumentException.class, () -> new BackboneKey(256, 0, 0));

        final Pop pop = new Pop(4, "ams", new InetSocketAddress(InetAddress.getByName("192.0.2.4"), 6081), ring);
        assertEquals(0xC0000204, pop.underlayIpv4());
        assertFalse(pop.underlayIpv6());
        assertEquals(6081, pop.underlayPort());
        final Pop pop6 = new Pop(5, "fra", new InetSocketAddress(InetAddress.getByName("2001:db8::5"), 6081), ring);
        assertTrue(pop6.underlayIpv6());
        assertEquals(5, pop6.underlayLow());
    }

    @Test
    void shouldLookUpWithoutAllocating() throws UnknownHostException
    {
        final InetAddress vip = InetAddress.getByName("198.51.100.10");
        final Pop local = pop(1);
        final ForwardingTables tables = ForwardingTables.build(1, 1, List.of(local, pop(9)),
            List.of(service(1, new Vip(vip, TCP, 80, 443)), service(2, Vip.of(vip, UDP, 53))),
            List.of(PathTable.build(9, List.of(new WeightedRoute(Route.of(1, 9), 1)))));
        final long v4 = Addresses.low(vip);
        final long[] sink = new long[1];
        final long bytes = AllocationMeter.bytesAllocatedBy(() ->
        {
            for (int i = 0; i < 10_000; i++)
            {
                final Service service = tables.serviceForVip(0, v4, false, i % 2 == 0 ? TCP : UDP, 53 + (i & 511));
                sink[0] += null == service ? 0 : service.id();
                sink[0] += tables.service(1 + (i & 1)).pickBackend(i);
                sink[0] += tables.pathTable(9).packedRoute(i * 0x9E37_79B9_7F4A_7C15L);
                sink[0] += tables.pop(1 + (i & 8)).underlayIpv4();
                sink[0] += null == tables.localPop().keys().key(i & 0xFF) ? 0 : 1;
            }
        });
        assertEquals(0, bytes);
    }

    private static ForwardingTables tables(final List<Service> services, final List<PathTable> pathTables)
    {
        return ForwardingTables.build(1, 1, List.of(pop(1), pop(9)), services, pathTables);
    }

    static Service service(final int id, final Vip vip) throws UnknownHostException
    {
        return new Service(id, "service-" + id, vip, 9,
            List.of(new Backend(0, "b0", InetAddress.getByName("10.0.0.1"), 8080, 1)), Service.UNCAPPED);
    }

    static Pop pop(final int id)
    {
        try
        {
            return new Pop(id, "pop-" + id,
                new InetSocketAddress(InetAddress.getByAddress(new byte[]{(byte)192, 0, 2, (byte)id}), 6081),
                new KeyRing(1, List.of(new BackboneKey(1, id, id))));
        }
        catch (final UnknownHostException ex)
        {
            throw new IllegalStateException(ex);
        }
    }
}
