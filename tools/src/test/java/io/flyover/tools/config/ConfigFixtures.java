package io.flyover.tools.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A small valid configuration whose line numbers the tests refer to, and helpers to break it.
 */
final class ConfigFixtures
{
    static final Path BASE_DIR = Path.of("/etc/flyover");

    /**
     * Line numbers are part of the tests' expectations: edit with care.
     */
    static final String BASE = """
        pop:
          id: 1
          name: pop-a
        ports:
          edge:
            type: tun
            device: fly-edge
          backbone:
            type: udp
            bind: 127.0.0.1
            ports: 6081-6084
          origin:
            type: tun
            device: fly-origin
        peers:
          - id: 2
            name: pop-b
            address: 127.0.0.2
          - id: 3
            name: pop-c
            address: 127.0.0.3
        keys:
          send: 1
          active:
            - id: 1
              secret: 000102030405060708090a0b0c0d0e0f
        services:
          - id: 100
            name: web
            vip: 127.0.100.10
            protocol: tcp
            ports: 80
            egress: 1
            backends:
              - address: 127.0.30.2
                port: 8080
                weight: 1
          - id: 101
            name: dns
            vip: 127.0.100.10
            protocol: udp
            ports: 53
            egress: 3
        routes:
          - to: 3
            paths:
              - via: direct
                weight: 1
              - via: [2]
                weight: 0
        """;

    private ConfigFixtures()
    {
    }

    /**
     * The base with line {@code n} (1-based) replaced.
     */
    static String withLine(final int n, final String text)
    {
        final List<String> lines = lines();
        lines.set(n - 1, text);
        return String.join("\n", lines) + "\n";
    }

    /**
     * The base with lines {@code from..to} (1-based, inclusive) removed.
     */
    static String withoutLines(final int from, final int to)
    {
        final List<String> lines = lines();
        lines.subList(from - 1, to).clear();
        return String.join("\n", lines) + "\n";
    }

    /**
     * The base with text added after line {@code n}.
     */
    static String withAfter(final int n, final String text)
    {
        final List<String> lines = lines();
        lines.add(n, text);
        return String.join("\n", lines) + "\n";
    }

    static String plus(final String text)
    {
        return BASE + text;
    }

    static ConfigLoader.Result load(final String yaml)
    {
        return ConfigLoader.parse("pop.yaml", yaml, BASE_DIR);
    }

    static List<String> errors(final String yaml)
    {
        return load(yaml).errors().stream().map(ConfigError::toString).toList();
    }

    static GatewayConfig config(final String yaml)
    {
        return load(yaml).config();
    }

    private static List<String> lines()
    {
        return new ArrayList<>(Arrays.asList(BASE.split("\n", -1)).subList(0, BASE.split("\n").length));
    }
}
