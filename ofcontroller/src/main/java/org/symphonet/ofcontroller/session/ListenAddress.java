package org.symphonet.ofcontroller.session;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.file.Path;

import io.netty.channel.unix.DomainSocketAddress;

/**
 * Where the controller listens: {@code tcp:HOST:PORT} (or just {@code HOST:PORT}) for OVS's
 * {@code tcp:} targets, or {@code unix:/path} for {@code unix:} targets, which one controller can
 * serve to bridges in every network namespace of the host.
 */
public record ListenAddress(String host, int port, Path unixPath) {

    public static ListenAddress parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("listen address is empty; use tcp:HOST:PORT or unix:/path");
        }
        if (spec.startsWith("unix:")) {
            String path = spec.substring(5);
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("unix listen address needs an absolute path: '" + spec + "'");
            }
            return new ListenAddress(null, 0, Path.of(path));
        }
        String hp = spec.startsWith("tcp:") ? spec.substring(4) : spec;
        int colon = hp.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("listen address '" + spec + "' must be tcp:HOST:PORT or unix:/path");
        }
        String host = hp.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hp.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("listen address '" + spec + "' has a bad port");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("listen address '" + spec + "': port must be 0..65535");
        }
        return new ListenAddress(host, port, null);
    }

    public boolean isUnix() {
        return unixPath != null;
    }

    public SocketAddress socketAddress() {
        return isUnix() ? new DomainSocketAddress(unixPath.toFile()) : new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return isUnix() ? "unix:" + unixPath : "tcp:" + host + ":" + port;
    }
}
