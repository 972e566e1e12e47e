package org.symphonet.ofcontroller.session;

import java.util.List;

import org.projectfloodlight.openflow.protocol.OFPortDesc;

/** Makes the logic for a switch once its handshake is done. */
public interface SwitchAppFactory {
    SwitchApp connected(SwitchSession session, long datapathId, List<OFPortDesc> ports);
}
