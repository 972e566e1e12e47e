package org.symphonet.ofcontroller.view;

import java.util.Locale;

/**
 * A 128-bit node identifier, ordered as an unsigned integer on a ring modulo 2^128.
 * Written as 32 lowercase hex digits everywhere it leaves the process.
 */
public record NodeId(long hi, long lo) implements Comparable<NodeId> {

    public static final int BYTES = 16;

    /** Parses exactly 32 hex digits; anything else is rejected with a message fit for a config error. */
    public static NodeId parse(String hex) {
        if (hex == null || hex.length() != 32) {
            throw new IllegalArgumentException("node ID must be 32 hex digits, got "
                    + (hex == null ? "nothing" : "'" + hex + "' (" + hex.length() + " characters)"));
        }
        try {
            return new NodeId(Long.parseUnsignedLong(hex.substring(0, 16), 16),
                    Long.parseUnsignedLong(hex.substring(16), 16));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("node ID must be 32 hex digits, got '" + hex + "'");
        }
    }

    public static boolean isValid(String hex) {
        if (hex == null || hex.length() != 32) {
            return false;
        }
        for (int i = 0; i < 32; i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    public static NodeId fromBytes(byte[] b, int off) {
        return new NodeId(readLong(b, off), readLong(b, off + 8));
    }

    public void writeTo(byte[] b, int off) {
        writeLong(b, off, hi);
        writeLong(b, off + 8, lo);
    }

    /** Clockwise distance from this node to {@code to}: (to - this) mod 2^128, as a (hi, lo) pair. */
    public NodeId distanceTo(NodeId to) {
        long l = to.lo - lo;
        long borrow = Long.compareUnsigned(to.lo, lo) < 0 ? 1 : 0;
        long h = to.hi - hi - borrow;
        return new NodeId(h, l);
    }

    /** Adds {@code offset} modulo 2^128: the point {@code offset} clockwise of this node. */
    public NodeId plus(NodeId offset) {
        long l = lo + offset.lo;
        long carry = Long.compareUnsigned(l, lo) < 0 ? 1 : 0;
        return new NodeId(hi + offset.hi + carry, l);
    }

    /**
     * True when {@code x} lies strictly inside the clockwise interval (this, end). When
     * {@code end} equals this node the interval is the whole ring except this node.
     */
    public boolean strictlyBetween(NodeId x, NodeId end) {
        if (x.equals(this)) {
            return false;
        }
        if (end.equals(this)) {
            return true;
        }
        return distanceTo(x).compareTo(distanceTo(end)) < 0;
    }

    @Override
    public int compareTo(NodeId o) {
        int c = Long.compareUnsigned(hi, o.hi);
        return c != 0 ? c : Long.compareUnsigned(lo, o.lo);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%016x%016x", hi, lo);
    }

    /** The first 8 hex digits: enough for logs and interface names. */
    public String shortHex() {
        return toString().substring(0, 8);
    }

    private static long readLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xffL);
        }
        return v;
    }

    private static void writeLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
