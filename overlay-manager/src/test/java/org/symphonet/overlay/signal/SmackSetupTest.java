package org.symphonet.overlay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;

import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.util.PacketParserUtils;
import org.jivesoftware.smackx.ping.packet.Ping;
import org.junit.jupiter.api.Test;

class SmackSetupTest {

    @Test
    void serverPingsAreStillParsedWithoutSmacksExtensions() throws Exception {
        SmackSetup.prepare();
        // Smack answers a server's ping only if it parses into a Ping (PingManager's handler casts).
        Stanza s = PacketParserUtils.parseStanza(
                "<iq xmlns='jabber:client' type='get' id='p1' from='example.org' to='n@example.org/r'>"
                        + "<ping xmlns='urn:xmpp:ping'/></iq>");
        assertInstanceOf(Ping.class, s);
    }

    @Test
    void keepsAnOperatorsOwnDisabledClasses() {
        String before = System.getProperty(SmackSetup.DISABLED_CLASSES);
        try {
            System.setProperty(SmackSetup.DISABLED_CLASSES, "org.example.Other");
            SmackSetup.prepare();
            assertEquals("org.example.Other", System.getProperty(SmackSetup.DISABLED_CLASSES));
        } finally {
            if (before == null) {
                System.clearProperty(SmackSetup.DISABLED_CLASSES);
            } else {
                System.setProperty(SmackSetup.DISABLED_CLASSES, before);
            }
        }
    }

    @Test
    void trustManagerForConnectionsWithoutTlsTrustsNothing() {
        var tm = TrustFiles.refuseAll();
        assertThrows(CertificateException.class, () -> tm.checkServerTrusted(new X509Certificate[0], "RSA"));
        assertThrows(CertificateException.class, () -> tm.checkClientTrusted(new X509Certificate[0], "RSA"));
        assertEquals(0, tm.getAcceptedIssuers().length);
    }

    @Test
    void tlsContextOfConnectionsWithoutTlsAcceptsSetUpAndRefusesToSpeakTls() throws Exception {
        javax.net.ssl.SSLContext c = DisabledTls.context();
        c.init(null, new javax.net.ssl.TrustManager[] {TrustFiles.refuseAll()}, null);
        assertThrows(UnsupportedOperationException.class, c::getSocketFactory);
        assertThrows(UnsupportedOperationException.class, c::createSSLEngine);
    }
}
