package org.symphonet.ofcontroller.view;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The standalone controller's topology: a YAML file naming, for each bridge, its node ID and which
 * of its ports lead to which peer node. Example:
 *
 * <pre>
 * bridges:
 *   - datapath-id: "0000000000000001"
 *     node-id: "10000000000000000000000000000000"
 *     peer-ports:
 *       to-n2: "20000000000000000000000000000000"
 * members: []   # optional: further node IDs of the overlay without a bridge here
 * </pre>
 *
 * Errors name the key, the file and the line.
 */
public final class StaticTopologyFile {

    private StaticTopologyFile() {
    }

    /** A topology file that could not be used; the message says where and why. */
    public static final class TopologyFileException extends Exception {
        public TopologyFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** One bridge as written in the file. Setters validate, so a bad value is reported at its own line. */
    static final class BridgeEntry {
        Long datapathId;
        NodeId nodeId;
        Map<String, NodeId> peerPorts = new LinkedHashMap<>();

        @JsonProperty("datapath-id")
        void datapathId(String dpid) {
            if (dpid == null || !dpid.matches("(?i)(0x)?[0-9a-f]{1,16}|([0-9a-f]{2}:){7}[0-9a-f]{2}")) {
                throw new IllegalArgumentException("datapath-id must be up to 16 hex digits (or aa:bb:..:hh), got '" + dpid + "'");
            }
            datapathId = Long.parseUnsignedLong(dpid.replace(":", "").replaceFirst("(?i)^0x", ""), 16);
        }

        @JsonProperty("node-id")
        void nodeId(String node) {
            nodeId = NodeId.parse(node);
        }

        @JsonProperty("peer-ports")
        void peerPorts(Map<String, String> peers) {
            peerPorts = new LinkedHashMap<>();
            if (peers == null) {
                return;
            }
            peers.forEach((port, peer) -> {
                if (port.isEmpty() || port.length() > 15) {
                    throw new IllegalArgumentException("peer-ports: port name '" + port + "' must be 1..15 characters");
                }
                try {
                    peerPorts.put(port, NodeId.parse(peer));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("peer-ports." + port + ": " + e.getMessage());
                }
            });
        }
    }

    static final class FileModel {
        @JsonProperty("bridges")
        List<BridgeEntry> bridges;
        @JsonProperty("members")
        List<String> members = List.of();
    }

    public static MutableTopologyView load(Path file) throws TopologyFileException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new TopologyFileException("topology file " + file + " does not exist", e);
        } catch (IOException e) {
            throw new TopologyFileException("cannot read topology file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    public static MutableTopologyView parse(String yaml, String fileName) throws TopologyFileException {
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory())
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        if (yaml.isBlank()) {
            throw new TopologyFileException(fileName + ": the file is empty; it needs a 'bridges' list", null);
        }
        FileModel model;
        try {
            model = mapper.readValue(yaml, FileModel.class);
        } catch (JsonMappingException e) {
            throw new TopologyFileException(fileName + ": " + describe(e), e);
        } catch (JsonProcessingException e) {
            JsonLocation loc = e.getLocation();
            throw new TopologyFileException(fileName + (loc == null ? "" : ":" + loc.getLineNr()) + ": not valid YAML: "
                    + e.getOriginalMessage(), e);
        }
        if (model == null) {
            throw new TopologyFileException(fileName + ": the file is empty; it needs a 'bridges' list", null);
        }
        if (model.bridges == null || model.bridges.isEmpty()) {
            throw new TopologyFileException(fileName + ": key 'bridges': at least one bridge is needed", null);
        }
        for (int i = 0; i < model.bridges.size(); i++) {
            BridgeEntry b = model.bridges.get(i);
            if (b == null || b.datapathId == null || b.nodeId == null) {
                throw new TopologyFileException(fileName + ": bridges[" + i + "]: missing required key '"
                        + (b == null || b.datapathId == null ? "datapath-id" : "node-id") + "'", null);
            }
        }
        return build(model, fileName);
    }

    private static MutableTopologyView build(FileModel model, String fileName) throws TopologyFileException {
        Set<NodeId> members = new HashSet<>();
        Map<Long, Integer> seenDpid = new HashMap<>();
        Map<NodeId, Integer> seenNode = new HashMap<>();
        List<BridgeEntry> bridges = model.bridges;
        for (int i = 0; i < bridges.size(); i++) {
            BridgeEntry b = bridges.get(i);
            Integer other = seenDpid.put(b.datapathId, i);
            if (other != null) {
                throw new TopologyFileException(fileName + ": bridges[" + i + "].datapath-id repeats bridges[" + other + "]", null);
            }
            other = seenNode.put(b.nodeId, i);
            if (other != null) {
                throw new TopologyFileException(fileName + ": bridges[" + i + "].node-id repeats bridges[" + other + "]", null);
            }
            for (var e : b.peerPorts.entrySet()) {
                if (e.getValue().equals(b.nodeId)) {
                    throw new TopologyFileException(fileName + ": bridges[" + i + "].peer-ports." + e.getKey()
                            + " leads to the bridge itself", null);
                }
            }
            members.add(b.nodeId);
            members.addAll(b.peerPorts.values());
        }
        List<String> extra = new ArrayList<>(model.members == null ? List.of() : model.members);
        for (int i = 0; i < extra.size(); i++) {
            try {
                members.add(NodeId.parse(extra.get(i)));
            } catch (IllegalArgumentException e) {
                throw new TopologyFileException(fileName + ": members[" + i + "]: " + e.getMessage(), e);
            }
        }
        MutableTopologyView view = new MutableTopologyView();
        for (BridgeEntry b : bridges) {
            view.putBridge(b.datapathId, new BridgeTopology(b.nodeId, b.peerPorts, members));
        }
        return view;
    }

    private static String describe(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        JsonLocation loc = e.getLocation();
        String line = loc == null || loc.getLineNr() < 0 ? "" : "line " + loc.getLineNr() + ": ";
        String why = e.getOriginalMessage();
        if (e.getCause() instanceof JsonProcessingException syntax && !(e.getCause() instanceof JsonMappingException)) {
            JsonLocation at = syntax.getLocation();
            return (at == null ? line : "line " + at.getLineNr() + ": ") + "not valid YAML: "
                    + syntax.getOriginalMessage().lines().findFirst().orElse("");
        }
        if (e instanceof com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException u) {
            why = "unknown key '" + u.getPropertyName() + "' (known: " + u.getKnownPropertyIds() + ")";
        } else if (e.getCause() instanceof IllegalArgumentException iae) {
            why = iae.getMessage();
        }
        return line + (path.length() > 0 ? "key '" + path + "': " : "") + why;
    }
}
