package org.symphonet.ofcontroller;

import java.util.Set;

import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.symphonet.ofcontroller.pipeline.Pipeline;

/** Ports, frames and packet-ins as a switch would hand them to a {@link Bridge}, for bridge tests. */
final class BridgeFrames {

    static final OFFactory F = OFFactories.getFactory(OFVersion.OF_13);

    private BridgeFrames() {
    }

    /** A bridge on a fake switch: what it sends lands in {@code sent}. */
    static Bridge bridge(java.util.List<org.projectfloodlight.openflow.protocol.OFMessage> sent,
                         org.symphonet.ofcontroller.metrics.BridgeCounters counters) {
        return bridge(sent, counters, new java.util.ArrayList<>());
    }

    /** A bridge whose timer work lands in {@code scheduled}, for the test to run when it chooses. */
    static Bridge bridge(java.util.List<org.projectfloodlight.openflow.protocol.OFMessage> sent,
                         org.symphonet.ofcontroller.metrics.BridgeCounters counters,
                         java.util.List<Runnable> scheduled) {
        return new Bridge(1, new org.symphonet.ofcontroller.session.SwitchChannel() {
            @Override
            public void send(org.projectfloodlight.openflow.protocol.OFMessage message) {
                sent.add(message);
            }

            @Override
            public void flush() {
            }

            @Override
            public void schedule(long millis, Runnable task) {
                scheduled.add(task);
            }
        }, new Pipeline(F), ControllerSettings.defaults(), counters, org.symphonet.ofcontroller.discovery.SwitchObserver.NONE, () -> { });
    }

    static OFPortDesc port(int no, String name) {
        return F.buildPortDesc().setPortNo(OFPort.of(no)).setName(name).setHwAddr(MacAddress.of(0x0a00_0000_0000L + no))
                .setConfig(Set.of()).setState(Set.of()).build();
    }

    /** A forwarding-table miss: the frame came in on {@code inPort}. */
    static OFPacketIn packetIn(int inPort, byte[] frame) {
        return F.buildPacketIn().setMatch(F.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(inPort)).build())
                .setTableId(Pipeline.FORWARD).setReason(OFPacketInReason.NO_MATCH).setBufferId(OFBufferId.NO_BUFFER)
                .setTotalLen(frame.length).setData(frame).build();
    }

    /** An FRB as it arrives from a peer on {@code inPort}. */
    static OFPacketIn frbIn(int inPort, byte[] frb) {
        return F.buildPacketIn().setMatch(F.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(inPort)).build())
                .setTableId(Pipeline.CLASSIFY).setReason(OFPacketInReason.ACTION).setBufferId(OFBufferId.NO_BUFFER)
                .setTotalLen(frb.length).setData(frb).build();
    }

    /** Every port the packet-outs among {@code sent} write to, in order. */
    static java.util.List<OFPort> outputs(java.util.List<org.projectfloodlight.openflow.protocol.OFMessage> sent) {
        java.util.List<OFPort> out = new java.util.ArrayList<>();
        for (var m : sent) {
            if (m instanceof org.projectfloodlight.openflow.protocol.OFPacketOut po) {
                po.getActions().forEach(a -> out.add(((org.projectfloodlight.openflow.protocol.action.OFActionOutput) a).getPort()));
            }
        }
        return out;
    }

    /** The 6 bytes of a MAC address. */
    static byte[] macBytes(long mac) {
        byte[] b = new byte[6];
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) (mac >>> (40 - 8 * i));
        }
        return b;
    }

    /** A minimal IPv4 frame from {@code src} to {@code dst}. */
    static byte[] frame(long dst, long src) {
        byte[] f = new byte[60];
        System.arraycopy(macBytes(dst), 0, f, 0, 6);
        System.arraycopy(macBytes(src), 0, f, 6, 6);
        f[12] = 0x08; // IPv4
        return f;
    }
}
