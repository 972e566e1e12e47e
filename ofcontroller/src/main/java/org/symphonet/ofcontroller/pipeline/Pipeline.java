package org.symphonet.ofcontroller.pipeline;

import java.util.List;
import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFlowAdd;
import org.projectfloodlight.openflow.protocol.OFFlowDelete;
import org.projectfloodlight.openflow.protocol.OFFlowDeleteStrict;
import org.projectfloodlight.openflow.protocol.OFFlowModFlags;
import org.projectfloodlight.openflow.protocol.action.OFAction;
import org.projectfloodlight.openflow.protocol.match.Match;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.ArpOpcode;
import org.projectfloodlight.openflow.types.EthType;
import org.projectfloodlight.openflow.types.IPv4Address;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFGroup;
import org.projectfloodlight.openflow.types.OFMetadata;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;
import org.symphonet.ofcontroller.discovery.ProbeCodec;
import org.symphonet.ofcontroller.flood.FrbCodec;

/**
 * The whole table layout, stated once. Every flow the controller writes is built here.
 *
 * <pre>
 * table 0 CLASSIFY  prio 400  eth_type=0xC0C1               -> controller     (discovery probes, never forwarded)
 *                   prio 300  in_port=PEER, eth_type=0xC0C0 -> controller     (FRBs from peers, and from tunnel ports
 *                                                                              the view does not name, yet or any more)
 *                   prio 250  in_port=LEAF, eth_type=0xC0C0 -> drop           (FRBs from leaves)
 *                   prio 200  eth_type=0xC0C0               -> controller     (FRBs from a port the controller has not
 *                                                                              classified yet: a new tunnel's first FRBs)
 *                   prio 100  in_port=PEER                   -> goto 2         (remote MACs are learned from FRBs only)
 *                   prio   0                                 -> goto 1
 * table 1 LEARN     prio 100  in_port=P, eth_src=M           -> goto 2         (M sent twice on P; idle timeout, flow-removed)
 *                   prio   0                                 -> metadata=1, goto 2 (source unknown: tell the controller later)
 * table 2 FORWARD   prio 100  eth_dst=M                      -> output P, goto 3 (idle timeout, flow-removed)
 *                   prio 100  eth_dst=M                      -> controller     (instead, for milliseconds while M moves to a shorter path)
 *                   prio  50  ARP request for A, broadcast      -> output LEAVES, goto 3 (a flood for A went out less than
 *                                                                              the hold ago: other local leaves only; hard timeout)
 *                   prio   0                                 -> controller     (broadcast, multicast, unknown: bounded flood)
 * table 3 NOTIFY    prio 100  metadata=1                     -> controller     (learn a new source; the frame already left)
 *                   prio   0                                 -> (end)
 * </pre>
 *
 * A frame causes at most one packet-in: an unknown source is only marked in table 1, and the
 * controller learns it either from the forwarding table's miss (which asks anyway) or from table 3
 * after the frame was already output. Each packet-in costs the switch an upcall, so a new MAC pair
 * costs two, as with a plain learning switch.
 *
 * A MAC's first frame installs no flow: the first frame toward it (a table-2 miss the controller
 * answers anyway) installs its destination flow, and its own second frame its source flow (one
 * more packet-in, after that frame already left). MACs that send once or are never sent to, the
 * bulk of a MAC churn, so cost the switch no flow-mod, and every flow in table 1 makes its
 * megaflows match exact sources: end to end on a netdev bridge this took the fresh MAC pairs set up
 * per second from 0.48x ovs-testcontroller's to above it. A MAC is forgotten when its source flow
 * idles out, or its destination flow if it has no source flow, or after the idle time if it never
 * got a flow at all (the controller's own clock).
 *
 * Remote MACs are learned only from FRBs (floods and leaf announcements), never from unicast
 * arriving on a peer port. So the way to a remote MAC is always the FRB tree rooted at its bridge:
 * one consistent tree per root, with no loops; learning from unicast too would mix the trees of
 * different roots (unicast paths are asymmetric) and could point two bridges at each other.
 *
 * The controller is the only writer: on connect it deletes every flow and group and installs the
 * defaults, and since the bridge runs fail-mode secure nothing switches without it.
 */
public final class Pipeline {

    public static final TableId CLASSIFY = TableId.of(0);
    public static final TableId LEARN = TableId.of(1);
    public static final TableId FORWARD = TableId.of(2);
    public static final TableId NOTIFY = TableId.of(3);

    /** Metadata bit set by table 1 when the frame's source is not learned on its port. */
    public static final OFMetadata UNKNOWN_SOURCE = OFMetadata.ofRaw(1);

    static final int PRIO_PROBE = 400;
    static final int PRIO_FRB_FROM_PEER = 300;
    static final int PRIO_FRB_FROM_LEAF = 250;
    static final int PRIO_FRB_ELSEWHERE = 200;
    static final int PRIO_LEARNED = 100;
    static final int PRIO_ARP_HOLD = 50;
    static final int PRIO_PEER_TRAFFIC = 100;
    static final int PRIO_MISS = 0;

    /** Marks every flow as ours, which makes flows in dumps easy to read. */
    public static final U64 COOKIE = U64.of(0x53594d50L << 32);

    private static final int NO_BUFFER = 0xffff;

    private final OFFactory f;

    public Pipeline(OFFactory factory) {
        this.f = factory;
    }

    public OFFactory factory() {
        return f;
    }

    /** Deletes every flow of every table: the first message after the handshake. */
    public OFFlowDelete deleteAll() {
        return f.buildFlowDelete().setTableId(TableId.ALL).setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build();
    }

    /** The table-miss defaults of all tables, the drop of stray FRBs and the catch of discovery probes. */
    public List<OFFlowAdd> defaults() {
        return List.of(
                add(CLASSIFY, PRIO_PROBE, f.buildMatch().setExact(MatchField.ETH_TYPE, EthType.of(ProbeCodec.ETHERTYPE)).build(),
                        List.of(toController()), null, 0, false),
                // To us, not dropped: a new tunnel's datapath starts the moment its port is on the
                // switch, with the far end's FRBs already queued (it named the link first), and they
                // arrived before the flow that takes them (9.4k dropped here at 32 nodes). The port's
                // status reaches us ahead of its frames, so we know by then what the port is.
                add(CLASSIFY, PRIO_FRB_ELSEWHERE, f.buildMatch().setExact(MatchField.ETH_TYPE, EthType.of(FrbCodec.ETHERTYPE)).build(),
                        List.of(toController()), null, 0, false),
                add(CLASSIFY, PRIO_MISS, f.buildMatch().build(), List.of(), LEARN, 0, false),
                add(LEARN, PRIO_MISS, f.buildMatch().build(), List.of(), FORWARD, 0, false, UNKNOWN_SOURCE),
                add(FORWARD, PRIO_MISS, f.buildMatch().build(), List.of(toController()), null, 0, false),
                add(NOTIFY, PRIO_LEARNED, f.buildMatch().setMasked(MatchField.METADATA, UNKNOWN_SOURCE, UNKNOWN_SOURCE).build(),
                        List.of(toController()), null, 0, false),
                add(NOTIFY, PRIO_MISS, f.buildMatch().build(), List.of(), null, 0, false));
    }

    public OFFlowAdd frbFromPeer(OFPort peerPort) {
        return add(CLASSIFY, PRIO_FRB_FROM_PEER, frbMatch(peerPort), List.of(toController()), null, 0, false);
    }

    /** FRBs from a leaf port are dropped in the switch: only bridges send them. */
    public OFFlowAdd frbFromLeaf(OFPort leafPort) {
        return add(CLASSIFY, PRIO_FRB_FROM_LEAF, frbMatch(leafPort), List.of(), null, 0, false);
    }

    /** Undoes {@link #frbFromLeaf}: the port is no leaf port any more (or gone). */
    public OFFlowDeleteStrict removeLeaf(OFPort leafPort) {
        return f.buildFlowDeleteStrict().setTableId(CLASSIFY).setPriority(PRIO_FRB_FROM_LEAF).setMatch(frbMatch(leafPort))
                .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build();
    }

    /** Plain frames from a peer skip the learning table: see the class comment. */
    public OFFlowAdd peerTraffic(OFPort peerPort) {
        return add(CLASSIFY, PRIO_PEER_TRAFFIC, f.buildMatch().setExact(MatchField.IN_PORT, peerPort).build(), List.of(),
                FORWARD, 0, false);
    }

    /** Undoes {@link #frbFromPeer} and {@link #peerTraffic}: the port is a leaf port (or gone) now. */
    public List<OFFlowDeleteStrict> removePeer(OFPort peerPort) {
        return List.of(
                f.buildFlowDeleteStrict().setTableId(CLASSIFY).setPriority(PRIO_FRB_FROM_PEER).setMatch(frbMatch(peerPort))
                        .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build(),
                removePeerTraffic(peerPort));
    }

    /** Undoes {@link #peerTraffic} only: the port's FRBs are still taken (a tunnel port the view no longer names). */
    public OFFlowDeleteStrict removePeerTraffic(OFPort peerPort) {
        return f.buildFlowDeleteStrict().setTableId(CLASSIFY).setPriority(PRIO_PEER_TRAFFIC)
                .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, peerPort).build())
                .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build();
    }

    /** Source M seen on port P: stop asking the controller about it. */
    public OFFlowAdd learnedSource(OFPort port, MacAddress mac, int idleTimeout) {
        return add(LEARN, PRIO_LEARNED, sourceMatch(port, mac), List.of(), FORWARD, idleTimeout, true);
    }

    /** Destination M lives behind port P. */
    public OFFlowAdd learnedDestination(MacAddress mac, OFPort port, int idleTimeout) {
        return add(FORWARD, PRIO_LEARNED, f.buildMatch().setExact(MatchField.ETH_DST, mac).build(),
                List.of(output(port)), NOTIFY, idleTimeout, true);
    }

    /**
     * Frames toward M go to the controller for now (replacing its forwarding flow in place): it
     * holds them while M's flow moves onto a shorter path. No idle timeout: the controller
     * replaces it within milliseconds.
     */
    public OFFlowAdd holdDestination(MacAddress mac) {
        return add(FORWARD, PRIO_LEARNED, f.buildMatch().setExact(MatchField.ETH_DST, mac).build(),
                List.of(toController()), null, 0, false);
    }

    /**
     * Broadcast ARP requests for {@code targetIp} go to {@code toLeaves} (the switch never sends a
     * frame back out of its ingress port) and nowhere else for {@code seconds}: a flood asking for
     * that address just went out, and each further request would only be a packet-in that the
     * controller drops. Then on to the notify table, so a new source is still learned.
     */
    public OFFlowAdd holdArp(int targetIp, List<OFAction> toLeaves, int seconds) {
        return add(FORWARD, PRIO_ARP_HOLD, arpRequestMatch(targetIp), toLeaves, NOTIFY, 0, false).createBuilder()
                .setHardTimeout(seconds).build();
    }

    /** Undoes {@link #holdArp}: requests for the address reach the controller again (it can answer them now). */
    public OFFlowDeleteStrict releaseArp(int targetIp) {
        return f.buildFlowDeleteStrict().setTableId(FORWARD).setPriority(PRIO_ARP_HOLD).setMatch(arpRequestMatch(targetIp))
                .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build();
    }

    /** Undoes every {@link #holdArp} (the set of leaf ports changed under them). */
    public OFFlowDelete releaseAllArp() {
        return f.buildFlowDelete().setTableId(FORWARD)
                .setMatch(f.buildMatch().setExact(MatchField.ETH_TYPE, EthType.ARP).build())
                .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build();
    }

    private Match arpRequestMatch(int targetIp) {
        return f.buildMatch().setExact(MatchField.ETH_DST, MacAddress.BROADCAST).setExact(MatchField.ETH_TYPE, EthType.ARP)
                .setExact(MatchField.ARP_OP, ArpOpcode.REQUEST).setExact(MatchField.ARP_TPA, IPv4Address.of(targetIp)).build();
    }

    public OFFlowDelete forgetSource(MacAddress mac) {
        return f.buildFlowDelete().setTableId(LEARN).setMatch(f.buildMatch().setExact(MatchField.ETH_SRC, mac).build())
                .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build();
    }

    public OFFlowDelete forgetDestination(MacAddress mac) {
        return f.buildFlowDelete().setTableId(FORWARD).setMatch(f.buildMatch().setExact(MatchField.ETH_DST, mac).build())
                .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build();
    }

    /** Every learned flow that reads from or writes to a port that went away. */
    public List<OFFlowDelete> forgetPort(OFPort port) {
        return List.of(
                f.buildFlowDelete().setTableId(LEARN).setMatch(f.buildMatch().setExact(MatchField.IN_PORT, port).build())
                        .setOutPort(OFPort.ANY).setOutGroup(OFGroup.ANY).build(),
                f.buildFlowDelete().setTableId(FORWARD).setMatch(f.buildMatch().build())
                        .setOutPort(port).setOutGroup(OFGroup.ANY).build());
    }

    public OFAction output(OFPort port) {
        return f.actions().buildOutput().setPort(port).setMaxLen(NO_BUFFER).build();
    }

    public org.projectfloodlight.openflow.protocol.OFPacketOut packetOut(OFPort inPort, List<OFAction> actions, byte[] frame) {
        return f.buildPacketOut().setBufferId(OFBufferId.NO_BUFFER).setInPort(inPort).setActions(actions).setData(frame).build();
    }

    private OFAction toController() {
        return output(OFPort.CONTROLLER);
    }

    private Match frbMatch(OFPort port) {
        return f.buildMatch().setExact(MatchField.IN_PORT, port).setExact(MatchField.ETH_TYPE, EthType.of(FrbCodec.ETHERTYPE)).build();
    }

    private Match sourceMatch(OFPort port, MacAddress mac) {
        return f.buildMatch().setExact(MatchField.IN_PORT, port).setExact(MatchField.ETH_SRC, mac).build();
    }

    private OFFlowAdd add(TableId table, int priority, Match match, List<OFAction> apply, TableId gotoTable,
                          int idleTimeout, boolean notifyRemoval) {
        return add(table, priority, match, apply, gotoTable, idleTimeout, notifyRemoval, null);
    }

    private OFFlowAdd add(TableId table, int priority, Match match, List<OFAction> apply, TableId gotoTable,
                          int idleTimeout, boolean notifyRemoval, OFMetadata setMetadataBits) {
        var instructions = new java.util.ArrayList<org.projectfloodlight.openflow.protocol.instruction.OFInstruction>(3);
        if (!apply.isEmpty()) {
            instructions.add(f.instructions().applyActions(apply));
        }
        if (setMetadataBits != null) {
            instructions.add(f.instructions().buildWriteMetadata().setMetadata(setMetadataBits.getValue())
                    .setMetadataMask(setMetadataBits.getValue()).build());
        }
        if (gotoTable != null) {
            instructions.add(f.instructions().gotoTable(gotoTable));
        }
        var b = f.buildFlowAdd().setTableId(table).setPriority(priority).setMatch(match).setInstructions(instructions)
                .setCookie(COOKIE).setIdleTimeout(idleTimeout).setBufferId(OFBufferId.NO_BUFFER);
        if (notifyRemoval) {
            b.setFlags(Set.of(OFFlowModFlags.SEND_FLOW_REM));
        }
        return b.build();
    }
}
