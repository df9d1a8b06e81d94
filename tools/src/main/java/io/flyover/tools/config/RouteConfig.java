package io.flyover.tools.config;

import java.util.List;

/**
 * The static paths toward one destination POP, until the optimizer learns them. A peer without a
 * route is reached directly.
 *
 * @param to    the destination POP id, a known peer.
 * @param paths the candidate paths, at least one with weight above 0.
 */
public record RouteConfig(int to, List<RoutePath> paths)
{
    /**
     * The Flyover option names the ingress POP and three hops, the last being the egress POP, so a
     * path has at most two relays.
     */
    public static final int MAX_RELAYS = 2;

    public RouteConfig
    {
        paths = List.copyOf(paths);
    }
}
