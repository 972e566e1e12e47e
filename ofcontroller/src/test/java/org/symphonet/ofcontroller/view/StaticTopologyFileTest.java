package org.symphonet.ofcontroller.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class StaticTopologyFileTest {

    private static final String N1 = "10000000000000000000000000000000";
    private static final String N2 = "20000000000000000000000000000000";
    private static final String N3 = "30000000000000000000000000000000";

    private static String error(String yaml) {
        return assertThrows(StaticTopologyFile.TopologyFileException.class,
                () -> StaticTopologyFile.parse(yaml, "topo.yaml")).getMessage();
    }

    @Test
    void readsBridgesPeersAndMembers() throws Exception {
        MutableTopologyView v = StaticTopologyFile.parse("""
                bridges:
                  - datapath-id: "0000000000000001"
                    node-id: "%s"
                    peer-ports:
                      to-2: "%s"
                  - datapath-id: "00:00:00:00:00:00:00:02"
                    node-id: "%s"
                members: ["%s"]
                """.formatted(N1, N2, N2, N3), "topo.yaml");
        BridgeTopology b1 = v.bridge(1).orElseThrow();
        assertEquals(NodeId.parse(N1), b1.self());
        assertEquals(NodeId.parse(N2), b1.peerPorts().get("to-2"));
        assertEquals(3, b1.members().size());
        assertTrue(v.bridge(2).orElseThrow().peerPorts().isEmpty());
        assertTrue(v.bridge(3).isEmpty());
    }

    @Test
    void unknownKeyNamesKeyFileAndLine() {
        String m = error("""
                bridges:
                  - datapath-id: "01"
                    node-id: "%s"
                    peer-port: {}
                """.formatted(N1));
        assertTrue(m.contains("topo.yaml"), m);
        assertTrue(m.contains("line 4"), m);
        assertTrue(m.contains("peer-port"), m);
    }

    @Test
    void badNodeIdNamesTheKey() {
        String m = error("""
                bridges:
                  - datapath-id: "01"
                    node-id: "%s"
                    peer-ports:
                      to-2: "nothex"
                """.formatted(N1));
        assertTrue(m.contains("peer-ports.to-2"), m);
        assertTrue(m.contains("line"), m);
    }

    @Test
    void missingAndRepeatedAndSelfLinks() {
        assertTrue(error("bridges:\n  - node-id: \"" + N1 + "\"\n").contains("datapath-id"));
        assertTrue(error("""
                bridges:
                  - {datapath-id: "01", node-id: "%s"}
                  - {datapath-id: "01", node-id: "%s"}
                """.formatted(N1, N2)).contains("bridges[1].datapath-id repeats"));
        assertTrue(error("""
                bridges:
                  - {datapath-id: "01", node-id: "%s", peer-ports: {p: "%s"}}
                """.formatted(N1, N1)).contains("leads to the bridge itself"));
        assertTrue(error("").contains("empty"));
        assertTrue(error("bridges: [\n").contains("not valid YAML"));
        assertTrue(error("bridges:\n  - {datapath-id: \"xyz\", node-id: \"" + N1 + "\"}\n").contains("datapath-id must be"));
    }

    @Test
    void missingFileIsAClearError() {
        var e = assertThrows(StaticTopologyFile.TopologyFileException.class,
                () -> StaticTopologyFile.load(Path.of("/nonexistent/topo.yaml")));
        assertTrue(e.getMessage().contains("does not exist"));
    }
}
