package org.symphonet.overlay.signal;

import java.io.IOException;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.config.OverlayIds;
import org.symphonet.overlay.identity.Fingerprint;
import org.symphonet.overlay.signal.BodyReader.BadBody;
import org.symphonet.overlay.signal.SignalBody.LinkAccept;
import org.symphonet.overlay.signal.SignalBody.LinkClose;
import org.symphonet.overlay.signal.SignalBody.LinkReject;
import org.symphonet.overlay.signal.SignalBody.LinkRequest;
import org.symphonet.overlay.signal.SignalBody.LinkWant;
import org.symphonet.overlay.topology.LinkRole;

/**
 * The JSON form of {@link SignalBody}. {@link #decode} is the trust boundary for everything a
 * peer sends: it checks every field and never throws, so a malformed body costs one log line.
 *
 * <pre>{"v":1,"kind":"link-request","overlay":"lan1","link":"&lt;uuid&gt;","from":"&lt;32 hex&gt;","to":"&lt;32 hex&gt;",
 *  "role":"successor","fingerprint":"sha-256 AB:...","ice":{"ufrag":"..","pwd":"..","candidates":[
 *  {"foundation":"1","component":1,"priority":2130706431,"type":"host","address":"192.0.2.1","port":40000}]}}</pre>
 */
public final class SignalCodec {

    public static final int VERSION = 1;
    /** 32 candidates of ~150 bytes fit easily; anything larger is not ours. */
    public static final int MAX_BODY_CHARS = 16 * 1024;

    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private static final Pattern NODE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern FINGERPRINT = Pattern.compile("sha-256 [0-9A-F]{2}(:[0-9A-F]{2}){31}");
    private static final Pattern ICE_CHARS = Pattern.compile("[A-Za-z0-9+/]*");

    /**
     * Jackson's streaming parser and generator only: its data binding (ObjectMapper, JsonNode)
     * cost ~25 ms of every node's start-up CPU and ~300 classes for bodies of a dozen fields.
     */
    private final JsonFactory factory;

    public SignalCodec() {
        factory = JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(8).maxNumberLength(24).maxStringLength(MAX_BODY_CHARS).build())
                .build();
    }

    public String encode(SignalBody body) {
        StringWriter out = new StringWriter(256);
        try (JsonGenerator g = factory.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", VERSION);
            g.writeStringField("kind", body.kind().wire());
            g.writeStringField("overlay", body.overlay());
            g.writeStringField("link", body.link().toString());
            g.writeStringField("from", body.from().toString());
            g.writeStringField("to", body.to().toString());
            if (body instanceof LinkRequest r) {
                g.writeStringField("role", r.role().wire());
                g.writeStringField("fingerprint", r.fingerprint().text());
                ice(g, r.ice());
            } else if (body instanceof LinkAccept a) {
                g.writeStringField("fingerprint", a.fingerprint().text());
                ice(g, a.ice());
            } else if (body instanceof LinkReject j) {
                g.writeStringField("reason", j.reason().wire());
            } else if (body instanceof LinkClose c) {
                g.writeStringField("reason", c.reason().wire());
            } else if (body instanceof LinkWant w) {
                g.writeBooleanField("want", w.want());
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new IllegalStateException("cannot write JSON to a string", e);
        }
        return out.toString();
    }

    private static void ice(JsonGenerator g, IceParams ice) throws IOException {
        g.writeObjectFieldStart("ice");
        g.writeStringField("ufrag", ice.ufrag());
        g.writeStringField("pwd", ice.pwd());
        g.writeArrayFieldStart("candidates");
        for (IceCandidate c : ice.candidates()) {
            g.writeStartObject();
            g.writeStringField("foundation", c.foundation());
            g.writeNumberField("component", c.component());
            g.writeNumberField("priority", c.priority());
            g.writeStringField("type", c.type().wire());
            g.writeStringField("address", c.address());
            g.writeNumberField("port", c.port());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /**
     * The body as plain values: a {@code Map} (fields in order) for an object, a {@code List}, a
     * {@code String}, a {@code BigInteger} for a whole number, a {@code Double} for any other, a
     * {@code Boolean}, or null (JSON null, or nothing at all).
     */
    private Object tree(String text) throws IOException {
        try (JsonParser p = factory.createParser(text)) {
            if (p.nextToken() == null) {
                return null;
            }
            Object root = value(p);
            if (p.nextToken() != null) {
                throw new BadJson("trailing content after the body");
            }
            return root;
        }
    }

    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    p.nextToken();
                    m.put(name, value(p));
                }
                return Collections.unmodifiableMap(m);
            }
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                return Collections.unmodifiableList(l);
            }
            case VALUE_STRING:
                return p.getText();
            case VALUE_NUMBER_INT:
                return p.getBigIntegerValue();
            case VALUE_NUMBER_FLOAT:
                return p.getDoubleValue();
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            default:
                return null;
        }
    }

    /** A document the parser took that is still not one JSON value. */
    private static final class BadJson extends IOException {
        BadJson(String message) {
            super(message);
        }
    }

    /** Never throws: every problem, even an unexpected one, comes back as {@link DecodeResult.Invalid}. */
    public DecodeResult decode(String text) {
        try {
            if (text == null) {
                return new DecodeResult.Invalid("body: missing");
            }
            if (text.length() > MAX_BODY_CHARS) {
                return new DecodeResult.Invalid("body: longer than " + MAX_BODY_CHARS + " characters");
            }
            Object tree;
            try {
                tree = tree(text);
            } catch (JsonProcessingException e) {
                return new DecodeResult.Invalid("body: not JSON: " + firstLine(e.getOriginalMessage()));
            } catch (IOException e) {
                return new DecodeResult.Invalid("body: not JSON: " + firstLine(e.getMessage()));
            }
            return new DecodeResult.Valid(read(tree));
        } catch (BadBody e) {
            return new DecodeResult.Invalid(e.getMessage());
        } catch (RuntimeException | StackOverflowError e) {
            // A check we did not foresee; still the peer's problem, not a reason to die.
            return new DecodeResult.Invalid("body: rejected (" + e.getClass().getSimpleName() + ": "
                    + firstLine(String.valueOf(e.getMessage())) + ")");
        }
    }

    private SignalBody read(Object tree) throws BadBody {
        BodyReader r = new BodyReader(tree, "");
        long v = r.integer("v", 0, Integer.MAX_VALUE);
        if (v != VERSION) {
            throw new BadBody("v: version " + v + " is not supported (this node speaks " + VERSION + ")");
        }
        SignalKind kind = r.token("kind", SignalKind::fromWire,
                "link-request, link-accept, link-reject, link-close, link-want");
        String overlay = r.matching("overlay", OverlayIds.PATTERN, OverlayIds.DESCRIPTION);
        UUID link = UUID.fromString(r.matching("link", UUID_FORM, "a lowercase UUID"));
        NodeId from = NodeId.parse(r.matching("from", NODE_ID, "32 lowercase hex digits"));
        NodeId to = NodeId.parse(r.matching("to", NODE_ID, "32 lowercase hex digits"));
        if (from.equals(to)) {
            throw new BadBody("to: same node as from");
        }
        SignalBody body = switch (kind) {
            case LINK_REQUEST -> new LinkRequest(overlay, link, from, to,
                    r.token("role", LinkRole::fromWire, "successor, shortcut, on-demand"),
                    new Fingerprint(r.matching("fingerprint", FINGERPRINT, "'sha-256 ' and 32 upper-case hex pairs")),
                    ice(r.object("ice")));
            case LINK_ACCEPT -> new LinkAccept(overlay, link, from, to,
                    new Fingerprint(r.matching("fingerprint", FINGERPRINT, "'sha-256 ' and 32 upper-case hex pairs")),
                    ice(r.object("ice")));
            case LINK_REJECT -> new LinkReject(overlay, link, from, to,
                    r.token("reason", RejectReason::fromWire, "busy, unknown-overlay, duplicate, not-trusted, "
                            + "tunnel-failed, shutting-down"));
            case LINK_CLOSE -> new LinkClose(overlay, link, from, to,
                    r.token("reason", CloseReason::fromWire, "unwanted, tunnel-failed, replaced, shutdown"));
            case LINK_WANT -> new LinkWant(overlay, link, from, to, r.bool("want"));
        };
        r.noOthers();
        return body;
    }

    private static IceParams ice(BodyReader r) throws BadBody {
        String ufrag = r.string("ufrag", 256);
        if (ufrag.length() < 4 || !ICE_CHARS.matcher(ufrag).matches()) {
            throw new BadBody("ice.ufrag: must be 4-256 ICE characters (A-Z a-z 0-9 + /)");
        }
        String pwd = r.string("pwd", 256);
        if (pwd.length() < 22 || !ICE_CHARS.matcher(pwd).matches()) {
            throw new BadBody("ice.pwd: must be 22-256 ICE characters (A-Z a-z 0-9 + /)");
        }
        List<Object> list = r.array("candidates", 1, IceParams.MAX_CANDIDATES);
        List<IceCandidate> candidates = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            BodyReader c = new BodyReader(list.get(i), r.element("candidates", i));
            candidates.add(new IceCandidate(
                    c.matching("foundation", IceCandidate.FOUNDATION, "1-32 ICE characters"),
                    (int) c.integer("component", 1, 256),
                    c.integer("priority", 1, 0xFFFF_FFFFL),
                    c.token("type", IceCandidate.Type::fromWire, "host, srflx, prflx, relay"),
                    ipLiteral(c, "address"),
                    (int) c.integer("port", 1, 65535)));
            c.noOthers();
        }
        r.noOthers();
        return new IceParams(ufrag, pwd, candidates);
    }

    private static String ipLiteral(BodyReader c, String field) throws BadBody {
        String s = c.string(field, 45);
        if (!IceCandidate.isIpLiteral(s)) {
            throw new BadBody(c.name(field) + ": must be an IPv4 or IPv6 address, got " + BodyReader.quote(s));
        }
        return s;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
