package io.flyover.dataplane.protocol;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static io.flyover.dataplane.protocol.Hex.buffer;
import static io.flyover.dataplane.protocol.Hex.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EthernetFlyweightTest
{
    @Test
    void shouldReadUntaggedHeader()
    {
        final UnsafeBuffer frame = buffer(GoldenPackets.ETH_IPV4_UDP);

        assertEquals(0x0200_0000_0001L, EthernetFlyweight.dstMac(frame, 0));
        assertEquals(0x0200_0000_0002L, EthernetFlyweight.srcMac(frame, 0));
        assertEquals(EthernetFlyweight.ETHER_TYPE_IPV4, EthernetFlyweight.etherType(frame, 0));
    }

    @Test
    void shouldReadDot1qTag()
    {
        final UnsafeBuffer frame = buffer(GoldenPackets.ETH_DOT1Q_IPV4_UDP);
        final int tag = EthernetFlyweight.ETHER_TYPE_OFFSET;

        assertEquals(EthernetFlyweight.TPID_8021Q, VlanTagFlyweight.tpid(frame, tag));
        assertEquals(0xA064, VlanTagFlyweight.tci(frame, tag));
        assertEquals(5, VlanTagFlyweight.priority(frame, tag));
        assertFalse(VlanTagFlyweight.dropEligible(frame, tag));
        assertEquals(100, VlanTagFlyweight.vlanId(frame, tag));
        assertEquals(EthernetFlyweight.ETHER_TYPE_IPV4, frame.getShort(16, java.nio.ByteOrder.BIG_ENDIAN));
    }

    @Test
    void shouldReadQinQTags()
    {
        final UnsafeBuffer frame = buffer(GoldenPackets.ETH_QINQ_IPV6_UDP);
        final int outer = EthernetFlyweight.ETHER_TYPE_OFFSET;
        final int inner = outer + VlanTagFlyweight.TAG_LENGTH;

        assertEquals(EthernetFlyweight.TPID_8021AD, VlanTagFlyweight.tpid(frame, outer));
        assertEquals(3, VlanTagFlyweight.priority(frame, outer));
        assertTrue(VlanTagFlyweight.dropEligible(frame, outer));
        assertEquals(200, VlanTagFlyweight.vlanId(frame, outer));
        assertEquals(EthernetFlyweight.TPID_8021Q, VlanTagFlyweight.tpid(frame, inner));
        assertEquals(300, VlanTagFlyweight.vlanId(frame, inner));
        assertEquals(0, VlanTagFlyweight.priority(frame, inner));
        assertEquals(EthernetFlyweight.ETHER_TYPE_IPV6, frame.getShort(20, java.nio.ByteOrder.BIG_ENDIAN) & 0xFFFF);
    }

    @Test
    void shouldWriteGoldenHeaders()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[32]);

        assertEquals(14, EthernetFlyweight.writeHeader(out, 0, 0x0200_0000_0001L, 0x0200_0000_0002L, 0x0800));
        assertEquals(GoldenPackets.ETH_IPV4_UDP.substring(0, 28), hex(out.byteArray(), 0, 14));

        assertEquals(18, EthernetFlyweight.writeHeader(out, 0, 0x0200_0000_0001L, 0x0200_0000_0002L,
            EthernetFlyweight.TPID_8021Q, VlanTagFlyweight.tci(5, false, 100), 0x0800));
        assertEquals(GoldenPackets.ETH_DOT1Q_IPV4_UDP.substring(0, 36), hex(out.byteArray(), 0, 18));

        assertEquals(22, EthernetFlyweight.writeHeader(out, 0, 0x0200_0000_0001L, 0x0200_0000_0002L,
            EthernetFlyweight.TPID_8021AD, VlanTagFlyweight.tci(3, true, 200),
            EthernetFlyweight.TPID_8021Q, VlanTagFlyweight.tci(0, false, 300), 0x86DD));
        assertEquals(GoldenPackets.ETH_QINQ_IPV6_UDP.substring(0, 44), hex(out.byteArray(), 0, 22));
    }

    @Test
    void shouldRoundTripMacAddresses()
    {
        final UnsafeBuffer out = new UnsafeBuffer(new byte[14]);
        EthernetFlyweight.dstMac(out, 0, 0xFFEE_DDCC_BBAAL);
        EthernetFlyweight.srcMac(out, 0, 0x0011_2233_4455L);

        assertEquals("ffeeddccbbaa001122334455", hex(out.byteArray(), 0, 12));
        assertEquals(0xFFEE_DDCC_BBAAL, EthernetFlyweight.dstMac(out, 0));
        assertEquals(0x0011_2233_4455L, EthernetFlyweight.srcMac(out, 0));
    }

    @Test
    void shouldRecogniseVlanTpids()
    {
        assertTrue(EthernetFlyweight.isVlanTpid(0x8100));
        assertTrue(EthernetFlyweight.isVlanTpid(0x88A8));
        assertTrue(EthernetFlyweight.isVlanTpid(0x9100));
        assertFalse(EthernetFlyweight.isVlanTpid(0x0800));
        assertFalse(EthernetFlyweight.isVlanTpid(0x86DD));
    }
}
