package org.symphonet.overlay.config;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * A YAML document as plain maps, lists and scalars, each with the line and column where it starts,
 * read with Jackson's streaming YAML parser. The config is bound from this by hand ({@link Fields})
 * rather than by Jackson's data binding: binding records through their annotated creators loaded
 * ~120 more classes and cost ~40 ms of a node's start-up CPU (3 times what reading the tree costs),
 * for a file of a dozen keys.
 */
final class YamlTree {

    /** Where a key or value starts; 0 when unknown. */
    record Pos(int line, int column) {
        static final Pos NONE = new Pos(0, 0);

        static Pos of(JsonLocation loc) {
            return loc == null ? NONE : new Pos(loc.getLineNr(), loc.getColumnNr());
        }
    }

    sealed interface Node permits YMap, YList, Scalar {
        Pos pos();
    }

    /** A mapping in document order, with where each key is written. */
    record YMap(Map<String, Node> values, Map<String, Pos> keys, Pos pos) implements Node {
    }

    record YList(List<Node> items, Pos pos) implements Node {
    }

    /**
     * A scalar as the parser typed it (string, whole or decimal number, boolean, null), its text as
     * written and, for a whole number, its value (Integer, Long or BigInteger).
     */
    record Scalar(JsonToken kind, String text, Number number, Pos pos) implements Node {
        boolean isNull() {
            return kind == JsonToken.VALUE_NULL;
        }
    }

    /** Thrown for a document that does not parse; carries the parser's location. */
    static final class SyntaxException extends Exception {
        final Pos pos;

        SyntaxException(String message, Pos pos, Throwable cause) {
            super(message, cause);
            this.pos = pos;
        }
    }

    private static final YAMLFactory FACTORY = YAMLFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    private YamlTree() {
    }

    /** The document's root, or null for an empty document. One document only. */
    static Node parse(String text) throws SyntaxException {
        try (JsonParser p = FACTORY.createParser(text)) {
            if (p.nextToken() == null) {
                return null;
            }
            Node root = read(p);
            if (p.nextToken() != null) {
                throw new SyntaxException("more than one YAML document; a config file holds one", Pos.of(p.currentTokenLocation()), null);
            }
            return root;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            String m = e.getOriginalMessage();
            throw new SyntaxException(m == null ? "invalid" : m, Pos.of(e.getLocation()), e);
        } catch (IOException e) {
            throw new SyntaxException(String.valueOf(e.getMessage()), Pos.NONE, e);
        }
    }

    /** The value at the parser's current token, leaving the parser on its last token. */
    private static Node read(JsonParser p) throws IOException {
        Pos pos = Pos.of(p.currentTokenLocation());
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            Map<String, Node> values = new LinkedHashMap<>();
            Map<String, Pos> keys = new LinkedHashMap<>();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                keys.put(name, Pos.of(p.currentTokenLocation()));
                p.nextToken();
                values.put(name, read(p));
            }
            return new YMap(Collections.unmodifiableMap(values), Collections.unmodifiableMap(keys), pos);
        }
        if (t == JsonToken.START_ARRAY) {
            List<Node> items = new ArrayList<>();
            while (p.nextToken() != JsonToken.END_ARRAY) {
                items.add(read(p));
            }
            return new YList(Collections.unmodifiableList(items), pos);
        }
        Number number = t == JsonToken.VALUE_NUMBER_INT ? p.getNumberValue() : null;
        return new Scalar(t, t == JsonToken.VALUE_NULL ? null : p.getText(), number, pos);
    }

    /**
     * Where {@code key} (dotted, with {@code [i]} for list entries, relative to {@code node}) is
     * written, or the nearest enclosing entry that is (a missing key is reported at its parent).
     */
    static Pos locate(Node node, String key) {
        Pos best = node == null ? Pos.NONE : node.pos();
        if (key.isEmpty() || node == null) {
            return best;
        }
        Node cur = node;
        for (String part : key.split("\\.")) {
            int bracket = part.indexOf('[');
            String name = bracket < 0 ? part : part.substring(0, bracket);
            if (!name.isEmpty()) {
                if (!(cur instanceof YMap m) || !m.values().containsKey(name)) {
                    return best;
                }
                best = m.keys().get(name);
                cur = m.values().get(name);
            }
            while (bracket >= 0) {
                int close = part.indexOf(']', bracket);
                if (close < 0) {
                    return best;
                }
                int i;
                try {
                    i = Integer.parseInt(part.substring(bracket + 1, close));
                } catch (NumberFormatException e) {
                    return best;
                }
                if (!(cur instanceof YList l) || i < 0 || i >= l.items().size()) {
                    return best;
                }
                cur = l.items().get(i);
                best = cur.pos();
                bracket = part.indexOf('[', close);
            }
        }
        return best;
    }
}
