/**
 * Linux packet I/O through the Java 25 FFM API ({@code java.lang.foreign}), with no C compiled at
 * build time: TUN devices, {@code AF_PACKET} with a {@code TPACKET_V3} receive ring, batched UDP
 * sockets, and a portable NIO fallback for the backbone.
 *
 * <h2>What the engine's port agents use</h2>
 * <ul>
 *   <li>{@link io.flyover.nativeio.FrameReceiver}: {@code int poll(FrameHandler, int limit)} delivers
 *   up to {@code limit} frames to a field-bound {@link io.flyover.nativeio.FrameHandler}
 *   {@code onFrame(buffer, offset, length)}; the bytes are the port's own off-heap memory, valid
 *   during the call, writable in place.</li>
 *   <li>{@link io.flyover.nativeio.FrameSender}: {@code offer(buffer, offset, length)} copies a
 *   frame into the port's slots (or writes it at once), {@code flush()} sends the batch with one
 *   system call.</li>
 *   <li>{@link io.flyover.nativeio.DatagramPort}: both, plus per-datagram addresses
 *   ({@link io.flyover.nativeio.DatagramHandler}, {@code offer(..., address, port)}).</li>
 * </ul>
 * Return codes, never exceptions, on the per-batch path: a count (0 when the kernel queue is
 * empty or full: {@code EAGAIN} is not an error), or {@code RECEIVE_ERROR}/{@code SEND_ERROR} with
 * the errno kept by the port, {@code BACK_PRESSURED}, {@code FRAME_TOO_LARGE}. Setup failures throw
 * {@link io.flyover.nativeio.NativeIoException}, whose message names the call, the interface or
 * address, and the errno: {@code "ioctl(TUNSETIFF) on tun0 failed: EPERM (1) Operation not permitted"}.
 *
 * <h2>Implementations</h2>
 * <table>
 *   <caption>ports</caption>
 *   <tr><th>class</th><th>frames</th><th>receive</th><th>send</th></tr>
 *   <tr><td>{@link io.flyover.nativeio.TunQueue} (of a {@link io.flyover.nativeio.TunDevice})</td>
 *       <td>IP packets</td><td>{@code read} loop</td><td>{@code write} per packet</td></tr>
 *   <tr><td>{@link io.flyover.nativeio.AfPacketPort}</td><td>Ethernet frames</td>
 *       <td>{@code TPACKET_V3} ring, in place</td><td>{@code sendmmsg}</td></tr>
 *   <tr><td>{@link io.flyover.nativeio.UdpBatchSocket}</td><td>UDP payloads</td>
 *       <td>{@code recvmmsg}</td><td>{@code sendmmsg}</td></tr>
 *   <tr><td>{@link io.flyover.nativeio.NioDatagramPort}</td><td>UDP payloads</td>
 *       <td>{@code DatagramChannel.receive}</td><td>{@code DatagramChannel.send}</td></tr>
 * </table>
 * {@link io.flyover.nativeio.UdpSocketPool} binds {@code N} of either UDP kind to consecutive
 * ports for source-port entropy. {@link io.flyover.nativeio.ReadinessPoller} waits on fds for an
 * idle strategy that sleeps in the kernel.
 *
 * <h2>Bindings</h2>
 * {@link io.flyover.nativeio.Libc} holds the downcall handles (errno captured per call into a
 * segment each owner keeps); {@link io.flyover.nativeio.LinuxConstants} the constants, named after
 * their headers; {@link io.flyover.nativeio.SocketLayouts} and
 * {@link io.flyover.nativeio.TpacketLayouts} the structs as named {@code MemoryLayout}s with derived
 * offsets. x86_64 and other LP64 Linux.
 *
 * <h2>Threads and namespaces</h2>
 * Each side (receive, send) of a port is owned by one thread. Sockets and TUN fds belong to the
 * network namespace of the thread that opened them.
 */
package io.flyover.nativeio;
