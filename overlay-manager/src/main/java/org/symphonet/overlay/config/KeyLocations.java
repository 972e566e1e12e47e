package org.symphonet.overlay.config;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;

/**
 * Where each key and list entry of a YAML document starts. Data binding reports a bad value by
 * its path only once the enclosing record is complete, so errors are pinned to a line by looking
 * the path up here.
 */
final class KeyLocations {

    private final Map<String, JsonLocation> byPointer;

    private KeyLocations(Map<String, JsonLocation> byPointer) {
        this.byPointer = byPointer;
    }

    /** Scans {@code text}; a document that does not even tokenize yields an empty map. */
    static KeyLocations scan(JsonFactory factory, String text) {
        Map<String, JsonLocation> map = new HashMap<>();
        try (JsonParser p = factory.createParser(text)) {
            while (p.nextToken() != null) {
                // The first token seen at a path is where that key or entry starts.
                map.putIfAbsent(p.getParsingContext().pathAsPointer().toString(), p.currentTokenLocation());
            }
        } catch (IOException | RuntimeException e) {
            // The binding pass reports the syntax error with its own location.
        }
        return new KeyLocations(map);
    }

    /**
     * The location of the key at {@code pointer} (JSON-pointer form), or of its nearest enclosing
     * key when the key itself is absent (a missing required key is reported at its parent).
     */
    JsonLocation find(String pointer) {
        String p = pointer;
        while (true) {
            JsonLocation loc = byPointer.get(p);
            if (loc != null || p.isEmpty()) {
                return loc;
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }
}
