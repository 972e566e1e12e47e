package org.symphonet.ofcontroller.view;

import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * The controller's only source of overlay knowledge. The standalone controller reads it from a
 * static file; the node feeds it live from the link manager. The controller never learns about
 * XMPP or tunnels, only which bridge is which node and which port leads to which peer.
 */
public interface TopologyView {

    /** The bridge with this datapath ID, or empty when it is not part of any overlay (a plain learning switch). */
    Optional<BridgeTopology> bridge(long datapathId);

    /** Registers a listener told the datapath ID of every bridge whose topology changed. */
    void addListener(LongConsumer changedDatapath);
}
