package org.symphonet.overlay.topology;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

import org.symphonet.ofcontroller.view.NodeId;

/** Ring arithmetic the selector needs on top of {@link NodeId}'s: clockwise order and fractions of the ring. */
public final class Ring {

    private static final BigDecimal RING_SIZE = new BigDecimal(BigInteger.ONE.shiftLeft(128));
    private static final BigInteger LOW_64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    private Ring() {
    }

    /** Every member except {@code self}, nearest clockwise first. Duplicates collapse. */
    public static List<NodeId> clockwise(NodeId self, Collection<NodeId> members) {
        List<NodeId> out = new ArrayList<>(members.size());
        members.stream().filter(m -> !m.equals(self)).distinct()
                .sorted(Comparator.comparing(self::distanceTo)).forEach(out::add);
        return out;
    }

    /** The point {@code fraction} of the way round the ring, as an offset: floor(fraction * 2^128). */
    public static NodeId offset(double fraction) {
        if (!(fraction >= 0.0 && fraction < 1.0)) {
            throw new IllegalArgumentException("fraction must be in [0, 1): " + fraction);
        }
        BigInteger v = new BigDecimal(fraction).multiply(RING_SIZE).toBigInteger();
        return new NodeId(v.shiftRight(64).longValue(), v.and(LOW_64).longValue());
    }

    /** Clockwise distance from {@code from} to {@code to} as a fraction of the ring, for tests and statistics. */
    public static double fraction(NodeId from, NodeId to) {
        NodeId d = from.distanceTo(to);
        return (unsigned(d.hi()) + unsigned(d.lo()) / 0x1p64) / 0x1p64;
    }

    private static double unsigned(long v) {
        return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
    }
}
