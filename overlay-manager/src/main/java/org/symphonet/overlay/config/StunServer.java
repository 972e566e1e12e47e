package org.symphonet.overlay.config;


/** A STUN server for server-reflexive candidates. */
public record StunServer(String host, int port) {

    public static final int DEFAULT_PORT = 3478;

    public StunServer {
        Check.host("host", host);
        Check.port("port", port, DEFAULT_PORT);
    }

    static StunServer read(YamlTree.Node node) {
        Fields f = Fields.of(node, "host", "port");
        return fromYaml(f.text("host"), f.integer("port"));
    }

    static StunServer fromYaml(String host, Integer port) {
        return new StunServer(host, Check.port("port", port, DEFAULT_PORT));
    }
}
