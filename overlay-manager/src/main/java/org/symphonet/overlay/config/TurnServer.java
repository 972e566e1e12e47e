package org.symphonet.overlay.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonValue;

/** A TURN server for relay candidates, the last resort behind symmetric NATs. */
public record TurnServer(String host, int port, String username, String password, Transport transport) {

    public static final int DEFAULT_PORT = 3478;

    /** Transport between this node and the TURN server. */
    public enum Transport {
        UDP("udp"), TCP("tcp");

        private final String yaml;

        Transport(String yaml) {
            this.yaml = yaml;
        }

        @JsonValue
        public String yaml() {
            return yaml;
        }
    }

    public TurnServer {
        Check.host("host", host);
        Check.port("port", port, DEFAULT_PORT);
        Check.nonBlank("username", username);
        Check.nonBlank("password", password);
        Check.required("transport", transport);
    }

    @JsonCreator
    static TurnServer fromYaml(@JsonProperty("host") String host,
                               @JsonProperty("port") Integer port,
                               @JsonProperty("username") String username,
                               @JsonProperty("password") String password,
                               @JsonProperty("transport") Transport transport) {
        return new TurnServer(host, Check.port("port", port, DEFAULT_PORT), username, password,
                transport == null ? Transport.UDP : transport);
    }

    @Override
    public String toString() {
        return "TurnServer[" + transport.yaml() + "://" + username + "@" + host + ":" + port + "]";
    }
}
