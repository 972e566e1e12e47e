package org.symphonet.overlay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

class SignalCodecTest {

    private final SignalCodec codec = new SignalCodec();
    private final ObjectMapper json = new ObjectMapper();

    private String invalid(String body) {
        DecodeResult r = codec.decode(body);
        assertInstanceOf(DecodeResult.Invalid.class, r, body);
        return ((DecodeResult.Invalid) r).error();
    }

    /** The REQUEST body with one field replaced (value is raw JSON) or removed (value null). */
    private String requestWith(String path, String rawValue) throws Exception {
        ObjectNode o = (ObjectNode) json.readTree(codec.encode(Bodies.REQUEST));
        ObjectNode parent = o;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            var next = parent.get(parts[i].replaceAll("\\[\\d+]", ""));
            if (parts[i].contains("[")) {
                next = next.get(Integer.parseInt(parts[i].replaceAll(".*\\[(\\d+)]", "$1")));
            }
            parent = (ObjectNode) next;
        }
        String leaf = parts[parts.length - 1];
        if (rawValue == null) {
            parent.remove(leaf);
        } else {
            parent.set(leaf, json.readTree(rawValue));
        }
        return json.writeValueAsString(o);
    }

    @Test
    void everyKindRoundTrips() {
        for (SignalBody b : Bodies.ALL) {
            String text = codec.encode(b);
            assertEquals(new DecodeResult.Valid(b), codec.decode(text), text);
        }
    }

    @Test
    void wireFormIsStable() {
        assertEquals("{\"v\":1,\"kind\":\"link-reject\",\"overlay\":\"lan1\",\"link\":\"3f2b8c1e-9a4d-4e2b-8f3a-1c2d3e4f5a6b\","
                + "\"from\":\"fedcba9876543210fedcba9876543210\",\"to\":\"0123456789abcdef0123456789abcdef\","
                + "\"reason\":\"busy\"}", codec.encode(Bodies.REJECT));
        String req = codec.encode(Bodies.REQUEST);
        assertTrue(req.contains("\"role\":\"successor\""), req);
        assertTrue(req.contains("\"fingerprint\":\"sha-256 "), req);
        assertTrue(req.contains("{\"foundation\":\"1\",\"component\":1,\"priority\":2130706431,\"type\":\"host\","
                + "\"address\":\"192.0.2.10\",\"port\":40000}"), req);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', nullValues = "NULL", value = {
            "v                          | 2                    | v: version 2",
            "v                          | '\"1\"'              | v: must be a whole number",
            "v                          | 1.0                  | v: must be a whole number",
            "kind                       | '\"link-hello\"'     | kind: must be one of",
            "kind                       | NULL                 | kind: missing",
            "overlay                    | '\"LAN 1\"'          | overlay: must be",
            "overlay                    | '\"\"'               | overlay: must be",
            "link                       | '\"not-a-uuid\"'     | link: must be a lowercase UUID",
            "link                       | '\"3F2B8C1E-9A4D-4E2B-8F3A-1C2D3E4F5A6B\"' | link: must be a lowercase UUID",
            "from                       | '\"0123\"'           | from: must be 32 lowercase hex",
            "from                       | '\"0123456789ABCDEF0123456789ABCDEF\"' | from: must be 32 lowercase hex",
            "to                         | '\"0123456789abcdef0123456789abcdef\"' | to: same node as from",
            "to                         | 5                    | to: must be a string",
            "role                       | '\"best-friend\"'    | role: must be one of",
            "role                       | NULL                 | role: missing",
            "fingerprint                | '\"sha-256 ab:cd\"'  | fingerprint: must be",
            "fingerprint                | NULL                 | fingerprint: missing",
            "ice                        | '[]'                 | ice: must be a JSON object",
            "ice.ufrag                  | '\"ab\"'             | ice.ufrag: must be 4-256",
            "ice.ufrag                  | '\"ab cd\"'          | ice.ufrag: must be 4-256",
            "ice.pwd                    | '\"short\"'          | ice.pwd: must be 22-256",
            "ice.pwd                    | NULL                 | ice.pwd: missing",
            "ice.candidates             | '[]'                 | ice.candidates: must hold 1..32",
            "ice.candidates             | '{}'                 | ice.candidates: must be a list",
            "ice.candidates[0].port     | 0                    | ice.candidates[0].port: must be 1..65535",
            "ice.candidates[0].port     | 65536                | ice.candidates[0].port: must be 1..65535",
            "ice.candidates[1].priority | 4294967296           | ice.candidates[1].priority: must be 1..4294967295",
            "ice.candidates[1].priority | 99999999999999999999999 | ice.candidates[1].priority: must be a whole number",
            "ice.candidates[2].address  | '\"example.org\"'    | ice.candidates[2].address: must be an IPv4 or IPv6",
            "ice.candidates[2].address  | '\"300.1.1.1\"'      | ice.candidates[2].address: must be an IPv4 or IPv6",
            "ice.candidates[2].address  | '\"::g\"'            | ice.candidates[2].address: must be an IPv4 or IPv6",
            "ice.candidates[0].type     | '\"upnp\"'           | ice.candidates[0].type: must be one of",
            "ice.candidates[0].component | 0                   | ice.candidates[0].component: must be 1..256",
            "ice.candidates[0].foundation | '\"a b\"'          | ice.candidates[0].foundation: must be",
            "ice.candidates[0].extra    | true                 | ice.candidates[0].extra: unknown field",
            "ice.extra                  | true                 | ice.extra: unknown field",
            "reason                     | '\"busy\"'           | reason: unknown field",
    })
    void everyFieldIsChecked(String path, String raw, String expected) throws Exception {
        String body = requestWith(path, raw);
        String error = invalid(body);
        assertTrue(error.startsWith(expected), error + " / expected " + expected);
    }

    @Test
    void structuralProblems() {
        assertTrue(invalid(null).contains("missing"));
        assertTrue(invalid("").startsWith("body"));
        assertTrue(invalid("[]").startsWith("body: must be a JSON object"));
        assertTrue(invalid("\"x\"").startsWith("body: must be a JSON object"));
        assertTrue(invalid("{} {}").startsWith("body: not JSON"));
        assertTrue(invalid("{\"v\":1,\"v\":1}").startsWith("body: not JSON"), "duplicate keys");
        assertTrue(invalid("x".repeat(SignalCodec.MAX_BODY_CHARS + 1)).contains("longer than"));
        assertTrue(invalid("[".repeat(5000)).startsWith("body: not JSON"), "deep nesting");
        String reject = codec.encode(Bodies.REJECT);
        assertTrue(invalid(reject.replace("\"busy\"", "\"tired\"")).startsWith("reason: must be one of"));
        assertTrue(invalid(reject.replace("}", ",\"role\":\"shortcut\"}")).startsWith("role: unknown field"));
        String close = codec.encode(Bodies.CLOSE);
        assertTrue(invalid(close.replace(",\"reason\":\"unwanted\"", "")).startsWith("reason: missing"));
        String want = codec.encode(Bodies.WANT);
        assertTrue(want.endsWith(",\"want\":true}"), want);
        assertTrue(invalid(want.replace("true", "\"yes\"")).startsWith("want: must be true or false"));
        assertTrue(invalid(want.replace("true", "1")).startsWith("want: must be true or false"));
        assertTrue(invalid(want.replace(",\"want\":true", "")).startsWith("want: missing"));
    }

    @Test
    void errorsNeverEchoControlCharacters() {
        String e = invalid(codec.encode(Bodies.CLOSE).replace("\"unwanted\"", "\"\\u001b[31mred\\n\""));
        assertTrue(!e.contains("\u001b") && !e.contains("\n"), e);
    }

    @Test
    void recordsRefuseBadValuesToo() {
        assertThrows(IllegalArgumentException.class,
                () -> new SignalBody.LinkClose("lan1", Bodies.LINK, Bodies.A, Bodies.A, CloseReason.UNWANTED));
        assertThrows(IllegalArgumentException.class,
                () -> new SignalBody.LinkClose("Bad!", Bodies.LINK, Bodies.A, Bodies.B, CloseReason.UNWANTED));
        assertThrows(IllegalArgumentException.class, () -> new IceParams("abcd", "short", Bodies.ICE.candidates()));
        assertThrows(IllegalArgumentException.class, () -> new IceParams("abcd", "0123456789abcdefghij+/", List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new IceCandidate("1", 1, 1, IceCandidate.Type.HOST, "localhost", 1));
        assertTrue(!Bodies.ICE.toString().contains(Bodies.ICE.pwd()), "password stays out of logs");
    }
}
