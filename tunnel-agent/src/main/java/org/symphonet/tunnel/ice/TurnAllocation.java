package org.symphonet.tunnel.ice;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.Map;

import org.symphonet.tunnel.AgentConfig;
import org.symphonet.tunnel.ice.stun.ChannelData;
import org.symphonet.tunnel.ice.stun.StunCodec;
import org.symphonet.tunnel.ice.stun.StunMessage;

/**
 * Client state of one TURN allocation (RFC 8656, long-term credentials): realm and
 * nonce learned from the server's 401/438, the relayed and mapped addresses, and
 * the channels bound to peers. Builds the requests; {@link IceSession} sends them,
 * retransmits them and feeds the answers back. Not thread-safe: the session locks.
 */
final class TurnAllocation {
    static final int UDP = 17;
    /** Asked for; the server may grant less (coturn: max-allocate-lifetime). */
    static final int REQUESTED_LIFETIME = 600;
    static final long MAX_REFRESH_SECONDS = 120;

    final AgentConfig.TurnServer server;
    private String realm;
    private String nonce;
    private byte[] key;
    InetSocketAddress relayed;
    InetSocketAddress mapped;
    long lifetimeSeconds = REQUESTED_LIFETIME;
    private final Map<InetSocketAddress, Integer> channels = new HashMap<>();
    private final Map<InetSocketAddress, Boolean> bound = new HashMap<>();
    private int nextChannel = ChannelData.FIRST_CHANNEL;

    TurnAllocation(AgentConfig.TurnServer server) {
        this.server = server;
    }

    InetSocketAddress address() {
        return server.address();
    }

    /** Adopts REALM and NONCE from a 401 or 438 answer; false if it carries none. */
    boolean learn(StunMessage error) {
        byte[] r = error.get(StunMessage.REALM);
        byte[] n = error.get(StunMessage.NONCE);
        if (n == null || (r == null && realm == null)) {
            return false;
        }
        if (r != null) {
            realm = new String(r, java.nio.charset.StandardCharsets.UTF_8);
        }
        nonce = new String(n, java.nio.charset.StandardCharsets.UTF_8);
        key = StunCodec.longTermKey(server.username(), realm, server.password());
        return true;
    }

    byte[] allocate(byte[] tid) {
        StunMessage.Builder b = new StunMessage.Builder(StunMessage.ALLOCATE | StunMessage.REQUEST, tid)
                .uint32(StunMessage.REQUESTED_TRANSPORT, (long) UDP << 24)
                .uint32(StunMessage.LIFETIME, REQUESTED_LIFETIME);
        return sign(b);
    }

    byte[] refresh(byte[] tid, int lifetime) {
        return sign(new StunMessage.Builder(StunMessage.REFRESH | StunMessage.REQUEST, tid)
                .uint32(StunMessage.LIFETIME, lifetime));
    }

    byte[] channelBind(byte[] tid, InetSocketAddress peer) {
        int channel = channelFor(peer);
        return sign(new StunMessage.Builder(StunMessage.CHANNEL_BIND | StunMessage.REQUEST, tid)
                .uint32(StunMessage.CHANNEL_NUMBER, (long) channel << 16)
                .xorAddress(StunMessage.XOR_PEER_ADDRESS, peer));
    }

    /** A Send indication: how a datagram reaches a peer before its channel is bound. */
    static byte[] sendIndication(InetSocketAddress peer, byte[] data, SecureRandom random) {
        byte[] tid = new byte[12];
        random.nextBytes(tid);
        return StunCodec.encode(new StunMessage.Builder(StunMessage.SEND | StunMessage.INDICATION, tid)
                .xorAddress(StunMessage.XOR_PEER_ADDRESS, peer).add(StunMessage.DATA_ATTR, data).build(),
                null, true);
    }

    /**
     * Time to the next refresh of the allocation and of every bound channel (a ChannelBind
     * refresh also refreshes the permission for the peer's address): half the granted lifetime,
     * at least 5 s, at most {@value #MAX_REFRESH_SECONDS} s, as permissions last 300 s (RFC 8656)
     * whatever the allocation's lifetime. Both ends of a relayed tunnel keep their allocation,
     * and its channel to the peer, on this clock.
     */
    long refreshNanos() {
        return java.util.concurrent.TimeUnit.SECONDS.toNanos(Math.min(MAX_REFRESH_SECONDS,
                Math.max(5, lifetimeSeconds / 2)));
    }

    /** Channel number for {@code peer}, allocated on first use (bound or not). */
    int channelFor(InetSocketAddress peer) {
        return channels.computeIfAbsent(peer, p -> nextChannel++);
    }

    boolean isBound(InetSocketAddress peer) {
        return bound.getOrDefault(peer, false);
    }

    void markBound(InetSocketAddress peer) {
        bound.put(peer, true);
    }

    boolean hasChannel(InetSocketAddress peer) {
        return channels.containsKey(peer);
    }

    /** The peer on {@code channel}, or null. */
    InetSocketAddress peerOn(int channel) {
        for (Map.Entry<InetSocketAddress, Integer> e : channels.entrySet()) {
            if (e.getValue() == channel) {
                return e.getKey();
            }
        }
        return null;
    }

    Iterable<InetSocketAddress> boundPeers() {
        return bound.keySet();
    }

    /** Verifies an answer's MESSAGE-INTEGRITY once we hold a key (the first 401 has none). */
    boolean authentic(byte[] raw, int len) {
        return key != null && StunCodec.checkIntegrity(raw, 0, len, key);
    }

    private byte[] sign(StunMessage.Builder b) {
        if (key == null) {
            return StunCodec.encode(b.build(), null, true);
        }
        b.text(StunMessage.USERNAME, server.username()).text(StunMessage.REALM, realm)
                .text(StunMessage.NONCE, nonce);
        return StunCodec.encode(b.build(), key, true);
    }
}
