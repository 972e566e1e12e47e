package org.symphonet.tunnel.ice;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.IceParameters;
import org.symphonet.tunnel.LinkType;
import org.symphonet.tunnel.dtls.MmsgUdpPath;
import org.symphonet.tunnel.ice.stun.ChannelData;
import org.symphonet.tunnel.ice.stun.StunCodec;
import org.symphonet.tunnel.ice.stun.StunMessage;

/**
 * One tunnel's ICE (RFC 8445, one UDP component) on ONE socket, the tunnel's own
 * batched socket: host candidates, a server-reflexive candidate (STUN Binding) and
 * relayed candidates (TURN Allocate) are all gathered from it, connectivity checks
 * run on it, and the selected pair — direct, or through our relay with ChannelData
 * framing — carries the tunnel's data on it afterwards ({@link IceSocketPath}).
 *
 * <p>Nomination: the controlling side nominates the best valid pair when
 * {@link RelayNomination} says so (a direct pair after 100 ms for a better one to validate, a
 * relayed one only once the other pairs have had their chance). The controlled side takes the
 * pair the controlling side nominates (USE-CANDIDATE, authenticated).
 *
 * <p>Threads: the caller of {@link #gather} / {@link #establish} runs the protocol until
 * a pair is selected; afterwards the data path's receiver hands STUN to
 * {@link #onDatagram} and a timer refreshes the TURN allocation, permission and channel.
 * All state is guarded by this object's lock.
 */
final class IceSession {
    private static final Logger LOG = LoggerFactory.getLogger(IceSession.class);
    private static final long CHECK_INTERVAL = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long NOMINATE_INTERVAL = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long RETRANSMIT = TimeUnit.MILLISECONDS.toNanos(250);
    private static final int MAX_SENDS = 8;
    /** Maintenance period of an established session with nothing outstanding (refreshes are minutes apart). */
    private static final long IDLE_MAINTAIN_MILLIS = 1_000;
    private static final long GATHER_LIMIT = TimeUnit.SECONDS.toNanos(3);
    private static final int TYPE_HOST = 126;
    private static final int TYPE_PRFLX = 110;
    private static final int TYPE_SRFLX = 100;
    private static final int TYPE_RELAY = 0;

    /**
     * Comprehension-optional attribute (private range) in our checks and their answers: "I take
     * tunnel records arriving from your relayed address, several to a datagram", so the peer may
     * send through its own allocation ({@link RelayRoutes}) and join small records. An older peer
     * neither sends nor reads it.
     */
    static final int RELAY_RECEIVER = 0xC0C1;
    /**
     * Small records share datagrams on a relayed tunnel whose peer splits them (it sent
     * {@link #RELAY_RECEIVER}): coturn relays one datagram per recvmsg/sendmsg pair, and a bulk
     * flow's ACK direction is half of all datagrams. {@code -Dsymphonet.tunnel.joinRecords=false} off.
     */
    private static final boolean JOIN_RECORDS = Boolean.parseBoolean(System.getProperty(
            "symphonet.tunnel.joinRecords", "true"));

    private enum Kind { STUN, ALLOCATE, REFRESH, CHANNEL_BIND, CHECK }

    /** An outstanding request: retransmitted until answered (checks are re-sent per pair instead). */
    private static final class Txn {
        final Kind kind;
        final byte[] tid;
        final InetSocketAddress to;
        final TurnAllocation allocation;
        final InetSocketAddress peer;
        final CandidatePair pair;
        final boolean nominate;
        byte[] bytes;
        long next;
        int sends;

        Txn(Kind kind, byte[] tid, InetSocketAddress to, TurnAllocation allocation, InetSocketAddress peer,
            CandidatePair pair, boolean nominate) {
            this.kind = kind;
            this.tid = tid;
            this.to = to;
            this.allocation = allocation;
            this.peer = peer;
            this.pair = pair;
            this.nominate = nominate;
        }
    }

    private final AgentConfig config;
    private final MmsgUdpPath socket;
    private final ScheduledExecutorService timers;
    private final SecureRandom random;
    private final String ufrag;
    private final String password;
    private final byte[] localKey;
    private final byte[] tiebreaker = new byte[8];
    private final List<InetAddress> hosts;
    private final List<TurnAllocation> allocations = new ArrayList<>();
    private final Map<String, Txn> pending = new HashMap<>();
    private final List<CandidatePair> pairs = new ArrayList<>();
    private final Map<String, IceParameters.CandidateType> remoteTypes = new HashMap<>();
    private final byte[] buf = new byte[2048];
    private InetSocketAddress srflx;
    private String remoteUfrag;
    private byte[] remoteKey;
    private boolean controlling;
    private long checksStart;
    /** When the peer's first authentic check arrived (0: none yet). */
    private long firstPeerCheck;
    private CandidatePair nominee;
    private CandidatePair selected;
    private boolean closed;
    private ScheduledFuture<?> maintenance;
    private long nextRefresh;
    private TurnAllocation kept;
    /** The peer's relayed candidates: we take records from them, and never route our own relay's data there. */
    private final List<InetSocketAddress> peerRelays = new ArrayList<>();
    /** An authentic check or answer of the peer carried {@link #RELAY_RECEIVER}. */
    private boolean peerTakesRelayed;
    /** The established path, once selected: told when our data moves to our own relay. */
    private IceSocketPath path;
    /** The pair our data goes on: the selected one, then our own-relay route once it works. */
    private CandidatePair route;

    IceSession(AgentConfig config, MmsgUdpPath socket, ScheduledExecutorService timers, SecureRandom random,
               List<InetAddress> hosts) {
        this.config = config;
        this.socket = socket;
        this.timers = timers;
        this.random = random;
        this.hosts = List.copyOf(hosts);
        this.ufrag = token(4);
        this.password = token(12);
        this.localKey = StunCodec.shortTermKey(password);
        random.nextBytes(tiebreaker);
    }

    // ---------------------------------------------------------------- gathering

    /** STUN Binding to every STUN server, Allocate to every TURN server; returns our candidates. */
    IceParameters gather() throws IOException {
        long start = System.nanoTime();
        synchronized (this) {
            for (InetSocketAddress stun : config.ice().stunServers()) {
                byte[] tid = tid();
                request(new Txn(Kind.STUN, tid, stun, null, null, null, false), StunCodec.encode(
                        new StunMessage.Builder(StunMessage.BINDING | StunMessage.REQUEST, tid).build(), null, true));
            }
            for (AgentConfig.TurnServer turn : config.ice().turnServers()) {
                TurnAllocation a = new TurnAllocation(turn);
                allocations.add(a);
                byte[] tid = tid();
                request(new Txn(Kind.ALLOCATE, tid, turn.address(), a, null, null, false), a.allocate(tid));
            }
        }
        while (true) {
            synchronized (this) {
                boolean gathering = pending.values().stream().anyMatch(t -> t.kind == Kind.STUN
                        || t.kind == Kind.ALLOCATE);
                if (!gathering || System.nanoTime() - start > GATHER_LIMIT) {
                    break;
                }
            }
            pump(20);
        }
        synchronized (this) {
            allocations.removeIf(a -> a.relayed == null);
            pending.values().removeIf(t -> t.kind == Kind.STUN || t.kind == Kind.ALLOCATE);
            for (TurnAllocation a : allocations) {
                if (srflx == null && a.mapped != null && !isHost(a.mapped)) {
                    srflx = a.mapped;
                }
            }
            LOG.info("ICE gathered on socket port {} in {} ms: hosts={} srflx={} relays={}", socket.localAddress()
                    .getPort(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start), hosts, srflx,
                    allocations.stream().map(a -> a.relayed).toList());
            return new IceParameters(ufrag, password, candidates());
        }
    }

    private List<IceParameters.Candidate> candidates() {
        List<IceParameters.Candidate> out = new ArrayList<>();
        int port = socket.localAddress().getPort();
        int n = 0;
        for (InetAddress h : hosts) {
            out.add(new IceParameters.Candidate("h" + n, 1, priority(TYPE_HOST, 65535 - n), IceParameters.CandidateType.HOST,
                    h.getHostAddress(), port));
            n++;
        }
        if (srflx != null) {
            out.add(new IceParameters.Candidate("s0", 1, priority(TYPE_SRFLX, 65535), IceParameters.CandidateType.SRFLX,
                    srflx.getAddress().getHostAddress(), srflx.getPort()));
        }
        n = 0;
        for (TurnAllocation a : allocations) {
            out.add(new IceParameters.Candidate("r" + n, 1, priority(TYPE_RELAY, 65535 - n),
                    IceParameters.CandidateType.RELAY, a.relayed.getAddress().getHostAddress(), a.relayed.getPort()));
            n++;
        }
        return out;
    }

    static long priority(int type, int local) {
        return ((long) type << 24) | ((long) local << 8) | 255;
    }

    // ---------------------------------------------------------------- checks

    /** Runs checks until a pair is selected; returns it as the tunnel's path on this socket. */
    EstablishedPath establish(IceParameters remote, boolean controllingRole, Duration timeout, AtomicLong foreign)
            throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (this) {
            remoteUfrag = remote.ufrag();
            remoteKey = StunCodec.shortTermKey(remote.password());
            controlling = controllingRole;
            checksStart = System.nanoTime();
            int added = 0;
            boolean remoteHasSrflx = remote.candidates().stream()
                    .anyMatch(c -> c.type() == IceParameters.CandidateType.SRFLX);
            for (IceParameters.Candidate c : remote.candidates()) {
                InetAddress a = Literals.parse(c.address());
                if (c.component() != 1 || !(a instanceof Inet4Address)) {
                    continue;
                }
                InetSocketAddress r = new InetSocketAddress(a, c.port());
                remoteTypes.putIfAbsent(key(r), c.type());
                if (c.type() == IceParameters.CandidateType.RELAY && !peerRelays.contains(r)) {
                    peerRelays.add(r);
                }
                addPair(null, r, c.type(), c.priority());
                for (TurnAllocation t : allocations) {
                    // Through a relay only toward addresses a relay can reach: a peer's private host
                    // address is useless there (and a relay refused such a send may drop the allocation).
                    if (c.type() != IceParameters.CandidateType.HOST || !remoteHasSrflx) {
                        addPair(t, r, c.type(), c.priority());
                    }
                }
                added++;
            }
            if (added == 0) {
                throw new IOException("peer offered no usable candidate");
            }
        }
        while (true) {
            synchronized (this) {
                // A pair through our relay carries data in its channel: wait for the bind's answer.
                if (selected != null && (selected.base == null || selected.base.isBound(selected.remote))) {
                    return select(foreign);
                }
                if (closed) {
                    throw new IOException("closed during ICE checks");
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("ICE failed: no candidate pair works within " + timeout + " (pairs "
                            + pairs + ")");
                }
            }
            pump(10);
        }
    }

    private CandidatePair addPair(TurnAllocation base, InetSocketAddress remote, IceParameters.CandidateType type,
                         long remotePriority) {
        for (CandidatePair p : pairs) {
            if (p.base == base && p.remote.equals(remote)) {
                return p;
            }
        }
        long local = base == null ? priority(TYPE_HOST, 65535) : priority(TYPE_RELAY, 65535);
        long g = controlling ? local : remotePriority;
        long d = controlling ? remotePriority : local;
        CandidatePair p = new CandidatePair(base, remote, type,
                (Math.min(g, d) << 32) + 2 * Math.max(g, d) + (g > d ? 1 : 0));
        // Staggered first checks, best pairs first (RFC 8445's pacing, coarsely).
        long rank = pairs.stream().filter(q -> q.priority > p.priority).count();
        p.nextCheck = System.nanoTime() + rank * TimeUnit.MILLISECONDS.toNanos(10);
        pairs.add(p);
        if (base != null && !base.hasChannel(remote)) {
            byte[] tid = tid();
            request(new Txn(Kind.CHANNEL_BIND, tid, base.address(), base, remote, null, false),
                    base.channelBind(tid, remote));
        }
        return p;
    }

    /** One receive (up to {@code waitMillis}) and whatever is due. */
    private void pump(int waitMillis) throws IOException {
        int n = socket.receiveAny(buf, 0, buf.length, waitMillis);
        if (n >= 0) {
            onDatagram(java.util.Arrays.copyOf(buf, n), n, address(socket.lastSenderIp(), socket.lastSenderPort()));
        }
        tick();
    }

    private synchronized void tick() {
        long now = System.nanoTime();
        retransmit(now);
        if (remoteKey == null || selected != null) {
            return;
        }
        for (CandidatePair p : pairs) {
            if (!p.valid && now >= p.nextCheck) {
                check(p, false);
                p.nextCheck = now + CHECK_INTERVAL;
                if (firstPeerCheck != 0) {
                    p.checksWhilePeerChecks++;
                }
            }
        }
        if (!controlling) {
            return;
        }
        if (nominee != null) {
            if (now >= nominee.nextCheck) {
                check(nominee, true);
                nominee.nextCheck = now + NOMINATE_INTERVAL;
            }
            return;
        }
        CandidatePair best = null;
        for (CandidatePair p : pairs) {
            if (p.valid && (best == null || p.priority > best.priority)) {
                best = p;
            }
        }
        if (best == null) {
            return;
        }
        boolean ready = RelayNomination.ready(best, pairs, now, checksStart, firstPeerCheck);
        if (ready) {
            nominee = best;
            LOG.info("ICE nominating {} after {} ms", best, TimeUnit.NANOSECONDS.toMillis(now - checksStart));
            check(best, true);
            best.nextCheck = now + NOMINATE_INTERVAL;
        }
    }

    private void check(CandidatePair p, boolean nominate) {
        byte[] tid = tid();
        StunMessage.Builder b = new StunMessage.Builder(StunMessage.BINDING | StunMessage.REQUEST, tid)
                .text(StunMessage.USERNAME, remoteUfrag + ":" + ufrag)
                .uint32(StunMessage.PRIORITY, priority(TYPE_PRFLX, 65535))
                .add(controlling ? StunMessage.ICE_CONTROLLING : StunMessage.ICE_CONTROLLED, tiebreaker)
                .add(RELAY_RECEIVER, new byte[0]);
        if (nominate) {
            b.add(StunMessage.USE_CANDIDATE, new byte[0]);
        }
        Txn t = new Txn(Kind.CHECK, tid, p.remote, p.base, p.remote, p, nominate);
        t.bytes = StunCodec.encode(b.build(), remoteKey, true);
        // Checks are not retransmitted as such: the pair is checked again with a fresh ID.
        t.sends = MAX_SENDS;
        t.next = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        pending.put(key(tid), t);
        sendToPeer(p.base, p.remote, t.bytes);
    }

    // ---------------------------------------------------------------- receiving

    /**
     * Everything that is not the selected pair's data: STUN and ChannelData from our
     * TURN servers, the peer's checks and answers, our STUN server's answer.
     */
    synchronized void onDatagram(byte[] d, int n, InetSocketAddress from) {
        if (closed) {
            return;
        }
        TurnAllocation relay = allocationAt(from);
        if (relay != null) {
            int payload = ChannelData.payloadLength(d, 0, n);
            if (payload >= 0) {
                InetSocketAddress peer = relay.peerOn(ChannelData.channel(d, 0));
                if (peer != null) {
                    onPeer(relay, peer, java.util.Arrays.copyOfRange(d, ChannelData.HEADER,
                            ChannelData.HEADER + payload));
                }
                return;
            }
            StunMessage m = StunCodec.decode(d, 0, n);
            if (m == null) {
                return;
            }
            if (m.messageClass() == StunMessage.INDICATION && m.method() == StunMessage.DATA) {
                InetSocketAddress peer = m.xorAddress(StunMessage.XOR_PEER_ADDRESS);
                byte[] data = m.get(StunMessage.DATA_ATTR);
                if (peer != null && data != null) {
                    onPeer(relay, peer, data);
                }
                return;
            }
            Txn t = pending.get(key(m.transactionId()));
            if (t != null && t.allocation == relay && t.kind != Kind.CHECK && !m.isRequest()) {
                pending.remove(key(m.transactionId()));
                onTurnAnswer(t, m, d, n);
            } else {
                // A TURN server is often our STUN server too.
                onStunAnswer(m, from);
            }
            return;
        }
        StunMessage m = StunCodec.decode(d, 0, n);
        if (m == null || onStunAnswer(m, from)) {
            return;
        }
        onPeer(null, from, d);
    }

    /** Our STUN server's answer to a Binding request: the server-reflexive address. */
    private boolean onStunAnswer(StunMessage m, InetSocketAddress from) {
        Txn t = pending.get(key(m.transactionId()));
        if (t == null || t.kind != Kind.STUN || !m.isSuccess() || !from.equals(t.to)) {
            return false;
        }
        pending.remove(key(m.transactionId()));
        InetSocketAddress mapped = m.xorAddress(StunMessage.XOR_MAPPED_ADDRESS);
        if (mapped != null && !isHost(mapped)) {
            srflx = mapped;
        }
        return true;
    }

    /** A datagram from the peer's side, directly ({@code base} null) or through our relay. */
    private void onPeer(TurnAllocation base, InetSocketAddress peer, byte[] d) {
        StunMessage m = StunCodec.decode(d, 0, d.length);
        if (m == null || m.method() != StunMessage.BINDING) {
            return;
        }
        if (m.isRequest()) {
            onCheck(base, peer, m, d);
            return;
        }
        Txn t = pending.get(key(m.transactionId()));
        if (t == null || t.kind != Kind.CHECK || t.pair.base != base || !t.pair.remote.equals(peer)
                || remoteKey == null || !StunCodec.checkIntegrity(d, 0, d.length, remoteKey)) {
            return;
        }
        pending.remove(key(m.transactionId()));
        if (!m.isSuccess()) {
            return;
        }
        peerTakesRelayed |= m.has(RELAY_RECEIVER);
        CandidatePair p = t.pair;
        if (!p.valid) {
            p.valid = true;
            p.validSince = System.nanoTime();
            p.mapped = m.xorAddress(StunMessage.XOR_MAPPED_ADDRESS);
            LOG.debug("ICE pair valid: {} mapped {}", p, p.mapped);
        }
        if (t.nominate && p == nominee && selected == null) {
            selected = p;
        }
    }

    /** The peer's connectivity check: authenticate, answer, learn its address, maybe take its nomination. */
    private void onCheck(TurnAllocation base, InetSocketAddress peer, StunMessage m, byte[] raw) {
        byte[] user = m.get(StunMessage.USERNAME);
        if (user == null || !new String(user, java.nio.charset.StandardCharsets.UTF_8).startsWith(ufrag + ":")
                || !StunCodec.checkIntegrity(raw, 0, raw.length, localKey)) {
            return;
        }
        byte[] answer = StunCodec.encode(new StunMessage.Builder(StunMessage.BINDING | StunMessage.SUCCESS,
                m.transactionId()).xorAddress(StunMessage.XOR_MAPPED_ADDRESS, peer).add(RELAY_RECEIVER, new byte[0])
                .build(), localKey, true);
        sendToPeer(base, peer, answer);
        peerTakesRelayed |= m.has(RELAY_RECEIVER);
        if (firstPeerCheck == 0) {
            firstPeerCheck = System.nanoTime();
        }
        if (remoteKey != null && selected != null && RelayRoutes.isOwnRoute(base, peer, kept, peerRelays)) {
            // After the selection: the peer reached us through our own relay, so that route can carry
            // our data too. Check it at once (the hole it came through is open now).
            CandidatePair p = addPair(base, peer, remoteTypes.getOrDefault(key(peer),
                    IceParameters.CandidateType.PRFLX), Math.max(0, m.uint32(StunMessage.PRIORITY)));
            if (!p.valid) {
                p.nextCheck = System.nanoTime();
            }
            return;
        }
        if (remoteKey == null || selected != null) {
            // Before our checks start (the peer got our candidates first), or after: answering is all.
            return;
        }
        IceParameters.CandidateType type = remoteTypes.getOrDefault(key(peer), IceParameters.CandidateType.PRFLX);
        long priority = Math.max(0, m.uint32(StunMessage.PRIORITY));
        CandidatePair p = addPair(base, peer, type, priority);
        if (!p.valid) {
            // Triggered check: the path just proved to work one way.
            p.nextCheck = System.nanoTime();
        }
        if (!controlling && m.has(StunMessage.USE_CANDIDATE)) {
            selected = p;
        }
    }

    private void onTurnAnswer(Txn t, StunMessage m, byte[] raw, int len) {
        TurnAllocation a = t.allocation;
        if (m.isError()) {
            int code = m.errorCode();
            if ((code == 401 || code == 438) && t.sends < MAX_SENDS + 2 && a.learn(m)) {
                // The challenge (first request) or a stale nonce: the same request again, signed.
                byte[] tid = tid();
                Txn again = new Txn(t.kind, tid, t.to, a, t.peer, null, false);
                again.sends = t.sends;
                request(again, switch (t.kind) {
                    case ALLOCATE -> a.allocate(tid);
                    case REFRESH -> a.refresh(tid, TurnAllocation.REQUESTED_LIFETIME);
                    default -> a.channelBind(tid, t.peer);
                });
                return;
            }
            LOG.warn("TURN {} at {} refused: {} ({})", t.kind, a.address(), code, t.peer);
            return;
        }
        if (!a.authentic(raw, len)) {
            return;
        }
        switch (t.kind) {
            case ALLOCATE -> {
                a.relayed = m.xorAddress(StunMessage.XOR_RELAYED_ADDRESS);
                a.mapped = m.xorAddress(StunMessage.XOR_MAPPED_ADDRESS);
                a.lifetimeSeconds = Math.max(10, m.uint32(StunMessage.LIFETIME));
            }
            case REFRESH -> {
                a.lifetimeSeconds = Math.max(10, m.uint32(StunMessage.LIFETIME));
                LOG.info("TURN allocation {} refreshed: lifetime {} s", a.relayed, a.lifetimeSeconds);
            }
            case CHANNEL_BIND -> a.markBound(t.peer);
            default -> {
            }
        }
    }

    // ---------------------------------------------------------------- sending

    private void request(Txn t, byte[] bytes) {
        t.bytes = bytes;
        t.next = System.nanoTime();
        pending.put(key(t.tid), t);
        retransmit(t.next);
        if (path != null && maintenance == null) {
            // Established with the timer stopped (a direct pair): retransmissions need it again.
            scheduleMaintenance();
        }
    }

    private void retransmit(long now) {
        for (Iterator<Txn> it = pending.values().iterator(); it.hasNext(); ) {
            Txn t = it.next();
            if (now < t.next) {
                continue;
            }
            if (t.sends >= MAX_SENDS) {
                if (t.kind != Kind.CHECK) {
                    LOG.warn("no answer to {} from {}", t.kind, t.to);
                }
                it.remove();
                continue;
            }
            t.sends++;
            t.next = now + RETRANSMIT * t.sends;
            send(t.bytes, t.to);
        }
    }

    /** To the peer's address: from our socket, or through our relay (channel once bound, else a Send indication). */
    private void sendToPeer(TurnAllocation base, InetSocketAddress peer, byte[] data) {
        if (base == null) {
            send(data, peer);
        } else if (base.isBound(peer)) {
            byte[] frame = new byte[ChannelData.HEADER + data.length];
            ChannelData.writeHeader(frame, 0, base.channelFor(peer), data.length);
            System.arraycopy(data, 0, frame, ChannelData.HEADER, data.length);
            send(frame, base.address());
        } else {
            send(TurnAllocation.sendIndication(peer, data, random), base.address());
        }
    }

    private void send(byte[] data, InetSocketAddress to) {
        try {
            socket.sendTo(data, 0, data.length, to);
        } catch (IOException e) {
            // A failed send is a lost datagram: the retransmission or the next check covers it.
            LOG.debug("send to {} failed: {}", to, e.getMessage());
        }
    }

    // ---------------------------------------------------------------- the selected pair

    private EstablishedPath select(AtomicLong foreign) throws IOException {
        CandidatePair p = selected;
        LinkType type = p.relayed() ? LinkType.RELAYED
                : localIsHost(p) && p.remoteType == IceParameters.CandidateType.HOST ? LinkType.DIRECT
                : LinkType.REFLEXIVE;
        InetSocketAddress hop = p.remote;
        int channel = 0;
        InetSocketAddress local = p.mapped != null ? p.mapped : new InetSocketAddress(hosts.isEmpty()
                ? socket.localAddress().getAddress() : hosts.get(0), socket.localAddress().getPort());
        if (p.base != null) {
            if (!p.base.isBound(p.remote)) {
                throw new IOException("relay " + p.base.relayed + " has no channel to " + p.remote);
            }
            hop = p.base.address();
            channel = p.base.channelFor(p.remote);
            local = p.base.relayed;
            kept = p.base;
        } else if (p.relayed() && !allocations.isEmpty()) {
            // We send to the peer's relay for now; our own allocation is kept for the route that
            // spares the peer's relay socket (RelayRoutes).
            kept = allocations.get(0);
        }
        route = p;
        pending.values().removeIf(t -> t.kind == Kind.CHECK);
        for (TurnAllocation a : allocations) {
            if (a != kept) {
                release(a);
            }
        }
        allocations.removeIf(a -> a != kept);
        LOG.info("ICE selected {} as {} after {} ms ({}), data on our batched socket{}", p, type.label(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - checksStart), controlling ? "controlling"
                : "controlled", channel != 0 ? " in TURN channel 0x" + Integer.toHexString(channel) : "");
        if (kept != null) {
            nextRefresh = System.nanoTime() + kept.refreshNanos();
        }
        path = new IceSocketPath(socket, this, local, p.remote, hop, channel, type == LinkType.RELAYED, foreign,
                type == LinkType.RELAYED ? peerRelays : List.of());
        // A route through our own relay that already works is taken before the first record.
        routeThroughOwnRelay(System.nanoTime());
        // Retransmissions, the peer's late checks, TURN refreshes and the own-relay route: on a timer from now on.
        scheduleMaintenance();
        return new EstablishedPath(path, type);
    }

    /**
     * After a relayed pair was selected: checks our own-relay route until it works, then moves our
     * data there; and keeps our NAT open toward the peer's relays, which send its data to us
     * ({@link RelayRoutes}). Nothing to do for other pairs, or when the peer takes no relayed records.
     */
    private void routeThroughOwnRelay(long now) {
        if (!RelayRoutes.wanted(selected, kept, peerTakesRelayed) || path == null) {
            return;
        }
        if (JOIN_RECORDS) {
            path.joinSmallRecords();
        }
        for (InetSocketAddress r : peerRelays) {
            CandidatePair open = addPair(null, r, IceParameters.CandidateType.RELAY, priority(TYPE_RELAY, 65535));
            if (now >= open.nextCheck) {
                check(open, false);
                open.nextCheck = now + RelayRoutes.keepOpenDelayNanos(open.checksAfterSelection++);
            }
        }
        if (RelayRoutes.isOwnRoute(route, kept, peerRelays)) {
            return;
        }
        for (CandidatePair p : pairs) {
            if (RelayRoutes.isOwnRoute(p, kept, peerRelays) && !p.valid && now >= p.nextCheck) {
                check(p, false);
                p.nextCheck = now + RelayRoutes.routeCheckDelayNanos(p.checksAfterSelection++);
            }
        }
        CandidatePair own = RelayRoutes.best(pairs, kept, peerRelays);
        if (own != null) {
            route = own;
            int channel = kept.channelFor(own.remote);
            path.reroute(kept.address(), channel);
            LOG.info("ICE route: data through our own relay {} -> {} in TURN channel 0x{} after {} ms, taking the"
                    + " peer's from its relay {}", kept.relayed, own.remote, Integer.toHexString(channel),
                    TimeUnit.NANOSECONDS.toMillis(now - checksStart), peerRelays);
        }
    }

    /** Our side of the pair is a host address (the peer saw our socket's own address). */
    private boolean localIsHost(CandidatePair p) {
        if (p.mapped == null) {
            // Never had our own check answered on this pair: judge by the peer's kind.
            return p.remoteType == IceParameters.CandidateType.HOST;
        }
        return isHost(p.mapped);
    }

    /**
     * The next {@link #maintain()}: in a retransmission step while a request waits for its answer,
     * else in {@value #IDLE_MAINTAIN_MILLIS} ms while a relay allocation is kept (its refreshes, the
     * own-relay route), else none until a request is made ({@link #request}). Every established
     * tunnel has a session: a fixed 250 ms period woke the shared timer thread 4 times a second per
     * idle tunnel for nothing, and the 1-s period of a direct pair (no allocation kept, nothing
     * pending) still woke it once a second per tunnel to find nothing to do.
     */
    private synchronized void scheduleMaintenance() {
        if (closed) {
            return;
        }
        if (pending.isEmpty() && kept == null) {
            maintenance = null;
            return;
        }
        long delay = pending.isEmpty() ? IDLE_MAINTAIN_MILLIS : TimeUnit.NANOSECONDS.toMillis(RETRANSMIT);
        maintenance = timers.schedule(() -> {
            try {
                maintain();
            } finally {
                scheduleMaintenance();
            }
        }, delay, TimeUnit.MILLISECONDS);
    }

    /** Keeps the kept allocation, its permission and channel alive; retransmits TURN requests. */
    private synchronized void maintain() {
        if (closed) {
            return;
        }
        long now = System.nanoTime();
        if (kept != null && now >= nextRefresh) {
            byte[] tid = tid();
            request(new Txn(Kind.REFRESH, tid, kept.address(), kept, null, null, false),
                    kept.refresh(tid, TurnAllocation.REQUESTED_LIFETIME));
            for (InetSocketAddress peer : kept.boundPeers()) {
                // A channel bind refresh also refreshes the permission for the peer's address.
                byte[] ctid = tid();
                request(new Txn(Kind.CHANNEL_BIND, ctid, kept.address(), kept, peer, null, false),
                        kept.channelBind(ctid, peer));
            }
            nextRefresh = now + kept.refreshNanos();
        }
        routeThroughOwnRelay(now);
        retransmit(now);
    }


    private void release(TurnAllocation a) {
        if (a.relayed != null) {
            send(a.refresh(tid(), 0), a.address());
        }
    }

    /** Stops timers, releases allocations (best effort) and closes the socket; idempotent. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            if (maintenance != null) {
                maintenance.cancel(false);
            }
            for (TurnAllocation a : allocations) {
                release(a);
            }
        }
        socket.close();
    }

    // ---------------------------------------------------------------- helpers

    private TurnAllocation allocationAt(InetSocketAddress from) {
        for (TurnAllocation a : allocations) {
            if (a.address().equals(from)) {
                return a;
            }
        }
        return null;
    }

    private boolean isHost(InetSocketAddress a) {
        return a.getPort() == socket.localAddress().getPort() && hosts.contains(a.getAddress());
    }

    private byte[] tid() {
        byte[] t = new byte[12];
        random.nextBytes(t);
        return t;
    }

    private String token(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String key(byte[] tid) {
        return HexFormat.of().formatHex(tid);
    }

    private static String key(InetSocketAddress a) {
        return a.getAddress().getHostAddress() + ":" + a.getPort();
    }

    static int ipv4(InetSocketAddress a) {
        byte[] b = a.getAddress().getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }

    static InetSocketAddress address(int ip, int port) {
        try {
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16),
                    (byte) (ip >>> 8), (byte) ip}), port);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    /** IPv4 addresses of interfaces that are up, not loopback, and not the overlay's own (no tunnel in a tunnel). */
    static List<InetAddress> hostAddresses(AgentConfig config) {
        List<InetAddress> out = new ArrayList<>();
        try {
            for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!nif.isUp() || nif.isLoopback() || excluded(config, nif.getName())) {
                    continue;
                }
                for (InetAddress a : Collections.list(nif.getInetAddresses())) {
                    if (a instanceof Inet4Address && !a.isLinkLocalAddress()) {
                        out.add(a);
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("cannot list interfaces: {}", e.getMessage());
        }
        return out;
    }

    private static boolean excluded(AgentConfig config, String name) {
        for (String prefix : config.ice().excludedInterfacePrefixes()) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return name.startsWith(config.tapPrefix());
    }
}
