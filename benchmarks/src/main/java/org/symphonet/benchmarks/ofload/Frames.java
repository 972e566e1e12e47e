package org.symphonet.benchmarks.ofload;

/**
 * The Ethernet frames an emulated switch puts into its PACKET_INs, and the MAC plan behind them.
 *
 * <p>Packet number {@code seq} of switch {@code sw} comes from the fresh source MAC
 * {@code 02:SS:SS:QQ:QQ:QQ} (locally administered unicast; SS = switch index + 1, QQ = low 24 bits
 * of seq) on port {@code 1 + seq % ports}, and goes to the source MAC of packet {@code seq - 1},
 * which the controller learned one packet earlier on a different port: a learning controller
 * answers with a flow and a packet-out. Packet 0 goes to a MAC nobody owns (a flood).
 */
public final class Frames {
  /** Minimal Ethernet frame (without FCS) and our frame: Ethernet + IPv4 + UDP, 60 bytes. */
  public static final int FRAME_LEN = 60;
  public static final int SEQ_BITS = 24;
  public static final int SEQ_MASK = (1 << SEQ_BITS) - 1;
  public static final int MAX_SWITCHES = 0xFFFE;
  /** The destination of each switch's first packet: owned by nobody. */
  public static final long UNKNOWN_MAC = 0x02FFFFFFFFFFL;

  private Frames() {}

  /** The source MAC of packet {@code seq} of switch {@code switchIndex}, as a 48-bit value. */
  public static long sourceMac(int switchIndex, long seq) {
    if (switchIndex < 0 || switchIndex >= MAX_SWITCHES) {
      throw new IllegalArgumentException("switch index out of range: " + switchIndex);
    }
    return (0x02L << 40) | ((long) (switchIndex + 1) << 24) | (seq & SEQ_MASK);
  }

  /** The destination MAC of packet {@code seq}: the previous packet's source. */
  public static long destinationMac(int switchIndex, long seq) {
    return seq == 0 ? UNKNOWN_MAC : sourceMac(switchIndex, seq - 1);
  }

  /** The ingress port of packet {@code seq} (1-based); consecutive packets use different ports. */
  public static int inPort(long seq, int ports) {
    if (ports < 2) {
      throw new IllegalArgumentException("need at least 2 ports, got " + ports);
    }
    return 1 + (int) (seq % ports);
  }

  /** Switch index encoded in one of our MACs, or -1 if the MAC is not one of ours. */
  public static int switchOf(long mac) {
    if ((mac >>> 40) != 0x02L) {
      return -1;
    }
    int sw = (int) ((mac >>> 24) & 0xFFFF);
    return sw == 0 || sw == 0xFFFF ? -1 : sw - 1;
  }

  /** The 24-bit sequence number encoded in one of our MACs. */
  public static int seqOf(long mac) {
    return (int) (mac & SEQ_MASK);
  }

  public static void putMac(byte[] dst, int offset, long mac) {
    for (int i = 0; i < 6; i++) {
      dst[offset + i] = (byte) (mac >>> (40 - 8 * i));
    }
  }

  public static long getMac(byte[] src, int offset) {
    long mac = 0;
    for (int i = 0; i < 6; i++) {
      mac = (mac << 8) | (src[offset + i] & 0xFF);
    }
    return mac;
  }

  public static String macToString(long mac) {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        sb.append(':');
      }
      int b = (int) (mac >>> (40 - 8 * i)) & 0xFF;
      sb.append(Character.forDigit(b >> 4, 16)).append(Character.forDigit(b & 0xF, 16));
    }
    return sb.toString();
  }

  /**
   * A 60-byte IPv4/UDP frame from {@code src} to {@code dst} (10.0.0.1:5000 to 10.0.0.2:5001,
   * valid IPv4 header checksum, zero UDP checksum, zero payload).
   */
  public static byte[] frame(long dst, long src) {
    byte[] f = new byte[FRAME_LEN];
    putMac(f, 0, dst);
    putMac(f, 6, src);
    f[12] = 0x08; // IPv4
    f[13] = 0x00;
    int ip = 14;
    int ipLen = FRAME_LEN - ip;
    f[ip] = 0x45;
    f[ip + 2] = (byte) (ipLen >> 8);
    f[ip + 3] = (byte) ipLen;
    f[ip + 8] = 64; // TTL
    f[ip + 9] = 17; // UDP
    f[ip + 12] = 10;
    f[ip + 15] = 1;
    f[ip + 16] = 10;
    f[ip + 19] = 2;
    int sum = ipv4Checksum(f, ip, 20);
    f[ip + 10] = (byte) (sum >> 8);
    f[ip + 11] = (byte) sum;
    int udp = ip + 20;
    int udpLen = FRAME_LEN - udp;
    f[udp] = (byte) (5000 >> 8);
    f[udp + 1] = (byte) 5000;
    f[udp + 2] = (byte) (5001 >> 8);
    f[udp + 3] = (byte) 5001;
    f[udp + 4] = (byte) (udpLen >> 8);
    f[udp + 5] = (byte) udpLen;
    return f;
  }

  /** RFC 791 one's-complement checksum of {@code len} bytes (checksum field taken as is). */
  public static int ipv4Checksum(byte[] b, int off, int len) {
    int sum = 0;
    for (int i = 0; i < len; i += 2) {
      sum += ((b[off + i] & 0xFF) << 8) | (b[off + i + 1] & 0xFF);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xFFFF) + (sum >>> 16);
    }
    return ~sum & 0xFFFF;
  }
}
