package org.symphonet.tunnel.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RecordTransportTest {

    private static byte[] record(int type, int minor, int length) {
        byte[] r = new byte[13 + length];
        r[0] = (byte) type;
        r[1] = (byte) 0xFE;
        r[2] = (byte) minor;
        r[11] = (byte) (length >> 8);
        r[12] = (byte) length;
        return r;
    }

    @Test
    void acceptsWholeRecords() {
        byte[] one = record(23, 0xFD, 40);
        assertEquals(1, RecordTransport.countRecords(one, 0, one.length));
        byte[] two = new byte[one.length * 2];
        System.arraycopy(one, 0, two, 0, one.length);
        System.arraycopy(one, 0, two, one.length, one.length);
        assertEquals(2, RecordTransport.countRecords(two, 0, two.length));
    }

    @Test
    void rejectsGarbageTruncationAndBadHeaders() {
        byte[] ok = record(23, 0xFD, 40);
        assertEquals(0, RecordTransport.countRecords(ok, 0, ok.length - 1), "truncated body");
        assertEquals(0, RecordTransport.countRecords(ok, 0, 12), "truncated header");
        assertEquals(0, RecordTransport.countRecords(ok, 0, 0), "empty");
        byte[] longer = new byte[ok.length + 3];
        System.arraycopy(ok, 0, longer, 0, ok.length);
        assertEquals(0, RecordTransport.countRecords(longer, 0, longer.length), "trailing bytes");
        assertEquals(0, RecordTransport.countRecords(record(99, 0xFD, 4), 0, 17), "content type");
        assertEquals(0, RecordTransport.countRecords(record(23, 0x03, 4), 0, 17), "TLS not DTLS");
        byte[] garbage = new byte[200];
        new java.util.Random(5).nextBytes(garbage);
        garbage[0] = 0x47;
        assertEquals(0, RecordTransport.countRecords(garbage, 0, garbage.length), "garbage");
    }

    @Test
    void spotsUnprotectedEpochZeroRecordsAnywhereInADatagram() {
        byte[] protectedRecord = record(23, 0xFD, 40);
        protectedRecord[4] = 1;
        byte[] plain = record(22, 0xFD, 20);
        assertFalse(RecordTransport.hasEpochZero(protectedRecord, 0, protectedRecord.length));
        assertTrue(RecordTransport.hasEpochZero(plain, 0, plain.length));
        byte[] both = new byte[protectedRecord.length + plain.length];
        System.arraycopy(protectedRecord, 0, both, 0, protectedRecord.length);
        System.arraycopy(plain, 0, both, protectedRecord.length, plain.length);
        assertEquals(2, RecordTransport.countRecords(both, 0, both.length));
        assertTrue(RecordTransport.hasEpochZero(both, 0, both.length), "second record is epoch 0");
        byte[] highEpoch = protectedRecord.clone();
        highEpoch[3] = 1;
        highEpoch[4] = 0;
        assertFalse(RecordTransport.hasEpochZero(highEpoch, 0, highEpoch.length), "epoch 256");
    }
}
