package org.symphonet.tunnel.session;

import java.io.IOException;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.tunnel.ovs.OvsPorts;
import org.symphonet.tunnel.tap.PacketSocketPort;

/**
 * Production ports: an OVS port of {@code type=tap} (ovs-vswitchd creates and reads the TAP),
 * which the tunnel reaches through a packet socket. See {@link PacketSocketPort} for why this
 * beats handing OVS a TAP we hold ourselves. Needs a userspace ({@code netdev}) bridge, the only
 * kind the node creates: the kernel datapath would leave a {@code type=tap} port's queue unread.
 */
public final class TapOwnedByOvs implements PortFactory {
    private static final Logger LOG = LoggerFactory.getLogger(TapOwnedByOvs.class);
    /** Frames OVS may fall behind by before the TAP drops (~12 ms at 1 Gbit/s). */
    static final int QUEUE_FRAMES = 1000;
    private static final Duration APPEAR = Duration.ofSeconds(10);

    private final OvsPorts ovs;
    private final int mtu;

    public TapOwnedByOvs(OvsPorts ovs, int mtu) {
        this.ovs = ovs;
        this.mtu = mtu;
    }

    @Override
    public BoundPort open(String name, String bridge) throws IOException {
        ovs.attachOwnedTap(bridge, name, mtu);
        PacketSocketPort port;
        try {
            port = PacketSocketPort.open(name, APPEAR, QUEUE_FRAMES);
        } catch (IOException | RuntimeException e) {
            detach(bridge, name);
            throw e;
        }
        return BoundPort.of(name, port, () -> {
            port.close();
            detach(bridge, name);
        });
    }

    private void detach(String bridge, String name) {
        try {
            ovs.detach(bridge, name);
        } catch (IOException e) {
            // The port is then stale; the next start's clean-up removes it (and OVS its TAP).
            LOG.warn("could not remove OVS port {} from {}: {}", name, bridge, e.getMessage());
        }
    }
}
