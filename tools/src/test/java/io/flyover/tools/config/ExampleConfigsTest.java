package io.flyover.tools.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ExampleConfigsTest
{
    static Path examples()
    {
        final String root = System.getProperty("flyover.root");
        final Path base = null != root ? Path.of(root) : Path.of("..");
        return base.resolve("examples");
    }

    static Stream<Path> yamlExamples() throws IOException
    {
        try (Stream<Path> files = Files.list(examples()))
        {
            return files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                .sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("yamlExamples")
    void shouldValidateEveryExampleConfig(final Path file)
    {
        final ConfigLoader.Result result = ConfigLoader.load(file);
        assertTrue(result.isValid(), () -> file + ":\n" + result.describe());
    }

    @Test
    void shouldShipTheThreeLabPopsAndTheSystemdUnit() throws IOException
    {
        final List<String> names = yamlExamples().map(p -> p.getFileName().toString()).toList();
        assertEquals(List.of("pop-a.yaml", "pop-b.yaml", "pop-c.yaml"), names);
        final String unit = Files.readString(examples().resolve("flyover-gateway.service"));
        assertTrue(unit.contains("ExecStart=/usr/local/bin/flyover gateway --config /etc/flyover/pop.yaml"), unit);
        assertTrue(unit.contains("AmbientCapabilities=CAP_NET_ADMIN CAP_NET_RAW"), unit);
        assertTrue(unit.contains("ExecReload=/bin/kill -HUP $MAINPID"), unit);
        assertTrue(unit.contains("Restart=on-failure"), unit);
    }

    @Test
    void shouldAgreeAcrossLabPopsOnIdsAddressesKeysAndServices()
    {
        final GatewayConfig a = ConfigLoader.load(examples().resolve("pop-a.yaml")).config();
        final GatewayConfig b = ConfigLoader.load(examples().resolve("pop-b.yaml")).config();
        final GatewayConfig c = ConfigLoader.load(examples().resolve("pop-c.yaml")).config();
        for (final GatewayConfig self : List.of(a, b, c))
        {
            for (final GatewayConfig other : List.of(a, b, c))
            {
                if (self == other)
                {
                    continue;
                }
                final PeerConfig peer = self.peer(other.pop().id());
                assertEquals(other.pop().name(), peer.name());
                final UdpPort backbone = (UdpPort)other.ports().backbone();
                assertEquals(backbone.bind(), peer.address());
                assertEquals(backbone.listenPort(), peer.port());
            }
            assertEquals(a.keys(), self.keys());
        }
        for (final ServiceConfig service : a.services())
        {
            final ServiceConfig atEgress = c.services().stream().filter(s -> s.id() == service.id()).findFirst()
                .orElseThrow();
            assertEquals(service.vip(), atEgress.vip());
            assertEquals(service.protocol(), atEgress.protocol());
            assertEquals(service.ports(), atEgress.ports());
            assertEquals(c.pop().id(), atEgress.egressPop());
            assertFalse(atEgress.backends().isEmpty());
        }
    }

    @Test
    void shouldUseOnlyLoopbackOrNamespaceLabAddressesInExamples() throws IOException
    {
        for (final Path file : yamlExamples().toList())
        {
            final GatewayConfig config = ConfigLoader.load(file).config();
            assertTrue(config.admin().listen().getAddress().isLoopbackAddress(), file.toString());
            final List<java.net.InetAddress> addresses = new java.util.ArrayList<>();
            config.peers().forEach(p -> addresses.add(p.address()));
            config.services().forEach(s ->
            {
                addresses.add(s.vip());
                s.backends().forEach(backend -> addresses.add(backend.address()));
            });
            addresses.add(((UdpPort)config.ports().backbone()).bind());
            for (final java.net.InetAddress address : addresses)
            {
                final byte[] bytes = address.getAddress();
                final boolean lab = bytes.length == 4 && bytes[0] == 10 && bytes[1] == 77;
                assertTrue(lab || address.isLoopbackAddress(), file + ": " + address);
            }
        }
    }
}
