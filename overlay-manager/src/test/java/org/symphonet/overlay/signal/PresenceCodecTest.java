package org.symphonet.overlay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.junit.jupiter.api.Test;

class PresenceCodecTest {

    @Test
    void roundTrip() {
        StandardExtensionElement e = PresenceCodec.encode(Bodies.A, 0x8000_0000_0000_00a5L, Set.of("lan1", "lab"));
        assertEquals(PresenceCodec.ELEMENT, e.getElementName());
        assertEquals(PresenceCodec.NAMESPACE, e.getNamespace());
        Optional<PresenceCodec.Announcement> a = PresenceCodec.decode(e, new StringBuilder());
        assertEquals(Optional.of(new PresenceCodec.Announcement(Bodies.A, 0x8000_0000_0000_00a5L, Set.of("lan1", "lab"))), a);
        String xml = e.toXML((org.jivesoftware.smack.packet.XmlEnvironment) null).toString();
        assertTrue(xml.contains("node='" + Bodies.A + "'") || xml.contains("node=\"" + Bodies.A + "\""), xml);
        assertTrue(xml.contains("80000000000000a5"), xml);
    }

    @Test
    void aPresenceWithoutRunReadsAsUnknownRun() {
        StandardExtensionElement e = PresenceCodec.encode(Bodies.A, 0, Set.of("lab"));
        assertEquals(null, e.getAttributeValue("run"), "0 is not sent");
        assertEquals(0, PresenceCodec.decode(e, new StringBuilder()).orElseThrow().run());
    }

    @Test
    void aRestartIsANewRunOfTheSameNode() {
        Peer first = new Peer("n@x/symphonet", Bodies.A, 7, Set.of("lab"));
        assertEquals("n@x", first.account(), "restarts are told apart per account, whatever the resource");
        assertTrue(new Peer("n@x/symphonet", Bodies.A, 8, Set.of("lab")).restartedSince(first));
        assertFalse(new Peer("n@x/symphonet", Bodies.A, 7, Set.of("lab", "lab2")).restartedSince(first), "same run");
        assertFalse(new Peer("n@x/symphonet", Bodies.A, 0, Set.of("lab")).restartedSince(first), "run not said");
        assertFalse(new Peer("n@x/symphonet", Bodies.B, 8, Set.of("lab")).restartedSince(first), "another node");
    }

    @Test
    void rejectsMalformedAnnouncements() {
        assertBad(StandardExtensionElement.builder(PresenceCodec.ELEMENT, PresenceCodec.NAMESPACE).build());
        assertBad(StandardExtensionElement.builder(PresenceCodec.ELEMENT, PresenceCodec.NAMESPACE)
                .addAttribute("node", Bodies.A.toString().toUpperCase()).build());
        assertBad(StandardExtensionElement.builder(PresenceCodec.ELEMENT, PresenceCodec.NAMESPACE)
                .addAttribute("node", Bodies.A.toString())
                .addElement(StandardExtensionElement.builder("overlay", PresenceCodec.NAMESPACE)
                        .addAttribute("id", "Bad Id").build()).build());
        assertBad(StandardExtensionElement.builder(PresenceCodec.ELEMENT, PresenceCodec.NAMESPACE)
                .addAttribute("node", Bodies.A.toString())
                .addElement(StandardExtensionElement.builder("bridge", PresenceCodec.NAMESPACE)
                        .addAttribute("id", "lan1").build()).build());
        Set<String> many = new LinkedHashSet<>();
        for (int i = 0; i <= PresenceCodec.MAX_OVERLAYS; i++) {
            many.add("o" + i);
        }
        assertBad(PresenceCodec.encode(Bodies.A, 1, many));
        assertBad(StandardExtensionElement.builder(PresenceCodec.ELEMENT, PresenceCodec.NAMESPACE)
                .addAttribute("node", Bodies.A.toString()).addAttribute("run", "12345").build());
        assertBad(StandardExtensionElement.builder(PresenceCodec.ELEMENT, PresenceCodec.NAMESPACE)
                .addAttribute("node", Bodies.A.toString()).addAttribute("run", "000000000000000G").build());
        assertBad(null);
    }

    private static void assertBad(org.jivesoftware.smack.packet.ExtensionElement e) {
        StringBuilder why = new StringBuilder();
        assertEquals(Optional.empty(), PresenceCodec.decode(e, why));
        assertTrue(why.length() > 0);
    }
}
