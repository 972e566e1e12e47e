package org.symphonet.simulator.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class LatencyModelTest {

    @Test
    void parsesTheThreeShapes() {
        assertEquals("const:20", LatencyModel.parse("const:20").toString());
        assertEquals("uniform:5:50", LatencyModel.parse("uniform:5:50").toString());
        assertEquals("exp:5:40", LatencyModel.parse("EXP:5:40").toString());
    }

    @Test
    void drawsStayInRange() {
        LatencyModel m = LatencyModel.parse("uniform:5:50");
        Random r = new Random(1);
        for (int i = 0; i < 1000; i++) {
            long v = m.drawNanos(r);
            assertTrue(v >= 5_000_000L && v <= 50_000_000L, "drew " + v);
        }
        assertEquals(20_000_000L, LatencyModel.parse("const:20").drawNanos(r));
    }

    @Test
    void rejectsNonsenseWithTheAcceptedForms() {
        for (String bad : new String[] {"", "uniform:50:5", "const:-1", "normal:5:1", "exp:9:3", "uniform:a:b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatencyModel.parse(bad));
            assertTrue(e.getMessage().contains("uniform:MIN:MAX"));
        }
    }
}
