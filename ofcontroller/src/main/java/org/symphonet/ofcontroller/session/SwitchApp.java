package org.symphonet.ofcontroller.session;

import org.projectfloodlight.openflow.protocol.OFMessage;

/** The logic behind one switch that finished its handshake. Called on the session's thread only. */
public interface SwitchApp {

    /** An asynchronous message from the switch: packet-in, port-status, flow-removed. */
    void onMessage(OFMessage message);

    /** Once a second while connected. */
    void onTick();

    /** The connection is gone; the switch keeps its flows (fail-mode secure) until the next session resyncs it. */
    void onDisconnect();
}
