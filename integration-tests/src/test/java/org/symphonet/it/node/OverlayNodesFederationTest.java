package org.symphonet.it.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.symphonet.it.testbed.Requirements;
import org.symphonet.it.testbed.Testbed;
import org.symphonet.it.testbed.Wait;
import org.symphonet.ofcontroller.view.NodeId;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One overlay across federated XMPP domains: site-a.test and site-b.test each run their own
 * Prosody in their own namespace, joined by server-to-server links (dialback, names from a hosts
 * file), and each site's shared roster group lists the other site's nodes too. Three nodes log in
 * at site A, two at site B. A sixth node logs in at a third domain, site-c.test, whose operator
 * lists the overlay's nodes as contacts on its own side only: its presence reaches them over s2s,
 * and they must refuse it, because trust is the node's own roster, not the other side's claim.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OverlayNodesFederationTest {

    /** Site specs for lib/federation.sh: domain and the hosts whose nodes log in there. */
    static final String[] SITES = {"site-a.test:0,1,2", "site-b.test:3,4", "site-c.test:5"};
    static final String[] DOMAIN_OF = {"site-a.test", "site-a.test", "site-a.test", "site-b.test", "site-b.test", "site-c.test"};
    static final int HOSTS = 5;
    static final int OUTSIDER = HOSTS;
    static final int SUCCESSORS = 2;
    static final Pattern PACKETS = Pattern.compile("packets (\\d+)");

    Testbed tb;
    final Map<Integer, NodeId> ids = new HashMap<>();
    /** Each trusted node's dropped-stanza count before the outsider started. */
    final Map<Integer, Long> droppedBefore = new HashMap<>();
    List<String> missing = List.of();

    @BeforeAll
    void startSites() throws Exception {
        Requirements.require("ovs-vswitchd", "setpriv", "nft", "java", "prosody", "prosodyctl");
        Requirements.requireFile("lua-unbound", luaUnbound());
        Path built = Testbed.repoRoot().resolve("overlay-manager/target/symphonet.jar");
        assertTrue(Files.isRegularFile(built), "build the node first (mvn package): " + built);
        tb = Testbed.start(Testbed.prefixOr("of"));
        tb.must("overlay_xmpp_external");
        List<String> args = new ArrayList<>(List.of(Integer.toString(HOSTS), "1"));
        for (int i = 0; i <= OUTSIDER; i++) {
            args.add("pub");
        }
        Testbed.Result net = tb.run(Duration.ofMinutes(5), "overlay_net_places", args.toArray(String[]::new));
        assertTrue(net.ok(), "testbed: " + net.stderr() + net.stdout());
        Testbed.Result sites = tb.run(Duration.ofMinutes(2), "overlay_federation", SITES);
        assertTrue(sites.ok(), "XMPP sites: " + sites.stderr() + sites.stdout());
        String rules = "table netdev sytest { chain in { type filter hook ingress device eth0 priority 0; "
                + "udp dport 9999 meta pkttype broadcast counter; }; }";
        for (int i = 0; i <= OUTSIDER; i++) {
            assertTrue(tb.inNs("lf" + i, "nft", rules).ok());
        }
        for (int i = 0; i < HOSTS; i++) {
            tb.must("overlay_node_start", Integer.toString(i), built.toString());
        }
        // The outsider starts once the overlay's nodes are online and see each other across the
        // domains, so its presence (sent at its login) reaches every one of them to be refused.
        Wait.until(Duration.ofSeconds(120), "every trusted node online at its site and seeing all " + HOSTS + " members", () -> {
            for (int i = 0; i < HOSTS; i++) {
                JsonNode s = status(i);
                if (s == null || !s.path("xmpp").path("connected").asBoolean()
                        || s.path("overlays").get(0).path("members").asInt() != HOSTS) {
                    return false;
                }
                ids.put(i, NodeId.parse(s.path("node").asText()));
                droppedBefore.put(i, s.path("xmpp").path("dropped").asLong());
            }
            return true;
        });
        tb.must("overlay_node_start", Integer.toString(OUTSIDER), built.toString());
        Wait.until(Duration.ofSeconds(90), "the outsider logged in at site-c.test", () -> {
            JsonNode s = status(OUTSIDER);
            if (s == null || !s.path("xmpp").path("connected").asBoolean()) {
                return false;
            }
            ids.put(OUTSIDER, NodeId.parse(s.path("node").asText()));
            return true;
        });
    }

    @AfterAll
    void tearDown() throws Exception {
        if (tb != null) {
            NodeLabChecks.keepLogs(tb, getClass(), "node*.log", "prosody-x*/prosody.log");
            for (int i = 0; i <= OUTSIDER; i++) {
                tb.run("overlay_node_stop", Integer.toString(i));
            }
            tb.close();
        }
    }

    @Test
    @Order(1)
    void theRingFormsAcrossTheTwoDomains() throws Exception {
        Wait.until(Duration.ofSeconds(120), () -> "every node linked to its " + SUCCESSORS + " successors (missing host->successor: "
                + missing + ")", this::successorsUp);
        int crossDomain = 0;
        for (int i = 0; i < HOSTS; i++) {
            JsonNode s = status(i);
            assertTrue(s.path("xmpp").path("server").asText().startsWith("10.200.0." + (DOMAIN_OF[i].equals("site-a.test") ? 2 : 3)),
                    "node " + i + " logs in at its own site's server: " + s.path("xmpp"));
            JsonNode overlay = s.path("overlays").get(0);
            assertEquals(HOSTS, overlay.path("members").asInt(), "members seen by node " + i);
            for (JsonNode l : overlay.path("links")) {
                int peer = hostOf(l.path("peer").asText());
                if ("up".equals(l.path("state").asText()) && !DOMAIN_OF[peer].equals(DOMAIN_OF[i])) {
                    crossDomain++;
                }
            }
        }
        assertTrue(crossDomain > 0, "no tunnel between the two domains");
        Testbed.Result r = pingAmong(Duration.ofSeconds(60));
        assertTrue(r.ok(), r.stdout() + r.stderr());
    }

    @Test
    @Order(2)
    void theThirdDomainsNodeIsRefused() throws Exception {
        // Its own server lists the overlay's nodes, so its presence reached each of them over s2s:
        // each drops it (counted in the status and /metrics, logged) and never answers.
        Wait.until(Duration.ofSeconds(60), () -> "every trusted node to drop the outsider's presence (dropped since: "
                + droppedSince() + ")", () -> droppedSince().values().stream().allMatch(d -> d > 0));
        for (int i = 0; i < HOSTS; i++) {
            String log = Files.readString(Path.of("/run/symphonet-tb", tb.prefix(), "node" + i + ".log"));
            assertTrue(log.contains("from node" + OUTSIDER + "@site-c.test") && log.contains("not a mutual roster contact"),
                    "node " + i + " logged no refusal of the outsider");
            for (JsonNode l : status(i).path("overlays").get(0).path("links")) {
                assertTrue(!l.path("peer").asText().equals(ids.get(OUTSIDER).toString()), "node " + i + " has a link to the outsider");
            }
        }
        NodeLabChecks.assertIsolated(tb, status(OUTSIDER), "lf" + OUTSIDER, "10.88.0.11");
    }

    @Test
    @Order(3)
    void aBroadcastArrivesOnceAtEveryLeafAndNotAtTheOutsider() throws Exception {
        Map<Integer, Long> before = leafBroadcasts();
        NodeLabChecks.sendBroadcast(tb, "lf0", "10.88.0.255");
        Thread.sleep(2000);
        Map<Integer, Long> after = leafBroadcasts();
        for (int i = 1; i <= OUTSIDER; i++) { // the sender's counter also sees the kernel's local copy
            assertEquals(i == OUTSIDER ? 0 : 1, after.get(i) - before.get(i), "copies at leaf " + i);
        }
    }

    // ---- helpers ----

    /** Prosody 0.12 reads a hosts file only through libunbound (Debian's lua-unbound). */
    static Path luaUnbound() throws IOException {
        try (DirectoryStream<Path> archs = Files.newDirectoryStream(Path.of("/usr/lib"))) {
            for (Path a : archs) {
                Path p = a.resolve("lua/5.4/lunbound.so");
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return Path.of("/usr/lib/x86_64-linux-gnu/lua/5.4/lunbound.so");
    }

    Map<Integer, Long> droppedSince() {
        Map<Integer, Long> m = new HashMap<>();
        for (int i = 0; i < HOSTS; i++) {
            JsonNode s = status(i);
            m.put(i, s == null ? -1 : s.path("xmpp").path("dropped").asLong() - droppedBefore.get(i));
        }
        return m;
    }

    boolean successorsUp() {
        Set<Integer> trusted = new HashSet<>();
        for (int i = 0; i < HOSTS; i++) {
            trusted.add(i);
        }
        List<String> m = NodeLabChecks.missingSuccessors(ids, trusted, 0, SUCCESSORS, this::status);
        if (m == null) {
            return false;
        }
        missing = m;
        return m.isEmpty();
    }

    int hostOf(String nodeId) {
        return NodeLabChecks.hostOf(ids, nodeId);
    }

    JsonNode status(int host) {
        return tb.nodeStatus(host);
    }

    Map<Integer, Long> leafBroadcasts() {
        Map<Integer, Long> m = new HashMap<>();
        for (int i = 0; i <= OUTSIDER; i++) {
            Matcher x = PACKETS.matcher(tb.inNs("lf" + i, "nft", "list", "chain", "netdev", "sytest", "in").stdout());
            m.put(i, x.find() ? Long.parseLong(x.group(1)) : -1);
        }
        return m;
    }

    /** Every trusted leaf pings every other, retried until all pass or the time is up. */
    Testbed.Result pingAmong(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        Testbed.Result r;
        do {
            r = tb.run(Duration.ofMinutes(3), "overlay_ping_all", Integer.toString(HOSTS));
        } while (!r.ok() && System.nanoTime() < deadline);
        return r;
    }
}
