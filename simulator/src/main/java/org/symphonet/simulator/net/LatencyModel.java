package org.symphonet.simulator.net;

import java.util.Locale;
import java.util.Random;

/**
 * One-way latency of an underlay path, in milliseconds. Written on the command line as
 * {@code const:MS}, {@code uniform:MIN:MAX} or {@code exp:MIN:MEAN} (a floor plus an exponential
 * tail, the usual shape of wide-area paths).
 */
public sealed interface LatencyModel permits LatencyModel.Constant, LatencyModel.Uniform, LatencyModel.ShiftedExp {

    /** Draws one latency in nanoseconds. */
    long drawNanos(Random random);

    record Constant(double ms) implements LatencyModel {
        @Override
        public long drawNanos(Random random) {
            return Math.round(ms * 1e6);
        }

        @Override
        public String toString() {
            return "const:" + fmt(ms);
        }
    }

    record Uniform(double minMs, double maxMs) implements LatencyModel {
        @Override
        public long drawNanos(Random random) {
            return Math.round((minMs + random.nextDouble() * (maxMs - minMs)) * 1e6);
        }

        @Override
        public String toString() {
            return "uniform:" + fmt(minMs) + ":" + fmt(maxMs);
        }
    }

    record ShiftedExp(double minMs, double meanMs) implements LatencyModel {
        @Override
        public long drawNanos(Random random) {
            double tail = -Math.log(1.0 - random.nextDouble()) * (meanMs - minMs);
            return Math.round((minMs + tail) * 1e6);
        }

        @Override
        public String toString() {
            return "exp:" + fmt(minMs) + ":" + fmt(meanMs);
        }
    }

    static LatencyModel parse(String text) {
        String[] p = text.trim().toLowerCase(Locale.ROOT).split(":");
        try {
            switch (p[0]) {
                case "const":
                    if (p.length == 2 && Double.parseDouble(p[1]) >= 0) {
                        return new Constant(Double.parseDouble(p[1]));
                    }
                    break;
                case "uniform":
                    if (p.length == 3) {
                        double a = Double.parseDouble(p[1]);
                        double b = Double.parseDouble(p[2]);
                        if (a >= 0 && b >= a) {
                            return new Uniform(a, b);
                        }
                    }
                    break;
                case "exp":
                    if (p.length == 3) {
                        double a = Double.parseDouble(p[1]);
                        double m = Double.parseDouble(p[2]);
                        if (a >= 0 && m >= a) {
                            return new ShiftedExp(a, m);
                        }
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("latency must be const:MS, uniform:MIN:MAX or exp:MIN:MEAN "
                + "(milliseconds, 0 <= MIN <= MAX), got '" + text + "'");
    }

    private static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
