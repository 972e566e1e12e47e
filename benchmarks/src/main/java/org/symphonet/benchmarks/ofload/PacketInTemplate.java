package org.symphonet.benchmarks.ofload;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import org.projectfloodlight.openflow.protocol.OFFactories;
import org.projectfloodlight.openflow.protocol.OFFactory;
import org.projectfloodlight.openflow.protocol.OFPacketIn;
import org.projectfloodlight.openflow.protocol.OFPacketInReason;
import org.projectfloodlight.openflow.protocol.OFVersion;
import org.projectfloodlight.openflow.protocol.match.MatchField;
import org.projectfloodlight.openflow.types.OFBufferId;
import org.projectfloodlight.openflow.types.OFPort;
import org.projectfloodlight.openflow.types.TableId;
import org.projectfloodlight.openflow.types.U64;

/**
 * An OF 1.3 PACKET_IN (table-miss, no buffer, match = in_port) encoded once by OpenFlowJ-Loxi;
 * on the hot path only xid, in_port and the two MACs of the frame are patched into a copy.
 */
public final class PacketInTemplate {
  private static final OFFactory OF13 = OFFactories.getFactory(OFVersion.OF_13);

  private final byte[] bytes;
  private final int inPortOffset;
  private final int dataOffset;

  /** Table-miss packet-ins: table 0, cookie all-ones, reason NO_MATCH. */
  public PacketInTemplate() {
    this(0, -1L, OFPacketInReason.NO_MATCH);
  }

  /** Packet-ins as sent from table {@code tableId} by a flow with {@code cookie}, for {@code reason}. */
  public PacketInTemplate(int tableId, long cookie, OFPacketInReason reason) {
    OFPacketIn pi = build(OF13, 0, 1, Frames.frame(Frames.UNKNOWN_MAC, Frames.sourceMac(0, 0)),
        tableId, cookie, reason);
    this.bytes = encode(pi);
    // OF 1.3: header(8) buffer_id(4) total_len(2) reason(1) table_id(1) cookie(8), match at 24:
    // type(2) length(2) then OXM in_port: header(4) value(4); match padded to 8; 2 pad bytes; data.
    int matchLen = ((bytes[26] & 0xFF) << 8) | (bytes[27] & 0xFF);
    int oxmHeader = ((bytes[28] & 0xFF) << 24) | ((bytes[29] & 0xFF) << 16)
        | ((bytes[30] & 0xFF) << 8) | (bytes[31] & 0xFF);
    if (oxmHeader != 0x80000004) {
      throw new IllegalStateException("unexpected first OXM in packet-in match: "
          + Integer.toHexString(oxmHeader));
    }
    this.inPortOffset = 32;
    this.dataOffset = 24 + (matchLen + 7) / 8 * 8 + 2;
    if (dataOffset + Frames.FRAME_LEN != bytes.length) {
      throw new IllegalStateException("unexpected packet-in layout, length " + bytes.length);
    }
  }

  /** A PACKET_IN as our emulated switches send it, built by Loxi (the reference for the template). */
  public static OFPacketIn build(OFFactory f, long xid, int inPort, byte[] frame) {
    return build(f, xid, inPort, frame, 0, -1L, OFPacketInReason.NO_MATCH);
  }

  public static OFPacketIn build(OFFactory f, long xid, int inPort, byte[] frame, int tableId,
      long cookie, OFPacketInReason reason) {
    return f.buildPacketIn()
        .setXid(xid)
        .setBufferId(OFBufferId.NO_BUFFER)
        .setTotalLen(frame.length)
        .setReason(reason)
        .setTableId(TableId.of(tableId))
        .setCookie(U64.ofRaw(cookie))
        .setMatch(f.buildMatch().setExact(MatchField.IN_PORT, OFPort.of(inPort)).build())
        .setData(frame)
        .build();
  }

  static byte[] encode(OFPacketIn pi) {
    ByteBuf buf = Unpooled.buffer(256);
    pi.writeTo(buf);
    byte[] out = new byte[buf.readableBytes()];
    buf.readBytes(out);
    return out;
  }

  public int length() {
    return bytes.length;
  }

  public int dataOffset() {
    return dataOffset;
  }

  /** Appends packet-in {@code seq} of switch {@code switchIndex} to {@code out} (needs length() bytes). */
  public void write(ByteBuffer out, int xid, int switchIndex, long seq, int ports) {
    int base = out.position();
    out.put(bytes);
    out.putInt(base + 4, xid);
    out.putInt(base + inPortOffset, Frames.inPort(seq, ports));
    putMac(out, base + dataOffset, Frames.destinationMac(switchIndex, seq));
    putMac(out, base + dataOffset + 6, Frames.sourceMac(switchIndex, seq));
  }

  private static void putMac(ByteBuffer out, int pos, long mac) {
    out.putShort(pos, (short) (mac >>> 32));
    out.putInt(pos + 2, (int) mac);
  }
}
