package org.symphonet.tunnel;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A node's 128-bit identity as 32 lowercase hex digits (DESIGN.md §2).
 * Ordering is unsigned-integer ordering; for fixed-width lowercase hex this is
 * the plain string ordering, which is why no BigInteger is needed.
 */
public record NodeId(String hex) implements Comparable<NodeId> {
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{32}");

    public NodeId {
        Objects.requireNonNull(hex, "node id");
        if (!FORMAT.matcher(hex).matches()) {
            throw new IllegalArgumentException("node id must be 32 lowercase hex digits: " + hex);
        }
    }

    public static NodeId of(String hex) {
        return new NodeId(hex);
    }

    @Override
    public int compareTo(NodeId other) {
        return hex.compareTo(other.hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
