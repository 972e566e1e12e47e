package org.symphonet.overlay.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;


/**
 * The node's XMPP account and where to reach its server.
 *
 * @param jid      bare account JID, {@code user@domain}
 * @param password account password
 * @param servers  hosts to connect to, in the order to try them: the first is the node's own, the
 *                 others take over when it is lost (the nodes of one clustered XMPP domain). At
 *                 least one, no duplicates; defaults to the JID's domain (no DNS SRV lookup, on
 *                 purpose: an overlay should not depend on DNS records being right)
 * @param port     client-to-server port
 * @param tls      STARTTLS policy
 * @param resource resource part of the full JID; peers address link messages to it
 * @param caFile   PEM file of the certificates to trust for the server's TLS certificate (a private
 *                 CA, or the server's self-signed certificate) instead of the JVM's trust store
 * @param presenceInterval how often the node re-sends its presence after login. The server fans each
 *                 one out to every contact, so the overlay's steady load grows with n² / interval:
 *                 the one steady-state cost a large overlay must turn down (README, XMPP tier)
 */
public record XmppConfig(String jid, String password, List<String> servers, int port, TlsMode tls, String resource,
                         Optional<Path> caFile, Duration presenceInterval) {

    public static final int DEFAULT_PORT = 5222;
    public static final TlsMode DEFAULT_TLS = TlsMode.REQUIRED;
    public static final String DEFAULT_RESOURCE = "symphonet";
    public static final Duration DEFAULT_PRESENCE_INTERVAL = Duration.ofMinutes(5);
    // Below 10 s re-announcing is chatter, not a safeguard; a day is as good as never.
    public static final Duration MIN_PRESENCE_INTERVAL = Duration.ofSeconds(10);
    public static final Duration MAX_PRESENCE_INTERVAL = Duration.ofHours(24);

    private static final Pattern BARE_JID = Pattern.compile("[^@/\\s\"'<>&]+@[A-Za-z0-9.-]+");
    private static final Pattern RESOURCE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public XmppConfig {
        Check.matches("jid", jid, BARE_JID, "a bare JID like node1@example.org");
        Check.nonBlank("password", password);
        servers = Check.list("servers", servers);
        if (servers.isEmpty()) {
            throw new ConfigValueException("servers", "must list at least one server");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < servers.size(); i++) {
            Check.host("servers[" + i + "]", servers.get(i));
            Integer prev = seen.putIfAbsent(servers.get(i).toLowerCase(java.util.Locale.ROOT), i);
            if (prev != null) {
                throw new ConfigValueException("servers[" + i + "]", "duplicates servers[" + prev + "] '"
                        + servers.get(i) + "'");
            }
        }
        Check.port("port", port, DEFAULT_PORT);
        Check.required("tls", tls);
        Check.matches("resource", resource, RESOURCE, "1-64 characters of A-Z, a-z, 0-9, '.', '_', '-'");
        Check.required("ca-file", caFile);
        if (caFile.isPresent() && tls == TlsMode.DISABLED) {
            throw new ConfigValueException("ca-file", "is set but tls is disabled");
        }
        Check.required("presence-interval", presenceInterval);
        DurationText.within("presence-interval", presenceInterval, MIN_PRESENCE_INTERVAL, MAX_PRESENCE_INTERVAL);
    }

    /** Without a CA file: the JVM's trust store decides. */
    public XmppConfig(String jid, String password, String server, int port, TlsMode tls, String resource) {
        this(jid, password, List.of(server), port, tls, resource, Optional.empty(), DEFAULT_PRESENCE_INTERVAL);
    }

    /** One server, as most deployments and tests have it. */
    public XmppConfig(String jid, String password, String server, int port, TlsMode tls, String resource,
                      Optional<Path> caFile) {
        this(jid, password, List.of(server), port, tls, resource, caFile, DEFAULT_PRESENCE_INTERVAL);
    }

    /** The first server: the one a node tries first and normally uses. */
    public String server() {
        return servers.get(0);
    }

    static XmppConfig read(YamlTree.Node node) {
        Fields f = Fields.of(node, "jid", "password", "server", "servers", "port", "tls", "resource", "ca-file",
                "presence-interval");
        return fromYaml(f.text("jid"), f.text("password"), f.text("server"), f.list("servers", Fields::textOf),
                f.integer("port"), f.choice("tls", TlsMode.values(), TlsMode::yaml), f.text("resource"),
                f.text("ca-file"), f.text("presence-interval"));
    }

    static XmppConfig fromYaml(String jid,
                               String password,
                               String server,
                               List<String> servers,
                               Integer port,
                               TlsMode tls,
                               String resource,
                               String caFile,
                               String presenceInterval) {
        Check.matches("jid", jid, BARE_JID, "a bare JID like node1@example.org");
        if (caFile != null && (caFile.isBlank() || caFile.indexOf('\0') >= 0)) {
            throw new ConfigValueException("ca-file", "must be a file path, got '" + caFile + "'");
        }
        if (server != null && servers != null) {
            // Which one would win is a guess either way: make the operator say.
            throw new ConfigValueException("servers", "give either server (one) or servers (a list), not both");
        }
        if (server != null) {
            Check.host("server", server);
        }
        List<String> hosts = servers != null ? servers
                : List.of(server == null ? jid.substring(jid.indexOf('@') + 1) : server);
        return new XmppConfig(jid, password, hosts,
                Check.port("port", port, DEFAULT_PORT),
                tls == null ? DEFAULT_TLS : tls,
                resource == null ? DEFAULT_RESOURCE : resource,
                Optional.ofNullable(caFile).map(Path::of),
                Optional.ofNullable(DurationText.parse("presence-interval", presenceInterval))
                        .orElse(DEFAULT_PRESENCE_INTERVAL));
    }

    XmppConfig withCaFile(Path resolved) {
        return new XmppConfig(jid, password, servers, port, tls, resource, Optional.of(resolved), presenceInterval);
    }

    public String localpart() {
        return jid.substring(0, jid.indexOf('@'));
    }

    public String domain() {
        return jid.substring(jid.indexOf('@') + 1);
    }

    /** Keeps the password out of logs and exception messages. */
    @Override
    public String toString() {
        return "XmppConfig[jid=" + jid + ", servers=" + servers + ", port=" + port + ", tls=" + tls.yaml()
                + ", resource=" + resource + caFile.map(f -> ", ca-file=" + f).orElse("")
                + ", presence-interval=" + DurationText.format(presenceInterval) + "]";
    }
}
