package io.flyover.tools.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The whole configuration of one POP's gateway: one immutable record, made only by
 * {@link ConfigLoader} after validation, so everything in it is consistent (ids unique, references
 * resolved, ranges respected).
 *
 * @param pop         this POP.
 * @param ports       edge, backbone and origin ports.
 * @param peers       the other POPs.
 * @param keys        backbone keys.
 * @param services    VIP listeners and their backends.
 * @param routes      static paths per destination POP.
 * @param liveness    keepalive settings.
 * @param optimizer   path optimizer settings (replaces keepalives when enabled).
 * @param threads     thread placement.
 * @param flowTable   flow table size and timeouts.
 * @param admin       admin API.
 * @param countersDir where counter files go (absolute).
 * @param journalDir  where the journal goes (absolute).
 * @param flowHashKey the deployment's flow-hash key, the same at every POP (routes and backends
 *                    are functions of the flow hash); optional, {@link #DEFAULT_FLOW_HASH_KEY}.
 */
public record GatewayConfig(
    PopConfig pop,
    PortsConfig ports,
    List<PeerConfig> peers,
    KeysConfig keys,
    List<ServiceConfig> services,
    List<RouteConfig> routes,
    LivenessConfig liveness,
    OptimizerConfig optimizer,
    ThreadsConfig threads,
    FlowTableConfig flowTable,
    AdminConfig admin,
    Path countersDir,
    Path journalDir,
    long flowHashKey)
{
    /**
     * The flow-hash key used when the file sets none: public, so set your own in production
     * ({@code openssl rand -hex 8}) so nobody can aim flows at one path or backend.
     */
    public static final long DEFAULT_FLOW_HASH_KEY = 0x466C_794F_7665_7246L;

    /**
     * Bytes the tunnel adds over IPv4: outer IPv4 (20) + UDP (8) + Geneve (8) + Flyover option (32).
     */
    public static final int TUNNEL_OVERHEAD_IPV4 = 20 + 8 + 8 + 32;

    public GatewayConfig
    {
        peers = List.copyOf(peers);
        services = List.copyOf(services);
        routes = List.copyOf(routes);
    }

    /**
     * The peer with the given POP id.
     *
     * @param popId the id.
     * @return the peer, or {@code null} if there is none.
     */
    public PeerConfig peer(final int popId)
    {
        for (final PeerConfig peer : peers)
        {
            if (peer.id() == popId)
            {
                return peer;
            }
        }
        return null;
    }

    /**
     * The configured route to a destination POP.
     *
     * @param popId the destination.
     * @return its route, or {@code null} if none is configured (the peer is then reached directly).
     */
    public RouteConfig route(final int popId)
    {
        for (final RouteConfig route : routes)
        {
            if (route.to() == popId)
            {
                return route;
            }
        }
        return null;
    }
}
