package io.flyover.dataplane.protocol;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

import static java.nio.ByteOrder.BIG_ENDIAN;

/**
 * One IEEE 802.1Q / 802.1ad VLAN tag, inserted in an Ethernet header where the EtherType was
 * (offset 12 for the first tag, 16 for the second). The EtherType of the payload follows the last tag.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-------------------------------+-----+-+-----------------------+
 * |  TPID (0x8100, 0x88A8)        | PCP |D|        VLAN id        |
 * +-------------------------------+-----+-+-----------------------+
 * </pre>
 * Network byte order. Stateless, static accessors over (buffer, offset of the TPID): any thread.
 */
public final class VlanTagFlyweight
{
    /**
     * Offset of the tag protocol identifier.
     */
    public static final int TPID_OFFSET = 0;

    /**
     * Offset of the tag control information (PCP, DEI, VLAN id).
     */
    public static final int TCI_OFFSET = 2;

    /**
     * Length of one tag.
     */
    public static final int TAG_LENGTH = 4;

    /**
     * Mask of the VLAN id in the TCI.
     */
    public static final int VLAN_ID_MASK = 0x0FFF;

    /**
     * Drop eligible indicator bit in the TCI.
     */
    public static final int DEI_BIT = 0x1000;

    private VlanTagFlyweight()
    {
    }

    /**
     * @param buffer holding the tag.
     * @param offset of the tag.
     * @return the tag protocol identifier.
     */
    public static int tpid(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + TPID_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the tag.
     * @param offset of the tag.
     * @return the 16-bit tag control information.
     */
    public static int tci(final DirectBuffer buffer, final int offset)
    {
        return buffer.getShort(offset + TCI_OFFSET, BIG_ENDIAN) & 0xFFFF;
    }

    /**
     * @param buffer holding the tag.
     * @param offset of the tag.
     * @return the 12-bit VLAN id.
     */
    public static int vlanId(final DirectBuffer buffer, final int offset)
    {
        return tci(buffer, offset) & VLAN_ID_MASK;
    }

    /**
     * @param buffer holding the tag.
     * @param offset of the tag.
     * @return the 3-bit priority code point.
     */
    public static int priority(final DirectBuffer buffer, final int offset)
    {
        return tci(buffer, offset) >>> 13;
    }

    /**
     * @param buffer holding the tag.
     * @param offset of the tag.
     * @return the drop eligible indicator.
     */
    public static boolean dropEligible(final DirectBuffer buffer, final int offset)
    {
        return 0 != (tci(buffer, offset) & DEI_BIT);
    }

    /**
     * Compose a TCI.
     *
     * @param priority     3-bit priority code point.
     * @param dropEligible drop eligible indicator.
     * @param vlanId       12-bit VLAN id.
     * @return the tag control information.
     */
    public static int tci(final int priority, final boolean dropEligible, final int vlanId)
    {
        return ((priority & 0x7) << 13) | (dropEligible ? DEI_BIT : 0) | (vlanId & VLAN_ID_MASK);
    }

    /**
     * Write a tag.
     *
     * @param buffer to write to.
     * @param offset of the tag.
     * @param tpid   tag protocol identifier.
     * @param tci    tag control information.
     * @return {@link #TAG_LENGTH}.
     */
    public static int writeTag(final MutableDirectBuffer buffer, final int offset, final int tpid, final int tci)
    {
        buffer.putShort(offset + TPID_OFFSET, (short)tpid, BIG_ENDIAN);
        buffer.putShort(offset + TCI_OFFSET, (short)tci, BIG_ENDIAN);
        return TAG_LENGTH;
    }
}
