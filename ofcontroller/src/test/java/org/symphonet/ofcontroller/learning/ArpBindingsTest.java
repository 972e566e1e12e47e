package org.symphonet.ofcontroller.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;

import org.junit.jupiter.api.Test;

class ArpBindingsTest {

    private static final long SECOND = 1_000_000_000L;
    private static final long A_MAC = 0x0288_0000_0001L;
    private static final long A2_MAC = 0x0288_0000_00a1L;
    private static final int A_IP = 0x0a58_0001;
    private static final int B_IP = 0x0a58_0002;

    private final ArpBindings bindings = new ArpBindings(3, 300 * SECOND);

    private static ArpFrame from(long mac, int ip) {
        return new ArpFrame(ArpFrame.REQUEST, mac, ip, 0, B_IP);
    }

    @Test
    void learnsTheSenderOfAnArpPacket() {
        bindings.learn(from(A_MAC, A_IP), 0);
        assertEquals(OptionalLong.of(A_MAC), bindings.macOf(A_IP, 10 * SECOND));
        assertTrue(bindings.macOf(B_IP, 10 * SECOND).isEmpty(), "the target teaches nothing");
    }

    @Test
    void aBindingOlderThanTheMaximumAgeIsNotUsed() {
        bindings.learn(from(A_MAC, A_IP), 0);
        assertTrue(bindings.macOf(A_IP, 301 * SECOND).isEmpty());
        bindings.learn(from(A_MAC, A_IP), 301 * SECOND);
        assertEquals(OptionalLong.of(A_MAC), bindings.macOf(A_IP, 302 * SECOND), "seen again: fresh");
    }

    @Test
    void theLatestSenderOfAnAddressWins() {
        bindings.learn(from(A_MAC, A_IP), 0);
        bindings.learn(from(A2_MAC, A_IP), SECOND); // the address moved (gratuitous ARP of the new owner)
        assertEquals(OptionalLong.of(A2_MAC), bindings.macOf(A_IP, 2 * SECOND));
    }

    @Test
    void probesAndGroupSendersTeachNothing() {
        bindings.learn(from(A_MAC, 0), 0);
        bindings.learn(from(0x0100_5e00_0001L, A_IP), 0);
        bindings.learn(from(0, A_IP), 0);
        assertEquals(0, bindings.size());
    }

    @Test
    void boundedByDroppingTheLongestUnseen() {
        for (int i = 1; i <= 3; i++) {
            bindings.learn(from(A_MAC + i, A_IP + i), i);
        }
        bindings.learn(from(A_MAC + 1, A_IP + 1), 4); // refreshed: now the newest
        bindings.learn(from(A_MAC + 4, A_IP + 4), 5);
        assertEquals(3, bindings.size());
        assertTrue(bindings.macOf(A_IP + 2, 6).isEmpty(), "the longest unseen went");
        assertEquals(OptionalLong.of(A_MAC + 1), bindings.macOf(A_IP + 1, 6));
    }
}
