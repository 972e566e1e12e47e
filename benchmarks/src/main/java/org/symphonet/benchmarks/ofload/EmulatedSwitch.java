package org.symphonet.benchmarks.ofload;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.projectfloodlight.openflow.exceptions.OFParseError;
import org.projectfloodlight.openflow.protocol.OFBarrierRequest;
import org.projectfloodlight.openflow.protocol.OFBadRequestCode;
import org.projectfloodlight.openflow.protocol.OFCapabilities;
import org.projectfloodlight.openflow.protocol.OFDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFEchoRequest;
import org.projectfloodlight.openflow.protocol.OFErrorMsg;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFFeaturesRequest;
import org.projectfloodlight.openflow.protocol.OFFlowStatsRequest;
import org.projectfloodlight.openflow.protocol.OFGetConfigRequest;
import org.projectfloodlight.openflow.protocol.OFHello;
import org.projectfloodlight.openflow.protocol.OFHelloElem;
import org.projectfloodlight.openflow.protocol.OFMessage;
import org.projectfloodlight.openflow.protocol.OFMessageReader;
import org.projectfloodlight.openflow.protocol.OFPortConfig;
import org.projectfloodlight.openflow.protocol.OFPortDesc;
import org.projectfloodlight.openflow.protocol.OFPortDescStatsRequest;
import org.projectfloodlight.openflow.protocol.OFPortFeatures;
import org.projectfloodlight.openflow.protocol.OFPortState;
import org.projectfloodlight.openflow.protocol.OFRoleRequest;
import org.projectfloodlight.openflow.protocol.OFTableFeaturesStatsRequest;
import org.projectfloodlight.openflow.protocol.OFType;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.types.DatapathId;
import org.projectfloodlight.openflow.types.MacAddress;
import org.projectfloodlight.openflow.types.OFAuxId;
import org.projectfloodlight.openflow.types.OFErrorCauseData;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.U32;

/**
 * One emulated OF 1.3 switch: a TCP connection to the controller, its handshake, and the
 * bookkeeping of its outstanding PACKET_INs. Driven by {@link LoadGenerator}'s single thread.
 */
final class EmulatedSwitch {
  static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);
  private static final OFMessageReader<OFMessage> READER = OFFactories.getGenericReader();
  private static final int OFP_HEADER = 8;
  private static final int T_PACKET_OUT = 13;
  private static final int T_FLOW_MOD = 14;

  enum State { CONNECTING, HELLO_SENT, READY, CLOSED }

  final int index;
  final long dpid;
  final int ports;
  final SocketChannel channel;
  SelectionKey key;
  State state = State.CONNECTING;
  boolean gotHello;

  final ByteBuffer in;
  final ByteBuffer out;

  // Outstanding packet-ins, indexed by (24-bit seq) & mask.
  private final long[] sentAt;
  private final int[] slotSeq;
  private final int mask;
  long nextSeq;
  int outstanding;
  private int nextXid = 1;

  // Counters (cumulative; the generator snapshots them).
  long sent;
  long answered;
  long flowMods;
  long flowAdds;
  long flowDeletes;
  long flowRemovedSent;
  long packetOuts;
  long foreignPacketOuts;
  long duplicatePacketOuts;
  long lost;
  long errorsReceived;
  long otherMessages;

  private final List<String> notes;
  /** Flow table of this switch: flows that asked for FLOW_REMOVED, oldest first (as encoded removals). */
  private final java.util.ArrayDeque<byte[]> removable = new java.util.ArrayDeque<>();
  private final int flowTableSize;
  /** Messages still to print in full on stderr (diagnostics, --trace); shared budget. */
  static final java.util.concurrent.atomic.AtomicInteger TRACE = new java.util.concurrent.atomic.AtomicInteger();
  static volatile boolean traceArmed;

  EmulatedSwitch(int index, long dpid, int ports, int window, SocketChannel channel, int bufferBytes,
      int flowTableSize, List<String> notes) {
    this.flowTableSize = flowTableSize;
    this.index = index;
    this.dpid = dpid;
    this.ports = ports;
    this.channel = channel;
    this.in = ByteBuffer.allocateDirect(bufferBytes);
    this.out = ByteBuffer.allocateDirect(bufferBytes);
    int size = Integer.highestOneBit(Math.max(64, window * 4) - 1) << 1;
    this.sentAt = new long[size];
    this.slotSeq = new int[size];
    this.mask = size - 1;
    java.util.Arrays.fill(slotSeq, -1);
    this.notes = notes;
  }

  void sendHello() {
    OFHelloElem bitmap = OF13.buildHelloElemVersionbitmap()
        .setBitmaps(List.of(U32.of(1L << OFVersion.OF_13.getWireVersion()))).build();
    OFHello hello = OF13.buildHello().setXid(nextXid++).setElements(List.of(bitmap)).build();
    queue(hello);
    state = State.HELLO_SENT;
  }

  boolean hasOutput() {
    return out.position() > 0;
  }

  /** Appends one PACKET_IN if the window and the output buffer allow it. */
  boolean sendPacketIn(PacketInTemplate template, long now) {
    if (out.remaining() < template.length()) {
      return false;
    }
    long seq = nextSeq++;
    int seq24 = (int) (seq & Frames.SEQ_MASK);
    int slot = seq24 & mask;
    if (slotSeq[slot] >= 0) { // never answered and not yet timed out
      slotSeq[slot] = -1;
      outstanding--;
      lost++;
    }
    template.write(out, nextXid++, index, seq, ports);
    slotSeq[slot] = seq24;
    sentAt[slot] = now;
    outstanding++;
    sent++;
    return true;
  }

  /** Releases outstanding packet-ins older than {@code timeoutNanos}; returns how many. */
  int expire(long now, long timeoutNanos) {
    if (outstanding == 0) {
      return 0;
    }
    int n = 0;
    for (int i = 0; i <= mask; i++) {
      if (slotSeq[i] >= 0 && now - sentAt[i] > timeoutNanos) {
        slotSeq[i] = -1;
        outstanding--;
        lost++;
        n++;
      }
    }
    return n;
  }

  /**
   * Parses every complete message in {@code in}; answers handshake requests and accounts for
   * PACKET_OUTs (latency into {@code hist} when non-null) and FLOW_MODs.
   */
  void processInput(long now, LatencyHistogram hist) {
    ByteBuffer b = in;
    b.flip();
    int pos = b.position();
    int limit = b.limit();
    while (limit - pos >= OFP_HEADER) {
      int len = b.getShort(pos + 2) & 0xFFFF;
      if (len < OFP_HEADER) {
        throw new IllegalStateException("switch " + index + ": bad OpenFlow length " + len);
      }
      if (limit - pos < len) {
        break;
      }
      int type = b.get(pos + 1) & 0xFF;
      if (traceArmed && TRACE.getAndDecrement() > 0) {
        trace(b, pos, len);
      }
      if (type == T_PACKET_OUT) {
        onPacketOut(b, pos, len, now, hist);
      } else if (type == T_FLOW_MOD) {
        onFlowMod(b, pos, len);
      } else {
        slowPath(b, pos, len);
      }
      pos += len;
    }
    b.position(pos);
    b.compact();
    if (!b.hasRemaining()) {
      throw new IllegalStateException("switch " + index + ": message larger than the input buffer");
    }
  }

  private void trace(ByteBuffer b, int pos, int len) {
    byte[] raw = new byte[len];
    b.get(pos, raw);
    String text;
    try {
      text = String.valueOf(READER.readFrom(Unpooled.wrappedBuffer(raw)));
    } catch (OFParseError | RuntimeException e) {
      text = "unparsable type " + (raw[1] & 0xFF) + ": " + e.getMessage();
    }
    System.err.println("trace switch " + index + ": " + text);
  }

  /**
   * Counts a FLOW_MOD. An ADD that asks for FLOW_REMOVED (OFPFF_SEND_FLOW_REM) enters this switch's
   * flow table; when the table holds more than {@code flowTableSize} such flows the oldest one idles
   * out, as it would on a real switch whose old hosts went quiet: we send its FLOW_REMOVED
   * (reason IDLE_TIMEOUT). Built from the flow-mod's bytes: both messages carry the match at 48.
   */
  private void onFlowMod(ByteBuffer b, int pos, int len) {
    flowMods++;
    if (len < 56) {
      return;
    }
    int command = b.get(pos + 25) & 0xFF;
    if (command == 3 || command == 4) {
      flowDeletes++;
      return;
    }
    if (command != 0) {
      return;
    }
    flowAdds++;
    int flags = b.getShort(pos + 44) & 0xFFFF;
    if (flowTableSize <= 0 || (flags & 1) == 0) {
      return;
    }
    int matchLen = b.getShort(pos + 50) & 0xFFFF;
    int padded = (matchLen + 7) / 8 * 8;
    if (matchLen < 4 || 48 + padded > len) {
      return;
    }
    byte[] fr = new byte[48 + padded];
    fr[0] = (byte) OFVersion.OF_13.getWireVersion();
    fr[1] = 11; // OFPT_FLOW_REMOVED
    fr[2] = (byte) (fr.length >> 8);
    fr[3] = (byte) fr.length;
    b.get(pos + 8, fr, 8, 8); // cookie
    b.get(pos + 30, fr, 16, 2); // priority
    fr[18] = 0; // OFPRR_IDLE_TIMEOUT
    fr[19] = b.get(pos + 24); // table_id
    b.get(pos + 26, fr, 22, 2); // duration_sec (low half) = idle_timeout
    b.get(pos + 26, fr, 28, 4); // idle_timeout, hard_timeout
    fr[39] = 1; // packet_count
    fr[47] = (byte) Frames.FRAME_LEN; // byte_count
    b.get(pos + 48, fr, 48, padded); // match
    removable.addLast(fr);
    if (removable.size() > flowTableSize) {
      byte[] old = removable.pollFirst();
      if (out.remaining() >= old.length) {
        out.put(old);
        flowRemovedSent++;
      }
    }
  }

  private void onPacketOut(ByteBuffer b, int pos, int len, long now, LatencyHistogram hist) {
    packetOuts++;
    if (len < 24) {
      foreignPacketOuts++;
      return;
    }
    int actionsLen = b.getShort(pos + 16) & 0xFFFF;
    int data = pos + 24 + actionsLen;
    if (data + 12 > pos + len) {
      foreignPacketOuts++;
      return;
    }
    long src = ((long) (b.getShort(data + 6) & 0xFFFF) << 32) | (b.getInt(data + 8) & 0xFFFFFFFFL);
    if (Frames.switchOf(src) != index) {
      foreignPacketOuts++;
      return;
    }
    int seq24 = Frames.seqOf(src);
    int slot = seq24 & mask;
    if (slotSeq[slot] != seq24) {
      duplicatePacketOuts++; // a second packet-out for one packet-in, or an expired one
      return;
    }
    slotSeq[slot] = -1;
    outstanding--;
    answered++;
    if (hist != null) {
      hist.record(now - sentAt[slot]);
    }
  }

  private void slowPath(ByteBuffer b, int pos, int len) {
    byte[] raw = new byte[len];
    b.get(pos, raw);
    int version = raw[0] & 0xFF;
    int type = raw[1] & 0xFF;
    if (type == 0) { // HELLO: accept any version as long as 1.3 is common
      gotHello = true;
      if (version < OFVersion.OF_13.getWireVersion()) {
        note("controller HELLO version " + version + " < 4; expecting OF 1.3 anyway");
      }
      return;
    }
    if (version != OFVersion.OF_13.getWireVersion()) {
      otherMessages++;
      note("ignoring message type " + type + " with version " + version);
      return;
    }
    OFMessage m;
    try {
      m = READER.readFrom(Unpooled.wrappedBuffer(raw));
    } catch (OFParseError | RuntimeException e) {
      otherMessages++;
      error(raw, OFBadRequestCode.BAD_TYPE);
      note("cannot parse message type " + type + ": " + e.getMessage());
      return;
    }
    if (m == null) {
      otherMessages++;
      return;
    }
    handle(m, raw);
  }

  private void handle(OFMessage m, byte[] raw) {
    long xid = m.getXid();
    OFType t = m.getType();
    switch (t) {
      case ECHO_REQUEST:
        queue(OF13.buildEchoReply().setXid(xid).setData(((OFEchoRequest) m).getData()).build());
        return;
      case FEATURES_REQUEST:
        queue(featuresReply((OFFeaturesRequest) m));
        state = State.READY;
        return;
      case BARRIER_REQUEST:
        queue(OF13.buildBarrierReply().setXid(((OFBarrierRequest) m).getXid()).build());
        return;
      case GET_CONFIG_REQUEST:
        queue(OF13.buildGetConfigReply().setXid(((OFGetConfigRequest) m).getXid())
            .setFlags(EnumSet.noneOf(org.projectfloodlight.openflow.protocol.OFConfigFlags.class))
            .setMissSendLen(0xFFFF).build());
        return;
      case ROLE_REQUEST: {
        OFRoleRequest r = (OFRoleRequest) m;
        queue(OF13.buildRoleReply().setXid(xid).setRole(r.getRole())
            .setGenerationId(r.getGenerationId()).build());
        return;
      }
      case STATS_REQUEST:
        statsRequest(m, raw);
        return;
      case ERROR:
        errorsReceived++;
        note("controller sent an error: " + summarize((OFErrorMsg) m));
        return;
      case SET_CONFIG:
      case GROUP_MOD:
      case METER_MOD:
      case PORT_MOD:
      case TABLE_MOD:
      case SET_ASYNC:
      case ECHO_REPLY:
        otherMessages++;
        return;
      default:
        otherMessages++;
        error(raw, OFBadRequestCode.BAD_TYPE);
        note("answered " + t + " with BAD_REQUEST/BAD_TYPE");
    }
  }

  private void statsRequest(OFMessage m, byte[] raw) {
    long xid = m.getXid();
    if (m instanceof OFPortDescStatsRequest) {
      queue(OF13.buildPortDescStatsReply().setXid(xid).setEntries(portDescs()).build());
    } else if (m instanceof OFDescStatsRequest) {
      queue(OF13.buildDescStatsReply().setXid(xid).setMfrDesc("Symphonet").setHwDesc("ofload")
          .setSwDesc("ofload emulated switch").setSerialNum(Integer.toString(index))
          .setDpDesc("ofload switch " + index).build());
    } else if (m instanceof OFTableFeaturesStatsRequest) {
      queue(OF13.buildTableFeaturesStatsReply().setXid(xid).setEntries(List.of()).build());
    } else if (m instanceof OFFlowStatsRequest) {
      queue(OF13.buildFlowStatsReply().setXid(xid).setEntries(List.of()).build());
    } else {
      otherMessages++;
      error(raw, OFBadRequestCode.BAD_STAT);
      note("answered " + m.getClass().getSimpleName() + " with BAD_REQUEST/BAD_STAT");
    }
  }

  private OFMessage featuresReply(OFFeaturesRequest req) {
    return OF13.buildFeaturesReply()
        .setXid(req.getXid())
        .setDatapathId(DatapathId.of(dpid))
        .setNBuffers(0)
        .setNTables((short) 254)
        .setAuxiliaryId(OFAuxId.MAIN)
        .setCapabilities(EnumSet.of(OFCapabilities.FLOW_STATS, OFCapabilities.TABLE_STATS,
            OFCapabilities.PORT_STATS, OFCapabilities.GROUP_STATS))
        .setReserved(0)
        .build();
  }

  List<OFPortDesc> portDescs() {
    List<OFPortDesc> list = new ArrayList<>(ports);
    for (int p = 1; p <= ports; p++) {
      list.add(OF13.buildPortDesc()
          .setPortNo(OFPort.of(p))
          .setHwAddr(MacAddress.of(0x0A0000000000L | ((long) (index + 1) << 8) | p))
          .setName("s" + index + "-eth" + p)
          .setConfig(EnumSet.noneOf(OFPortConfig.class))
          .setState(EnumSet.of(OFPortState.LIVE))
          .setCurr(EnumSet.of(OFPortFeatures.PF_10GB_FD, OFPortFeatures.PF_COPPER))
          .setAdvertised(EnumSet.noneOf(OFPortFeatures.class))
          .setSupported(EnumSet.noneOf(OFPortFeatures.class))
          .setPeer(EnumSet.noneOf(OFPortFeatures.class))
          .setCurrSpeed(10_000_000)
          .setMaxSpeed(10_000_000)
          .build());
    }
    return list;
  }

  private void error(byte[] raw, OFBadRequestCode code) {
    byte[] cause = java.util.Arrays.copyOf(raw, Math.min(raw.length, 64));
    queue(OF13.errorMsgs().buildBadRequestErrorMsg()
        .setXid(raw.length >= 8 ? (((raw[4] & 0xFFL) << 24) | ((raw[5] & 0xFF) << 16)
            | ((raw[6] & 0xFF) << 8) | (raw[7] & 0xFF)) : 0)
        .setCode(code)
        .setData(OFErrorCauseData.of(cause, OFVersion.OF_13))
        .build());
  }

  private static String summarize(OFErrorMsg e) {
    String s = e.toString();
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  private void queue(OFMessage m) {
    ByteBuf buf = Unpooled.buffer(256);
    m.writeTo(buf);
    int n = buf.readableBytes();
    if (out.remaining() < n) {
      throw new IllegalStateException("switch " + index + ": output buffer full");
    }
    byte[] bytes = new byte[n];
    buf.readBytes(bytes);
    out.put(bytes);
  }

  private void note(String s) {
    if (notes.size() < 50) {
      notes.add("switch " + index + ": " + s);
    }
  }
}
