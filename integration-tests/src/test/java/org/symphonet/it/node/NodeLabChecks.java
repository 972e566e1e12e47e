package org.symphonet.it.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;

import org.symphonet.it.testbed.Testbed;
import org.symphonet.ofcontroller.view.NodeId;

import com.fasterxml.jackson.databind.JsonNode;

/** Checks and chores shared by the node labs, on the nodes' status JSON and the testbed's files. */
final class NodeLabChecks {

    private NodeLabChecks() {
    }

    /**
     * "host->successor" for every successor (the next {@code successors} node IDs among {@code hosts}
     * on the ring) that a host has no up link to in one overlay; null while a node does not answer.
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
            Set<String> up = new HashSet<>();
            for (JsonNode l : s.path("overlays").get(overlay).path("links")) {
                if ("up".equals(l.path("state").asText())) {
                    up.add(l.path("peer").asText());
                }
            }
            int at = sorted.indexOf(ids.get(h));
            for (int k = 1; k <= Math.min(successors, sorted.size() - 1); k++) {
                NodeId succ = sorted.get((at + k) % sorted.size());
                if (!up.contains(succ.toString())) {
                    missing.add(h + "->" + hostOf(ids, succ.toString()));
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
