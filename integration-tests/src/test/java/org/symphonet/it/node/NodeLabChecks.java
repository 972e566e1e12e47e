package org.symphonet.it.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.symphonet.it.testbed.Testbed;
import org.symphonet.it.testbed.Wait;
import org.symphonet.ofcontroller.view.NodeId;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks and chores shared by the node labs, on the nodes' status JSON and the testbed's files. */
final class NodeLabChecks {

    /** nft rules for a leaf namespace: count the UDP broadcasts to port 9999 its eth0 receives. */
    static final String BROADCAST_COUNTER = "table netdev sytest { chain in { type filter hook ingress device eth0 priority 0; "
            + "udp dport 9999 meta pkttype broadcast counter; }; }";
    private static final Pattern PACKETS = Pattern.compile("packets (\\d+)");

    private NodeLabChecks() {
    }

    /** The broadcasts a leaf's {@link #BROADCAST_COUNTER} counted so far; -1 when it cannot be read. */
    /** Sends one UDP broadcast from {@code leaf} to {@code address} (the leaves' subnet broadcast). */
    static void sendBroadcast(Testbed tb, String leaf, String address) {
        Testbed.Result r = tb.inNs(leaf, "/usr/bin/python3", Testbed.repoRoot().resolve("ovs-scripts/tools/udp-broadcast.py").toString(),
                address, "9999", "once");
        assertTrue(r.ok(), "broadcast from " + leaf + ": " + r.stdout() + r.stderr());
    }

    static long broadcasts(Testbed tb, String leaf) {
        Matcher x = PACKETS.matcher(tb.inNs(leaf, "nft", "list", "chain", "netdev", "sytest", "in").stdout());
        return x.find() ? Long.parseLong(x.group(1)) : -1;
    }

    /** Waits until hosts 0..nodes-1 all answer with their status, and records each one's node ID. */
    static void awaitIds(Testbed tb, int nodes, Map<Integer, NodeId> ids, Duration within) throws InterruptedException {
        Wait.until(within, "every node to report its status", () -> {
            for (int i = 0; i < nodes; i++) {
                JsonNode s = tb.nodeStatus(i);
                if (s == null) {
                    return false;
                }
                ids.put(i, NodeId.parse(s.path("node").asText()));
            }
            return true;
        });
    }

    /**
     * Every leaf {@code leafPrefix+a} of {@code hosts} pings every other one at {@code subnet+(b+11)},
     * in rounds until a round passes or {@code within} is over; the last round's result (FAIL lines).
     */
    static Testbed.Result pingAmong(Testbed tb, Set<Integer> hosts, String leafPrefix, String subnet, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        Testbed.Result r;
        do {
            StringBuilder script = new StringBuilder("fail=0; ");
            for (int a : hosts) {
                for (int b : hosts) {
                    if (a != b) {
                        script.append("ip netns exec ").append(tb.ns(leafPrefix + a)).append(" ping -c1 -W2 -q ").append(subnet)
                                .append(b + 11).append(" >/dev/null || { echo FAIL ").append(leafPrefix).append(a).append(" '->' ")
                                .append(b).append("; fail=1; }; ");
                    }
                }
            }
            script.append("exit $fail");
            r = Testbed.exec(Duration.ofMinutes(3), "bash", List.of("-c", script.toString()));
        } while (!r.ok() && System.nanoTime() < deadline);
        return r;
    }

    /**
     * "host->successor (what the host holds toward it)" for every successor (the next {@code successors}
     * node IDs among {@code hosts} on the ring) that a host has no up link to in one overlay; null while
     * a node does not answer.
     */
    static List<String> missingSuccessors(Map<Integer, NodeId> ids, Set<Integer> hosts, int overlay, int successors,
                                          IntFunction<JsonNode> status) {
        List<String> missing = new ArrayList<>();
        TreeSet<NodeId> ring = new TreeSet<>();
        hosts.forEach(h -> ring.add(ids.get(h)));
        List<NodeId> sorted = new ArrayList<>(ring);
        for (int h : hosts) {
            JsonNode s = status.apply(h);
            if (s == null) {
                return null;
            }
            Map<String, String> states = new HashMap<>();
            for (JsonNode l : s.path("overlays").get(overlay).path("links")) {
                states.merge(l.path("peer").asText(), l.path("state").asText() + "/" + l.path("type").asText(),
                        (a, b) -> a + "," + b);
            }
            int at = sorted.indexOf(ids.get(h));
            for (int k = 1; k <= Math.min(successors, sorted.size() - 1); k++) {
                NodeId succ = sorted.get((at + k) % sorted.size());
                String state = states.get(succ.toString());
                if (state == null || !(state.startsWith("up/") || state.contains(",up/"))) {
                    // What the host holds toward that successor says which side of the link to read in the logs.
                    missing.add(h + "->" + hostOf(ids, succ.toString()) + " (" + (state == null ? "no link" : state) + ")");
                }
            }
        }
        return missing;
    }

    static int hostOf(Map<Integer, NodeId> ids, String nodeId) {
        return ids.entrySet().stream().filter(e -> e.getValue().toString().equals(nodeId)).mapToInt(Map.Entry::getKey)
                .findFirst().orElseThrow(() -> new AssertionError("unknown peer " + nodeId));
    }

    /** A node trusted by nobody: logged in, yet it sees no members, has no links, and its leaf reaches nobody. */
    static void assertIsolated(Testbed tb, JsonNode status, String leaf, String overlayAddress) {
        assertTrue(status.path("xmpp").path("connected").asBoolean(), "it did log in");
        for (JsonNode o : status.path("overlays")) {
            assertEquals(1, o.path("members").asInt(), "it sees no members");
            assertEquals(0, o.path("links").size(), "it has no links");
        }
        assertTrue(!tb.inNs(leaf, "ping", "-c2", "-W1", "-q", overlayAddress).ok(), "its leaf reached the overlay");
    }

    /**
     * Keeps the run's files matching {@code globs} (relative to the run directory, e.g. "node*.log")
     * with the test reports, one folder per test class: the testbed directory goes away. A file in a
     * subdirectory is kept as "DIR-NAME" (several servers each have a prosody.log).
     */
    static void keepLogs(Testbed tb, Class<?> test, String... globs) throws IOException {
        Path logs = Path.of("target", "node-logs", test.getSimpleName());
        Files.createDirectories(logs);
        String script = "cd /run/symphonet-tb/" + tb.prefix() + " || exit 0; for f in " + String.join(" ", globs)
                + "; do [ -f \"$f\" ] && cp \"$f\" " + logs.toAbsolutePath() + "/\"${f//\\//-}\"; done; true";
        Testbed.exec(Duration.ofSeconds(30), "bash", List.of("-c", script));
    }
}
