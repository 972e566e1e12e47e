package org.symphonet.ofcontroller.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Random;

import org.junit.jupiter.api.Test;

class NodeIdTest {

    private static final BigInteger RING = BigInteger.ONE.shiftLeft(128);

    private static BigInteger big(NodeId id) {
        return new BigInteger(id.toString(), 16);
    }

    @Test
    void parsesAndPrintsHex() {
        String hex = "00ff00ff00ff00ff00ff00ff00ff00ff";
        assertEquals(hex, NodeId.parse(hex).toString());
        assertEquals("00ff00ff", NodeId.parse(hex).shortHex());
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse("zz000000000000000000000000000000"));
        assertThrows(IllegalArgumentException.class, () -> NodeId.parse(null));
        assertTrue(NodeId.isValid(hex));
        assertFalse(NodeId.isValid("g" + hex.substring(1)));
    }

    @Test
    void ringArithmeticMatchesBigIntegers() {
        Random rnd = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            NodeId a = new NodeId(rnd.nextLong(), rnd.nextLong());
            NodeId b = new NodeId(rnd.nextLong(), rnd.nextLong());
            if (i % 10 == 0) {
                b = new NodeId(a.hi(), rnd.nextLong());
            }
            assertEquals(big(b).subtract(big(a)).mod(RING), big(a.distanceTo(b)));
            assertEquals(big(a).add(big(b)).mod(RING), big(a.plus(b)));
            assertEquals(Integer.signum(big(a).compareTo(big(b))), Integer.signum(a.compareTo(b)));
            byte[] buf = new byte[20];
            a.writeTo(buf, 2);
            assertEquals(a, NodeId.fromBytes(buf, 2));
        }
    }

    @Test
    void strictlyBetweenWrapsAroundZero() {
        NodeId low = NodeId.parse("00000000000000000000000000000010");
        NodeId high = NodeId.parse("f0000000000000000000000000000000");
        NodeId zero = new NodeId(0, 0);
        assertTrue(high.strictlyBetween(zero, low));
        assertFalse(high.strictlyBetween(high, low));
        assertFalse(high.strictlyBetween(low, low));
        assertTrue(low.strictlyBetween(high, low), "an interval ending at self is the whole ring");
        assertFalse(low.strictlyBetween(low, low));
    }
}
