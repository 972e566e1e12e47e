package org.symphonet.overlay.signal;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One ICE candidate as carried in link-request / link-accept (RFC 8445 fields). Same shape as
 * {@code org.symphonet.tunnel.IceParameters.Candidate}, so the Node converts field by field.
 *
 * @param address an IPv4 or IPv6 literal; never a host name (resolving it would leak DNS queries)
 */
public record IceCandidate(String foundation, int component, long priority, Type type, String address, int port) {

    /** Candidate types of RFC 8445. */
    public enum Type {
        HOST("host"), SRFLX("srflx"), PRFLX("prflx"), RELAY("relay");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }

        public static Optional<Type> fromWire(String s) {
            for (Type t : values()) {
                if (t.wire.equals(s)) {
                    return Optional.of(t);
                }
            }
            return Optional.empty();
        }
    }

    static final Pattern FOUNDATION = Pattern.compile("[A-Za-z0-9+/]{1,32}");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]{2,45}");

    public IceCandidate {
        if (foundation == null || !FOUNDATION.matcher(foundation).matches()) {
            throw new IllegalArgumentException("foundation must be 1-32 ICE characters");
        }
        if (component < 1 || component > 256) {
            throw new IllegalArgumentException("component must be 1..256, got " + component);
        }
        if (priority < 1 || priority > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("priority must be 1..2^32-1, got " + priority);
        }
        if (type == null) {
            throw new IllegalArgumentException("type is required");
        }
        if (!isIpLiteral(address)) {
            throw new IllegalArgumentException("address must be an IPv4 or IPv6 literal");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
    }

    static boolean isIpLiteral(String s) {
        if (s == null) {
            return false;
        }
        if (IPV4.matcher(s).matches()) {
            return true;
        }
        if (!s.contains(":") || !IPV6.matcher(s).matches()) {
            return false;
        }
        try {
            // A string with ':' is parsed as an IPv6 literal, never looked up.
            return java.net.InetAddress.getByName(s) instanceof java.net.Inet6Address;
        } catch (java.net.UnknownHostException | RuntimeException e) {
            return false;
        }
    }
}
