package org.symphonet.overlay.signal;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.ConnectionListener;
import org.jivesoftware.smack.ReconnectionManager;
import org.jivesoftware.smack.XMPPConnection;
import org.jivesoftware.smack.filter.AndFilter;
import org.jivesoftware.smack.filter.StanzaExtensionFilter;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.ExtensionElement;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.packet.Presence;
import org.jivesoftware.smack.packet.StandardExtensionElement;
import org.jivesoftware.smack.packet.Stanza;
import org.jivesoftware.smack.roster.Roster;
import org.jivesoftware.smack.roster.RosterEntry;
import org.jivesoftware.smack.roster.RosterListener;
import org.jivesoftware.smack.roster.RosterLoadedListener;
import org.jivesoftware.smack.roster.packet.RosterPacket;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smackx.ping.PingManager;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityFullJid;
import org.jxmpp.jid.Jid;
import org.jxmpp.jid.impl.JidCreate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.ofcontroller.view.NodeId;
import org.symphonet.overlay.config.TlsMode;
import org.symphonet.overlay.config.XmppConfig;

/**
 * The node's XMPP session (DESIGN.md §2, §3): logs in, announces node ID and overlays in presence,
 * carries link negotiation bodies in messages, and keeps reconnecting when the server goes away: to
 * the next of its configured servers (the members of one clustered domain), with backoff once all
 * failed ({@link ServerRotation}). Trust is the roster: only accounts with a mutual ({@code both})
 * subscription are peers; every stanza from anyone else is dropped and logged.
 *
 * <p>Threading: Smack delivers stanzas on its own threads; synchronous listeners (which Smack calls
 * in arrival order, unlike asynchronous ones) only hand them to one private thread, which also
 * connects, sends presence and calls the {@link SignalListener}. So events keep their order (a
 * link-close never overtakes its link-request) and all state here is confined to that thread
 * except the counters.
 */
public final class XmppSignaling implements AutoCloseable {

    static {
        SmackSetup.prepare();
    }

    public static final String SIGNAL_ELEMENT = "signal";
    public static final String SIGNAL_NAMESPACE = "urn:symphonet:signal:1";

    private static final Logger log = LoggerFactory.getLogger(XmppSignaling.class);

    private final XmppConfig config;
    private final NodeId self;
    private final Set<String> overlays;
    private final SignalListener listener;
    private final SignalingOptions options;
    private final SignalCodec codec = new SignalCodec();
    private final ScheduledExecutorService thread;
    private final ServerRotation rotation;
    private final WireCounters wire = new WireCounters();
    /** This process's run, announced in presence so peers notice a restart (never 0: 0 means "not said"). */
    private final long run;
    /** One connection per configured server, in order; only {@link #connection} is in use. */
    private final List<XMPPTCPConnection> connections;
    /** The connection of the server being tried or used, and its roster; changed only on {@link #thread}. */
    private volatile XMPPTCPConnection connection;
    private volatile Roster roster;

    /** Online trusted peers by full JID; touched only on {@link #thread}. */
    private final Map<String, Peer> peers = new HashMap<>();
    /** Our presence directed to peers that may not have it, ahead of our messages to them. */
    private final PresenceRepair presenceRepair = new PresenceRepair(5_000);
    private volatile Thread signalThread;
    private volatile boolean up;
    private volatile boolean secure;
    private volatile boolean closed;
    /** Set once {@link #close()} starts: our own disconnect is no lost connection. */
    private volatile boolean closing;
    private ScheduledFuture<?> pendingAttempt;
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final DropLog dropLog = new DropLog(log, 10, 60_000);

    public XmppSignaling(XmppConfig config, NodeId self, Set<String> overlays, SignalListener listener,
                         SignalingOptions options) {
        this.config = config;
        this.self = self;
        this.overlays = Set.copyOf(overlays);
        this.listener = listener;
        this.options = options;
        Random random = new Random();
        this.rotation = new ServerRotation(config.servers(), options.reconnectInitial(),
                new Backoff(options.reconnectInitial(), options.reconnectMax(), random), random);
        this.run = newRun(new SecureRandom());
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "symphonet-signal-" + self.shortHex());
            t.setDaemon(true);
            signalThread = t;
            return t;
        });
        List<XMPPTCPConnection> cs = new java.util.ArrayList<>();
        for (String server : config.servers()) {
            XMPPTCPConnection c = new XMPPTCPConnection(connectionConfig(config, server, options, wire));
            c.setReplyTimeout(options.connectTimeout().toMillis());
            Roster r = Roster.getInstanceFor(c);
            // Membership is managed by the operator (shared roster groups), never by whoever asks.
            r.setSubscriptionMode(Roster.SubscriptionMode.reject_all);
            // One reconnect loop only: ours, with backoff, rotation and our presence on the way back.
            ReconnectionManager.getInstanceFor(c).disableAutomaticReconnection();
            // A server that vanished without a TCP reset is only noticed by pinging it.
            PingManager ping = PingManager.getInstanceFor(c);
            ping.setPingInterval((int) options.pingInterval().toSeconds());
            ping.registerPingFailedListener(() -> onThread(() -> {
                if (c == connection) {
                    c.instantShutdown();
                    lost(c, "server did not answer ping");
                }
            }));
            wire(c, r);
            cs.add(c);
        }
        this.connections = List.copyOf(cs);
        this.connection = connections.get(0);
        this.roster = Roster.getInstanceFor(connection);
    }

    private static XMPPTCPConnectionConfiguration connectionConfig(XmppConfig c, String server, SignalingOptions o,
                                                                   WireCounters counters) {
        try {
            XMPPTCPConnectionConfiguration.Builder b = XMPPTCPConnectionConfiguration.builder()
                    .setXmppDomain(c.domain())
                    .setHost(server)
                    .setSocketFactory(counters.socketFactory())
                    .setPort(c.port())
                    .setUsernameAndPassword(c.localpart(), c.password())
                    .setResource(c.resource())
                    .setSecurityMode(securityMode(c.tls()))
                    .setConnectTimeout((int) o.connectTimeout().toMillis())
                    // Our presence carries the extension; it is sent once the roster is loaded.
                    .setSendPresence(false);
            if (c.caFile().isPresent()) {
                b.setCustomX509TrustManager(TrustFiles.trustManager(c.caFile().get()));
            } else if (c.tls() == TlsMode.DISABLED) {
                // Smack initialises a TLS context for every connection; without a trust manager of
                // ours the JDK loads and parses its whole CA store for it (70-80 ms of a node's
                // start-up CPU), which a connection without TLS never consults. Nor the JDK's TLS
                // context itself (DisabledTls).
                b.setCustomX509TrustManager(TrustFiles.refuseAll());
                b.setSslContextFactory(DisabledTls::context);
            }
            return b.build();
        } catch (org.jxmpp.stringprep.XmppStringprepException e) {
            throw new IllegalArgumentException("bad XMPP address in config: " + e.getMessage(), e);
        }
    }

    private static SecurityMode securityMode(TlsMode m) {
        return switch (m) {
            case REQUIRED -> SecurityMode.required;
            case IF_OFFERED -> SecurityMode.ifpossible;
            case DISABLED -> SecurityMode.disabled;
        };
    }

    /**
     * Listeners of one server's connection. Events of a connection that is no longer the one in use
     * (a late close or stanza from the server we left) are ignored.
     */
    private void wire(XMPPTCPConnection connection, Roster roster) {
        connection.addConnectionListener(new ConnectionListener() {
            @Override
            public void connectionClosedOnError(Exception e) {
                onThread(() -> lost(connection, "connection lost: " + e));
            }

            /**
             * A server shutting down closes the stream politely, and Smack answers that with a
             * plain disconnect: without this a node would sit idle until its next ping failed.
             */
            @Override
            public void connectionClosed() {
                if (!closing) {
                    onThread(() -> lost(connection, "server closed the stream"));
                }
            }
        });
        // Counting only: the filter sees every stanza and accepts none.
        connection.addStanzaListener(s -> { }, s -> {
            wire.stanzaIn();
            return false;
        });
        connection.addStanzaSendingListener(s -> { }, s -> {
            wire.stanzaOut();
            return false;
        });
        roster.addRosterLoadedListener(new RosterLoadedListener() {
            @Override
            public void onRosterLoaded(Roster r) {
                onThread(() -> {
                    if (connection == XmppSignaling.this.connection) {
                        online();
                    }
                });
            }

            @Override
            public void onRosterLoadingFailed(Exception e) {
                log.warn("roster loading failed: {}", e.toString());
            }
        });
        roster.addRosterListener(new RosterListener() {
            @Override
            public void entriesAdded(java.util.Collection<Jid> a) {
            }

            @Override
            public void entriesUpdated(java.util.Collection<Jid> a) {
                onThread(XmppSignaling.this::recheckTrust);
            }

            @Override
            public void entriesDeleted(java.util.Collection<Jid> a) {
                onThread(XmppSignaling.this::recheckTrust);
            }

            @Override
            public void presenceChanged(Presence p) {
            }
        });
        connection.addSyncStanzaListener(p -> onThread(connection, () -> onPresence((Presence) p)),
                new AndFilter(StanzaTypeFilter.PRESENCE, new StanzaExtensionFilter(PresenceCodec.ELEMENT,
                        PresenceCodec.NAMESPACE)));
        // Unavailable presence carries no extension: watch all unavailable presence separately.
        connection.addSyncStanzaListener(p -> onThread(connection, () -> onUnavailable((Presence) p)),
                s -> s instanceof Presence pr && pr.getType() == Presence.Type.unavailable);
        connection.addSyncStanzaListener(m -> onThread(connection, () -> onMessage((Message) m)),
                new AndFilter(StanzaTypeFilter.MESSAGE, new StanzaExtensionFilter(SIGNAL_ELEMENT, SIGNAL_NAMESPACE)));
    }

    /** Runs {@code r} on the signaling thread if {@code from} is still the connection in use then. */
    private void onThread(XMPPTCPConnection from, Runnable r) {
        onThread(() -> {
            if (from == connection) {
                r.run();
            }
        });
    }

    /** Starts connecting in the background; failures are retried with backoff until {@link #close}. */
    public void start() {
        onThread(this::attempt);
        thread.scheduleAtFixedRate(() -> {
            if (up) {
                sendPresence();
            }
        }, options.presenceInterval().toMillis(), options.presenceInterval().toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isUp() {
        return up;
    }

    /** The full JID this session is bound to, once logged in. */
    public Optional<String> ownJid() {
        EntityFullJid u = connection.getUser();
        return Optional.ofNullable(u).map(Object::toString);
    }

    public SignalStats stats() {
        return new SignalStats(up, up && secure, peerCountSnapshot, received.get(), sent.get(), dropped.get(),
                reconnects.get(), serverSnapshot, wire.snapshot());
    }

    /** The server of the session in use (or being tried): which node of a cluster serves this node. */
    private volatile String serverSnapshot;

    private volatile int peerCountSnapshot;

    /**
     * Sends {@code body} to the online peer whose node ID is {@code body.to()}. Returns false, and
     * sends nothing, when this session is down or that node is not an online trusted peer; the
     * link manager's deadline and retry take it from there.
     */
    public java.util.concurrent.CompletableFuture<Boolean> send(SignalBody body) {
        if (Thread.currentThread() == signalThread) {
            // Called from a listener callback: run inline, or waiting on the future would deadlock.
            return java.util.concurrent.CompletableFuture.completedFuture(sendNow(body));
        }
        java.util.concurrent.CompletableFuture<Boolean> result = new java.util.concurrent.CompletableFuture<>();
        onThread(() -> result.complete(sendNow(body)));
        if (closed) {
            result.complete(false);
        }
        return result;
    }

    private boolean sendNow(SignalBody body) {
        if (!up) {
            log.debug("not sending {} {}: XMPP is down", body.kind().wire(), body.link());
            return false;
        }
        Optional<Peer> to = peers.values().stream().filter(p -> p.node().equals(body.to())).findFirst();
        if (to.isEmpty()) {
            log.info("not sending {} overlay={} link={} to {}: no online trusted peer with that node ID",
                    body.kind().wire(), body.overlay(), body.link(), body.to().shortHex());
            return false;
        }
        try {
            if (presenceRepair.presenceDue(to.get().jid(), System.currentTimeMillis())) {
                sendPresence(JidCreate.from(to.get().jid()));
            }
            Message m = connection.getStanzaFactory().buildMessageStanza()
                    .to(JidCreate.from(to.get().jid()))
                    // headline: servers do not store it offline, so a stale request is never replayed.
                    .ofType(Message.Type.headline)
                    .addExtension(StandardExtensionElement.builder(SIGNAL_ELEMENT, SIGNAL_NAMESPACE)
                            .setText(codec.encode(body)).build())
                    .build();
            connection.sendStanza(m);
            sent.incrementAndGet();
            log.debug("sent {} overlay={} link={} to {}", body.kind().wire(), body.overlay(), body.link(), to.get().jid());
            return true;
        } catch (Exception e) {
            log.warn("sending {} overlay={} link={} to {} failed: {}", body.kind().wire(), body.overlay(),
                    body.link(), to.get().jid(), e.toString());
            return false;
        }
    }

    /** A snapshot of online trusted peers; runs on the signaling thread. */
    public java.util.concurrent.CompletableFuture<List<Peer>> peers() {
        java.util.concurrent.CompletableFuture<List<Peer>> f = new java.util.concurrent.CompletableFuture<>();
        onThread(() -> f.complete(List.copyOf(peers.values())));
        return f;
    }

    private void onThread(Runnable r) {
        if (closed) {
            return;
        }
        try {
            thread.execute(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    // A listener bug must not kill the only signaling thread.
                    log.error("signaling event failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // Closing.
        }
    }

    private void attempt() {
        pendingAttempt = null;
        XMPPTCPConnection c = connections.get(rotation.current());
        if (closed || c.isAuthenticated()) {
            return;
        }
        connection = c;
        roster = Roster.getInstanceFor(c);
        serverSnapshot = rotation.currentServer();
        try {
            if (!c.isConnected()) {
                c.connect();
            }
            c.login();
            log.info("XMPP logged in as {} via {}:{} (TLS {})", c.getUser(), rotation.currentServer(), config.port(),
                    c.isSecureConnection() ? "on" : "off");
            secure = c.isSecureConnection();
        } catch (Exception e) {
            if (closed) {
                return;
            }
            String server = rotation.currentServer();
            Duration d = rotation.failed();
            log.warn("XMPP login to {}:{} failed ({}); trying {} in {} ms", server, config.port(),
                    e.toString(), rotation.currentServer(), d.toMillis());
            if (c.isConnected()) {
                c.instantShutdown();
            }
            schedule(d);
        }
    }

    private void schedule(Duration d) {
        if (pendingAttempt == null && !closed) {
            pendingAttempt = thread.schedule(this::attempt, d.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** Roster loaded after login: now announce ourselves, so peers' presence finds a loaded roster. */
    private void online() {
        if (!connection.isAuthenticated()) {
            return;
        }
        sendPresence();
        rotation.succeeded();
        if (!up) {
            up = true;
            listener.connectionChanged(true);
        }
    }

    private void sendPresence() {
        sendPresence(null);
    }

    /** Our presence, broadcast by the server ({@code to} null) or directed to one peer. */
    private void sendPresence(Jid to) {
        try {
            org.jivesoftware.smack.packet.PresenceBuilder p = connection.getStanzaFactory().buildPresenceStanza()
                    .ofType(Presence.Type.available)
                    .addExtension(PresenceCodec.encode(self, run, overlays));
            if (to != null) {
                p.to(to);
            }
            connection.sendStanza(p.build());
        } catch (Exception e) {
            log.warn("sending presence failed: {}", e.toString());
        }
    }

    private void lost(XMPPTCPConnection from, String why) {
        if (from != connection || pendingAttempt != null) {
            // A late report from a server we already left, or the same loss reported twice (ping
            // and close): the rotation must move on once per loss.
            return;
        }
        boolean wasUp = up;
        up = false;
        for (Peer p : List.copyOf(peers.values())) {
            removePeer(p.jid());
        }
        if (wasUp) {
            listener.connectionChanged(false);
        }
        if (!closed) {
            reconnects.incrementAndGet();
            String server = rotation.currentServer();
            Duration d = rotation.failed();
            log.warn("XMPP {} on {}; reconnecting to {} in {} ms (tunnels stay up)", why, server,
                    rotation.currentServer(), d.toMillis());
            schedule(d);
        }
    }

    private boolean trusted(Jid from) {
        RosterEntry e = roster.getEntry(from.asBareJid());
        return e != null && e.getType() == RosterPacket.ItemType.both;
    }

    private void drop(Stanza s, String why) {
        dropped.incrementAndGet();
        String from = String.valueOf(s.getFrom());
        dropLog.drop(s instanceof Message ? "message" : "presence", from, why, System.currentTimeMillis());
        listener.dropped(from, why);
    }

    private void onPresence(Presence p) {
        if (p.getType() != Presence.Type.available || p.getFrom() == null) {
            return;
        }
        String from = p.getFrom().toString();
        if (from.equals(ownJid().orElse(null))) {
            return;
        }
        if (!(p.getFrom() instanceof EntityFullJid)) {
            drop(p, "presence from a JID without resource");
            return;
        }
        if (!trusted(p.getFrom())) {
            drop(p, "not a mutual roster contact");
            return;
        }
        List<ExtensionElement> exts = p.getExtensions(PresenceCodec.ELEMENT, PresenceCodec.NAMESPACE);
        StringBuilder why = new StringBuilder();
        Optional<PresenceCodec.Announcement> a = exts.size() == 1 ? PresenceCodec.decode(exts.get(0), why)
                : Optional.empty();
        if (a.isEmpty()) {
            drop(p, exts.size() == 1 ? why.toString() : "presence carries " + exts.size() + " symphonet elements");
            return;
        }
        if (a.get().node().equals(self)) {
            drop(p, "peer claims our own node ID " + self + " (copied state directory?)");
            return;
        }
        Peer peer = new Peer(from, a.get().node(), a.get().run(), a.get().overlays());
        // One full JID per node ID: a node that came back under a new resource replaces its old entry
        // (whose unavailable presence may come late or never), so messages go to the live session.
        for (Peer other : List.copyOf(peers.values())) {
            if (!other.jid().equals(from) && other.node().equals(peer.node())) {
                if (!other.account().equals(peer.account())) {
                    log.warn("node ID {} announced by {} and earlier by {}; using the newer", peer.node(), from,
                            other.jid());
                }
                removePeer(other.jid());
            }
        }
        Peer before = peers.put(from, peer);
        peerCountSnapshot = peers.size();
        if (!peer.equals(before)) {
            if (before != null && !before.node().equals(peer.node())) {
                listener.peerOffline(before);
            }
            presenceRepair.forget(from);
            log.info("peer online: {} node={} overlays={}", from, peer.node(), peer.overlays());
            listener.peerOnline(peer);
        }
    }

    private static long newRun(Random random) {
        long r;
        do {
            r = random.nextLong();
        } while (r == 0);
        return r;
    }

    private void onUnavailable(Presence p) {
        if (p.getFrom() != null) {
            removePeer(p.getFrom().toString());
        }
    }

    private void removePeer(String jid) {
        Peer gone = peers.remove(jid);
        peerCountSnapshot = peers.size();
        presenceRepair.forget(jid);
        if (gone != null) {
            log.info("peer offline: {} node={}", jid, gone.node());
            listener.peerOffline(gone);
        }
    }

    private void recheckTrust() {
        for (Peer p : List.copyOf(peers.values())) {
            try {
                if (!trusted(JidCreate.from(p.jid()))) {
                    log.warn("peer {} is no longer a mutual roster contact", p.jid());
                    removePeer(p.jid());
                }
            } catch (org.jxmpp.stringprep.XmppStringprepException e) {
                removePeer(p.jid());
            }
        }
    }

    private void onMessage(Message m) {
        Jid from = m.getFrom();
        if (from == null || !(from instanceof EntityFullJid)) {
            drop(m, "message without a full sender JID");
            return;
        }
        if (!trusted(from)) {
            drop(m, "not a mutual roster contact");
            return;
        }
        Peer peer = peers.get(from.toString());
        if (peer == null) {
            drop(m, "sender has not announced a node ID in presence");
            return;
        }
        List<ExtensionElement> exts = m.getExtensions(SIGNAL_ELEMENT, SIGNAL_NAMESPACE);
        if (exts.size() != 1 || !(exts.get(0) instanceof StandardExtensionElement e)) {
            drop(m, "message must carry exactly one signal element, has " + exts.size());
            return;
        }
        DecodeResult r = codec.decode(e.getText());
        if (r instanceof DecodeResult.Invalid bad) {
            drop(m, "malformed body: " + bad.error());
            return;
        }
        SignalBody body = ((DecodeResult.Valid) r).body();
        if (!body.from().equals(peer.node())) {
            drop(m, "body from " + body.from() + " but sender's presence says " + peer.node());
            return;
        }
        if (!body.to().equals(self)) {
            drop(m, "body addressed to " + body.to() + ", not to this node");
            return;
        }
        received.incrementAndGet();
        presenceRepair.heardFrom(peer.jid());
        log.debug("received {} overlay={} link={} from {}", body.kind().wire(), body.overlay(), body.link(),
                peer.jid());
        listener.received(peer, body);
    }

    /** Sends unavailable presence and disconnects; the node's tunnels are not touched. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closing = true;
        java.util.concurrent.CompletableFuture<Void> done = new java.util.concurrent.CompletableFuture<>();
        onThread(() -> {
            try {
                if (connection.isConnected()) {
                    connection.disconnect();
                }
            } finally {
                done.complete(null);
            }
        });
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            connection.instantShutdown();
        }
        closed = true;
        up = false;
        thread.shutdownNow();
    }
}
