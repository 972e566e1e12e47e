package org.symphonet.tunnel.ice;

import java.io.IOException;

import org.symphonet.tunnel.TunnelId;

/** Makes the local end of a tunnel's path: plain UDP or ICE. */
public interface PathFactory extends AutoCloseable {

    LocalPath prepare(TunnelId id) throws IOException;

    @Override
    void close();
}
