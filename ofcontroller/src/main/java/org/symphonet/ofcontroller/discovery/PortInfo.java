package org.symphonet.ofcontroller.discovery;

import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.types.OFPort;

/** A switch port as the switch last described it. */
public record PortInfo(int number, String name, boolean live) {

    /** The port in a description, or null for reserved ports other than LOCAL (the bridge's own interface). */
    public static PortInfo of(OFPortDesc d) {
        OFPort no = d.getPortNo();
        int n = no.getPortNumber();
        if (!no.equals(OFPort.LOCAL) && (n == 0 || Integer.compareUnsigned(n, OFPort.MAX.getPortNumber()) >= 0)) {
            return null;
        }
        Set<OFPortState> state = d.getState();
        Set<OFPortConfig> config = d.getConfig();
        boolean live = !config.contains(OFPortConfig.PORT_DOWN) && !state.contains(OFPortState.LINK_DOWN);
        return new PortInfo(n, d.getName(), live);
    }
}
