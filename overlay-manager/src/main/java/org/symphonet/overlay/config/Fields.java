package org.symphonet.overlay.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonToken;

import org.symphonet.overlay.config.YamlTree.Node;
import org.symphonet.overlay.config.YamlTree.Scalar;
import org.symphonet.overlay.config.YamlTree.YList;
import org.symphonet.overlay.config.YamlTree.YMap;

/**
 * The keys of one YAML mapping, read as the config records need them: strict on purpose, since an
 * unknown key is usually a typo that would otherwise leave a default in force, and "port: '5222'"
 * or "enabled: 'yes'" are mistakes worth reporting rather than guessing at. A missing key or a
 * YAML null reads as null (the record's default). Problems are {@link ConfigValueException}s whose
 * key is relative to this mapping; entering a nested mapping or list prefixes its key.
 */
final class Fields {

    private final YMap map;

    private Fields(YMap map) {
        this.map = map;
    }

    /** The mapping {@code node}, which may use only the {@code known} keys. */
    static Fields of(Node node, String... known) {
        if (!(node instanceof YMap m)) {
            throw new ConfigValueException("", "wrong kind of value: expected a mapping of keys, got " + describe(node));
        }
        Set<String> allowed = Set.of(known);
        for (String key : m.values().keySet()) {
            if (!allowed.contains(key)) {
                throw new ConfigValueException(key, "unknown key; known keys here: " + String.join(", ", new TreeSet<>(allowed)));
            }
        }
        return new Fields(m);
    }

    private Node node(String key) {
        Node n = map.values().get(key);
        return n instanceof Scalar s && s.isNull() ? null : n;
    }

    /** Any scalar's text (a number or boolean as written). */
    String text(String key) {
        return within(key, () -> textOf(node(key)));
    }

    /** A scalar's text; null for none; a problem (with an empty key) for a mapping or list. */
    static String textOf(Node n) {
        if (n == null) {
            return null;
        }
        if (n instanceof Scalar s) {
            return s.text();
        }
        throw new ConfigValueException("", "wrong kind of value: expected text, got " + describe(n));
    }

    Integer integer(String key) {
        Long v = whole(key, Integer.MIN_VALUE, Integer.MAX_VALUE);
        return v == null ? null : v.intValue();
    }

    Long longValue(String key) {
        return whole(key, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    private Long whole(String key, long min, long max) {
        return within(key, () -> {
            Node n = node(key);
            if (n == null) {
                return null;
            }
            if (n instanceof Scalar s && s.kind() == JsonToken.VALUE_NUMBER_INT) {
                if ((s.number() instanceof Integer || s.number() instanceof Long)
                        && s.number().longValue() >= min && s.number().longValue() <= max) {
                    return s.number().longValue();
                }
                throw new ConfigValueException("", "number " + s.text() + " out of range (" + min + ".." + max + ")");
            }
            throw new ConfigValueException("", "wrong kind of value: expected a whole number, got " + describe(n));
        });
    }

    Boolean bool(String key) {
        return within(key, () -> {
            Node n = node(key);
            if (n == null) {
                return null;
            }
            if (n instanceof Scalar s && (s.kind() == JsonToken.VALUE_TRUE || s.kind() == JsonToken.VALUE_FALSE)) {
                return s.kind() == JsonToken.VALUE_TRUE;
            }
            throw new ConfigValueException("", "wrong kind of value: expected true or false, got " + describe(n));
        });
    }

    /** One of {@code values}, written as its YAML name. */
    <E extends Enum<E>> E choice(String key, E[] values, Function<E, String> yaml) {
        return within(key, () -> {
            String t = textOf(node(key));
            if (t == null) {
                return null;
            }
            List<String> names = new ArrayList<>();
            for (E v : values) {
                if (yaml.apply(v).equals(t)) {
                    return v;
                }
                names.add(yaml.apply(v));
            }
            throw new ConfigValueException("", "bad value '" + t + "': must be one of " + String.join(", ", names));
        });
    }

    /** The scalar itself: a whole number as a Long, anything else as its text; null when absent. */
    Object scalar(String key) {
        return within(key, () -> {
            Node n = node(key);
            if (n == null) {
                return null;
            }
            if (n instanceof Scalar s) {
                return s.number() instanceof Integer || s.number() instanceof Long ? (Object) s.number().longValue() : s.text();
            }
            return describe(n);
        });
    }

    /** A nested mapping read by {@code reader}, or null when absent. */
    <T> T record(String key, Function<Node, T> reader) {
        return within(key, () -> {
            Node n = node(key);
            return n == null ? null : reader.apply(n);
        });
    }

    /** A list whose entries {@code element} reads; an empty entry ({@code - }) is a null in it. */
    <T> List<T> list(String key, Function<Node, T> element) {
        return within(key, () -> {
            Node n = node(key);
            if (n == null) {
                return null;
            }
            if (!(n instanceof YList l)) {
                throw new ConfigValueException("", "wrong kind of value: expected a list, got " + describe(n));
            }
            List<T> out = new ArrayList<>(l.items().size());
            for (int i = 0; i < l.items().size(); i++) {
                Node item = l.items().get(i);
                String at = "[" + i + "]";
                out.add(within(at, () -> item instanceof Scalar s && s.isNull() ? null : element.apply(item)));
            }
            return Collections.unmodifiableList(out);
        });
    }

    /** Runs {@code read}, naming {@code key} in front of the key of any problem it reports. */
    static <T> T within(String key, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (ConfigValueException e) {
            throw new ConfigValueException(join(key, e.key()), e.getMessage());
        }
    }

    static String join(String outer, String inner) {
        if (inner == null || inner.isEmpty()) {
            return outer;
        }
        if (outer.isEmpty()) {
            return inner;
        }
        return inner.startsWith("[") ? outer + inner : outer + "." + inner;
    }

    private static String describe(Node n) {
        if (n instanceof YMap) {
            return "a mapping";
        }
        if (n instanceof YList) {
            return "a list";
        }
        return n == null ? "nothing" : "'" + ((Scalar) n).text() + "'";
    }
}
