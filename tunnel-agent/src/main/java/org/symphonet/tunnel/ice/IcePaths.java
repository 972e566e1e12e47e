package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.TunnelId;
import org.symphonet.tunnel.dtls.MmsgUdpPath;

/**
 * ICE of our own ({@link IceSession}): one batched UDP socket per tunnel, bound to
 * all local addresses, gathers host, server-reflexive (STUN) and relayed (TURN,
 * long-term credentials) candidates, runs the checks and then carries the data of
 * whichever pair was selected — direct, or through the relay in a TURN channel.
 * Gathering happens in {@link #prepare}, checks in {@link LocalPath#establish}.
 * IPv4 only, like the batched socket.
 */
public final class IcePaths implements PathFactory {
    private final AgentConfig config;
    private final SecureRandom random = new SecureRandom();
    /** TURN refreshes and STUN retransmissions of every tunnel after ICE: light, one thread. */
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ice-timers");
        t.setDaemon(true);
        return t;
    });

    public IcePaths(AgentConfig config) {
        this.config = config;
    }

    @Override
    public LocalPath prepare(TunnelId id) throws IOException {
        MmsgUdpPath socket = MmsgUdpPath.open(new InetSocketAddress(InetAddress.getByAddress(new byte[4]), 0),
                config.pathMtu(), new AtomicLong());
        try {
            IceSession session = new IceSession(config, socket, timers, random, IceSession.hostAddresses(config));
            return new IceLocalPath(session, session.gather());
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public void close() {
        timers.shutdownNow();
    }
}
