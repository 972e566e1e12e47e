package org.symphonet.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FingerprintTest {
    @Test
    void parsesColonsAndUpperCase() {
        Fingerprint f = Fingerprint.ofCertificate(new byte[] {1, 2, 3});
        String colons = f.hex().toUpperCase().replaceAll("(..)(?!$)", "$1:");
        assertEquals(f, Fingerprint.parse(colons));
        assertTrue(f.matches(Fingerprint.parse(f.hex())));
        assertFalse(f.matches(Fingerprint.ofCertificate(new byte[] {1, 2, 4})));
    }

    @Test
    void rejectsWrongLengthOrNonHex() {
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("abcd"));
        assertThrows(IllegalArgumentException.class, () -> Fingerprint.parse("zz".repeat(32)));
    }

    @Test
    void nodeIdsAreValidatedAndOrderedAsUnsigned() {
        assertThrows(IllegalArgumentException.class, () -> NodeId.of("ABCDEF0123456789abcdef0123456789"));
        assertThrows(IllegalArgumentException.class, () -> NodeId.of("abc"));
        NodeId small = NodeId.of("0fffffffffffffffffffffffffffffff");
        NodeId big = NodeId.of("f0000000000000000000000000000000");
        assertTrue(small.compareTo(big) < 0);
        assertTrue(new TunnelId("ov", small, big).localIsDtlsClient());
        assertFalse(new TunnelId("ov", big, small).localIsDtlsClient());
    }
}
