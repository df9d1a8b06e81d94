package io.flyover.nativeio;

/**
 * Settings of an {@link AfPacketPort}.
 *
 * @param interfaceName   the interface to bind to.
 * @param blockSize       {@code tp_block_size}: bytes per ring block, a multiple of the page size.
 * @param blockCount      {@code tp_block_nr}: blocks in the receive ring.
 * @param frameSize       {@code tp_frame_size}: nominal frame slot size; with {@code TPACKET_V3}
 *                        frames are packed at their real size, this only bounds {@code tp_frame_nr}.
 * @param retireTimeoutMs {@code tp_retire_blk_tov}: a block that is not full is handed to user space
 *                        after this long; the receive latency at low rates (0 lets the kernel choose).
 * @param sendBatchSize   frames per {@code sendmmsg}.
 * @param sendSlotSize    largest frame sent, Ethernet header included.
 * @param qdiscBypass     set {@code PACKET_QDISC_BYPASS}: send straight to the driver (no traffic
 *                        control, no packet taps of outgoing traffic).
 */
public record AfPacketConfig(
    String interfaceName,
    int blockSize,
    int blockCount,
    int frameSize,
    int retireTimeoutMs,
    int sendBatchSize,
    int sendSlotSize,
    boolean qdiscBypass)
{
    /**
     * Validate.
     */
    public AfPacketConfig
    {
        if (blockSize <= 0 || 0 != (blockSize & 4095))
        {
            throw new IllegalArgumentException("blockSize must be a positive multiple of 4096: " + blockSize);
        }
        if (blockCount <= 0 || (long)blockSize * blockCount > Integer.MAX_VALUE)
        {
            throw new IllegalArgumentException("ring must be 1 block to 2 GiB: " + blockCount + " x " + blockSize);
        }
        if (frameSize < 64 || frameSize > blockSize || 0 != frameSize % LinuxConstants.TPACKET_ALIGNMENT)
        {
            throw new IllegalArgumentException("frameSize must be 64 to blockSize and a multiple of 16: " + frameSize);
        }
    }

    /**
     * Defaults for a 1500-byte MTU interface: 64 blocks of 256 KiB (16 MiB), 2048-byte frames,
     * 1 ms retire timeout, 64 frames per send batch of up to 2048 bytes, through the qdisc.
     *
     * @param interfaceName the interface to bind to.
     * @return the settings.
     */
    public static AfPacketConfig defaults(final String interfaceName)
    {
        return new AfPacketConfig(interfaceName, 1 << 18, 64, 2048, 1, 64, 2048, false);
    }
}
