package org.symphonet.overlay.signal;

import java.util.List;
import java.util.UUID;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.identity.Fingerprint;
import org.symphonet.overlay.topology.LinkRole;

/** Valid sample bodies for tests. */
final class Bodies {

    static final NodeId A = NodeId.parse("0123456789abcdef0123456789abcdef");
    static final NodeId B = NodeId.parse("fedcba9876543210fedcba9876543210");
    static final UUID LINK = UUID.fromString("3f2b8c1e-9a4d-4e2b-8f3a-1c2d3e4f5a6b");
    static final Fingerprint FP = Fingerprint.ofDer(new byte[] {1, 2, 3});
    static final IceParams ICE = new IceParams("abCD", "0123456789abcdefghij+/", List.of(
            new IceCandidate("1", 1, 2130706431L, IceCandidate.Type.HOST, "192.0.2.10", 40000),
            new IceCandidate("2", 1, 1694498815L, IceCandidate.Type.SRFLX, "198.51.100.7", 50000),
            new IceCandidate("3", 1, 16777215L, IceCandidate.Type.RELAY, "2001:db8::1", 3478)));

    static final SignalBody REQUEST = new SignalBody.LinkRequest("lan1", LINK, A, B, LinkRole.SUCCESSOR, FP, ICE);
    static final SignalBody ACCEPT = new SignalBody.LinkAccept("lan1", LINK, B, A, FP, ICE);
    static final SignalBody REJECT = new SignalBody.LinkReject("lan1", LINK, B, A, RejectReason.BUSY);
    static final SignalBody CLOSE = new SignalBody.LinkClose("lan1", LINK, A, B, CloseReason.UNWANTED);

    static final SignalBody WANT = new SignalBody.LinkWant("lan1", LINK, B, A, true);

    static final List<SignalBody> ALL = List.of(REQUEST, ACCEPT, REJECT, CLOSE, WANT);

    private Bodies() {
    }
}
