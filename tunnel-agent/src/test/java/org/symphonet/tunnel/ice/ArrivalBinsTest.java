package org.symphonet.tunnel.ice;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ArrivalBinsTest {
    private static final long BIN = 250_000_000L;

    @Test
    void rateAndLossPerBin() {
        ArrivalBins bins = new ArrivalBins(BIN, 8, 1000);
        // Bin 0: 100 of 100 datagrams; bin 1: 150 of 200 (every fourth lost... here a gap); bin 2: partial.
        long seq = 0;
        for (int i = 0; i < 100; i++) {
            bins.add(i * 1_000_000L, seq++);
        }
        for (int i = 0; i < 200; i++) {
            long s = seq++;
            if (i % 4 != 0) {
                bins.add(BIN + i * 1_000_000L, s);
            }
        }
        bins.add(2 * BIN + 1, seq);
        assertEquals(3, bins.used());
        assertEquals(100 * 1000 * 8 / 0.25 / 1e6, bins.mbit(0), 1e-9);
        assertEquals(0, bins.loss(0), 1e-9);
        assertEquals(150 * 1000 * 8 / 0.25 / 1e6, bins.mbit(1), 1e-9);
        // Span 2..199 of bin 1's numbers (the first, 100, was lost): 150 of 199.
        assertEquals(1 - 150.0 / 199, bins.loss(1), 1e-9);
        // Lossless best is bin 0; any-loss best is bin 1; the partial last bin never counts.
        assertEquals(bins.mbit(0), bins.best(0.01), 1e-9);
        assertEquals(bins.mbit(1), bins.best(1.0), 1e-9);
    }

    @Test
    void arrivalsOutsideTheBinsAreIgnored() {
        ArrivalBins bins = new ArrivalBins(BIN, 2, 1000);
        bins.add(-1, 0);
        bins.add(5 * BIN, 1);
        assertEquals(0, bins.used());
        assertEquals(0, bins.best(1.0), 1e-9);
    }

    @Test
    void sequenceNumbersRoundTrip() {
        byte[] b = new byte[12];
        RelayCeiling.putLong(b, 4, 0x0102030405060708L);
        assertEquals(0x0102030405060708L, RelayCeiling.readLong(b, 4));
        RelayCeiling.putLong(b, 0, -2L);
        assertEquals(-2L, RelayCeiling.readLong(b, 0));
    }
}
