package org.symphonet.it.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.impl.JidCreate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.opentest4j.TestAbortedException;
import org.symphonet.it.signal.RecordingListener.Connection;
import org.symphonet.it.signal.RecordingListener.Dropped;
import org.symphonet.it.signal.RecordingListener.Offline;
import org.symphonet.it.signal.RecordingListener.Online;
import org.symphonet.it.signal.RecordingListener.Received;
import org.symphonet.it.testbed.Requirements;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.config.TlsMode;
import org.symphonet.overlay.config.XmppConfig;
import org.symphonet.overlay.identity.Fingerprint;
import org.symphonet.overlay.signal.CloseReason;
import org.symphonet.overlay.signal.IceCandidate;
import org.symphonet.overlay.signal.IceParams;
import org.symphonet.overlay.signal.PresenceCodec;
import org.symphonet.overlay.signal.SignalBody;
import org.symphonet.overlay.signal.SignalCodec;
import org.symphonet.overlay.signal.SignalingOptions;
import org.symphonet.overlay.signal.XmppSignaling;
import org.symphonet.overlay.topology.LinkRole;

/**
 * Signaling against a real XMPP server on 127.0.0.1 (DESIGN.md §2, §3): presence with node ID and
 * overlays, link bodies between mutual roster contacts, everything from strangers and every
 * malformed or spoofed body dropped, and reconnection after a server restart. One subclass per
 * server, so we know we speak standard XMPP and not one server's dialect.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SignalingContract {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String DOMAIN = "sym.test";
    private static final NodeId ALICE = NodeId.parse("10000000000000000000000000000001");
    private static final NodeId BOB = NodeId.parse("20000000000000000000000000000002");
    private static final NodeId MALLORY = NodeId.parse("30000000000000000000000000000003");
    static final SignalingOptions FAST = new SignalingOptions(Duration.ofSeconds(30),
            Duration.ofMillis(200), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(30));

    XmppServer server;
    final List<AutoCloseable> closeables = new ArrayList<>();

    /**
     * Creates and starts the server with these accounts (user -> password) and mutual
     * subscriptions among {@code group}.
     */
    abstract XmppServer createServer(String domain, Map<String, String> accounts, List<String> group) throws Exception;

    /** One server per class: ejabberd takes seconds to boot; every test uses fresh sessions. */
    @BeforeAll
    void startServer() throws Exception {
        server = createServer(DOMAIN, Map.of("alice", "pw-alice", "bob", "pw-bob", "mallory", "pw-mallory"),
                List.of("alice", "bob"));
    }

    @AfterEach
    void closeClients() {
        for (AutoCloseable c : closeables) {
            try {
                c.close();
            } catch (Exception e) {
                // Keep closing the rest.
            }
        }
        closeables.clear();
    }

    @AfterAll
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    private XmppSignaling node(String user, NodeId id, Set<String> overlays, RecordingListener l) {
        XmppConfig c = new XmppConfig(user + "@" + DOMAIN, "pw-" + user, "127.0.0.1", server.port(),
                TlsMode.IF_OFFERED, "node");
        XmppSignaling s = new XmppSignaling(c, id, overlays, l, FAST);
        closeables.add(s);
        s.start();
        return s;
    }

    /** A bare Smack client, for playing an attacker or a buggy peer. */
    private XMPPTCPConnection raw(String user, String resource) throws Exception {
        XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder()
                .setXmppDomain(DOMAIN).setHost("127.0.0.1").setPort(server.port())
                .setUsernameAndPassword(user, "pw-" + user).setResource(resource)
                .setSecurityMode(SecurityMode.ifpossible).setSendPresence(false).build());
        c.connect().login();
        closeables.add(c::disconnect);
        return c;
    }

    private static SignalBody request(NodeId from, NodeId to) {
        return new SignalBody.LinkRequest("lan1", UUID.randomUUID(), from, to, LinkRole.SUCCESSOR,
                Fingerprint.ofDer(from.toString().getBytes()),
                new IceParams("uFrg", "0123456789abcdefghijkl", List.of(
                        new IceCandidate("1", 1, 2130706431L, IceCandidate.Type.HOST, "127.0.0.1", 40000))));
    }

    private static Message signalMessage(XMPPTCPConnection c, String to, String text) throws Exception {
        return c.getStanzaFactory().buildMessageStanza().to(JidCreate.from(to)).ofType(Message.Type.headline)
                .addExtension(StandardExtensionElement.builder(XmppSignaling.SIGNAL_ELEMENT,
                        XmppSignaling.SIGNAL_NAMESPACE).setText(text).build())
                .build();
    }

    @Test
    void trustedPeersExchangePresenceAndLinkBodies() throws Exception {
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        XmppSignaling alice = node("alice", ALICE, Set.of("lan1"), a);
        XmppSignaling bob = node("bob", BOB, Set.of("lan1", "lan2"), b);

        a.await(0, e -> e instanceof Online o && o.peer().node().equals(BOB)
                && o.peer().overlays().equals(Set.of("lan1", "lan2"))
                && o.peer().jid().equals("bob@" + DOMAIN + "/node"), WAIT, "alice sees bob's presence");
        b.await(0, e -> e instanceof Online o && o.peer().node().equals(ALICE), WAIT, "bob sees alice");

        SignalBody req = request(ALICE, BOB);
        assertTrue(alice.send(req).get(5, TimeUnit.SECONDS));
        b.await(0, e -> e instanceof Received r && r.body().equals(req) && r.from().node().equals(ALICE), WAIT,
                "bob receives the link-request");

        SignalBody close = new SignalBody.LinkClose("lan1", req.link(), BOB, ALICE, CloseReason.UNWANTED);
        assertTrue(bob.send(close).get(5, TimeUnit.SECONDS));
        a.await(0, e -> e instanceof Received r && r.body().equals(close), WAIT, "alice receives the close");

        assertFalse(alice.send(request(ALICE, MALLORY)).get(5, TimeUnit.SECONDS), "no sending to non-peers");
        assertEquals(1, alice.stats().peers());
        assertEquals(0, alice.stats().dropped());
    }

    @Test
    void strangersAreDropped() throws Exception {
        RecordingListener b = new RecordingListener();
        node("bob", BOB, Set.of("lan1"), b);
        b.await(0, e -> e instanceof Connection c && c.up(), WAIT, "bob online");

        // Mallory has an account on the same server but is not in the roster group.
        RecordingListener m = new RecordingListener();
        node("mallory", MALLORY, Set.of("lan1"), m);
        m.await(0, e -> e instanceof Connection c && c.up(), WAIT, "mallory online");

        XMPPTCPConnection raw = raw("mallory", "raw");
        String bobJid = "bob@" + DOMAIN + "/node";
        raw.sendStanza(raw.getStanzaFactory().buildPresenceStanza().to(JidCreate.from(bobJid))
                .ofType(Presence.Type.available).addExtension(PresenceCodec.encode(MALLORY, 1, Set.of("lan1"))).build());
        b.await(0, e -> e instanceof Dropped d && d.from().startsWith("mallory@") && d.reason().contains("roster"),
                WAIT, "bob drops mallory's directed presence");
        raw.sendStanza(signalMessage(raw, bobJid, new SignalCodec().encode(request(MALLORY, BOB))));
        int i = b.await(0, e -> e instanceof Dropped d && d.from().startsWith("mallory@")
                && d.reason().contains("roster") && b.events.stream().noneMatch(x -> x instanceof Received),
                WAIT, "bob drops mallory's link-request");
        assertTrue(i >= 0);
        assertTrue(b.events.stream().noneMatch(e -> e instanceof Online o && o.peer().node().equals(MALLORY)));
        assertTrue(m.events.stream().noneMatch(e -> e instanceof Online), "mallory sees no peers: " + m.events);
    }

    @Test
    void malformedAndSpoofedBodiesFromATrustedAccountAreDropped() throws Exception {
        RecordingListener b = new RecordingListener();
        node("bob", BOB, Set.of("lan1"), b);
        b.await(0, e -> e instanceof Connection c && c.up(), WAIT, "bob online");

        // A buggy peer: alice's account, announcing ALICE, sending junk.
        XMPPTCPConnection alice = raw("alice", "buggy");
        alice.sendStanza(alice.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.available)
                .addExtension(PresenceCodec.encode(ALICE, 1, Set.of("lan1"))).build());
        b.await(0, e -> e instanceof Online o && o.peer().node().equals(ALICE), WAIT, "bob sees the buggy alice");

        String bobJid = "bob@" + DOMAIN + "/node";
        SignalCodec codec = new SignalCodec();
        String valid = codec.encode(request(ALICE, BOB));
        List<String> junk = new ArrayList<>();
        for (int len = 0; len < valid.length(); len += 7) {
            junk.add(valid.substring(0, len));
        }
        junk.add("<not json/>");
        junk.add(valid.replace("\"v\":1", "\"v\":9"));
        junk.add(codec.encode(request(MALLORY, BOB)));          // from does not match presence
        junk.add(codec.encode(request(ALICE, MALLORY)));        // not addressed to bob
        for (String j : junk) {
            alice.sendStanza(signalMessage(alice, bobJid, j));
        }
        alice.sendStanza(signalMessage(alice, bobJid, valid));
        b.await(0, e -> e instanceof Received, WAIT, "the valid body after the junk");
        long dropped = b.events.stream().filter(e -> e instanceof Dropped).count();
        assertEquals(junk.size(), dropped, "every junk body dropped: " + b.events);
        assertEquals(1, b.events.stream().filter(e -> e instanceof Received).count());
    }

    @Test
    void requiredTlsRefusesAServerWithoutIt() throws Exception {
        RecordingListener a = new RecordingListener();
        XmppConfig c = new XmppConfig("alice@" + DOMAIN, "pw-alice", "127.0.0.1", server.port(), TlsMode.REQUIRED,
                "strict");
        XmppSignaling strict = new XmppSignaling(c, ALICE, Set.of("lan1"), a, FAST);
        closeables.add(strict);
        strict.start();
        Thread.sleep(3000);
        assertFalse(strict.isUp(), "logged in without TLS although tls: required");
        assertTrue(a.events.isEmpty(), a.events.toString());
    }

    @Test
    void aNodeBackUnderANewResourceReplacesItsOldSession() throws Exception {
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        node("alice", ALICE, Set.of("lan1"), a);
        XmppSignaling bob = node("bob", BOB, Set.of("lan1"), b);
        b.await(0, e -> e instanceof Online o && o.peer().jid().endsWith("/node"), WAIT, "bob sees alice/node");

        XMPPTCPConnection again = raw("alice", "restarted");
        again.sendStanza(again.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.available)
                .addExtension(PresenceCodec.encode(ALICE, 1, Set.of("lan1"))).build());
        b.await(0, e -> e instanceof Offline o && o.peer().jid().endsWith("/node"), WAIT, "old session dropped");
        b.await(0, e -> e instanceof Online o && o.peer().jid().endsWith("/restarted"), WAIT, "new session used");
        assertEquals(List.of("alice@" + DOMAIN + "/restarted"),
                bob.peers().get(5, TimeUnit.SECONDS).stream().map(p -> p.jid()).toList());
    }

    @Test
    void clientsReconnectAfterServerRestart() throws Exception {
        RecordingListener a = new RecordingListener();
        RecordingListener b = new RecordingListener();
        XmppSignaling alice = node("alice", ALICE, Set.of("lan1"), a);
        node("bob", BOB, Set.of("lan1"), b);
        a.await(0, e -> e instanceof Online o && o.peer().node().equals(BOB), WAIT, "alice sees bob");
        b.await(0, e -> e instanceof Online o && o.peer().node().equals(ALICE), WAIT, "bob sees alice");

        int markA = a.size();
        int markB = b.size();
        server.stop();
        long t0;
        try {
            a.await(markA, e -> e instanceof Connection c && !c.up(), WAIT, "alice notices the server is gone");
            a.await(markA, e -> e instanceof Offline, WAIT, "alice forgets bob's presence");
            assertFalse(alice.isUp());
        } finally {
            t0 = System.nanoTime();
            server.start();
        }
        a.await(markA, e -> e instanceof Connection c && c.up(), WAIT, "alice reconnects");
        b.await(markB, e -> e instanceof Connection c && c.up(), WAIT, "bob reconnects");
        a.await(markA, e -> e instanceof Online o && o.peer().node().equals(BOB), WAIT, "alice sees bob again");
        b.await(markB, e -> e instanceof Online o && o.peer().node().equals(ALICE), WAIT, "bob sees alice again");
        System.out.printf("%s: signaling resumed %d ms after the server restarted%n", getClass().getSimpleName(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));

        SignalBody req = request(ALICE, BOB);
        assertTrue(alice.send(req).get(5, TimeUnit.SECONDS));
        b.await(markB, e -> e instanceof Received r && r.body().equals(req), WAIT, "link-request after restart");
        assertTrue(alice.stats().reconnects() >= 1);
    }

    static void requireUser(String user) {
        try {
            ProsodyServer.run("id", user);
        } catch (Exception e) {
            String msg = "integration test needs the '" + user + "' system user (apt-get install prosody)";
            if (Requirements.inCi()) {
                throw new AssertionError(msg + " [CI=true: failing instead of skipping]");
            }
            throw new TestAbortedException(msg);
        }
    }
}
