package org.symphonet.tunnel.session;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.DownReason;
import org.symphonet.tunnel.Fingerprint;
import org.symphonet.tunnel.Tunnel;
import org.symphonet.tunnel.TunnelAgent;
import org.symphonet.tunnel.TunnelId;
import org.symphonet.tunnel.TunnelListener;
import org.symphonet.tunnel.TunnelRequest;
import org.symphonet.tunnel.dtls.DtlsCredentials;
import org.symphonet.tunnel.dtls.DtlsHandshake;
import org.symphonet.tunnel.dtls.NodeCertificate;
import org.symphonet.tunnel.ice.DirectUdpPaths;
import org.symphonet.tunnel.ice.IcePaths;
import org.symphonet.tunnel.ice.PathFactory;
import org.symphonet.tunnel.ovs.OvsPorts;
import org.symphonet.tunnel.ovs.OvsVsctl;
import org.symphonet.tunnel.tap.TapNames;

/** The agent: node certificate, shared timers and workers, and the tunnels it has open. */
public final class DefaultTunnelAgent implements TunnelAgent {
    private static final Logger LOG = LoggerFactory.getLogger(DefaultTunnelAgent.class);

    private final AgentConfig config;
    private final DtlsCredentials credentials;
    private final PathFactory paths;
    private final PortFactory ports;
    private final OvsPorts ovs;
    private final TapNames names;
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    private final Map<TunnelId, TunnelSession> open = new ConcurrentHashMap<>();

    public DefaultTunnelAgent(AgentConfig config) throws IOException {
        this(config, NodeCertificate.loadOrCreate(config.stateDir()), defaultPaths(config), null);
    }

    /**
     * @param ports where frames go; null for TAPs that OVS owns on the overlay bridge
     */
    public DefaultTunnelAgent(AgentConfig config, NodeCertificate certificate, PathFactory paths,
                              PortFactory ports) {
        this.config = config;
        this.credentials = new DtlsCredentials(certificate);
        this.paths = paths;
        this.ovs = new OvsPorts(new OvsVsctl(config.ovsDb()));
        this.ports = ports != null ? ports : new TapOwnedByOvs(ovs, config.tapMtu());
        this.names = new TapNames(config.tapPrefix());
        this.timers = Executors.newScheduledThreadPool(1, daemon("tunnel-timer"));
        this.workers = Executors.newCachedThreadPool(daemon("tunnel-worker"));
    }

    /** Plain UDP or ICE, as the configuration says. */
    public static PathFactory defaultPaths(AgentConfig config) {
        return config.ice().useIce() ? new IcePaths(config) : new DirectUdpPaths(config.ice().bind(), config.pathMtu());
    }

    @Override
    public Fingerprint localFingerprint() {
        return credentials.node().fingerprint();
    }

    @Override
    public Tunnel open(TunnelRequest request, TunnelListener listener) throws IOException {
        TunnelId id = request.id();
        if (open.containsKey(id)) {
            throw new IllegalStateException("tunnel already open: " + id);
        }
        TunnelSession session = new TunnelSession(request, names.nameFor(id.overlayId(), id.peer()), config,
                paths.prepare(id), new DtlsHandshake(credentials, (int) config.handshakeTimeout().toMillis()),
                ports, timers, workers, listener, s -> open.remove(s.id(), s));
        if (open.putIfAbsent(id, session) != null) {
            session.close();
            throw new IllegalStateException("tunnel already open: " + id);
        }
        return session;
    }

    @Override
    public int removeStalePorts(String bridge) {
        try {
            int n = ovs.removeMatching(bridge, names::isOurs);
            if (n > 0) {
                LOG.info("removed {} stale tunnel port(s) from {}", n, bridge);
            }
            return n;
        } catch (IOException e) {
            LOG.warn("stale port clean-up on {} failed: {}", bridge, e.getMessage());
            return 0;
        }
    }

    @Override
    public void close() {
        for (TunnelSession s : open.values()) {
            s.goDown(DownReason.CLOSED_LOCALLY, "agent shutting down");
        }
        timers.shutdownNow();
        workers.shutdown();
        paths.close();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
