package org.symphonet.tunnel.ice;

import org.ice4j.ice.CandidateType;
import org.symphonet.tunnel.IceParameters;
import org.symphonet.tunnel.LinkType;

/** Translation between ice4j's candidate types and ours, and what a pair says about the path. */
final class IceTypes {

    private IceTypes() {
    }

    static IceParameters.CandidateType toOurs(CandidateType t) {
        return switch (t) {
            case SERVER_REFLEXIVE_CANDIDATE, STUN_CANDIDATE -> IceParameters.CandidateType.SRFLX;
            case PEER_REFLEXIVE_CANDIDATE -> IceParameters.CandidateType.PRFLX;
            case RELAYED_CANDIDATE -> IceParameters.CandidateType.RELAY;
            default -> IceParameters.CandidateType.HOST;
        };
    }

    static CandidateType toIce4j(IceParameters.CandidateType t) {
        return switch (t) {
            case SRFLX -> CandidateType.SERVER_REFLEXIVE_CANDIDATE;
            case PRFLX -> CandidateType.PEER_REFLEXIVE_CANDIDATE;
            case RELAY -> CandidateType.RELAYED_CANDIDATE;
            case HOST -> CandidateType.HOST_CANDIDATE;
        };
    }

    /** Relayed if either end relays; reflexive if either end is NAT-mapped; else direct. */
    static LinkType linkType(CandidateType local, CandidateType remote) {
        if (local == CandidateType.RELAYED_CANDIDATE || remote == CandidateType.RELAYED_CANDIDATE) {
            return LinkType.RELAYED;
        }
        if (local == CandidateType.HOST_CANDIDATE && remote == CandidateType.HOST_CANDIDATE) {
            return LinkType.DIRECT;
        }
        return LinkType.REFLEXIVE;
    }
}
