package org.symphonet.tunnel.ice;

import java.net.InetSocketAddress;

import org.symphonet.tunnel.IceParameters;

/**
 * An ICE candidate pair as one end sees it: our socket directly ({@code base} null) or one of our
 * TURN allocations, toward a remote address. Mutable check state; guarded by the session's lock.
 */
final class CandidatePair {
    final TurnAllocation base;
    final InetSocketAddress remote;
    final IceParameters.CandidateType remoteType;
    final long priority;
    long nextCheck;
    long validSince;
    boolean valid;
    InetSocketAddress mapped;
    /** Checks sent since the peer's first check reached us. */
    int checksWhilePeerChecks;
    /** Checks sent after a pair was selected (own-relay route checks, keep-open checks). */
    int checksAfterSelection;

    CandidatePair(TurnAllocation base, InetSocketAddress remote, IceParameters.CandidateType remoteType,
                  long priority) {
        this.base = base;
        this.remote = remote;
        this.remoteType = remoteType;
        this.priority = priority;
    }

    boolean relayed() {
        return base != null || remoteType == IceParameters.CandidateType.RELAY;
    }

    @Override
    public String toString() {
        return (base == null ? "socket" : "relay " + base.relayed) + " -> " + remote + " (" + remoteType + ")";
    }
}
