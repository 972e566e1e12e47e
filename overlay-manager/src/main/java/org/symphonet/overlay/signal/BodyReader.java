package org.symphonet.overlay.signal;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;


/**
 * Reads the fields of one JSON object, each with its type and range checked, and remembers which
 * were read so that {@link #noOthers()} can refuse fields nobody knows. Every failure is a
 * {@link BadBody} naming the field by its path.
 */
final class BodyReader {

    /** A body that fails a check. Internal to the codec, which turns it into {@link DecodeResult.Invalid}. */
    static final class BadBody extends Exception {
        BadBody(String message) {
            super(message, null, false, false);
        }
    }

    private final Map<?, ?> node;
    private final String path;
    private final Set<String> read = new HashSet<>();

    /** {@code node}: one value of the codec's plain tree (a Map for a JSON object). */
    BodyReader(Object node, String path) throws BadBody {
        if (!(node instanceof Map<?, ?> m)) {
            throw new BadBody((path.isEmpty() ? "body" : path) + ": must be a JSON object");
        }
        this.node = m;
        this.path = path;
    }

    String name(String field) {
        return path.isEmpty() ? field : path + "." + field;
    }

    private Object field(String field) throws BadBody {
        read.add(field);
        Object v = node.get(field);
        if (v == null) {
            throw new BadBody(name(field) + ": missing");
        }
        return v;
    }

    String string(String field, int maxLength) throws BadBody {
        if (!(field(field) instanceof String s)) {
            throw new BadBody(name(field) + ": must be a string");
        }
        if (s.length() > maxLength) {
            throw new BadBody(name(field) + ": longer than " + maxLength + " characters");
        }
        return s;
    }

    String matching(String field, Pattern pattern, String what) throws BadBody {
        String s = string(field, 512);
        if (!pattern.matcher(s).matches()) {
            throw new BadBody(name(field) + ": must be " + what + ", got " + quote(s));
        }
        return s;
    }

    <T> T token(String field, Function<String, Optional<T>> parse, String what) throws BadBody {
        String s = string(field, 64);
        return parse.apply(s).orElseThrow(() -> new BadBody(name(field) + ": must be one of " + what + ", got "
                + quote(s)));
    }

    long integer(String field, long min, long max) throws BadBody {
        if (!(field(field) instanceof BigInteger v) || v.bitLength() > 63) {
            throw new BadBody(name(field) + ": must be a whole number");
        }
        long x = v.longValue();
        if (x < min || x > max) {
            throw new BadBody(name(field) + ": must be " + min + ".." + max + ", got " + x);
        }
        return x;
    }

    boolean bool(String field) throws BadBody {
        if (!(field(field) instanceof Boolean v)) {
            throw new BadBody(name(field) + ": must be true or false");
        }
        return v;
    }

    BodyReader object(String field) throws BadBody {
        return new BodyReader(field(field), name(field));
    }

    @SuppressWarnings("unchecked")
    List<Object> array(String field, int minSize, int maxSize) throws BadBody {
        if (!(field(field) instanceof List<?> l)) {
            throw new BadBody(name(field) + ": must be a list");
        }
        List<Object> v = (List<Object>) l;
        if (v.size() < minSize || v.size() > maxSize) {
            throw new BadBody(name(field) + ": must hold " + minSize + ".." + maxSize + " entries, has " + v.size());
        }
        return v;
    }

    String element(String field, int index) {
        return name(field) + "[" + index + "]";
    }

    /** Fails on the first field that no read asked for: a typo or a newer peer, either way not ours to guess. */
    void noOthers() throws BadBody {
        for (Object key : node.keySet()) {
            String f = (String) key;
            if (!read.contains(f)) {
                throw new BadBody(name(f.length() > 40 ? f.substring(0, 40) + "..." : f) + ": unknown field");
            }
        }
    }

    static String quote(String s) {
        String shown = s.length() > 60 ? s.substring(0, 60) + "..." : s;
        StringBuilder b = new StringBuilder("'");
        for (char c : shown.toCharArray()) {
            b.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", (int) c) : c);
        }
        return b.append('\'').toString();
    }
}
