/**
 * The gateway's YAML configuration: immutable records ({@link io.flyover.tools.config.GatewayConfig}
 * at the root), the loader that parses and validates a file into them
 * ({@link io.flyover.tools.config.ConfigLoader}, every problem reported as a
 * {@link io.flyover.tools.config.ConfigError} naming file, line and field path), and the reload
 * classification ({@link io.flyover.tools.config.ConfigDiff}). Control plane only: nothing here runs
 * on the packet path. See {@code docs/configuration.md}.
 */
package io.flyover.tools.config;
