/**
 * Capture files in pure Java: a reader for pcap (microsecond and nanosecond, either byte order)
 * and pcapng (any number of sections and interfaces, Enhanced, Simple and obsolete Packet
 * Blocks, {@code if_tsresol} and {@code if_tsoffset}), and a writer for both. The reader checks
 * every length against the file before reading, so a broken file is one
 * {@link io.flyover.tools.pcap.CaptureFormatException} with a one-line message, never an
 * out-of-bounds read. Used by {@code flyover replay} on its single thread.
 */
package io.flyover.tools.pcap;
