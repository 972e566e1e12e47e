package org.symphonet.collector;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.symphonet.overlay.report.NodeReport;
import org.symphonet.overlay.status.NodeStatus;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

/**
 * Turns a report's bytes into a {@link NodeReport} or a {@link BadReport} whose message says which
 * field is wrong and why. Strict about what it knows (types, ranges, names, sizes) so garbage never
 * reaches the view; fields it does not know are ignored, so nodes newer than the collector can still
 * report. Thread-safe.
 */
final class ReportValidator {

    /** A report is a few kB per overlay; more than this is not a report. */
    static final int MAX_BYTES = 1 << 20;
    static final int MAX_OVERLAYS = 64;
    static final int MAX_LINKS = 4096;
    static final int MAX_COUNTERS = 64;

    private static final Pattern OVERLAY_ID = Pattern.compile("[a-z0-9][a-z0-9_-]{0,31}");
    private static final Pattern BRIDGE = Pattern.compile("[A-Za-z0-9_.-]{1,15}");
    private static final Pattern COUNTER = Pattern.compile("[a-z][a-z0-9_]{0,63}");
    private static final Pattern TEXT = Pattern.compile("[\\x21-\\x7e]{1,256}");
    private static final Set<String> ROLES = Set.of("successor", "shortcut", "on-demand");
    private static final Set<String> DIRECTIONS = Set.of("outbound", "inbound");
    private static final Set<String> STATES = Set.of("requested", "connecting", "negotiating", "up");
    private static final Set<String> TYPES = Set.of("direct", "reflexive", "relayed", "unknown");

    /** A report that cannot be taken; the message is meant for the node's operator. */
    static final class BadReport extends Exception {
        BadReport(String message) {
            super(message);
        }
    }

    private final ObjectMapper json;

    ReportValidator() {
        JsonFactory f = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(4096).build())
                .build();
        json = JsonMapper.builder(f)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (LogicalType t : new LogicalType[] {LogicalType.Integer, LogicalType.Float, LogicalType.Boolean}) {
            json.coercionConfigFor(t).setCoercion(CoercionInputShape.String, CoercionAction.Fail);
        }
    }

    NodeReport parse(byte[] body) throws BadReport {
        if (body.length == 0) {
            throw new BadReport("empty body; expected a JSON report");
        }
        if (body.length > MAX_BYTES) {
            throw new BadReport("report is larger than " + MAX_BYTES + " bytes");
        }
        NodeReport r;
        try {
            r = json.readValue(body, NodeReport.class);
        } catch (JsonMappingException e) {
            throw new BadReport(path(e) + ": " + firstLine(rootMessage(e)));
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new BadReport("malformed JSON" + (l == null ? "" : " at line " + l.getLineNr() + " column "
                    + l.getColumnNr()) + ": " + firstLine(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new BadReport("unreadable report: " + e.getMessage());
        }
        if (r == null) {
            throw new BadReport("the body is JSON null; expected a report object");
        }
        check(r);
        return r;
    }

    private static void check(NodeReport r) throws BadReport {
        if (r.schema() != NodeReport.SCHEMA) {
            throw new BadReport("schema: " + r.schema() + " is not supported; this collector reads schema " + NodeReport.SCHEMA);
        }
        positive("seq", r.seq(), 1);
        if (r.intervalMillis() < 1000 || r.intervalMillis() > 3_600_000) {
            throw new BadReport("intervalMillis: must be between 1000 and 3600000, got " + r.intervalMillis());
        }
        NodeStatus s = required("status", r.status());
        nodeId("status.node", s.node());
        text("status.version", s.version());
        positive("status.uptimeSeconds", s.uptimeSeconds(), 0);
        NodeStatus.Xmpp x = required("status.xmpp", s.xmpp());
        text("status.xmpp.jid", x.jid());
        positive("status.xmpp.peers", x.peers(), 0);
        positive("status.xmpp.received", x.received(), 0);
        positive("status.xmpp.sent", x.sent(), 0);
        positive("status.xmpp.dropped", x.dropped(), 0);
        positive("status.xmpp.reconnects", x.reconnects(), 0);
        List<NodeStatus.Overlay> overlays = s.overlays();
        if (overlays.size() > MAX_OVERLAYS) {
            throw new BadReport("status.overlays: at most " + MAX_OVERLAYS + " overlays, got " + overlays.size());
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < overlays.size(); i++) {
            String at = "status.overlays[" + i + "]";
            NodeStatus.Overlay o = required(at, overlays.get(i));
            matches(at + ".id", o.id(), OVERLAY_ID, "an overlay ID (1-32 of a-z 0-9 _ -)");
            if (!ids.add(o.id())) {
                throw new BadReport(at + ".id: overlay '" + o.id() + "' appears twice");
            }
            matches(at + ".bridge", o.bridge(), BRIDGE, "an interface name");
            positive(at + ".members", o.members(), 0);
            positive(at + ".leafMacs", o.leafMacs(), 0);
            counters(at + ".switchCounters", o.switchCounters());
            if (o.links().size() > MAX_LINKS) {
                throw new BadReport(at + ".links: at most " + MAX_LINKS + " links, got " + o.links().size());
            }
            for (int j = 0; j < o.links().size(); j++) {
                link(at + ".links[" + j + "]", o.links().get(j), s.node());
            }
            if (o.traffic().size() > MAX_LINKS) {
                throw new BadReport(at + ".traffic: at most " + MAX_LINKS + " entries, got " + o.traffic().size());
            }
            for (int j = 0; j < o.traffic().size(); j++) {
                traffic(at + ".traffic[" + j + "]", o.traffic().get(j));
            }
        }
    }

    private static void link(String at, NodeStatus.Link l, String self) throws BadReport {
        required(at, l);
        nodeId(at + ".peer", l.peer());
        if (l.peer().equals(self)) {
            throw new BadReport(at + ".peer: a node cannot link to itself");
        }
        if (l.peerJid() != null) {
            text(at + ".peerJid", l.peerJid());
        }
        oneOf(at + ".role", l.role(), ROLES);
        oneOf(at + ".direction", l.direction(), DIRECTIONS);
        oneOf(at + ".state", l.state(), STATES);
        if (l.type() != null) {
            oneOf(at + ".type", l.type(), TYPES);
        }
        if (!Double.isFinite(l.rttMillis()) || l.rttMillis() < -1 || l.rttMillis() > 600_000) {
            throw new BadReport(at + ".rttMillis: must be -1 (not measured) or 0..600000, got " + l.rttMillis());
        }
        positive(at + ".bytesIn", l.bytesIn(), 0);
        positive(at + ".bytesOut", l.bytesOut(), 0);
        positive(at + ".ageSeconds", l.ageSeconds(), 0);
    }

    private static void traffic(String at, NodeStatus.Traffic t) throws BadReport {
        required(at, t);
        nodeId(at + ".peer", t.peer());
        if (!Double.isFinite(t.bytesPerSecond()) || t.bytesPerSecond() < 0) {
            throw new BadReport(at + ".bytesPerSecond: must be a rate >= 0, got " + t.bytesPerSecond());
        }
        positive(at + ".ageSeconds", t.ageSeconds(), 0);
    }

    private static void counters(String at, Map<String, Long> m) throws BadReport {
        if (m.size() > MAX_COUNTERS) {
            throw new BadReport(at + ": at most " + MAX_COUNTERS + " counters, got " + m.size());
        }
        for (Map.Entry<String, Long> c : m.entrySet()) {
            matches(at + " key", c.getKey(), COUNTER, "a counter name (a-z 0-9 _)");
            if (c.getValue() == null || c.getValue() < 0) {
                throw new BadReport(at + "." + c.getKey() + ": must be a count >= 0, got " + c.getValue());
            }
        }
    }

    private static <T> T required(String at, T v) throws BadReport {
        if (v == null) {
            throw new BadReport(at + ": is required");
        }
        return v;
    }

    private static void positive(String at, long v, long min) throws BadReport {
        if (v < min) {
            throw new BadReport(at + ": must be >= " + min + ", got " + v);
        }
    }

    private static void nodeId(String at, String v) throws BadReport {
        required(at, v);
        if (v.length() != 32 || !v.chars().allMatch(c -> c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
            throw new BadReport(at + ": must be a node ID of 32 lowercase hex digits, got '" + shorten(v) + "'");
        }
    }

    private static void text(String at, String v) throws BadReport {
        matches(at, v, TEXT, "1-256 printable characters without spaces");
    }

    private static void matches(String at, String v, Pattern p, String what) throws BadReport {
        required(at, v);
        if (!p.matcher(v).matches()) {
            throw new BadReport(at + ": must be " + what + ", got '" + shorten(v) + "'");
        }
    }

    private static void oneOf(String at, String v, Set<String> allowed) throws BadReport {
        required(at, v);
        if (!allowed.contains(v)) {
            throw new BadReport(at + ": must be one of " + new java.util.TreeSet<>(allowed) + ", got '" + shorten(v) + "'");
        }
    }

    private static String shorten(String v) {
        String s = v.length() > 40 ? v.substring(0, 40) + "..." : v;
        StringBuilder b = new StringBuilder();
        s.codePoints().forEach(c -> b.append(c < 0x20 || c == 0x7f ? '?' : (char) c));
        return b.toString();
    }

    private static String path(JsonMappingException e) {
        StringBuilder b = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (b.length() > 0) {
                    b.append('.');
                }
                b.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                b.append('[').append(r.getIndex()).append(']');
            }
        }
        return b.length() == 0 ? "report" : b.toString();
    }

    private static String rootMessage(JsonMappingException e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof NullPointerException) {
            return "is required (missing or null)";
        }
        return t instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(t.getMessage());
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "invalid";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
