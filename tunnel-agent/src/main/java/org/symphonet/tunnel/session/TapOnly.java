package org.symphonet.tunnel.session;

import java.io.IOException;

import org.symphonet.tunnel.tap.TapDevice;

/**
 * A TAP that joins no bridge: for measuring the tunnel alone (addresses on the
 * TAPs) and for hosts that wire the TAP up themselves.
 */
public final class TapOnly implements PortFactory {
    private final int mtu;

    public TapOnly(int mtu) {
        this.mtu = mtu;
    }

    @Override
    public BoundPort open(String name, String bridge) throws IOException {
        TapDevice tap = TapDevice.open(name, mtu);
        return BoundPort.of(name, tap, tap::close);
    }
}
