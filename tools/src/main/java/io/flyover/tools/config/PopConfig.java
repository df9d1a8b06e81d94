package io.flyover.tools.config;

/**
 * This POP's identity.
 *
 * @param id   POP id, 1..65535, carried in the Flyover Geneve option as ingress POP and hops.
 * @param name a short name for logs, metrics and status.
 */
public record PopConfig(int id, String name)
{
}
