package org.symphonet.ofcontroller.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class ProbeCodecTest {

    @Test
    void roundTripsAndIsAMinimumSizeLinkLocalFrame() {
        ProbeCodec.Probe p = new ProbeCodec.Probe(0x8123456789abcdefL, 0xffff_0000_0000_0001L, 0xfffffffe);
        byte[] f = ProbeCodec.encode(p);
        assertEquals(60, f.length);
        assertEquals(0x01, f[0]);
        assertEquals(0x0e, f[5]); // 01:80:c2:00:00:0e: bridges do not forward it
        assertEquals(p, ProbeCodec.decode(f).orElseThrow());
    }

    @Test
    void rejectsOtherFramesWithoutThrowing() {
        byte[] f = ProbeCodec.encode(new ProbeCodec.Probe(1, 2, 3));
        assertTrue(ProbeCodec.decode(null).isEmpty());
        assertTrue(ProbeCodec.decode(Arrays.copyOf(f, 39)).isEmpty());
        byte[] otherType = f.clone();
        otherType[13] = (byte) 0xc0; // the FRB ethertype
        assertTrue(ProbeCodec.decode(otherType).isEmpty());
        byte[] badMagic = f.clone();
        badMagic[15] ^= 1;
        assertTrue(ProbeCodec.decode(badMagic).isEmpty());
        byte[] badVersion = f.clone();
        badVersion[18] = 2;
        assertTrue(ProbeCodec.decode(badVersion).isEmpty());
    }
}
