package org.symphonet.overlay.link;

import java.util.UUID;

import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.topology.LinkRole;

/**
 * A link as the status page shows it.
 *
 * @param phase    requested (waiting for the peer's answer), connecting (ICE/DTLS) or up
 * @param type     direct, reflexive or relayed once up; null before
 * @param port     the OVS port (TAP) name once up
 * @param rttMillis last keepalive round trip, or -1
 */
public record LinkInfo(UUID id, NodeId peer, LinkRole role, boolean outbound, String phase, String type, String port,
                       long upSinceMillis, double rttMillis, long bytesIn, long bytesOut) {
}
