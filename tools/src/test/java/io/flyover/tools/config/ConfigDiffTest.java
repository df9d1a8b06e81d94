package io.flyover.tools.config;

import java.util.List;

import org.junit.jupiter.api.Test;

import static io.flyover.tools.config.ConfigFixtures.BASE;
import static io.flyover.tools.config.ConfigFixtures.config;
import static io.flyover.tools.config.ConfigFixtures.plus;
import static io.flyover.tools.config.ConfigFixtures.withAfter;
import static io.flyover.tools.config.ConfigFixtures.withLine;
import static io.flyover.tools.config.ConfigFixtures.withoutLines;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigDiffTest
{
    private static final GatewayConfig RUNNING = config(BASE);

    private static List<String> hot(final String next)
    {
        final ConfigDiff diff = ConfigDiff.between(RUNNING, config(next));
        assertFalse(diff.needsRestart(), diff::rejection);
        assertEquals("", diff.rejection());
        return diff.hot().stream().map(ConfigChange::toString).toList();
    }

    private static List<String> restart(final String next)
    {
        final ConfigDiff diff = ConfigDiff.between(RUNNING, config(next));
        assertTrue(diff.needsRestart());
        assertTrue(diff.hot().isEmpty(), diff.hot()::toString);
        return diff.restartRequired().stream().map(ConfigChange::toString).toList();
    }

    @Test
    void shouldFindNoChangeBetweenEqualConfigs()
    {
        final ConfigDiff diff = ConfigDiff.between(RUNNING, config(BASE));
        assertTrue(diff.isEmpty());
        assertFalse(diff.needsRestart());
    }

    @Test
    void shouldReloadBackendWeightChangesHot()
    {
        assertEquals(List.of("services[id=100].backends[127.0.30.2:8080].weight: 1 -> 0"),
            hot(withLine(37, "        weight: 0")));
    }

    @Test
    void shouldReloadAddedAndRemovedBackendsHot()
    {
        assertEquals(List.of(
            "services[id=100].backends[127.0.30.2:8080]: removed",
            "services[id=100].backends[127.0.30.3:8080]: added"),
            hot(withLine(35, "      - address: 127.0.30.3")));
    }

    @Test
    void shouldReloadServiceChangesAdditionsAndRemovalsHot()
    {
        assertEquals(List.of("services[id=100].vip: 127.0.100.10 -> 127.0.100.11"),
            hot(withLine(30, "    vip: 127.0.100.11")));
        assertEquals(List.of("services[id=101].bandwidth: 0bit/s -> 100000000bit/s"),
            hot(withAfter(43, "    bandwidth: 100Mbit")));
        assertEquals(List.of("services[id=101]: removed", "services[id=102]: added"), hot(withLine(38, "  - id: 102")));
        assertEquals(List.of("services[id=101]: removed"), hot(withoutLines(38, 43)));
    }

    @Test
    void shouldReloadPeerChangesHot()
    {
        assertEquals(List.of("peers[id=3].address: 127.0.0.3 -> 127.0.0.9"), hot(withLine(21, "    address: 127.0.0.9")));
        assertEquals(List.of("peers[id=2].port: 6081 -> 7000"), hot(withAfter(18, "    port: 7000")));
        assertEquals(List.of("peers[id=4]: added"),
            hot(withAfter(21, "  - id: 4\n    name: pop-d\n    address: 127.0.0.4")));
    }

    @Test
    void shouldReloadKeyRotationHotWithoutShowingKeyMaterial()
    {
        final String added = withAfter(26, "    - id: 2\n      secret: 00112233445566778899aabbccddeeff");
        assertEquals(List.of("keys.active[id=2]: added"), hot(added));
        assertEquals(List.of("keys.send: 1 -> 2", "keys.active[id=2]: added"), hot(added.replace("send: 1", "send: 2")));
        final List<String> changed = hot(withLine(26, "      secret: 00112233445566778899aabbccddeeff"));
        assertEquals(List.of("keys.active[id=1].secret: changed"), changed);
    }

    @Test
    void shouldReloadRoutesAndLivenessHot()
    {
        assertEquals(List.of("routes[to=3].paths: [direct weight 1, via [2] weight 0] -> " +
            "[direct weight 1, via [2] weight 5]"), hot(withLine(50, "        weight: 5")));
        assertEquals(List.of("liveness.interval: 100ms -> 50ms", "liveness.multiplier: 3 -> 4"),
            hot(plus("liveness:\n  interval: 50ms\n  multiplier: 4\n")));
        assertEquals(List.of("pop.name: pop-a -> pop-x"), hot(withLine(3, "  name: pop-x")));
    }

    @Test
    void shouldRequireARestartForPopIdChanges()
    {
        final ConfigDiff diff = ConfigDiff.between(RUNNING, config(withLine(2, "  id: 9").replace("    egress: 1\n", "    egress: 9\n")));
        assertEquals(List.of("pop.id: 1 -> 9 needs a restart"),
            diff.restartRequired().stream().map(ConfigChange::toString).toList());
    }

    @Test
    void shouldRequireARestartForPortChanges()
    {
        assertEquals(List.of("ports.backbone.ports: 6081-6084 -> 6081-6088 needs a restart"),
            restart(withLine(11, "    ports: 6081-6088")));
        assertEquals(List.of("ports.edge.queues: 1 -> 4 needs a restart"), restart(withAfter(7, "    queues: 4")));
        assertEquals(List.of("ports.edge.mtu: 1500 -> 9000 needs a restart"), restart(withAfter(7, "    mtu: 9000")));
        assertEquals(List.of("ports.edge: tun -> none needs a restart"), restart(withoutLines(5, 7)));
        assertEquals(List.of("ports.edge: tun -> afpacket needs a restart"),
            restart(withLine(6, "    type: afpacket").replace("    device: fly-edge", "    interface: eth0")));
    }

    @Test
    void shouldRequireARestartForThreadTableAdminAndDirectoryChanges()
    {
        assertEquals(List.of("threads.mode: dedicated -> shared needs a restart",
            "threads.workers: 1 -> 2 needs a restart"), restart(plus("threads:\n  mode: shared\n  workers: 2\n")));
        assertEquals(List.of("flow-table.capacity: 1048576 -> 2048 needs a restart",
            "flow-table.timeouts.udp: 1m -> 2m needs a restart"),
            restart(plus("flow-table:\n  capacity: 2K\n  timeouts:\n    udp: 2m\n")));
        assertEquals(List.of("admin.listen: 127.0.0.1:9810 -> [0:0:0:0:0:0:0:1]:9811 needs a restart"),
            restart(plus("admin:\n  listen: \"[::1]:9811\"\n")));
        assertEquals(List.of("journal-dir: /var/lib/flyover/journal -> /srv/journal needs a restart"),
            restart(plus("journal-dir: /srv/journal\n")));
    }

    @Test
    void shouldRejectAReloadMixingHotAndRestartChangesNamingEachRestartField()
    {
        final String next = withLine(37, "        weight: 0").replace("ports: 6081-6084", "ports: 6081-6082") +
            "threads:\n  workers: 4\n";
        final ConfigDiff diff = ConfigDiff.between(RUNNING, config(next));
        assertTrue(diff.needsRestart());
        assertEquals(1, diff.hot().size());
        assertEquals("""
            reload rejected, the running configuration stays in service; 2 changes need a restart:
              ports.backbone.ports: 6081-6084 -> 6081-6082 needs a restart
              threads.workers: 1 -> 4 needs a restart""", diff.rejection());
    }

    @Test
    void shouldAskForARestartToTurnOnOrRetuneTheOptimizer()
    {
        assertEquals(List.of("optimizer.enabled: false -> true needs a restart"),
            restart(plus("optimizer:\n  enabled: true\n")));
        assertEquals(List.of("optimizer.probe-interval: 100ms -> 50ms needs a restart",
            "optimizer.hold: 3s -> 10s needs a restart"),
            restart(plus("optimizer:\n  probe-interval: 50ms\n  hold: 10s\n")));
    }
}
