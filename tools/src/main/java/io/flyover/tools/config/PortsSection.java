package io.flyover.tools.config;

import io.flyover.nativeio.MacAddress;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Set;

/**
 * Reads {@code ports}: edge, backbone and origin, each a {@code type} and that type's fields.
 */
final class PortsSection
{
    static final int MIN_MTU = 1280;
    static final int MAX_MTU = 65535;
    static final int DEFAULT_MTU = 1500;
    static final int MAX_POOL_SOCKETS = 1024;
    private static final Set<String> PORTS_KEYS = Set.of("edge", "backbone", "origin");
    private static final Set<String> TUN_KEYS = Set.of("type", "device", "queues", "mtu");
    private static final Set<String> AFPACKET_KEYS = Set.of("type", "interface", "mtu", "next-hop", "next-hop-mac");
    private static final Set<String> AFPACKET_BACKBONE_KEYS =
        Set.of("type", "interface", "address", "listen-port", "mtu", "next-hop", "next-hop-mac");
    private static final Set<String> UDP_KEYS = Set.of("type", "bind", "listen-port", "ports", "mtu");
    private static final Set<String> ANY_PORT_KEYS = Set.of(
        "type", "device", "queues", "interface", "address", "bind", "listen-port", "ports", "mtu", "next-hop",
        "next-hop-mac");

    private PortsSection()
    {
    }

    static PortsConfig read(final YamlMap root)
    {
        final YamlMap map = root.map("ports", PORTS_KEYS, true);
        if (null == map)
        {
            return new PortsConfig(null, null, null);
        }
        final PortConfig edge = port(map, "edge", false, false);
        final PortConfig backbone = port(map, "backbone", true, true);
        final PortConfig origin = port(map, "origin", false, false);
        return new PortsConfig(edge, backbone, origin);
    }

    private static PortConfig port(final YamlMap ports, final String side, final boolean backbone, final boolean required)
    {
        final YamlMap probe = ports.map(side, ANY_PORT_KEYS, required);
        if (null == probe)
        {
            return null;
        }
        final String type = probe.string("type", null, true);
        if (null == type)
        {
            return null;
        }
        final Set<String> allowedTypes = backbone ? Set.of("udp", "afpacket") : Set.of("tun", "afpacket");
        if (!allowedTypes.contains(type))
        {
            probe.error("type", "must be " + (backbone ? "udp or afpacket" : "tun or afpacket") + ", got " +
                Values.quote(type));
            return null;
        }
        final Set<String> keys = switch (type)
        {
            case "tun" -> TUN_KEYS;
            case "udp" -> UDP_KEYS;
            default -> backbone ? AFPACKET_BACKBONE_KEYS : AFPACKET_KEYS;
        };
        for (final String key : ANY_PORT_KEYS)
        {
            if (probe.has(key) && !keys.contains(key))
            {
                probe.errors().add(probe.where(key),
                    "not a field of type " + type + "; allowed: " + String.join(", ", keys.stream().sorted().toList()));
            }
        }
        final int mtu = probe.integer("mtu", MIN_MTU, MAX_MTU, DEFAULT_MTU, false);
        return switch (type)
        {
            case "tun" -> new TunPort(
                probe.parse("device", Values::deviceName, "", true), probe.integer("queues", 1, 256, 1, false), mtu);
            case "udp" -> udpPort(probe, mtu);
            default -> afPacketPort(probe, backbone, mtu);
        };
    }

    private static AfPacketPort afPacketPort(final YamlMap map, final boolean backbone, final int mtu)
    {
        final String device = map.parse("interface", Values::deviceName, "", true);
        final Inet4Address address = backbone ? map.parse("address", Values::ipv4, null, true) : null;
        final int listenPort = backbone ?
            map.integer("listen-port", 1, 65535, ConfigParser.DEFAULT_GENEVE_PORT, false) : 0;
        final Inet4Address nextHop = map.parse("next-hop", Values::ipv4, null, false);
        final Long nextHopMac = map.parse("next-hop-mac", Values::unicastMac, null, false);
        return new AfPacketPort(
            device, address, listenPort, mtu, nextHop, null == nextHopMac ? MacAddress.NONE : nextHopMac);
    }

    private static UdpPort udpPort(final YamlMap map, final int mtu)
    {
        final InetAddress bind = map.parse("bind", Values::ipv4, null, true);
        final int listenPort = map.integer("listen-port", 1, 65535, ConfigParser.DEFAULT_GENEVE_PORT, false);
        final PortRange range = map.parse("ports", Values::portRange, PortRange.of(listenPort), false);
        if (range.size() > MAX_POOL_SOCKETS)
        {
            map.error("ports", "must hold at most " + MAX_POOL_SOCKETS + " ports (one socket each), got " + range.size());
        }
        else if (!range.contains(listenPort))
        {
            map.error("ports", "must include listen-port " + listenPort + " (peers send to it), got " + range);
        }
        if (null != bind && (bind.isMulticastAddress()))
        {
            map.error("bind", "must be a unicast address, got " + bind.getHostAddress());
        }
        return new UdpPort(bind, listenPort, range, mtu);
    }

}
