package org.symphonet.overlay.signal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Throws hundreds of broken bodies at the decoder: each must come back as a {@code DecodeResult}
 * (never an exception) and, unless the mutation happened to keep it valid, as Invalid with a
 * one-line error.
 */
class SignalCodecFuzzTest {

    private final SignalCodec codec = new SignalCodec();
    private final ObjectMapper json = new ObjectMapper();

    private DecodeResult decodeSafely(String body) {
        DecodeResult r = codec.decode(body);
        assertNotNull(r);
        if (r instanceof DecodeResult.Invalid i) {
            assertTrue(!i.error().isEmpty() && !i.error().contains("\n"), i.error());
            assertTrue(i.error().length() < 400, i.error());
        }
        return r;
    }

    @Test
    void everyTruncationIsRejected() {
        int count = 0;
        for (SignalBody b : Bodies.ALL) {
            String text = codec.encode(b);
            for (int len = 0; len < text.length(); len++) {
                assertInstanceOf(DecodeResult.Invalid.class, decodeSafely(text.substring(0, len)));
                count++;
            }
        }
        assertTrue(count > 500, "truncations: " + count);
    }

    @Test
    void randomBytesAreRejected() {
        Random r = new Random(1);
        String alphabet = "{}[]\":,0123456789abcdef-.eE+ \\ntrufalsn\u0000\u00ff\ud83d\ude00";
        for (int i = 0; i < 500; i++) {
            StringBuilder b = new StringBuilder();
            int len = r.nextInt(200);
            for (int j = 0; j < len; j++) {
                b.append(alphabet.charAt(r.nextInt(alphabet.length())));
            }
            assertInstanceOf(DecodeResult.Invalid.class, decodeSafely(b.toString()));
        }
    }

    @Test
    void randomByteFlipsNeverEscape() {
        Random r = new Random(2);
        for (int i = 0; i < 1000; i++) {
            char[] c = codec.encode(Bodies.ALL.get(r.nextInt(4))).toCharArray();
            for (int flips = 1 + r.nextInt(3); flips > 0; flips--) {
                c[r.nextInt(c.length)] = (char) r.nextInt(128);
            }
            decodeSafely(new String(c));
        }
    }

    @Test
    void structuredMutationsAreRejected() throws Exception {
        Random r = new Random(3);
        int invalid = 0;
        for (int i = 0; i < 600; i++) {
            SignalBody original = Bodies.ALL.get(r.nextInt(4));
            ObjectNode tree = (ObjectNode) json.readTree(codec.encode(original));
            mutate(tree, r);
            String text = json.writeValueAsString(tree);
            DecodeResult result = decodeSafely(text);
            if (result instanceof DecodeResult.Valid v) {
                // Only a mutation that kept every field valid may pass, and then it must round-trip.
                assertEquals(v, codec.decode(codec.encode(v.body())));
            } else {
                invalid++;
            }
        }
        assertTrue(invalid > 450, "most mutations must be caught: " + invalid);
    }

    /** Picks a random object node in the tree and removes, retypes or adds one field. */
    private void mutate(ObjectNode root, Random r) {
        List<ObjectNode> objects = new ArrayList<>();
        collect(root, objects);
        ObjectNode target = objects.get(r.nextInt(objects.size()));
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = target.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        String field = names.get(r.nextInt(names.size()));
        switch (r.nextInt(4)) {
            case 0 -> target.remove(field);
            case 1 -> target.set(field, randomValue(r));
            case 2 -> target.set("x" + r.nextInt(1000), randomValue(r));
            default -> target.put(field, target.get(field).asText() + (char) (' ' + r.nextInt(95)));
        }
    }

    private static void collect(JsonNode n, List<ObjectNode> out) {
        if (n instanceof ObjectNode o) {
            out.add(o);
        }
        for (JsonNode c : n) {
            collect(c, out);
        }
    }

    private static JsonNode randomValue(Random r) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (r.nextInt(9)) {
            case 0 -> f.nullNode();
            case 1 -> f.booleanNode(r.nextBoolean());
            case 2 -> f.numberNode(r.nextLong());
            case 3 -> f.numberNode(r.nextDouble());
            case 4 -> f.textNode("");
            case 5 -> f.textNode("x".repeat(r.nextInt(600)));
            case 6 -> f.arrayNode();
            case 7 -> {
                ArrayNode a = f.arrayNode();
                a.add(1).add("two");
                yield a;
            }
            default -> f.objectNode();
        };
    }
}
