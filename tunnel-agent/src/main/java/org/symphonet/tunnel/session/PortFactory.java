package org.symphonet.tunnel.session;

import java.io.IOException;

import org.symphonet.tunnel.tap.FramePort;

/** Creates the host side of a tunnel: in production a TAP attached to the overlay bridge. */
public interface PortFactory {

    BoundPort open(String name, String bridge) throws IOException;

    /** A frame port plus whatever must be undone when the tunnel goes. */
    interface BoundPort extends AutoCloseable {
        FramePort port();

        String name();

        /** Undoes everything {@link PortFactory#open} did; never throws. */
        @Override
        void close();

        /** A port named {@code name} whose {@link #close} runs {@code undo}. */
        static BoundPort of(String name, FramePort port, Runnable undo) {
            return new BoundPort() {
                @Override
                public FramePort port() {
                    return port;
                }

                @Override
                public String name() {
                    return name;
                }

                @Override
                public void close() {
                    undo.run();
                }
            };
        }
    }
}
