package org.symphonet.overlay.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** A STUN server for server-reflexive candidates. */
public record StunServer(String host, int port) {

    public static final int DEFAULT_PORT = 3478;

    public StunServer {
        Check.host("host", host);
        Check.port("port", port, DEFAULT_PORT);
    }

    @JsonCreator
    static StunServer fromYaml(@JsonProperty("host") String host, @JsonProperty("port") Integer port) {
        return new StunServer(host, Check.port("port", port, DEFAULT_PORT));
    }
}
