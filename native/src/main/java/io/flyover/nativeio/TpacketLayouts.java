package io.flyover.nativeio;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;

import static io.flyover.nativeio.SocketLayouts.offset;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Layouts of the {@code TPACKET_V3} ring structs from {@code <linux/if_packet.h>}, with
 * {@code *_OFFSET} constants derived from them for the hot path. All fields are native order.
 * <pre>
 * ring:  | block 0 | block 1 | ... | block n-1 |          each block tp_block_size bytes
 * block: | tpacket_block_desc (48) | ... | tpacket3_hdr | pad | sockaddr_ll | pad | frame (at tp_mac) | ... |
 *          hdr.bh1.block_status, num_pkts, offset_to_first_pkt; each packet's tp_next_offset leads on
 * </pre>
 * Stateless; any thread.
 */
public final class TpacketLayouts
{
    /** {@code struct tpacket_req3}: 28 bytes. */
    public static final StructLayout TPACKET_REQ3 = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_block_size"),
        JAVA_INT.withName("tp_block_nr"),
        JAVA_INT.withName("tp_frame_size"),
        JAVA_INT.withName("tp_frame_nr"),
        JAVA_INT.withName("tp_retire_blk_tov"),
        JAVA_INT.withName("tp_sizeof_priv"),
        JAVA_INT.withName("tp_feature_req_word")).withName("tpacket_req3");

    /** {@code struct tpacket_bd_ts}: 8 bytes. */
    public static final StructLayout TPACKET_BD_TS = MemoryLayout.structLayout(
        JAVA_INT.withName("ts_sec"),
        JAVA_INT.withName("ts_nsec")).withName("tpacket_bd_ts");

    /** {@code struct tpacket_hdr_v1}: 40 bytes. */
    public static final StructLayout TPACKET_HDR_V1 = MemoryLayout.structLayout(
        JAVA_INT.withName("block_status"),
        JAVA_INT.withName("num_pkts"),
        JAVA_INT.withName("offset_to_first_pkt"),
        JAVA_INT.withName("blk_len"),
        JAVA_LONG.withName("seq_num"),
        TPACKET_BD_TS.withName("ts_first_pkt"),
        TPACKET_BD_TS.withName("ts_last_pkt")).withName("tpacket_hdr_v1");

    /** {@code struct tpacket_block_desc}: 48 bytes. */
    public static final StructLayout TPACKET_BLOCK_DESC = MemoryLayout.structLayout(
        JAVA_INT.withName("version"),
        JAVA_INT.withName("offset_to_priv"),
        MemoryLayout.unionLayout(TPACKET_HDR_V1.withName("bh1")).withName("hdr")).withName("tpacket_block_desc");

    /** {@code struct tpacket_hdr_variant1}: 12 bytes. */
    public static final StructLayout TPACKET_HDR_VARIANT1 = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_rxhash"),
        JAVA_INT.withName("tp_vlan_tci"),
        JAVA_SHORT.withName("tp_vlan_tpid"),
        JAVA_SHORT.withName("tp_padding")).withName("tpacket_hdr_variant1");

    /** {@code struct tpacket3_hdr}: 48 bytes. */
    public static final StructLayout TPACKET3_HDR = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_next_offset"),
        JAVA_INT.withName("tp_sec"),
        JAVA_INT.withName("tp_nsec"),
        JAVA_INT.withName("tp_snaplen"),
        JAVA_INT.withName("tp_len"),
        JAVA_INT.withName("tp_status"),
        JAVA_SHORT.withName("tp_mac"),
        JAVA_SHORT.withName("tp_net"),
        MemoryLayout.unionLayout(TPACKET_HDR_VARIANT1.withName("hv1")).withName("hv"),
        MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("tp_padding")).withName("tpacket3_hdr");

    /** {@code struct tpacket_stats_v3}: 12 bytes. */
    public static final StructLayout TPACKET_STATS_V3 = MemoryLayout.structLayout(
        JAVA_INT.withName("tp_packets"),
        JAVA_INT.withName("tp_drops"),
        JAVA_INT.withName("tp_freeze_q_cnt")).withName("tpacket_stats_v3");

    /** {@code tp_block_size}. */
    public static final int REQ3_BLOCK_SIZE_OFFSET = offset(TPACKET_REQ3, "tp_block_size");
    /** {@code tp_block_nr}. */
    public static final int REQ3_BLOCK_NR_OFFSET = offset(TPACKET_REQ3, "tp_block_nr");
    /** {@code tp_frame_size}. */
    public static final int REQ3_FRAME_SIZE_OFFSET = offset(TPACKET_REQ3, "tp_frame_size");
    /** {@code tp_frame_nr}. */
    public static final int REQ3_FRAME_NR_OFFSET = offset(TPACKET_REQ3, "tp_frame_nr");
    /** {@code tp_retire_blk_tov}, milliseconds. */
    public static final int REQ3_RETIRE_BLK_TOV_OFFSET = offset(TPACKET_REQ3, "tp_retire_blk_tov");
    /** {@code tp_sizeof_priv}. */
    public static final int REQ3_SIZEOF_PRIV_OFFSET = offset(TPACKET_REQ3, "tp_sizeof_priv");
    /** {@code tp_feature_req_word}. */
    public static final int REQ3_FEATURE_REQ_WORD_OFFSET = offset(TPACKET_REQ3, "tp_feature_req_word");

    /** {@code hdr.bh1.block_status}. */
    public static final int BLOCK_STATUS_OFFSET = offset(TPACKET_BLOCK_DESC, "hdr", "bh1", "block_status");
    /** {@code hdr.bh1.num_pkts}. */
    public static final int BLOCK_NUM_PKTS_OFFSET = offset(TPACKET_BLOCK_DESC, "hdr", "bh1", "num_pkts");
    /** {@code hdr.bh1.offset_to_first_pkt}. */
    public static final int BLOCK_OFFSET_TO_FIRST_PKT_OFFSET =
        offset(TPACKET_BLOCK_DESC, "hdr", "bh1", "offset_to_first_pkt");
    /** {@code hdr.bh1.blk_len}. */
    public static final int BLOCK_LEN_OFFSET = offset(TPACKET_BLOCK_DESC, "hdr", "bh1", "blk_len");
    /** {@code hdr.bh1.seq_num}. */
    public static final int BLOCK_SEQ_NUM_OFFSET = offset(TPACKET_BLOCK_DESC, "hdr", "bh1", "seq_num");

    /** {@code tp_next_offset}: from this header to the next packet's, 0 on the last. */
    public static final int TP_NEXT_OFFSET_OFFSET = offset(TPACKET3_HDR, "tp_next_offset");
    /** {@code tp_snaplen}: captured bytes. */
    public static final int TP_SNAPLEN_OFFSET = offset(TPACKET3_HDR, "tp_snaplen");
    /** {@code tp_len}: bytes on the wire. */
    public static final int TP_LEN_OFFSET = offset(TPACKET3_HDR, "tp_len");
    /** {@code tp_status}. */
    public static final int TP_STATUS_OFFSET = offset(TPACKET3_HDR, "tp_status");
    /** {@code tp_mac}: from this header to the Ethernet frame. */
    public static final int TP_MAC_OFFSET = offset(TPACKET3_HDR, "tp_mac");
    /** {@code tp_net}: from this header to the network header. */
    public static final int TP_NET_OFFSET = offset(TPACKET3_HDR, "tp_net");
    /** {@code hv1.tp_rxhash}. */
    public static final int TP_RXHASH_OFFSET = offset(TPACKET3_HDR, "hv", "hv1", "tp_rxhash");
    /**
     * Where the kernel puts the {@code sockaddr_ll} after a {@code tpacket3_hdr}:
     * {@code TPACKET_ALIGN(sizeof(struct tpacket3_hdr))}.
     */
    public static final int TP_SOCKADDR_LL_OFFSET =
        SocketLayouts.align((int)TPACKET3_HDR.byteSize(), LinuxConstants.TPACKET_ALIGNMENT);

    /** {@code tp_packets}. */
    public static final int STATS_PACKETS_OFFSET = offset(TPACKET_STATS_V3, "tp_packets");
    /** {@code tp_drops}. */
    public static final int STATS_DROPS_OFFSET = offset(TPACKET_STATS_V3, "tp_drops");
    /** {@code tp_freeze_q_cnt}. */
    public static final int STATS_FREEZE_Q_CNT_OFFSET = offset(TPACKET_STATS_V3, "tp_freeze_q_cnt");

    private TpacketLayouts()
    {
    }
}
