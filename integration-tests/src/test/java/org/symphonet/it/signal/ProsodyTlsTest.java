package org.symphonet.it.signal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.symphonet.it.signal.RecordingListener.Online;
import org.symphonet.it.signal.RecordingListener.Received;
import org.symphonet.it.testbed.Requirements;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.config.TlsMode;
import org.symphonet.overlay.config.XmppConfig;
import org.symphonet.overlay.signal.CloseReason;
import org.symphonet.overlay.signal.SignalBody;
import org.symphonet.overlay.signal.XmppSignaling;

/**
 * The deployment set-up: Prosody with a self-signed certificate requiring TLS, nodes with
 * {@code tls: required} trusting it through {@code xmpp.ca-file}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProsodyTlsTest {

    private static final String DOMAIN = "sym.test";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final NodeId ALICE = NodeId.parse("10000000000000000000000000000001");
    private static final NodeId BOB = NodeId.parse("20000000000000000000000000000002");

    private Path tmp;
    private ProsodyServer server;
    private Path caFile;
    private final List<XmppSignaling> nodes = new java.util.ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Requirements.require("prosody", "prosodyctl", "setpriv");
        SignalingContract.requireUser("prosody");
        tmp = Files.createTempDirectory("om-tls-");
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = g.generateKeyPair();
        X500Name name = new X500Name("CN=" + DOMAIN);
        var cert = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                BigInteger.valueOf(System.nanoTime()), Date.from(Instant.now().minusSeconds(3600)),
                Date.from(Instant.now().plus(Duration.ofDays(1))), name, keys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, DOMAIN)))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        String certPem = pem("CERTIFICATE", cert.getEncoded());
        caFile = tmp.resolve("ca.pem");
        Files.writeString(caFile, certPem);
        server = ProsodyServer.create(DOMAIN, Map.of("alice", "pw-alice", "bob", "pw-bob"), List.of("alice", "bob"),
                certPem, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        server.start();
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(XmppSignaling::close);
        nodes.clear();
    }

    @AfterAll
    void stop() {
        if (server != null) {
            server.close();
        }
        try {
            if (caFile != null) {
                Files.deleteIfExists(caFile);
            }
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
        } catch (java.io.IOException e) {
            // A stray file in /tmp is not worth failing the run for.
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private XmppSignaling node(String user, NodeId id, Optional<Path> ca, RecordingListener l) {
        XmppConfig c = new XmppConfig(user + "@" + DOMAIN, "pw-" + user, "127.0.0.1", server.port(), TlsMode.REQUIRED,
                "node", ca);
        XmppSignaling s = new XmppSignaling(c, id, Set.of("lan1"), l, SignalingContract.FAST);
        nodes.add(s);
        s.start();
        return s;
    }

    @Test
    void requiredTlsWithTrustedCertificateWorks() throws Exception {
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        XmppSignaling alice = node("alice", ALICE, Optional.of(caFile), a);
        node("bob", BOB, Optional.of(caFile), b);
        a.await(0, e -> e instanceof Online o && o.peer().node().equals(BOB), WAIT, "alice sees bob over TLS");
        assertTrue(alice.stats().tls(), "session is encrypted");
        SignalBody close = new SignalBody.LinkClose("lan1", UUID.randomUUID(), ALICE, BOB, CloseReason.SHUTDOWN);
        assertTrue(alice.send(close).get(5, TimeUnit.SECONDS));
        b.await(0, e -> e instanceof Received r && r.body().equals(close), WAIT, "bob receives over TLS");
    }

    @Test
    void untrustedServerCertificateIsRefused() throws Exception {
        RecordingListener a = new RecordingListener();
        XmppSignaling alice = node("alice", ALICE, Optional.empty(), a);
        Thread.sleep(3000);
        assertFalse(alice.isUp(), "logged in although the server certificate is not trusted");
    }
}
