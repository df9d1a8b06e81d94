package io.flyover.tools.config;

/**
 * The gateway's three sides. A relay-only POP has no edge and no origin; a POP that is the egress
 * of a service needs an origin; a POP that takes client traffic needs an edge.
 *
 * @param edge     faces clients ({@link TunPort} or {@link AfPacketPort}), or {@code null} if none.
 * @param backbone faces other POPs ({@link UdpPort} or {@link AfPacketPort}); always present.
 * @param origin   faces backends ({@link TunPort} or {@link AfPacketPort}), or {@code null} if none.
 */
public record PortsConfig(PortConfig edge, PortConfig backbone, PortConfig origin)
{
}
