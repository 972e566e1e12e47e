package org.symphonet.ofcontroller.learning;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HexFormat;

import org.junit.jupiter.api.Test;

public class ArpFrameTest {

    private static final long A_MAC = 0x0288_0000_0001L;
    private static final long B_MAC = 0x0288_0000_0002L;
    private static final int A_IP = 0x0a58_0001; // 10.88.0.1
    private static final int B_IP = 0x0a58_0002;

    /** A request as Linux sends it: "who has targetIp, tell senderIp", broadcast, 42 bytes. */
    public static byte[] requestFrame(long senderMac, int senderIp, int targetIp) {
        String hex = "ffffffffffff" + mac(senderMac) + "0806" + "0001" + "0800" + "06" + "04" + "0001"
                + mac(senderMac) + ip(senderIp) + "000000000000" + ip(targetIp);
        return HexFormat.of().parseHex(hex);
    }

    private static String mac(long m) {
        return String.format("%012x", m);
    }

    private static String ip(int i) {
        return String.format("%08x", i);
    }

    @Test
    void parsesARequest() {
        ArpFrame a = ArpFrame.parse(requestFrame(A_MAC, A_IP, B_IP)).orElseThrow();
        assertEquals(new ArpFrame(ArpFrame.REQUEST, A_MAC, A_IP, 0, B_IP), a);
        assertTrue(a.answerableRequest());
    }

    @Test
    void replyIsWhatTheOwnerWouldSend() {
        byte[] reply = ArpFrame.parse(requestFrame(A_MAC, A_IP, B_IP)).orElseThrow().replyFrom(B_MAC);
        assertEquals(60, reply.length, "padded to the Ethernet minimum");
        assertEquals(A_MAC, MacTable.macAt(reply, 0), "to the asker");
        assertEquals(B_MAC, MacTable.macAt(reply, 6), "from the owner");
        assertEquals(new ArpFrame(ArpFrame.REPLY, B_MAC, B_IP, A_MAC, A_IP), ArpFrame.parse(reply).orElseThrow());
    }

    @Test
    void probesAndGratuitousRequestsAreNotAnswerable() {
        assertFalse(ArpFrame.parse(requestFrame(A_MAC, 0, B_IP)).orElseThrow().answerableRequest(), "address probe (DAD)");
        assertFalse(ArpFrame.parse(requestFrame(A_MAC, A_IP, A_IP)).orElseThrow().answerableRequest(), "gratuitous");
        byte[] replyFrame = ArpFrame.parse(requestFrame(A_MAC, A_IP, B_IP)).orElseThrow().replyFrom(B_MAC);
        ArpFrame reply = ArpFrame.parse(replyFrame).orElseThrow();
        assertFalse(reply.answerableRequest(), "a reply");
    }

    @Test
    void otherFramesAreNotArp() {
        byte[] f = requestFrame(A_MAC, A_IP, B_IP);
        assertTrue(ArpFrame.parse(java.util.Arrays.copyOf(f, 41)).isEmpty(), "short");
        byte[] ipv4 = f.clone();
        ipv4[13] = 0x00; // ethertype 0x0800
        assertTrue(ArpFrame.parse(ipv4).isEmpty(), "IPv4");
        byte[] ipv6Arp = f.clone();
        ipv6Arp[17] = (byte) 0xdd; // protocol type 0x08dd
        assertTrue(ArpFrame.parse(ipv6Arp).isEmpty(), "not IPv4 addresses");
        byte[] rarp = f.clone();
        rarp[21] = 3;
        assertTrue(ArpFrame.parse(rarp).isEmpty(), "RARP request");
    }
}
