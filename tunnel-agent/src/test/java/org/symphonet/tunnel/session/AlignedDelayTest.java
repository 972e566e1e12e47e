package org.symphonet.tunnel.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AlignedDelayTest {

    @Test
    void tunnelsOpenedAtDifferentTimesTickTogether() {
        long period = 2_000;
        long a = 10_300;
        long b = 11_950;
        assertEquals(1_700, TunnelSession.alignedDelay(a, period));
        assertEquals(50, TunnelSession.alignedDelay(b, period));
        assertEquals(a + TunnelSession.alignedDelay(a, period), b + TunnelSession.alignedDelay(b, period),
                "both first fall due at 12,000 ms, then every period together");
    }

    @Test
    void onAMultipleTheFirstRunIsAWholePeriodAway() {
        assertEquals(2_000, TunnelSession.alignedDelay(8_000, 2_000));
        assertEquals(1_500, TunnelSession.alignedDelay(-1_500, 2_000), "nanoTime may be negative");
    }
}
