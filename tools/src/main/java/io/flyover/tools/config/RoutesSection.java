package io.flyover.tools.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

import static io.flyover.tools.config.ErrorSink.Where;

/**
 * Reads {@code routes}: static paths per destination POP, checking every POP they name.
 */
final class RoutesSection
{
    private static final Set<String> ROUTE_KEYS = Set.of("to", "paths");
    private static final Set<String> PATH_KEYS = Set.of("via", "weight");

    private RoutesSection()
    {
    }

    static List<RouteConfig> read(final YamlMap root, final int popId, final Set<Integer> peerIds)
    {
        final List<Node> items = root.list("routes", false);
        final List<RouteConfig> routes = new ArrayList<>(items.size());
        final Map<Integer, Where> destinations = new HashMap<>();
        for (int i = 0; i < items.size(); i++)
        {
            final YamlMap map = YamlMap.of(items.get(i), root.path("routes") + "[" + i + "]", root.errors(), ROUTE_KEYS);
            if (null == map)
            {
                continue;
            }
            final int to = map.integer("to", 1, 65535, 0, true);
            if (to != 0)
            {
                if (to == popId)
                {
                    map.error("to", "is this POP (" + to + "); routes lead to other POPs");
                }
                else if (!peerIds.contains(to))
                {
                    map.error("to", "names POP " + to + ", which is not a peer");
                }
                root.errors().unique(destinations, to, map.where("to"), "route to POP " + to);
            }
            final List<Node> pathNodes = map.list("paths", true);
            if (map.has("paths") && pathNodes.isEmpty())
            {
                map.error("paths", "must hold at least one path");
            }
            final List<RoutePath> paths = new ArrayList<>(pathNodes.size());
            final Map<List<Integer>, Where> seen = new HashMap<>();
            boolean anyWeighted = false;
            for (int p = 0; p < pathNodes.size(); p++)
            {
                final YamlMap path = YamlMap.of(pathNodes.get(p), map.path("paths") + "[" + p + "]", root.errors(), PATH_KEYS);
                if (null == path)
                {
                    continue;
                }
                final List<Integer> via = via(path, to, popId, peerIds);
                final int weight = path.integer("weight", 0, 65535, 1, false);
                anyWeighted |= weight > 0;
                if (null != via)
                {
                    root.errors().unique(seen, via, path.where("via"), "path " + (via.isEmpty() ? "direct" : "via " + via));
                    paths.add(new RoutePath(via, weight));
                }
            }
            if (!pathNodes.isEmpty() && !anyWeighted)
            {
                map.error("paths", "needs at least one path with weight above 0 (weight 0 is a standby)");
            }
            routes.add(new RouteConfig(to, paths));
        }
        return routes;
    }

    /**
     * {@code via: direct} or {@code via: [2]} or {@code via: [2, 5]}.
     */
    private static List<Integer> via(
        final YamlMap path, final int to, final int popId, final Set<Integer> peerIds)
    {
        final Node value = path.value("via");
        if (null == value)
        {
            path.missing("via");
            return null;
        }
        if (value instanceof final ScalarNode scalar && "direct".equals(scalar.getValue()))
        {
            return List.of();
        }
        if (!(value instanceof final SequenceNode sequence))
        {
            path.error("via", "must be 'direct' or a list of relay POP ids like [2], got " + YamlMap.describe(value));
            return null;
        }
        final List<Node> hops = sequence.getValue();
        if (hops.isEmpty())
        {
            path.error("via", "must list at least one relay POP; write 'via: direct' for the direct path");
            return null;
        }
        if (hops.size() > RouteConfig.MAX_RELAYS)
        {
            path.error("via", "must have at most " + RouteConfig.MAX_RELAYS + " relays (the option carries 3 hops)" +
                ", got " + hops.size());
            return null;
        }
        final List<Integer> via = new ArrayList<>(hops.size());
        final Set<Integer> seen = new HashSet<>();
        boolean valid = true;
        for (int h = 0; h < hops.size(); h++)
        {
            final Node hop = hops.get(h);
            final String hopPath = path.path("via") + "[" + h + "]";
            if (!(hop instanceof final ScalarNode scalar) || !scalar.getValue().matches("\\d{1,5}"))
            {
                path.errors().add(hop, hopPath, "must be a relay POP id, got " + YamlMap.describe(hop));
                valid = false;
                continue;
            }
            final int relay = Integer.parseInt(scalar.getValue());
            if (relay == popId || relay == to)
            {
                path.errors().add(hop, hopPath, "POP " + relay + " is " + (relay == popId ? "this POP" : "the destination") +
                    ", not a relay");
                valid = false;
            }
            else if (!peerIds.contains(relay))
            {
                path.errors().add(hop, hopPath, "names POP " + relay + ", which is not a peer");
                valid = false;
            }
            else if (!seen.add(relay))
            {
                path.errors().add(hop, hopPath, "repeats relay POP " + relay);
                valid = false;
            }
            via.add(relay);
        }
        return valid ? via : null;
    }

}
