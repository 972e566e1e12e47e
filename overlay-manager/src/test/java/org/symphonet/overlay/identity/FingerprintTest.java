package org.symphonet.overlay.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FingerprintTest {

    @Test
    void formatIsSdpStyle() {
        // SHA-256 of the empty input, a value anyone can check with sha256sum.
        Fingerprint f = Fingerprint.ofDer(new byte[0]);
        assertEquals("sha-256 E3:B0:C4:42:98:FC:1C:14:9A:FB:F4:C8:99:6F:B9:24:27:AE:41:E4:64:9B:93:4C:A4:95:99:1B:78:52:B8:55",
                f.text());
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", f.hex());
        assertTrue(f.matches(new Fingerprint(f.text())));
        assertFalse(f.matches(Fingerprint.ofDer(new byte[1])));
        assertFalse(f.matches(null));
    }

    @Test
    void rejectsOtherForms() {
        String good = Fingerprint.ofDer(new byte[0]).text();
        for (String bad : new String[] {null, "", good.toLowerCase(), good.substring(8), "sha-1 " + good.substring(8),
                good + ":00", good.substring(0, good.length() - 3), good.replace(':', '-'), " " + good}) {
            assertFalse(Fingerprint.isValid(bad), String.valueOf(bad));
            assertThrows(IllegalArgumentException.class, () -> new Fingerprint(bad));
        }
    }
}
