package io.flyover.nativeio;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StructLayoutTest
{
    @Test
    void shouldMatchLinuxX8664SocketStructSizes()
    {
        assertEquals(16, SocketLayouts.SOCKADDR_IN.byteSize());
        assertEquals(20, SocketLayouts.SOCKADDR_LL.byteSize());
        assertEquals(16, SocketLayouts.IOVEC.byteSize());
        assertEquals(56, SocketLayouts.MSGHDR.byteSize());
        assertEquals(64, SocketLayouts.MMSGHDR.byteSize());
        assertEquals(16, SocketLayouts.CMSGHDR.byteSize());
        assertEquals(12, SocketLayouts.IN_PKTINFO.byteSize());
        assertEquals(40, SocketLayouts.IFREQ.byteSize());
        assertEquals(8, SocketLayouts.POLLFD.byteSize());
    }

    @Test
    void shouldPlaceMsghdrFieldsAtLinuxX8664Offsets()
    {
        assertEquals(0, SocketLayouts.MSG_NAME_OFFSET);
        assertEquals(8, SocketLayouts.MSG_NAMELEN_OFFSET);
        assertEquals(16, SocketLayouts.MSG_IOV_OFFSET);
        assertEquals(24, SocketLayouts.MSG_IOVLEN_OFFSET);
        assertEquals(32, SocketLayouts.MSG_CONTROL_OFFSET);
        assertEquals(40, SocketLayouts.MSG_CONTROLLEN_OFFSET);
        assertEquals(48, SocketLayouts.MSG_FLAGS_OFFSET);
        assertEquals(56, SocketLayouts.MSG_LEN_OFFSET);
        assertEquals(32, SocketLayouts.CMSG_SPACE_IN_PKTINFO);
        assertEquals(2, SocketLayouts.SIN_PORT_BE_OFFSET);
        assertEquals(4, SocketLayouts.SIN_ADDR_BE_OFFSET);
        assertEquals(4, SocketLayouts.SLL_IFINDEX_OFFSET);
        assertEquals(10, SocketLayouts.SLL_PKTTYPE_OFFSET);
        assertEquals(16, SocketLayouts.IFR_FLAGS_OFFSET);
    }

    @Test
    void shouldMatchTpacketV3StructSizesAndOffsets()
    {
        assertEquals(28, TpacketLayouts.TPACKET_REQ3.byteSize());
        assertEquals(40, TpacketLayouts.TPACKET_HDR_V1.byteSize());
        assertEquals(48, TpacketLayouts.TPACKET_BLOCK_DESC.byteSize());
        assertEquals(48, TpacketLayouts.TPACKET3_HDR.byteSize());
        assertEquals(12, TpacketLayouts.TPACKET_STATS_V3.byteSize());

        assertEquals(16, TpacketLayouts.REQ3_RETIRE_BLK_TOV_OFFSET);
        assertEquals(24, TpacketLayouts.REQ3_FEATURE_REQ_WORD_OFFSET);
        assertEquals(8, TpacketLayouts.BLOCK_STATUS_OFFSET);
        assertEquals(12, TpacketLayouts.BLOCK_NUM_PKTS_OFFSET);
        assertEquals(16, TpacketLayouts.BLOCK_OFFSET_TO_FIRST_PKT_OFFSET);
        assertEquals(24, TpacketLayouts.BLOCK_SEQ_NUM_OFFSET);
        assertEquals(0, TpacketLayouts.TP_NEXT_OFFSET_OFFSET);
        assertEquals(12, TpacketLayouts.TP_SNAPLEN_OFFSET);
        assertEquals(16, TpacketLayouts.TP_LEN_OFFSET);
        assertEquals(20, TpacketLayouts.TP_STATUS_OFFSET);
        assertEquals(24, TpacketLayouts.TP_MAC_OFFSET);
        assertEquals(26, TpacketLayouts.TP_NET_OFFSET);
        assertEquals(28, TpacketLayouts.TP_RXHASH_OFFSET);
        assertEquals(48, TpacketLayouts.TP_SOCKADDR_LL_OFFSET);
    }
}
