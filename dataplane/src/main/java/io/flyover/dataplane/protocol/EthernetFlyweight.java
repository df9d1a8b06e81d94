package io.flyover.dataplane.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * Ethernet II header (IEEE 802.3), network byte order. Up to two VLAN tags ({@link VlanTagFlyweight})
 * may sit between the source address and the EtherType: an 802.1Q tag, or an 802.1ad service tag
 * followed by an 802.1Q customer tag (QinQ).
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +---------------------------------------------------------------+
 * |                  Destination MAC address                      |
 * +                               +-------------------------------+
 * |                               |                               |
 * +-------------------------------+                               +
 * |                    Source MAC address                         |
 * +-------------------------------+-------------------------------+
 * |  EtherType (or tag TPID)      |  (tags, then EtherType)  ...
 * +-------------------------------+
 * </pre>
 * MAC addresses are handled as the low 48 bits of a {@code long}, first byte most significant.
 * <p>
 * Stateless, static accessors over (buffer, offset): any thread.
 */
public final class EthernetFlyweight
{
    /**
     * Offset of the destination MAC address.
     */
    public static final int DST_MAC_OFFSET = 0;

    /**
     * Offset of the source MAC address.
     */
    public static final int SRC_MAC_OFFSET = 6;

    /**
     * Offset of the EtherType, or of the first tag's TPID in a tagged frame.
     */
    public static final int ETHER_TYPE_OFFSET = 12;

    /**
     * Length of an untagged header.
     */
    public static final int HEADER_LENGTH = 14;

    /**
     * Most VLAN tags a frame may carry (802.1ad service tag + 802.1Q customer tag).
     */
    public static final int MAX_VLAN_TAGS = 2;

    /**
     * Length of a header with {@link #MAX_VLAN_TAGS} tags.
     */
    public static final int MAX_HEADER_LENGTH = HEADER_LENGTH + MAX_VLAN_TAGS * VlanTagFlyweight.TAG_LENGTH;

    /**
     * EtherType of IPv4.
     */
    public static final int ETHER_TYPE_IPV4 = 0x0800;

    /**
     * EtherType of ARP.
     */
    public static final int ETHER_TYPE_ARP = 0x0806;

    /**
     * EtherType of IPv6.
     */
    public static final int ETHER_TYPE_IPV6 = 0x86DD;

    /**
     * TPID of an 802.1Q (customer) VLAN tag.
     */
    public static final int TPID_8021Q = 0x8100;

    /**
     * TPID of an 802.1ad (service, QinQ outer) VLAN tag.
     */
    public static final int TPID_8021AD = 0x88A8;

    /**
     * Pre-standard QinQ TPID still sent by some switches.
     */
    public static final int TPID_QINQ_LEGACY = 0x9100;

    /**
     * Smallest value that is an EtherType; smaller values are 802.3 lengths.
     */
    public static final int MIN_ETHER_TYPE = 0x0600;

    private EthernetFlyweight()
    {
    }

    /**
     * @param value an EtherType field.
     * @return true if the value is a VLAN tag protocol identifier Flyover accepts.
     */
    public static boolean isVlanTpid(final int value)
    {
        return TPID_8021Q == value || TPID_8021AD == value || TPID_QINQ_LEGACY == value;
    }

    /**
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @return destination MAC in the low 48 bits.
     */
    public static long dstMac(final DirectBuffer buffer, final int offset)
    {
        return mac(buffer, offset + DST_MAC_OFFSET);
    }

    /**
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @return source MAC in the low 48 bits.
     */
    public static long srcMac(final DirectBuffer buffer, final int offset)
    {
        return mac(buffer, offset + SRC_MAC_OFFSET);
    }

    /**
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @return the EtherType field at offset 12: the EtherType, or the first tag's TPID.
     */
    public static int etherType(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + ETHER_TYPE_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param mac    destination MAC in the low 48 bits.
     */
    public static void dstMac(final MutableDirectBuffer buffer, final int offset, final long mac)
    {
        putMac(buffer, offset + DST_MAC_OFFSET, mac);
    }

    /**
     * @param buffer holding the frame.
     * @param offset of the frame.
     * @param mac    source MAC in the low 48 bits.
     */
    public static void srcMac(final MutableDirectBuffer buffer, final int offset, final long mac)
    {
        putMac(buffer, offset + SRC_MAC_OFFSET, mac);
    }

    /**
     * @param buffer    holding the frame.
     * @param offset    of the frame.
     * @param etherType value for the field at offset 12.
     */
    public static void etherType(final MutableDirectBuffer buffer, final int offset, final int etherType)
    {
        buffer.putShort(offset + ETHER_TYPE_OFFSET, (short)etherType, BIG_ENDIAN);
    }

    /**
     * Read a MAC address.
     *
     * @param buffer holding the address.
     * @param index  of its first byte.
     * @return the address in the low 48 bits.
     */
    public static long mac(final DirectBuffer buffer, final int index)
    {
        return ((buffer.getShort(index, BIG_ENDIAN) & 0xFFFFL) << 32) |
            (buffer.getInt(index + 2, BIG_ENDIAN) & 0xFFFF_FFFFL);
    }

    /**
     * Write a MAC address.
     *
     * @param buffer to write to.
     * @param index  of the first byte.
     * @param mac    the address in the low 48 bits.
     */
    public static void putMac(final MutableDirectBuffer buffer, final int index, final long mac)
    {
        buffer.putShort(index, (short)(mac >>> 32), BIG_ENDIAN);
        buffer.putInt(index + 2, (int)mac, BIG_ENDIAN);
    }

    /**
     * Write an untagged header.
     *
     * @param buffer    to write to.
     * @param offset    of the frame.
     * @param dstMac    destination MAC in the low 48 bits.
     * @param srcMac    source MAC in the low 48 bits.
     * @param etherType of the payload.
     * @return header length, {@link #HEADER_LENGTH}.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer, final int offset, final long dstMac, final long srcMac, final int etherType)
    {
        putMac(buffer, offset + DST_MAC_OFFSET, dstMac);
        putMac(buffer, offset + SRC_MAC_OFFSET, srcMac);
        etherType(buffer, offset, etherType);
        return HEADER_LENGTH;
    }

    /**
     * Write a header with one VLAN tag.
     *
     * @param buffer    to write to.
     * @param offset    of the frame.
     * @param dstMac    destination MAC in the low 48 bits.
     * @param srcMac    source MAC in the low 48 bits.
     * @param tpid      tag protocol identifier, usually {@link #TPID_8021Q}.
     * @param tci       tag control information (PCP, DEI, VLAN id), see {@link VlanTagFlyweight#tci(int, boolean, int)}.
     * @param etherType of the payload.
     * @return header length, 18.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final long dstMac,
        final long srcMac,
        final int tpid,
        final int tci,
        final int etherType)
    {
        putMac(buffer, offset + DST_MAC_OFFSET, dstMac);
        putMac(buffer, offset + SRC_MAC_OFFSET, srcMac);
        int index = offset + ETHER_TYPE_OFFSET;
        index += VlanTagFlyweight.writeTag(buffer, index, tpid, tci);
        buffer.putShort(index, (short)etherType, BIG_ENDIAN);
        return index + 2 - offset;
    }

    /**
     * Write a header with two VLAN tags (QinQ).
     *
     * @param buffer    to write to.
     * @param offset    of the frame.
     * @param dstMac    destination MAC in the low 48 bits.
     * @param srcMac    source MAC in the low 48 bits.
     * @param outerTpid outer tag protocol identifier, usually {@link #TPID_8021AD}.
     * @param outerTci  outer tag control information.
     * @param innerTpid inner tag protocol identifier, usually {@link #TPID_8021Q}.
     * @param innerTci  inner tag control information.
     * @param etherType of the payload.
     * @return header length, 22.
     */
    public static int writeHeader(
        final MutableDirectBuffer buffer,
        final int offset,
        final long dstMac,
        final long srcMac,
        final int outerTpid,
        final int outerTci,
        final int innerTpid,
        final int innerTci,
        final int etherType)
    {
        putMac(buffer, offset + DST_MAC_OFFSET, dstMac);
        putMac(buffer, offset + SRC_MAC_OFFSET, srcMac);
        int index = offset + ETHER_TYPE_OFFSET;
        index += VlanTagFlyweight.writeTag(buffer, index, outerTpid, outerTci);
        index += VlanTagFlyweight.writeTag(buffer, index, innerTpid, innerTci);
        buffer.putShort(index, (short)etherType, BIG_ENDIAN);
        return index + 2 - offset;
    }
}
