package org.symphonet.overlay.signal;

import java.util.Objects;
import java.util.UUID;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.config.OverlayIds;
import org.symphonet.overlay.identity.Fingerprint;
import org.symphonet.overlay.topology.LinkRole;

/**
 * A link negotiation message (DESIGN.md §3). Every kind names the overlay, the link (a UUID the
 * initiator picks) and both node IDs; records refuse to hold anything invalid, so a body that
 * exists has been validated.
 */
public sealed interface SignalBody {

    String overlay();

    UUID link();

    NodeId from();

    NodeId to();

    SignalKind kind();

    /** The initiator asks for a link. */
    record LinkRequest(String overlay, UUID link, NodeId from, NodeId to, LinkRole role, Fingerprint fingerprint,
                       IceParams ice) implements SignalBody {
        public LinkRequest {
            common(overlay, link, from, to);
            Objects.requireNonNull(role, "role");
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(ice, "ice");
        }

        @Override
        public SignalKind kind() {
            return SignalKind.LINK_REQUEST;
        }
    }

    /** The responder agrees and sends its side of ICE and its certificate fingerprint. */
    record LinkAccept(String overlay, UUID link, NodeId from, NodeId to, Fingerprint fingerprint, IceParams ice)
            implements SignalBody {
        public LinkAccept {
            common(overlay, link, from, to);
            Objects.requireNonNull(fingerprint, "fingerprint");
            Objects.requireNonNull(ice, "ice");
        }

        @Override
        public SignalKind kind() {
            return SignalKind.LINK_ACCEPT;
        }
    }

    /** The responder refuses. */
    record LinkReject(String overlay, UUID link, NodeId from, NodeId to, RejectReason reason) implements SignalBody {
        public LinkReject {
            common(overlay, link, from, to);
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public SignalKind kind() {
            return SignalKind.LINK_REJECT;
        }
    }

    /** Either side ends the link. */
    record LinkClose(String overlay, UUID link, NodeId from, NodeId to, CloseReason reason) implements SignalBody {
        public LinkClose {
            common(overlay, link, from, to);
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public SignalKind kind() {
            return SignalKind.LINK_CLOSE;
        }
    }

    /**
     * The responder tells the initiator whether its own topology wants this link too. Only the
     * initiator closes a link as unwanted; it keeps one the responder still wants, so a link stays
     * while either end wants it instead of being closed by one end and at once re-made by the other.
     * Sent when the responder's wish changes (it starts as "not wanted" at accept).
     */
    record LinkWant(String overlay, UUID link, NodeId from, NodeId to, boolean want) implements SignalBody {
        public LinkWant {
            common(overlay, link, from, to);
        }

        @Override
        public SignalKind kind() {
            return SignalKind.LINK_WANT;
        }
    }

    private static void common(String overlay, UUID link, NodeId from, NodeId to) {
        if (!OverlayIds.isValid(overlay)) {
            throw new IllegalArgumentException("overlay must be " + OverlayIds.DESCRIPTION);
        }
        Objects.requireNonNull(link, "link");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        if (from.equals(to)) {
            throw new IllegalArgumentException("from and to are the same node " + from);
        }
    }
}
