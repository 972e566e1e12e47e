package org.symphonet.tunnel;

import java.util.List;
import java.util.Objects;

/**
 * One side's ICE data as carried in link-request / link-accept (DESIGN.md §3):
 * username fragment, password and candidates.
 */
public record IceParameters(String ufrag, String password, List<Candidate> candidates) {
    public IceParameters {
        Objects.requireNonNull(ufrag, "ufrag");
        Objects.requireNonNull(password, "password");
        candidates = List.copyOf(candidates);
    }

    /** Candidate kinds of RFC 8445. */
    public enum CandidateType { HOST, SRFLX, PRFLX, RELAY }

    /** One UDP candidate; {@code priority} and {@code foundation} as in RFC 8445. */
    public record Candidate(String foundation, int component, long priority, CandidateType type,
                            String address, int port) {
        public Candidate {
            Objects.requireNonNull(foundation, "foundation");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(address, "address");
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("candidate port out of range: " + port);
            }
        }
    }
}
