package org.symphonet.overlay.config;

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

    static TurnServer read(YamlTree.Node node) {
        Fields f = Fields.of(node, "host", "port", "username", "password", "transport");
        return fromYaml(f.text("host"), f.integer("port"), f.text("username"), f.text("password"),
                f.choice("transport", Transport.values(), Transport::yaml));
    }

    static TurnServer fromYaml(String host,
                               Integer port,
                               String username,
                               String password,
                               Transport transport) {
        return new TurnServer(host, Check.port("port", port, DEFAULT_PORT), username, password,
                transport == null ? Transport.UDP : transport);
    }

    @Override
    public String toString() {
        return "TurnServer[" + transport.yaml() + "://" + username + "@" + host + ":" + port + "]";
    }
}
