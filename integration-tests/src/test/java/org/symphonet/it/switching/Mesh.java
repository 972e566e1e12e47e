package org.symphonet.it.switching;

import java.util.ArrayList;
import java.util.List;

/** The mesh {@code tb_mesh_up} built, read back from its description. */
record Mesh(List<Node> nodes, List<Leaf> leaves, List<Link> links) {

    record Node(int index, String ns, long datapathId, String nodeId) {
    }

    record Leaf(int node, int index, String ip, String mac) {
        String name() {
            return "l" + node + "-" + index;
        }
    }

    record Link(int a, int b, String portA, String portB) {
    }

    static Mesh parse(String description) {
        List<Node> nodes = new ArrayList<>();
        List<Leaf> leaves = new ArrayList<>();
        List<Link> links = new ArrayList<>();
        for (String line : description.split("\n")) {
            String[] f = line.trim().split("\\s+");
            switch (f[0]) {
                case "node" -> nodes.add(new Node(Integer.parseInt(f[1]), f[2], Long.parseUnsignedLong(f[3], 16), f[4]));
                case "leaf" -> leaves.add(new Leaf(Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[4], f[5]));
                case "link" -> links.add(new Link(Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3], f[4]));
                default -> {
                }
            }
        }
        return new Mesh(List.copyOf(nodes), List.copyOf(leaves), List.copyOf(links));
    }

    Node node(int i) {
        return nodes.get(i);
    }
}
