package io.flyover.tools.config;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.flyover.dataplane.engine.ThreadingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.flyover.tools.config.ConfigFixtures.BASE;
import static io.flyover.tools.config.ConfigFixtures.config;
import static io.flyover.tools.config.ConfigFixtures.errors;
import static io.flyover.tools.config.ConfigFixtures.plus;
import static io.flyover.tools.config.ConfigFixtures.withAfter;
import static io.flyover.tools.config.ConfigFixtures.withLine;
import static io.flyover.tools.config.ConfigFixtures.withoutLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigValidationTest
{
    private static void assertErrors(final String yaml, final String... expected)
    {
        assertEquals(List.of(expected), errors(yaml));
    }

    @Test
    void shouldLoadTheBaseConfigWithEveryValueAndDefault()
    {
        final GatewayConfig config = config(BASE);
        assertEquals(new PopConfig(1, "pop-a"), config.pop());
        assertEquals(new TunPort("fly-edge", 1, 1500), config.ports().edge());
        final UdpPort backbone = assertInstanceOf(UdpPort.class, config.ports().backbone());
        assertEquals(6081, backbone.listenPort());
        assertEquals(new PortRange(6081, 6084), backbone.ports());
        assertEquals(2, config.peers().size());
        assertEquals(6081, config.peer(3).port());
        assertEquals(1, config.keys().sendKey().id());
        final ServiceConfig web = config.services().get(0);
        assertEquals(Protocol.TCP, web.protocol());
        assertEquals(PortRange.of(80), web.ports());
        assertEquals(0, web.bandwidthBitsPerSecond());
        assertEquals(List.of(new BackendConfig(InetAddress.ofLiteral("127.0.30.2"), 8080, 1)), web.backends());
        assertEquals(List.of(new RoutePath(List.of(), 1), new RoutePath(List.of(2), 0)), config.route(3).paths());
        assertNull(config.route(2));
        assertEquals(LivenessConfig.DEFAULT, config.liveness());
        assertEquals(Duration.ofMillis(300), config.liveness().detectionTime());
        assertEquals(ThreadsConfig.DEFAULT, config.threads());
        assertEquals(FlowTableConfig.DEFAULT, config.flowTable());
        assertEquals(1 << 20, config.flowTable().capacityPerShard());
        assertEquals("127.0.0.1:9810", config.admin().listen().getAddress().getHostAddress() + ":" +
            config.admin().listen().getPort());
        assertEquals(Path.of("/var/lib/flyover/counters"), config.countersDir());
        assertEquals(Path.of("/var/lib/flyover/journal"), config.journalDir());
    }

    @Test
    void shouldReportOutOfRangeBackendWeightWithFileLineAndPath()
    {
        assertErrors(withLine(37, "        weight: 70000"),
            "pop.yaml:37: services[0].backends[0].weight: must be 0..65535, got 70000");
    }

    @Test
    void shouldReportTheWeightOfTheSecondServicesFirstBackendAsTheBriefShowsIt()
    {
        final String yaml = """
            pop: {id: 1, name: pop-c}
            ports: {backbone: {type: udp, bind: 127.0.0.1},
                    origin: {type: tun, device: fly-origin}}
            keys: {send: 0, active: [{id: 0, secret: 000102030405060708090a0b0c0d0e0f}]}
            services:
              - {id: 1, name: web, vip: 127.0.100.10, protocol: tcp, ports: 80, egress: 1,
                 backends: [{address: 127.0.30.2}]}
              - id: 2
                name: api
                vip: 127.0.100.10
                protocol: tcp
                ports: 443
                backends: [{address: 127.0.30.2,
                            weight: 70000}]
                egress: 1
            """;
        assertErrors(yaml, "pop.yaml:14: services[1].backends[0].weight: must be 0..65535, got 70000");
        assertErrors(yaml.replace("            weight: 70000}]", "            weight: 7}]"));
    }

    @Test
    void shouldFormatErrorsAsFileLinePathMessage()
    {
        assertEquals("pop.yaml:14: services[1].backends[0].weight: must be 0..65535, got 70000",
            new ConfigError("pop.yaml", 14, 9, "services[1].backends[0].weight", "must be 0..65535, got 70000")
                .toString());
        assertEquals("pop.yaml: no such file", new ConfigError("pop.yaml", 0, 0, "", "no such file").toString());
    }

    @Test
    void shouldReportMissingRequiredFieldAtItsParent()
    {
        assertErrors(withoutLines(3, 3), "pop.yaml:2: pop.name: is required");
    }

    @Test
    void shouldReportMissingRequiredSections()
    {
        assertErrors("pop:\n  id: 1\n  name: a\n",
            "pop.yaml:1: ports: is required",
            "pop.yaml:1: keys: is required");
    }

    @Test
    void shouldReportNonNumericValueWhereANumberIsExpected()
    {
        assertErrors(withLine(2, "  id: abc"), "pop.yaml:2: pop.id: must be a whole number 1..65535, got 'abc'");
    }

    @Test
    void shouldReportAListWhereASingleValueIsExpected()
    {
        assertErrors(withLine(2, "  id: [1]"), "pop.yaml:2: pop.id: must be a single value, got a list");
    }

    @Test
    void shouldReportAnEmptyValue()
    {
        assertErrors(withLine(2, "  id:"), "pop.yaml:2: pop.id: must be a single value, got nothing");
    }

    @Test
    void shouldReportAScalarWhereAMappingIsExpected()
    {
        assertEquals(List.of("pop.yaml:1: pop: must be a mapping (key: value lines), got the value '7'"),
            errors(BASE.replace("pop:\n  id: 1\n  name: pop-a\n", "pop: 7\n")));
    }

    @Test
    void shouldReportUnknownKeyWithDidYouMean()
    {
        assertErrors(withLine(37, "        wieght: 1"),
            "pop.yaml:37: services[0].backends[0].wieght: unknown field (did you mean 'weight'?)");
    }

    @Test
    void shouldReportUnknownTopLevelKeyWithDidYouMean()
    {
        assertErrors(plus("livenes:\n  interval: 100ms\n"),
            "pop.yaml:51: livenes: unknown field (did you mean 'liveness'?)");
    }

    @Test
    void shouldListAllowedKeysWhenNoneIsClose()
    {
        assertErrors(plus("liveness:\n  zzz: 1\n"),
            "pop.yaml:52: liveness.zzz: unknown field; allowed: interval, multiplier");
    }

    @Test
    void shouldReportDuplicateKeyInOneMapping()
    {
        assertErrors(withAfter(2, "  id: 2"), "pop.yaml:3: pop.id: duplicate key (first at line 2)");
    }

    @Test
    void shouldReportDuplicateServiceId()
    {
        assertErrors(withLine(38, "  - id: 100"), "pop.yaml:38: services[1].id: duplicate service id 100 (first at line 28)");
    }

    @Test
    void shouldReportDuplicateServiceName()
    {
        assertErrors(withLine(39, "    name: web"),
            "pop.yaml:39: services[1].name: duplicate service name 'web' (first at line 29)");
    }

    @Test
    void shouldReportDuplicatePeerIdAndTheReferencesItBreaks()
    {
        final List<String> errors = errors(withLine(19, "  - id: 2"));
        assertTrue(errors.contains("pop.yaml:19: peers[1].id: duplicate peer id 2 (first at line 16)"), errors::toString);
        assertTrue(errors.contains(
            "pop.yaml:43: services[1].egress: names POP 3, which is neither this POP (1) nor a peer"), errors::toString);
        assertTrue(errors.contains("pop.yaml:45: routes[0].to: names POP 3, which is not a peer"), errors::toString);
    }

    @Test
    void shouldReportPeerWithThisPopsOwnId()
    {
        assertErrors(withLine(2, "  id: 2"),
            "pop.yaml:16: peers[0].id: is this POP's own id 2; a POP is not its own peer",
            "pop.yaml:33: services[0].egress: names POP 1, which is neither this POP (2) nor a peer",
            "pop.yaml:49: routes[0].paths[1].via[0]: POP 2 is this POP, not a relay");
    }

    @Test
    void shouldReportDuplicatePeerEndpoint()
    {
        assertErrors(withLine(21, "    address: 127.0.0.2"),
            "pop.yaml:21: peers[1].address: duplicate peer endpoint 127.0.0.2:6081 (first at line 18)");
    }

    @Test
    void shouldReportDuplicateKeyId()
    {
        assertErrors(withAfter(26, "    - id: 1\n      secret: 00112233445566778899aabbccddeeff"),
            "pop.yaml:27: keys.active[1].id: duplicate key id 1 (first at line 25)");
    }

    @Test
    void shouldReportOverlappingListenersOnTheSameVipAndProtocol()
    {
        assertErrors(withLine(41, "    protocol: tcp").replace("    ports: 53", "    ports: 79-81"),
            "pop.yaml:42: services[1].ports: listener 127.0.100.10 tcp 79-81 overlaps service id 100 (line 32)");
    }

    @Test
    void shouldAllowTheSamePortOnOtherProtocolsAndVips()
    {
        final String yaml = withLine(42, "    ports: 80");
        assertTrue(ConfigFixtures.load(yaml).isValid(), ConfigFixtures.load(yaml).describe());
    }

    @Test
    void shouldReportEgressThatIsNeitherThisPopNorAPeer()
    {
        assertErrors(withLine(43, "    egress: 9"),
            "pop.yaml:43: services[1].egress: names POP 9, which is neither this POP (1) nor a peer");
    }

    @Test
    void shouldRequireBackendsAndAnOriginAtTheEgressPop()
    {
        assertErrors(withoutLines(34, 37), "pop.yaml:28: services[0].backends: is required");
        assertErrors(withoutLines(35, 37).replace("    backends:\n", "    backends: []\n"),
            "pop.yaml:34: services[0].backends: must hold at least one backend at the egress POP (weight 0 drains one)");
        assertErrors(withoutLines(12, 14), "pop.yaml:30: services[0].egress: is this POP, which then needs " +
            "ports.origin to reach the backends");
    }

    @Test
    void shouldReportRouteRelayThatIsNotAPeer()
    {
        assertErrors(withLine(49, "      - via: [7]"),
            "pop.yaml:49: routes[0].paths[1].via[0]: names POP 7, which is not a peer");
    }

    @Test
    void shouldReportRouteToAnUnknownPopOrToItself()
    {
        assertErrors(withLine(45, "  - to: 8"), "pop.yaml:45: routes[0].to: names POP 8, which is not a peer");
        assertErrors(withLine(45, "  - to: 1"), "pop.yaml:45: routes[0].to: is this POP (1); routes lead to other POPs");
    }

    @Test
    void shouldReportTooManyRelaysAndRepeatedOrDestinationRelays()
    {
        assertErrors(withLine(49, "      - via: [2, 2]"), "pop.yaml:49: routes[0].paths[1].via[1]: repeats relay POP 2");
        assertErrors(withLine(49, "      - via: [2, 3]"),
            "pop.yaml:49: routes[0].paths[1].via[1]: POP 3 is the destination, not a relay");
        assertErrors(withLine(49, "      - via: [2, 2, 2]"),
            "pop.yaml:49: routes[0].paths[1].via: must have at most 2 relays (the option carries 3 hops), got 3");
        assertErrors(withLine(49, "      - via: []"),
            "pop.yaml:49: routes[0].paths[1].via: must list at least one relay POP; write 'via: direct' for " +
            "the direct path");
    }

    @Test
    void shouldReportRoutesWithoutAWeightedPathOrWithDuplicatePaths()
    {
        assertErrors(withLine(48, "        weight: 0"),
            "pop.yaml:47: routes[0].paths: needs at least one path with weight above 0 (weight 0 is a standby)");
        assertErrors(withLine(49, "      - via: direct"),
            "pop.yaml:49: routes[0].paths[1].via: duplicate path direct (first at line 47)");
        assertErrors(plus("  - to: 3\n    paths:\n      - via: direct\n"),
            "pop.yaml:51: routes[1].to: duplicate route to POP 3 (first at line 45)");
    }

    @Test
    void shouldReportSendKeyThatIsNotActive()
    {
        assertErrors(withLine(23, "  send: 5"), "pop.yaml:23: keys.send: names key id 5, which is not in keys.active");
    }

    @Test
    void shouldRequireAtLeastOneKey()
    {
        assertErrors(withoutLines(25, 26).replace("  active:\n", "  active: []\n"),
            "pop.yaml:23: keys.send: names key id 1, which is not in keys.active",
            "pop.yaml:24: keys.active: must hold at least one key");
    }

    @Test
    void shouldReportMalformedKeysWithoutEchoingLongSecrets()
    {
        assertErrors(withLine(26, "      secret: 0001"),
            "pop.yaml:26: keys.active[0].secret: must be a 128-bit key written as exactly 32 hex digits, got '0001'");
        assertErrors(withLine(25, "    - id: 256"), "pop.yaml:25: keys.active[0].id: must be 0..255, got 256");
    }

    @Test
    void shouldReadKeyBytesLittleEndianAndNeverPrintThem()
    {
        final BackboneKey key = config(BASE).keys().sendKey();
        assertEquals(0x0706050403020100L, key.k0());
        assertEquals(0x0f0e0d0c0b0a0908L, key.k1());
        assertEquals(0x0f, key.keyBytes()[15]);
        assertEquals("BackboneKey[id=1, key=<redacted>]", key.toString());
        assertFalse(config(BASE).toString().contains("0706050403020100"));
    }

    @Test
    void shouldReportBackendInAnotherAddressFamilyThanTheVip()
    {
        assertErrors(withLine(35, "      - address: \"2001:db8::2\""),
            "pop.yaml:35: services[0].backends[0].address: must be in the VIP's address family (IPv4), " +
            "got 2001:db8:0:0:0:0:0:2");
    }

    @Test
    void shouldAcceptIpv6VipsWithIpv6Backends()
    {
        final String yaml = withLine(30, "    vip: \"2001:db8::10\"").replace("127.0.30.2", "\"2001:db8:30::2\"");
        final ServiceConfig web = config(yaml).services().get(0);
        assertEquals(InetAddress.ofLiteral("2001:db8::10"), web.vip());
    }

    @Test
    void shouldParseAddressesStrictlyWithoutNameLookups()
    {
        assertErrors(withLine(18, "    address: localhost"),
            "pop.yaml:18: peers[0].address: must be an IPv4 address in dotted-quad form, e.g. 10.77.1.1, got 'localhost'");
        assertErrors(withLine(18, "    address: 127.1"),
            "pop.yaml:18: peers[0].address: must be an IPv4 address in dotted-quad form, e.g. 10.77.1.1, got '127.1'");
        assertErrors(withLine(18, "    address: 127.0.0.010"),
            "pop.yaml:18: peers[0].address: must be an IPv4 address in dotted-quad form, e.g. 10.77.1.1, " +
            "got '127.0.0.010'");
        assertErrors(withLine(18, "    address: 127.0.0.256"),
            "pop.yaml:18: peers[0].address: must be an IPv4 address, octet 256 is above 255, got '127.0.0.256'");
        assertErrors(withLine(30, "    vip: web.example.com"),
            "pop.yaml:30: services[0].vip: must be an IPv4 or IPv6 address literal, e.g. 192.0.2.10 or " +
            "2001:db8::10 (names are not looked up), got 'web.example.com'");
        assertErrors(withLine(30, "    vip: \"::ffff:127.0.0.1\""),
            "pop.yaml:30: services[0].vip: is an IPv4-mapped IPv6 address; write the IPv4 address instead, " +
            "got '::ffff:127.0.0.1'");
        assertErrors(withLine(30, "    vip: 0.0.0.0"), "pop.yaml:30: services[0].vip: must be a unicast address, got 0.0.0.0");
    }

    @Test
    void shouldReportBadPortRanges()
    {
        assertErrors(withLine(11, "    ports: 6088-6081"),
            "pop.yaml:11: ports.backbone.ports: must run from the lower port to the higher, got '6088-6081'");
        assertErrors(withLine(11, "    ports: 7000-7003"),
            "pop.yaml:11: ports.backbone.ports: must include listen-port 6081 (peers send to it), got 7000-7003");
        assertErrors(withLine(11, "    ports: 1-65535"),
            "pop.yaml:11: ports.backbone.ports: must hold at most 1024 ports (one socket each), got 65535");
        assertErrors(withLine(32, "    ports: 0-80"), "pop.yaml:32: services[0].ports: must hold ports 1..65535, got '0-80'");
        assertErrors(withLine(36, "        port: 65536"),
            "pop.yaml:36: services[0].backends[0].port: must be 1..65535, got 65536");
    }

    @Test
    void shouldRejectPortsOnIcmpServices()
    {
        assertErrors(withLine(41, "    protocol: icmp"), "pop.yaml:42: services[1].ports: icmp has no ports; remove this field");
        assertErrors(withLine(41, "    protocol: sctp"),
            "pop.yaml:41: services[1].protocol: must be one of tcp, udp, icmp, got 'sctp'");
    }

    @Test
    void shouldReportPortTypeAndFieldsThatDoNotBelongToIt()
    {
        assertErrors(withLine(9, "    type: tun"), "pop.yaml:9: ports.backbone.type: must be udp or afpacket, got 'tun'");
        assertErrors(withAfter(7, "    bind: 127.0.0.1"),
            "pop.yaml:8: ports.edge.bind: not a field of type tun; allowed: device, mtu, queues, type");
        assertErrors(withLine(7, "    device: this-name-is-too-long"),
            "pop.yaml:7: ports.edge.device: must be an interface name of 1..15 characters: letters, digits, '-', " +
            "'_' or '.', got 'this-name-is-too-long'");
        assertErrors(withAfter(7, "    mtu: 9999999"), "pop.yaml:8: ports.edge.mtu: must be 1280..65535, got 9999999");
    }

    @Test
    void shouldReadAfPacketPorts()
    {
        final String yaml = BASE.replace("""
              edge:
                type: tun
                device: fly-edge
            """, """
              edge:
                type: afpacket
                interface: eth0
            """).replace("""
                type: udp
                bind: 127.0.0.1
                ports: 6081-6084
            """, """
                type: afpacket
                interface: eth1
                address: 127.0.0.1
            """);
        final GatewayConfig config = config(yaml);
        assertEquals(new AfPacketPort("eth0", null, 0, 1500), config.ports().edge());
        assertEquals("eth1", ((AfPacketPort)config.ports().backbone()).device());
        assertEquals(6081, ((AfPacketPort)config.ports().backbone()).listenPort());
    }

    @Test
    void shouldReadAfPacketNextHopAsAddressOrMacAndRejectBadOnes()
    {
        final String edge = """
              edge:
                type: tun
                device: fly-edge
            """;
        final GatewayConfig config = config(BASE.replace(edge, """
              edge:
                type: afpacket
                interface: eth0
                next-hop: 192.0.2.1
                next-hop-mac: 02:00:5E:10:00:01
            """));
        final AfPacketPort port = (AfPacketPort)config.ports().edge();
        assertEquals("192.0.2.1", port.nextHop().getHostAddress());
        assertEquals(0x02005E100001L, port.nextHopMac());
        assertEquals(io.flyover.nativeio.MacAddress.NONE,
            ((AfPacketPort)config(BASE.replace(edge, """
              edge:
                type: afpacket
                interface: eth0
            """)).ports().edge()).nextHopMac());

        assertErrors(BASE.replace(edge, """
              edge:
                type: afpacket
                interface: eth0
                next-hop-mac: ff:ff:ff:ff:ff:ff
            """), "pop.yaml:8: ports.edge.next-hop-mac: must be a unicast MAC address (not all zero, not multicast or broadcast), got "
                + "'ff:ff:ff:ff:ff:ff'");
        assertErrors(BASE.replace(edge, """
              edge:
                type: afpacket
                interface: eth0
                next-hop-mac: 02:00:5e:10:00
            """), "pop.yaml:8: ports.edge.next-hop-mac: must be a MAC address of six hex octets, e.g. 02:00:5e:10:00:01, got "
                + "'02:00:5e:10:00'");
        assertErrors(BASE.replace(edge, """
              edge:
                type: tun
                device: fly-edge
                next-hop: 192.0.2.1
            """), "pop.yaml:8: ports.edge.next-hop: not a field of type tun; allowed: device, mtu, queues, type");
    }

    @Test
    void shouldReadDurationsSizesRatesAndReportBadOnes()
    {
        final String yaml = plus("""
            liveness:
              interval: 50ms
              multiplier: 5
            threads:
              mode: shared
              workers: 4
              idle: busy-spin
            flow-table:
              capacity: 256K
              timeouts:
                tcp-established: 2m
                udp: 1h
            admin:
              listen: "[::1]:9900"
            counters-dir: run/counters
            """).replace("    egress: 3\n", "    egress: 3\n    bandwidth: 10MB/s\n");
        final GatewayConfig config = config(yaml);
        assertEquals(new LivenessConfig(Duration.ofMillis(50), 5), config.liveness());
        assertEquals(new ThreadsConfig(ThreadingMode.SHARED, 4, IdleMode.BUSY_SPIN), config.threads());
        assertEquals(256 * 1024, config.flowTable().capacityPerShard());
        assertEquals(Duration.ofMinutes(2), config.flowTable().timeouts().tcpEstablished());
        assertEquals(Duration.ofHours(1), config.flowTable().timeouts().udp());
        assertEquals(Duration.ofSeconds(5), config.flowTable().timeouts().tcpEmbryonic());
        assertEquals(80_000_000L, config.services().get(1).bandwidthBitsPerSecond());
        assertEquals(9900, config.admin().listen().getPort());
        assertTrue(config.admin().listen().getAddress().isLoopbackAddress());
        assertEquals(Path.of("/etc/flyover/run/counters"), config.countersDir());
        assertEquals(100_000_000L, Values.bitsPerSecond("100Mbit"));
        assertEquals(1_000_000_000L, Values.bitsPerSecond("1Gbps"));

        assertErrors(plus("liveness:\n  interval: 100\n"),
            "pop.yaml:52: liveness.interval: must be a duration with a unit: ms, s, m or h (e.g. 100ms, 5s, 2m), " +
            "got '100'");
        assertErrors(plus("liveness:\n  interval: 1ms\n"), "pop.yaml:52: liveness.interval: must be 10ms..10s, got 1ms");
        assertErrors(plus("flow-table:\n  capacity: 1000\n"),
            "pop.yaml:52: flow-table.capacity: must be a power of two 1K..256M (entries per shard), got 1000");
        assertErrors(plus("threads:\n  mode: pooled\n"),
            "pop.yaml:52: threads.mode: must be one of dedicated, shared, got 'pooled'");
        assertErrors(withAfter(43, "    bandwidth: fast"),
            "pop.yaml:44: services[1].bandwidth: must be a rate like 100Mbit, 1Gbps or 10MB/s (k, M, G, T = x1000), " +
            "or unlimited, got 'fast'");
        assertErrors(plus("admin:\n  listen: \"::1:9810\"\n"),
            "pop.yaml:52: admin.listen: must put an IPv6 address in brackets, e.g. [::1]:9810, got '::1:9810'");
    }

    @Test
    void shouldCollectEveryErrorInLineOrder()
    {
        final String yaml = withLine(2, "  id: 0")
            .replace("        weight: 1\n  - id: 101", "        weight: -1\n  - id: 101")
            .replace("  send: 1", "  send: 9")
            .replace("    name: dns", "    nmae: dns");
        assertEquals(List.of(
            "pop.yaml:2: pop.id: must be 1..65535, got 0",
            "pop.yaml:23: keys.send: names key id 9, which is not in keys.active",
            "pop.yaml:37: services[0].backends[0].weight: must be 0..65535, got -1",
            "pop.yaml:38: services[1].name: is required",
            "pop.yaml:39: services[1].nmae: unknown field (did you mean 'name'?)"), errors(yaml));
    }

    @Test
    void shouldLoadFromAFileNamingItInErrors(@TempDir final Path dir) throws Exception
    {
        final Path file = dir.resolve("pop.yaml");
        Files.writeString(file, withLine(37, "        weight: 70000"));
        final ConfigLoader.Result result = ConfigLoader.load(file);
        assertFalse(result.isValid());
        assertEquals(file + ":37: services[0].backends[0].weight: must be 0..65535, got 70000",
            result.errors().get(0).toString());
        assertEquals(37, result.errors().get(0).line());
        assertEquals(17, result.errors().get(0).column());

        Files.writeString(file, BASE + "counters-dir: counters\n");
        assertEquals(dir.resolve("counters"), ConfigLoader.load(file).config().countersDir());
    }

    @Test
    void shouldReportMissingUnreadableNonUtf8AndOversizedFiles(@TempDir final Path dir) throws Exception
    {
        assertEquals(List.of(dir.resolve("nope.yaml") + ": no such file"),
            ConfigLoader.load(dir.resolve("nope.yaml")).errors().stream().map(ConfigError::toString).toList());
        assertTrue(ConfigLoader.load(dir).errors().get(0).message().startsWith("cannot read:"));

        final Path binary = dir.resolve("binary.yaml");
        Files.write(binary, "pop:\n  id: 1\n  name: \u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(List.of(binary + ":3: is not UTF-8 text (binary file?)"),
            ConfigLoader.load(binary).errors().stream().map(ConfigError::toString).toList());

        final Path huge = dir.resolve("huge.yaml");
        Files.write(huge, new byte[ConfigLoader.MAX_FILE_BYTES + 1]);
        assertEquals(List.of(huge + ": file is larger than 4194304 bytes; not a gateway configuration"),
            ConfigLoader.load(huge).errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void shouldThrowWithEveryErrorWhenAskingAnInvalidResultForItsConfig()
    {
        final ConfigLoader.Result result = ConfigFixtures.load(withLine(2, "  id: 0"));
        final IllegalStateException ex =
            org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, result::config);
        assertTrue(ex.getMessage().contains("pop.yaml:2: pop.id: must be 1..65535, got 0"), ex.getMessage());
    }

    @Test
    void shouldReadTheOptimizerSectionWithDefaultsAndReportBadValues()
    {
        assertEquals(OptimizerConfig.DEFAULT, config(plus("")).optimizer());
        assertFalse(OptimizerConfig.DEFAULT.enabled());
        final GatewayConfig config = config(plus("""
            optimizer:
              enabled: true
              probe-interval: 50ms
              detect-multiplier: 4
              up-after: 3
              candidates: 2
              exploration-percent: 10
              hold: 5s
              loss-penalty: 500ms
              warm-up: 0s
              journal: false
              journal-retention: 72h
            """));
        assertEquals(new OptimizerConfig(true, Duration.ofMillis(50), 4, 3, 2, 10, Duration.ofSeconds(5),
            Duration.ofMillis(500), Duration.ZERO, false, Duration.ofHours(72)), config.optimizer());
        assertEquals(Duration.ofMillis(200), config.optimizer().detectionTime());

        assertErrors(plus("optimizer:\n  enabled: maybe\n"),
            "pop.yaml:52: optimizer.enabled: must be true or false, got 'maybe'");
        assertErrors(plus("optimizer:\n  probe-interval: 5ms\n"),
            "pop.yaml:52: optimizer.probe-interval: must be 10ms..10s, got 5ms");
        assertErrors(plus("optimizer:\n  detect-multiplier: 0\n"),
            "pop.yaml:52: optimizer.detect-multiplier: must be 1..255, got 0");
        assertErrors(plus("optimizer:\n  exploration-percent: 80\n"),
            "pop.yaml:52: optimizer.exploration-percent: must be 0..50, got 80");
        assertErrors(plus("optimizer:\n  journal-retention: 30m\n"),
            "pop.yaml:52: optimizer.journal-retention: must be 1h..2160h, got 30m");
        assertErrors(plus("optimizer:\n  journal-retention: 2161h\n"),
            "pop.yaml:52: optimizer.journal-retention: must be 1h..2160h, got 2161h");
        assertEquals(Duration.ofHours(24), OptimizerConfig.DEFAULT.journalRetention());
        assertErrors(plus("optimizer:\n  probes: 3\n"),
            "pop.yaml:52: optimizer.probes: unknown field; allowed: candidates, detect-multiplier, enabled, "
            + "exploration-percent, hold, journal, journal-retention, loss-penalty, probe-interval, up-after, warm-up");
    }
}
