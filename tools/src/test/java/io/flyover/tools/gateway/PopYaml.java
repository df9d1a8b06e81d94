package io.flyover.tools.gateway;

import java.nio.file.Path;

/**
 * Writes one POP's YAML configuration for the gateway tests, block by block in the order the
 * calls come, so every loopback test world spells each block (ports, peers, keys, services,
 * routes, threads, folders) the same way. A list's heading ({@code ports:}, {@code peers:},
 * {@code services:}, {@code backends:}, {@code routes:}, {@code paths:}) is written before its
 * first entry.
 */
final class PopYaml
{
    static final String SECRET = "000102030405060708090a0b0c0d0e0f";

    private final StringBuilder text = new StringBuilder();
    private String list = "";
    private boolean subList;

    private PopYaml()
    {
    }

    /**
     * @param id   the POP id.
     * @param name the POP name.
     * @return a configuration that starts with the {@code pop} section.
     */
    static PopYaml pop(final int id, final String name)
    {
        final PopYaml yaml = new PopYaml();
        yaml.text.append("pop:\n  id: ").append(id).append("\n  name: ").append(name).append('\n');
        return yaml;
    }

    /**
     * @param role   {@code edge} or {@code origin}.
     * @param device the TUN device name.
     * @return this.
     */
    PopYaml tun(final String role, final String device)
    {
        entry("ports").append("  ").append(role).append(":\n    type: tun\n    device: ").append(device).append('\n');
        return this;
    }

    /**
     * @param bind       the loopback address the backbone binds.
     * @param listenPort the port peers send to; the pool is it and the next one.
     * @return this.
     */
    PopYaml udpBackbone(final String bind, final int listenPort)
    {
        entry("ports").append("  backbone:\n    type: udp\n    bind: ").append(bind)
            .append("\n    listen-port: ").append(listenPort)
            .append("\n    ports: ").append(listenPort).append('-').append(listenPort + 1).append('\n');
        return this;
    }

    /**
     * A peer reached at the default port.
     *
     * @return this.
     */
    PopYaml peer(final int id, final String name, final String address)
    {
        entry("peers").append("  - id: ").append(id).append("\n    name: ").append(name)
            .append("\n    address: ").append(address).append('\n');
        return this;
    }

    /**
     * A peer reached at {@code port}.
     *
     * @return this.
     */
    PopYaml peer(final int id, final String name, final String address, final int port)
    {
        peer(id, name, address).text.append("    port: ").append(port).append('\n');
        return this;
    }

    /**
     * @return this, with one active key (id 1, {@link #SECRET}) that it sends with.
     */
    PopYaml keys()
    {
        section().append("keys:\n  send: 1\n  active:\n    - id: 1\n      secret: ").append(SECRET).append('\n');
        return this;
    }

    /**
     * The DNS service the gateway tests send to: UDP port 53 on {@code vip}, egress POP 3.
     *
     * @return this; {@link #backend} adds its backends.
     */
    PopYaml dnsService(final String vip)
    {
        entry("services").append("  - id: 100\n    name: dns\n    vip: ").append(vip)
            .append("\n    protocol: udp\n    ports: 53\n    egress: 3\n");
        return this;
    }

    /**
     * A backend of the last service, at the default weight.
     *
     * @return this.
     */
    PopYaml backend(final String address, final int port)
    {
        subEntry("    backends:\n").append("      - address: ").append(address)
            .append("\n        port: ").append(port).append('\n');
        return this;
    }

    /**
     * A backend of the last service.
     *
     * @return this.
     */
    PopYaml backend(final String address, final int port, final int weight)
    {
        backend(address, port).text.append("        weight: ").append(weight).append('\n');
        return this;
    }

    /**
     * @param to the destination POP; {@link #path} adds its paths.
     * @return this.
     */
    PopYaml route(final int to)
    {
        entry("routes").append("  - to: ").append(to).append('\n');
        return this;
    }

    /**
     * @param via    {@code direct} or a YAML list of relay POPs such as {@code [2]}.
     * @param weight the path's weight.
     * @return this.
     */
    PopYaml path(final String via, final int weight)
    {
        subEntry("    paths:\n").append("      - via: ").append(via)
            .append("\n        weight: ").append(weight).append('\n');
        return this;
    }

    /**
     * @param yaml top-level sections as they are, ending in a newline (e.g. a control section).
     * @return this.
     */
    PopYaml raw(final String yaml)
    {
        section().append(yaml);
        return this;
    }

    /**
     * @return this, with the {@code threads} section (backoff idle) and a 1K flow table.
     */
    PopYaml threads(final String mode, final int workers)
    {
        section().append("threads:\n  mode: ").append(mode).append("\n  workers: ").append(workers)
            .append("\n  idle: backoff\nflow-table:\n  capacity: 1K\n");
        return this;
    }

    /**
     * @param port the admin port on 127.0.0.1.
     * @return this.
     */
    PopYaml admin(final int port)
    {
        section().append("admin:\n  listen: 127.0.0.1:").append(port).append('\n');
        return this;
    }

    /**
     * @param dir    where the folders go.
     * @param prefix names them: {@code <prefix>-counters} and {@code <prefix>-journal}.
     * @return this.
     */
    PopYaml folders(final Path dir, final String prefix)
    {
        section().append("counters-dir: ").append(dir.resolve(prefix + "-counters"))
            .append("\njournal-dir: ").append(dir.resolve(prefix + "-journal")).append('\n');
        return this;
    }

    /**
     * @return the YAML text.
     */
    String build()
    {
        return text.toString();
    }

    private StringBuilder section()
    {
        list = "";
        return text;
    }

    private StringBuilder entry(final String listName)
    {
        if (!list.equals(listName))
        {
            text.append(listName).append(":\n");
            list = listName;
        }
        subList = false;
        return text;
    }

    private StringBuilder subEntry(final String heading)
    {
        if (!subList)
        {
            text.append(heading);
            subList = true;
        }
        return text;
    }
}
