package org.symphonet.overlay.report;

import java.util.Optional;

/**
 * Decides what the reporter logs: one line when the collector becomes unreachable (or starts
 * refusing reports), one when it is back, nothing for the failures in between, so a collector that is
 * down for a day costs two log lines, not thousands. A different kind of failure during an outage
 * (say, the collector came back but now rejects the token) is logged once too. Confined to the
 * reporter thread.
 */
final class OutageLog {

    private String problem;
    private int failures;

    /** A failed attempt; returns the line to log, if this one deserves a line. */
    Optional<String> failure(String reason) {
        failures++;
        String kind = kindOf(reason);
        if (problem != null && problem.equals(kind)) {
            return Optional.empty();
        }
        boolean first = problem == null;
        problem = kind;
        return Optional.of((first ? "cannot report to the collector: " : "still cannot report to the collector, now: ")
                + reason + "; retrying with backoff, quiet until it changes");
    }

    /** A report went through; returns the line to log when it ended an outage. */
    Optional<String> success() {
        if (problem == null) {
            return Optional.empty();
        }
        String line = "reporting to the collector again after " + failures + " failed attempt" + (failures == 1 ? "" : "s");
        problem = null;
        failures = 0;
        return Optional.of(line);
    }

    boolean inOutage() {
        return problem != null;
    }

    /** Failures of one kind differ only in detail (ports, timings): compare up to the first colon. */
    private static String kindOf(String reason) {
        int colon = reason.indexOf(':');
        return colon < 0 ? reason : reason.substring(0, colon);
    }
}
