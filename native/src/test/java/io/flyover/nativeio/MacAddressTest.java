package io.flyover.nativeio;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MacAddressTest
{
    @Test
    void shouldParseFormatReadAndWriteTheSameAddress()
    {
        final long mac = MacAddress.parse("02:00:5E:10:0a:FF");
        assertEquals(0x02005E100AFFL, mac);
        assertEquals("02:00:5e:10:0a:ff", MacAddress.format(mac));
        assertEquals(mac, MacAddress.parse("02-00-5e-10-0a-ff"));
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[8]);
        MacAddress.write(buffer, 1, mac);
        assertEquals(0x02, buffer.getByte(1));
        assertEquals((byte)0xFF, buffer.getByte(6));
        assertEquals(mac, MacAddress.read(buffer, 1));
    }

    @Test
    void shouldRejectTextThatIsNotSixHexOctets()
    {
        for (final String bad : new String[] {"", "02:00:5e:10:0a", "02:00:5e:10:0a:ff:01", "02:00:5e:10:0a:fg",
            "02:00:5e:10:0a:100", "02::5e:10:0a:ff", "+2:00:5e:10:0a:ff"})
        {
            assertThrows(IllegalArgumentException.class, () -> MacAddress.parse(bad), bad);
        }
    }

    @Test
    void shouldTellUnicastFromGroupAndZero()
    {
        assertTrue(MacAddress.isUnicast(MacAddress.parse("02:00:5e:10:00:01")));
        assertFalse(MacAddress.isUnicast(MacAddress.parse("ff:ff:ff:ff:ff:ff")));
        assertFalse(MacAddress.isUnicast(MacAddress.parse("01:00:5e:00:00:01")));
        assertFalse(MacAddress.isUnicast(0));
        assertFalse(MacAddress.isUnicast(MacAddress.NONE));
        assertTrue(MacAddress.isGroup(MacAddress.parse("33:33:00:00:00:01")));
    }
}
