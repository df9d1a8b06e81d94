/**
 * Fixed, documented hashing: {@link io.flyover.dataplane.hash.XxHash64} (XXH64 written from its
 * specification) wherever a value must be identical in every process and on every host.
 */
package io.flyover.dataplane.hash;
