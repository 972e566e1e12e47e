package org.symphonet.overlay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.junit.jupiter.api.Test;

class PresenceCodecTest {

    @Test
    void roundTrip() {
        StandardExtensionElement e = PresenceCodec.encode(Bodies.A, Set.of("lan1", "lab"));
        assertEquals(PresenceCodec.ELEMENT, e.getElementName());
        assertEquals(PresenceCodec.NAMESPACE, e.getNamespace());
        Optional<PresenceCodec.Announcement> a = PresenceCodec.decode(e, new StringBuilder());
        assertEquals(Optional.of(new PresenceCodec.Announcement(Bodies.A, Set.of("lan1", "lab"))), a);
        String xml = e.toXML((org.jivesoftware.smack.packet.XmlEnvironment) null).toString();
        assertTrue(xml.contains("node='" + Bodies.A + "'") || xml.contains("node=\"" + Bodies.A + "\""), xml);
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
        assertBad(PresenceCodec.encode(Bodies.A, many));
        assertBad(null);
    }

    private static void assertBad(org.jivesoftware.smack.packet.ExtensionElement e) {
        StringBuilder why = new StringBuilder();
        assertEquals(Optional.empty(), PresenceCodec.decode(e, why));
        assertTrue(why.length() > 0);
    }
}
