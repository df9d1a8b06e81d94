/**
 * Linux packet I/O through the Java 25 FFM API: TUN, AF_PACKET rings, batched UDP sockets.
 */
package io.flyover.nativeio;
