package io.flyover.tools.config;

import java.util.List;

import org.junit.jupiter.api.Test;

import static io.flyover.tools.config.ConfigFixtures.BASE;
import static io.flyover.tools.config.ConfigFixtures.config;
import static io.flyover.tools.config.ConfigFixtures.errors;
import static io.flyover.tools.config.ConfigFixtures.plus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FlowHashKeyTest
{
    @Test
    void shouldDefaultToTheBuiltInKey()
    {
        assertEquals(GatewayConfig.DEFAULT_FLOW_HASH_KEY, config(BASE).flowHashKey());
    }

    @Test
    void shouldReadSixteenHexDigitsAsOneNumber()
    {
        assertEquals(0x0123_4567_89AB_CDEFL, config(plus("flow-hash-key: 0123456789abcdef")).flowHashKey());
        assertEquals(0xFEDC_BA98_7654_3210L, config(plus("flow-hash-key: FEDCBA9876543210")).flowHashKey());
    }

    @Test
    void shouldRejectAKeyThatIsNotSixteenHexDigitsWithItsLine()
    {
        final int line = BASE.split("\n", -1).length;
        assertEquals(List.of("pop.yaml:" + line + ": flow-hash-key: must be a 64-bit key written as exactly 16 hex digits, got '0123'"),
            errors(plus("flow-hash-key: 0123")));
    }

    @Test
    void shouldNeedARestartToChangeTheKeyAndNeverShowIt()
    {
        final ConfigDiff diff = ConfigDiff.between(config(BASE), config(plus("flow-hash-key: 0123456789abcdef")));
        assertTrue(diff.needsRestart());
        assertEquals(List.of("flow-hash-key: changed needs a restart"),
            diff.restartRequired().stream().map(ConfigChange::toString).toList());
        assertFalse(diff.rejection().contains("0123456789abcdef"));
        assertTrue(ConfigDiff.between(config(BASE), config(BASE)).isEmpty());
    }
}
