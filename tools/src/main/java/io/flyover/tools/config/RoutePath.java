package io.flyover.tools.config;

import java.util.List;

/**
 * One configured path to a destination POP.
 *
 * @param via    the relay POP ids in order, empty for the direct path; at most
 *               {@link RouteConfig#MAX_RELAYS}.
 * @param weight share of new flows, 0..65535; a path with weight 0 is a standby used only while
 *               every weighted path is down.
 */
public record RoutePath(List<Integer> via, int weight)
{
    public RoutePath
    {
        via = List.copyOf(via);
    }

    /**
     * Whether the path goes straight to the destination.
     *
     * @return true when there are no relays.
     */
    public boolean direct()
    {
        return via.isEmpty();
    }
}
