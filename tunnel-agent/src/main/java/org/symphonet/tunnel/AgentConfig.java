package org.symphonet.tunnel;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the agent needs besides per-tunnel data. Immutable; change a field
 * with the {@code with*} methods.
 *
 * @param stateDir          where the node certificate lives
 * @param tapPrefix         1-3 letters starting every TAP name (clean-up keys on it)
 * @param tapMtu            MTU set on TAPs; leaves keep 1500 thanks to fragmentation
 * @param pathMtu           underlay MTU assumed for the UDP path
 * @param keepaliveInterval how often a keepalive (and RTT probe) is sent
 * @param deadInterval      silence after which the tunnel is declared down
 * @param handshakeTimeout  bound on the DTLS handshake
 * @param statsInterval     how often a {@link TunnelEvent.Stats} is emitted
 * @param ovsDb             {@code ovs-vsctl --db} target, or null for the default socket
 * @param ice               candidate gathering settings
 * @param clampTcpMss       lower the MSS of TCP SYNs entering a tunnel so full-size segments fit
 *                          one record (no fragmentation for TCP; leaves keep their MTU)
 */
public record AgentConfig(Path stateDir, String tapPrefix, int tapMtu, int pathMtu,
                          Duration keepaliveInterval, Duration deadInterval, Duration handshakeTimeout,
                          Duration statsInterval, String ovsDb, Ice ice, boolean clampTcpMss) {

    public AgentConfig {
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(ice, "ice");
        if (tapMtu < 576 || tapMtu > 9000) {
            throw new IllegalArgumentException("tapMtu out of range 576..9000: " + tapMtu);
        }
        if (pathMtu < 576 || pathMtu > 9000) {
            throw new IllegalArgumentException("pathMtu out of range 576..9000: " + pathMtu);
        }
        if (deadInterval.compareTo(keepaliveInterval.multipliedBy(2)) < 0) {
            throw new IllegalArgumentException("deadInterval must be at least twice keepaliveInterval");
        }
    }

    public static AgentConfig defaults(Path stateDir) {
        return new AgentConfig(stateDir, "sn", 1500, 1500, Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(15), Duration.ofSeconds(10), null, Ice.directUdp(null), true);
    }

    public AgentConfig withTapPrefix(String prefix) {
        return new AgentConfig(stateDir, prefix, tapMtu, pathMtu, keepaliveInterval, deadInterval,
                handshakeTimeout, statsInterval, ovsDb, ice, clampTcpMss);
    }

    public AgentConfig withOvsDb(String db) {
        return new AgentConfig(stateDir, tapPrefix, tapMtu, pathMtu, keepaliveInterval, deadInterval,
                handshakeTimeout, statsInterval, db, ice, clampTcpMss);
    }

    public AgentConfig withTimers(Duration keepalive, Duration dead, Duration stats) {
        return new AgentConfig(stateDir, tapPrefix, tapMtu, pathMtu, keepalive, dead, handshakeTimeout,
                stats, ovsDb, ice, clampTcpMss);
    }

    public AgentConfig withIce(Ice newIce) {
        return new AgentConfig(stateDir, tapPrefix, tapMtu, pathMtu, keepaliveInterval, deadInterval,
                handshakeTimeout, statsInterval, ovsDb, newIce, clampTcpMss);
    }

    public AgentConfig withTcpMssClamp(boolean clamp) {
        return new AgentConfig(stateDir, tapPrefix, tapMtu, pathMtu, keepaliveInterval, deadInterval,
                handshakeTimeout, statsInterval, ovsDb, ice, clamp);
    }

    /**
     * Candidate settings.
     *
     * @param useIce        false: a single plain UDP socket, no connectivity checks
     *                      (tests and fixed set-ups); true: ICE gathering and checks (IcePaths)
     * @param bind          direct mode: local address to bind (port 0 = any); ICE mode: ignored
     * @param stunServers   host:port of STUN servers
     * @param turnServers   TURN relays with long-term credentials
     * @param excludedInterfacePrefixes interfaces never used for host candidates
     *                      (the overlay's own bridges and TAPs: no tunnel in a tunnel)
     */
    public record Ice(boolean useIce, InetSocketAddress bind, List<InetSocketAddress> stunServers,
                      List<TurnServer> turnServers, List<String> excludedInterfacePrefixes) {
        public Ice {
            stunServers = List.copyOf(stunServers);
            turnServers = List.copyOf(turnServers);
            excludedInterfacePrefixes = List.copyOf(excludedInterfacePrefixes);
        }

        public static Ice directUdp(InetSocketAddress bind) {
            return new Ice(false, bind, List.of(), List.of(), List.of());
        }
    }

    /** A TURN server and its long-term credentials. */
    public record TurnServer(InetSocketAddress address, String username, String password) {
        @Override
        public String toString() {
            return "TurnServer[" + address + ", user=" + username + "]";
        }
    }
}
