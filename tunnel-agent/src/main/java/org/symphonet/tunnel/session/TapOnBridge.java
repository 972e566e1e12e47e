package org.symphonet.tunnel.session;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.tunnel.ovs.OvsPorts;
import org.symphonet.tunnel.tap.FramePort;
import org.symphonet.tunnel.tap.TapDevice;

/** Production ports: a TAP device, added to the bridge with {@code ovs-vsctl --may-exist add-port}. */
public final class TapOnBridge implements PortFactory {
    private static final Logger LOG = LoggerFactory.getLogger(TapOnBridge.class);

    private final OvsPorts ovs;
    private final int mtu;

    public TapOnBridge(OvsPorts ovs, int mtu) {
        this.ovs = ovs;
        this.mtu = mtu;
    }

    @Override
    public BoundPort open(String name, String bridge) throws IOException {
        TapDevice tap = TapDevice.open(name, mtu);
        try {
            ovs.attach(bridge, name);
        } catch (IOException e) {
            tap.close();
            throw e;
        }
        return new BoundPort() {
            @Override
            public FramePort port() {
                return tap;
            }

            @Override
            public String name() {
                return name;
            }

            @Override
            public void close() {
                try {
                    ovs.detach(bridge, name);
                } catch (IOException e) {
                    // The port is then stale; the next start's clean-up removes it.
                    LOG.warn("could not remove OVS port {} from {}: {}", name, bridge, e.getMessage());
                }
                tap.close();
            }
        };
    }
}
