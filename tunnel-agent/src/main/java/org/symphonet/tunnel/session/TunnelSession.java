package org.symphonet.tunnel.session;

import java.io.IOException;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.bouncycastle.tls.DTLSTransport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.DownReason;
import org.symphonet.tunnel.Fingerprint;
import org.symphonet.tunnel.IceParameters;
import org.symphonet.tunnel.Tunnel;
import org.symphonet.tunnel.TunnelCounters;
import org.symphonet.tunnel.TunnelEvent;
import org.symphonet.tunnel.TunnelId;
import org.symphonet.tunnel.TunnelListener;
import org.symphonet.tunnel.TunnelRequest;
import org.symphonet.tunnel.datapath.Datapath;
import org.symphonet.tunnel.dtls.BatchingPath;
import org.symphonet.tunnel.dtls.DtlsHandshake;
import org.symphonet.tunnel.dtls.HandshakeException;
import org.symphonet.tunnel.dtls.RecordChannel;
import org.symphonet.tunnel.dtls.RecordTransport;
import org.symphonet.tunnel.ice.EstablishedPath;
import org.symphonet.tunnel.ice.LocalPath;
import org.symphonet.tunnel.io.NativeIo;
import org.symphonet.tunnel.liveness.Liveness;

/**
 * The life of one tunnel: path, handshake, port, data path, timers; and a
 * teardown that runs exactly once, in reverse order, whatever triggered it.
 */
final class TunnelSession implements Tunnel {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelSession.class);
    /** Largest Ethernet frame accepted from the peer: MTU + header + two VLAN tags. */
    private static final int FRAME_OVERHEAD = 14 + 8;

    private final TunnelRequest request;
    private final String portName;
    private final AgentConfig config;
    private final LocalPath localPath;
    private final DtlsHandshake handshake;
    private final PortFactory ports;
    private final ScheduledExecutorService timers;
    private final ExecutorService workers;
    private final TunnelListener listener;
    private final Consumer<TunnelSession> onGone;
    private final TunnelCounters counters = new TunnelCounters();
    private final AtomicBoolean connectCalled = new AtomicBoolean();
    private final AtomicBoolean down = new AtomicBoolean();

    // Written by the setup task before the Up event, read by teardown, which
    // synchronizes on this object with the setup's publication.
    private RecordTransport transport;
    private DTLSTransport dtls;
    private PortFactory.BoundPort port;
    private Datapath datapath;
    private ScheduledFuture<?> keepalive;
    private Liveness liveness;
    private ScheduledFuture<?> stats;

    TunnelSession(TunnelRequest request, String portName, AgentConfig config, LocalPath localPath,
                  DtlsHandshake handshake, PortFactory ports, ScheduledExecutorService timers,
                  ExecutorService workers, TunnelListener listener, Consumer<TunnelSession> onGone) {
        this.request = request;
        this.portName = portName;
        this.config = config;
        this.localPath = localPath;
        this.handshake = handshake;
        this.ports = ports;
        this.timers = timers;
        this.workers = workers;
        this.listener = listener;
        this.onGone = onGone;
    }

    @Override
    public TunnelId id() {
        return request.id();
    }

    @Override
    public IceParameters localParameters() {
        return localPath.localParameters();
    }

    @Override
    public TunnelCounters.Snapshot counters() {
        return counters.snapshot();
    }

    @Override
    public void connect(Fingerprint peerFingerprint, IceParameters remote) {
        if (!connectCalled.compareAndSet(false, true)) {
            throw new IllegalStateException("connect already called for " + id());
        }
        workers.execute(() -> setUp(peerFingerprint, remote));
    }

    private void setUp(Fingerprint peerFingerprint, IceParameters remote) {
        boolean client = id().localIsDtlsClient();
        EstablishedPath path;
        try {
            path = localPath.establish(remote, client, config.handshakeTimeout(), counters.rxForeign);
        } catch (IOException | RuntimeException e) {
            goDown(DownReason.ICE_FAILED, "no working path: " + e.getMessage());
            return;
        }
        RecordTransport rt = new RecordTransport(path.path(), counters.rxMalformed, counters.rxOffered);
        synchronized (this) {
            transport = rt;
        }
        DTLSTransport established;
        try {
            established = handshake.run(client, peerFingerprint, rt);
        } catch (HandshakeException e) {
            counters.handshakeFailures.incrementAndGet();
            goDown(e.reason(), e.getMessage());
            return;
        }
        try {
            // ICE's sockets were right for the checks; for bulk data the path may hand over to a
            // batched socket on the same address. After the handshake, so the peer is surely done
            // with its checks (its DTLS flights reached us).
            rt.usePath(rt.path().takeOver(counters.rxForeign));
        } catch (IOException | RuntimeException e) {
            try {
                established.close();
            } catch (IOException | RuntimeException closing) {
                // The path is gone anyway.
            }
            goDown(DownReason.ICE_FAILED, "could not move the tunnel onto its own socket: " + e.getMessage());
            return;
        }
        try {
            synchronized (this) {
                if (down.get()) {
                    established.close();
                    return;
                }
                dtls = established;
                port = ports.open(portName, request.bridge());
                Liveness liveness = new Liveness(config.deadInterval().toNanos(), counters.rttMicros,
                        System.nanoTime());
                this.liveness = liveness;
                datapath = new Datapath(portName, RecordChannel.open(established, rt), rt, port.port(), counters,
                        liveness, (reason, detail) -> workers.execute(() -> goDown(reason, detail)),
                        config.tapMtu() + FRAME_OVERHEAD, config.clampTcpMss());
                datapath.start();
                long ka = config.keepaliveInterval().toMillis();
                long now = System.nanoTime() / 1_000_000;
                keepalive = timers.scheduleAtFixedRate(() -> tick(liveness), alignedDelay(now, ka), ka,
                        TimeUnit.MILLISECONDS);
                long st = config.statsInterval().toMillis();
                stats = timers.scheduleAtFixedRate(() -> emit(new TunnelEvent.Stats(id(), Instant.now(),
                        counters.snapshot())), alignedDelay(now, st), st, TimeUnit.MILLISECONDS);
            }
        } catch (IOException | RuntimeException e) {
            goDown(DownReason.LOCAL_SETUP_FAILED, "port " + portName + " on " + request.bridge() + ": "
                    + e.getMessage());
            return;
        }
        LOG.info("tunnel up overlay={} peer={} port={} type={} local={} remote={} socket={} threads={} records={} io={} hop={}",
                id().overlayId(), id().peer(), portName, path.type().label(), path.path().localAddress(),
                path.path().remoteAddress(), rt.path() instanceof BatchingPath ? "batched" : "unbatched",
                datapath == null ? 0 : datapath.threadCount(), datapath == null ? "-" : datapath.records(),
                NativeIo.LOADED ? "jni" : "jna", datapath == null ? "-" : datapath.hop());
        emit(new TunnelEvent.Up(id(), Instant.now(), path.type(), portName, path.path().localAddress(),
                path.path().remoteAddress()));
    }

    /**
     * Milliseconds from {@code nowMillis} (monotonic) to its next multiple of {@code period}: the
     * periodic tasks of all tunnels (keepalives, stats) then fall due together and run in one wake-up
     * of the timer thread, instead of one wake-up per tunnel and period (an idle node with 10 links
     * woke its timer thread about 5 times a second).
     */
    static long alignedDelay(long nowMillis, long period) {
        return period - Math.floorMod(nowMillis, period);
    }

    private void tick(Liveness liveness) {
        long now = System.nanoTime();
        if (liveness.isDead(now)) {
            workers.execute(() -> {
                // Asked again on the worker: under load the timer can fire late and a frame can land
                // between the two (a 32-node run logged "nothing heard for -249 ms" on a live tunnel).
                long at = System.nanoTime();
                if (liveness.isDead(at)) {
                    goDown(DownReason.DEAD_INTERVAL, "nothing heard for "
                            + TimeUnit.NANOSECONDS.toMillis(liveness.silentNanos(at)) + " ms");
                }
            });
            return;
        }
        try {
            Datapath dp = datapath;
            if (dp != null) {
                dp.sendKeepalive();
            }
        } catch (IOException | RuntimeException e) {
            // A lost probe is what the dead interval is for.
        }
    }

    /** Probes every {@value #FAST_PROBE_MILLIS} ms: a few chances for one lost datagram in a short window. */
    private static final long FAST_PROBE_MILLIS = 100;

    @Override
    public void checkAlive(java.time.Duration window) {
        Datapath dp;
        Liveness lv;
        synchronized (this) {
            dp = datapath;
            lv = liveness;
        }
        if (dp == null || lv == null || down.get()) {
            return;
        }
        long since = System.nanoTime();
        long windowMillis = Math.max(FAST_PROBE_MILLIS, window.toMillis());
        for (long at = 0; at < windowMillis; at += FAST_PROBE_MILLIS) {
            timers.schedule(() -> {
                try {
                    if (!down.get()) {
                        dp.sendKeepalive();
                    }
                } catch (IOException | RuntimeException e) {
                    // A probe that cannot be sent is answered by nobody: the check below decides.
                }
            }, at, TimeUnit.MILLISECONDS);
        }
        timers.schedule(() -> {
            if (!lv.heardSince(since)) {
                workers.execute(() -> goDown(DownReason.DEAD_INTERVAL, "no answer to a fast check: nothing heard for "
                        + TimeUnit.NANOSECONDS.toMillis(lv.silentNanos(System.nanoTime())) + " ms"));
            }
        }, windowMillis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        goDown(DownReason.CLOSED_LOCALLY, "closed by the overlay manager");
    }

    /** The DTLS session once up (null before): tests send a bare close_notify through it. */
    synchronized DTLSTransport dtls() {
        return dtls;
    }

    /**
     * Teardown, exactly once: a Lost event if the tunnel was up, then timers, data path, DTLS, socket,
     * OVS port, TAP; then the Down event. Lost goes out before any of the slow steps so the port leaves
     * the switch's view while they run.
     */
    void goDown(DownReason reason, String detail) {
        if (!down.compareAndSet(false, true)) {
            return;
        }
        boolean wasUp;
        synchronized (this) {
            wasUp = datapath != null;
        }
        if (wasUp) {
            emit(new TunnelEvent.Lost(id(), Instant.now(), reason, detail));
        }
        synchronized (this) {
            if (keepalive != null) {
                keepalive.cancel(false);
            }
            if (stats != null) {
                stats.cancel(false);
            }
            if (datapath != null) {
                if (reason == DownReason.CLOSED_LOCALLY) {
                    datapath.sendClose();
                }
                datapath.stop();
            }
            if (dtls != null) {
                try {
                    dtls.close();
                } catch (IOException | RuntimeException e) {
                    // The socket may already be gone; nothing left to release.
                }
            }
            if (transport != null) {
                transport.close();
            }
            localPath.close();
            if (port != null) {
                port.close();
            }
        }
        LOG.info("tunnel down overlay={} peer={} reason={} detail={}", id().overlayId(), id().peer(),
                reason, detail);
        onGone.accept(this);
        emit(new TunnelEvent.Down(id(), Instant.now(), reason, detail));
    }

    private void emit(TunnelEvent event) {
        try {
            listener.onEvent(event);
        } catch (RuntimeException e) {
            LOG.warn("tunnel listener failed on {}", event, e);
        }
    }
}
