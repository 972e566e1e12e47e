package org.symphonet.it.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.filter.StanzaExtensionFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.impl.JidCreate;
import org.symphonet.it.testbed.Netns;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.identity.Fingerprint;
import org.symphonet.overlay.signal.DecodeResult;
import org.symphonet.overlay.signal.IceCandidate;
import org.symphonet.overlay.signal.IceParams;
import org.symphonet.overlay.signal.PresenceCodec;
import org.symphonet.overlay.signal.SignalBody;
import org.symphonet.overlay.signal.SignalCodec;
import org.symphonet.overlay.signal.XmppSignaling;
import org.symphonet.overlay.topology.LinkRole;

/**
 * A hostile but trusted XMPP client: logs in with a trusted account (its own resource), announces a
 * node ID that serves no overlay, and sends a node signaling messages in exactly the form nodes use
 * (DESIGN.md section 3: a headline message with one signal element holding a JSON body), whose
 * bodies are truncated, random or wrong field by field. Lives in a testbed namespace through
 * {@link Netns}.
 */
final class SignalFuzzer implements AutoCloseable {

    private final Netns netns;
    private final XMPPTCPConnection connection;
    private final NodeId self = new NodeId(new Random().nextLong(), new Random().nextLong());
    private final SignalCodec codec = new SignalCodec();
    private final BlockingQueue<String> replies = new LinkedBlockingQueue<>();

    private SignalFuzzer(Netns netns, XMPPTCPConnection connection) {
        this.netns = netns;
        this.connection = connection;
    }

    static SignalFuzzer connect(String namespace, String server, String domain, String user, String password) throws Exception {
        Netns n = Netns.enter(namespace);
        try {
            XMPPTCPConnection c = new XMPPTCPConnection(XMPPTCPConnectionConfiguration.builder().setXmppDomain(domain)
                    .setHost(server).setPort(5222).setUsernameAndPassword(user, password).setResource("fuzz")
                    .setSecurityMode(SecurityMode.disabled).setSendPresence(false).build());
            SignalFuzzer f = new SignalFuzzer(n, c);
            c.addAsyncStanzaListener(s -> {
                StandardExtensionElement e = (StandardExtensionElement) s.getExtensionElement(XmppSignaling.SIGNAL_ELEMENT,
                        XmppSignaling.SIGNAL_NAMESPACE);
                if (e != null) {
                    f.replies.add(e.getText());
                }
            }, new StanzaExtensionFilter(XmppSignaling.SIGNAL_ELEMENT, XmppSignaling.SIGNAL_NAMESPACE));
            n.call(() -> {
                c.connect();
                c.login();
                // A node ID but no overlay: the nodes accept our messages and never link to us.
                c.sendStanza(c.getStanzaFactory().buildPresenceStanza().ofType(Presence.Type.available)
                        .addExtension(PresenceCodec.encode(f.self, 1, Set.of())).build());
                return null;
            });
            return f;
        } catch (Exception e) {
            n.close();
            throw e;
        }
    }

    NodeId nodeId() {
        return self;
    }

    /** A well-formed link-request from us to {@code to}, the seed of the mutations. */
    SignalBody.LinkRequest validRequest(NodeId to, String overlay) {
        return new SignalBody.LinkRequest(overlay, UUID.randomUUID(), self, to, LinkRole.ON_DEMAND,
                new Fingerprint(Fingerprint.PREFIX + "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89"),
                new IceParams("abcd", "0123456789abcdef012345", List.of(new IceCandidate("1", 1, 2130706431,
                        IceCandidate.Type.HOST, "10.200.0.99", 40000))));
    }

    /**
     * {@code count} bodies none of which is a valid signal: truncations of a valid request, random
     * printable text, and valid JSON with one field wrong. Each is checked against the codec first,
     * so the test knows every one must be dropped.
     */
    List<String> malformedBodies(NodeId to, int count, long seed) {
        Random r = new Random(seed);
        String valid = codec.encode(validRequest(to, "lab"));
        List<String> wrongFields = List.of(
                valid.replace("\"v\":1", "\"v\":2"),
                valid.replace("\"v\":1", "\"v\":\"1\""),
                valid.replace("link-request", "link-steal"),
                valid.replace("\"overlay\":\"lab\"", "\"overlay\":\"" + "x".repeat(5000) + "\""),
                valid.replace("\"overlay\":\"lab\"", "\"overlay\":null"),
                valid.replace("\"role\":\"on-demand\"", "\"role\":\"boss\""),
                valid.replaceFirst("\"link\":\"[^\"]*\"", "\"link\":\"not-a-uuid\""),
                valid.replaceFirst("\"from\":\"[0-9a-f]*\"", "\"from\":\"" + "g".repeat(32) + "\""),
                valid.replaceFirst("\"to\":\"[0-9a-f]*\"", "\"to\":12345"),
                valid.replaceFirst("\"fingerprint\":\"[^\"]*\"", "\"fingerprint\":\"md5 00\""),
                valid.replace("40000", "70000"),
                valid.replace("40000", "-1"),
                valid.replace("2130706431", "99999999999999999999999999999999"),
                valid.replace("\"10.200.0.99\"", "\"not an address\""),
                valid.replace("{\"v\"", "{\"v\":1,\"v\""),
                valid + " trailing",
                valid.replace("\"ice\":{", "\"ice\":[{").replace("}]}", "}]}]"),
                "[" + valid + "]",
                "{}", "null", "42", "\"link-request\"", "", " ",
                "[".repeat(200) + "]".repeat(200),
                "{\"v\":1,\"kind\":\"link-close\"}");
        List<String> out = new ArrayList<>();
        String printable = "{}[]\":,0123456789abcdef-.eE+ truefalsnulk<>&'\\/\u00e9\u4e2d";
        while (out.size() < count) {
            String body = switch (out.size() % 3) {
                case 0 -> valid.substring(0, r.nextInt(valid.length()));
                case 1 -> {
                    StringBuilder b = new StringBuilder();
                    for (int i = r.nextInt(300); i > 0; i--) {
                        b.append(printable.charAt(r.nextInt(printable.length())));
                    }
                    yield b.toString();
                }
                default -> wrongFields.get(r.nextInt(wrongFields.size()));
            };
            if (codec.decode(body) instanceof DecodeResult.Invalid) {
                out.add(body);
            }
        }
        return out;
    }

    void send(String toJid, String body) throws Exception {
        Message m = connection.getStanzaFactory().buildMessageStanza().to(JidCreate.from(toJid))
                .ofType(Message.Type.headline)
                .addExtension(StandardExtensionElement.builder(XmppSignaling.SIGNAL_ELEMENT, XmppSignaling.SIGNAL_NAMESPACE)
                        .setText(body).build())
                .build();
        connection.sendStanza(m);
    }

    String encode(SignalBody body) {
        return codec.encode(body);
    }

    /** The next signal body a node sent us, decoded, or null after the timeout. */
    DecodeResult nextReply(long seconds) throws InterruptedException {
        String text = replies.poll(seconds, TimeUnit.SECONDS);
        return text == null ? null : codec.decode(text);
    }

    @Override
    public void close() {
        try {
            netns.call(() -> {
                connection.disconnect();
                return null;
            });
        } catch (Exception e) {
            // The connection goes with the namespace thread anyway.
        } finally {
            netns.close();
        }
    }
}
