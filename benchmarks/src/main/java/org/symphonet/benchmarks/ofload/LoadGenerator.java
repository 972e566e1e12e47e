package org.symphonet.benchmarks.ofload;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;

/**
 * cbench-like OF 1.3 load: N emulated switches on one NIO selector thread. Each keeps up to
 * {@code window} PACKET_INs outstanding; a PACKET_IN is answered by the PACKET_OUT that carries its
 * frame back (we never buffer, so a controller that forwards the packet must send one); FLOW_MODs
 * are counted alongside. Handshake messages are encoded and decoded with OpenFlowJ-Loxi; the
 * packet-in/packet-out hot path touches raw bytes only.
 */
public final class LoadGenerator implements AutoCloseable {

  /** Generator settings. */
  public static final class Config {
    public SocketAddress address;
    public int switches = 16;
    public int window = 64;
    public int ports = 4;
    public long dpidBase = 0x0000_5b00_0000_0000L;
    public long settleMs = 1000;
    public long warmupMs = 2000;
    public long durationMs = 10_000;
    public long lossTimeoutMs = 2000;
    public long connectTimeoutMs = 15_000;
    public long handshakeTimeoutMs = 15_000;
    public int bufferBytes = 1 << 20;
    public boolean perSecond;
    /** A process (the controller) whose CPU use is reported per phase; 0 for none. */
    public long watchPid;
    /** Flows (that asked for FLOW_REMOVED) a switch holds before the oldest idles out; 0: never. */
    public int flowTableSize = 10_000;
    /** What the PACKET_INs claim about the flow that sent them. */
    public int packetInTable = 0;
    public long packetInCookie = -1L;
    public org.projectfloodlight.openflow.protocol.OFPacketInReason packetInReason =
        org.projectfloodlight.openflow.protocol.OFPacketInReason.NO_MATCH;
  }

  /** What one measured phase produced. */
  public static final class Result {
    public String mode;
    public int switches;
    public int window;
    public double seconds;
    public long sent;
    public long answered;
    public long flowMods;
    public long flowAdds;
    public long flowDeletes;
    public long flowRemovedSent;
    public long packetOuts;
    public long lost;
    public long foreignPacketOuts;
    public long duplicatePacketOuts;
    public long errors;
    public double minPerSecond;
    public double maxPerSecond;
    /** CPU use during the measured window in % of one core; -1 when unknown. */
    public double controllerCpuPercent = -1;
    public double generatorCpuPercent = -1;
    public final LatencyHistogram latency = new LatencyHistogram();

    public double answeredPerSecond() {
      return seconds > 0 ? answered / seconds : 0;
    }

    public double flowModsPerSecond() {
      return seconds > 0 ? flowMods / seconds : 0;
    }

    /** One machine-readable line; bench.sh parses it. */
    public String resultLine() {
      return String.format(java.util.Locale.ROOT,
          "RESULT mode=%s switches=%d window=%d seconds=%.3f sent=%d answered=%d answered_per_s=%.0f"
              + " flow_mods=%d flow_mods_per_s=%.0f flow_adds=%d flow_deletes=%d flow_removed_sent=%d"
              + " packet_outs=%d lost=%d foreign_packet_outs=%d"
              + " duplicate_packet_outs=%d errors=%d min_per_s=%.0f max_per_s=%.0f"
              + " p50_us=%.1f p99_us=%.1f mean_us=%.1f max_us=%.1f controller_cpu_pct=%.0f"
              + " generator_cpu_pct=%.0f",
          mode, switches, window, seconds, sent, answered, answeredPerSecond(), flowMods,
          flowModsPerSecond(), flowAdds, flowDeletes, flowRemovedSent, packetOuts, lost, foreignPacketOuts, duplicatePacketOuts, errors,
          minPerSecond, maxPerSecond, latency.percentile(50) / 1e3, latency.percentile(99) / 1e3,
          latency.mean() / 1e3, latency.max() / 1e3, controllerCpuPercent, generatorCpuPercent);
    }
  }

  private final Config cfg;
  private final PacketInTemplate template;
  private final List<EmulatedSwitch> switches = new ArrayList<>();
  private final List<String> notes = Collections.synchronizedList(new ArrayList<>());
  private Selector selector;
  private boolean sending;
  private int window;
  private LatencyHistogram recording;
  private long lastExpire;

  public LoadGenerator(Config cfg) {
    if (cfg.switches < 1 || cfg.switches > Frames.MAX_SWITCHES) {
      throw new IllegalArgumentException("switches must be in 1.." + Frames.MAX_SWITCHES);
    }
    if (cfg.window < 1) {
      throw new IllegalArgumentException("window must be >= 1");
    }
    if (cfg.ports < 2) {
      throw new IllegalArgumentException("ports must be >= 2");
    }
    this.cfg = cfg;
    this.template = new PacketInTemplate(cfg.packetInTable, cfg.packetInCookie, cfg.packetInReason);
  }

  public List<String> notes() {
    synchronized (notes) {
      return new ArrayList<>(notes);
    }
  }

  /** Connects every switch and completes the OF 1.3 handshake, then lets the controller settle. */
  public void connect() throws IOException {
    selector = Selector.open();
    for (int i = 0; i < cfg.switches; i++) {
      SocketChannel ch = open(cfg.address, System.nanoTime() + cfg.connectTimeoutMs * 1_000_000);
      ch.configureBlocking(false);
      EmulatedSwitch sw = new EmulatedSwitch(i, cfg.dpidBase + i + 1, cfg.ports, cfg.window, ch,
          cfg.bufferBytes, cfg.flowTableSize, notes);
      sw.key = ch.register(selector, SelectionKey.OP_READ, sw);
      switches.add(sw);
      sw.sendHello();
      flush(sw);
    }
    long deadline = System.nanoTime() + cfg.handshakeTimeoutMs * 1_000_000;
    while (!allReady()) {
      if (System.nanoTime() > deadline) {
        StringBuilder sb = new StringBuilder("handshake did not complete within "
            + cfg.handshakeTimeoutMs + " ms:");
        for (EmulatedSwitch sw : switches) {
          sb.append(" s").append(sw.index).append('=').append(sw.state)
              .append(sw.gotHello ? "" : "(no HELLO)");
        }
        throw new IOException(sb.toString());
      }
      step();
    }
    runFor(cfg.settleMs * 1_000_000, null);
  }

  private boolean allReady() {
    for (EmulatedSwitch sw : switches) {
      if (sw.state != EmulatedSwitch.State.READY || !sw.gotHello) {
        return false;
      }
    }
    return true;
  }

  private static SocketChannel open(SocketAddress address, long deadline) throws IOException {
    while (true) {
      SocketChannel ch = address instanceof UnixDomainSocketAddress
          ? SocketChannel.open(StandardProtocolFamily.UNIX) : SocketChannel.open();
      try {
        if (!(address instanceof UnixDomainSocketAddress)) {
          ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
        ch.connect(address);
        return ch;
      } catch (ConnectException | java.nio.file.NoSuchFileException e) {
        ch.close();
        if (System.nanoTime() > deadline) {
          throw new IOException("cannot connect to " + address + ": " + e.getMessage(), e);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", ie);
        }
      }
    }
  }

  /**
   * One measured phase: {@code window} outstanding packet-ins per switch, a warm-up, then
   * {@code durationMs} of measurement; then waits (up to the loss timeout) for stragglers.
   */
  public Result measure(String mode, int phaseWindow) throws IOException {
    this.window = phaseWindow;
    this.sending = true;
    EmulatedSwitch.traceArmed = true;
    runFor(cfg.warmupMs * 1_000_000, null);

    Result r = new Result();
    r.mode = mode;
    r.switches = cfg.switches;
    r.window = phaseWindow;
    long[] start = totals();
    long ctlCpu0 = cpuTicks(cfg.watchPid);
    long genCpu0 = threadCpuNanos();
    long t0 = System.nanoTime();
    long end = t0 + cfg.durationMs * 1_000_000;
    long secondStart = t0;
    long secondAnswered = start[1];
    double min = Double.MAX_VALUE;
    double max = 0;
    recording = r.latency;
    while (true) {
      step();
      long now = System.nanoTime();
      if (now - secondStart >= 1_000_000_000L || now >= end) {
        long a = totals()[1];
        double secs = (now - secondStart) / 1e9;
        if (secs >= 0.5) {
          double rate = (a - secondAnswered) / secs;
          min = Math.min(min, rate);
          max = Math.max(max, rate);
          if (cfg.perSecond) {
            System.err.printf(java.util.Locale.ROOT, "  %s: %.0f answered/s%n", mode, rate);
          }
        }
        secondStart = now;
        secondAnswered = a;
      }
      if (now >= end) {
        r.seconds = (now - t0) / 1e9;
        break;
      }
    }
    recording = null;
    long[] stop = totals();
    long ctlCpu1 = cpuTicks(cfg.watchPid);
    long genCpu1 = threadCpuNanos();
    if (ctlCpu0 >= 0 && ctlCpu1 >= ctlCpu0) {
      r.controllerCpuPercent = (ctlCpu1 - ctlCpu0) / r.seconds; // 100 ticks/s: ticks/s == % of a core
    }
    if (genCpu0 >= 0 && genCpu1 >= genCpu0) {
      r.generatorCpuPercent = (genCpu1 - genCpu0) / 1e7 / r.seconds;
    }
    r.sent = stop[0] - start[0];
    r.answered = stop[1] - start[1];
    r.flowMods = stop[2] - start[2];
    r.packetOuts = stop[3] - start[3];
    r.lost = stop[4] - start[4];
    r.foreignPacketOuts = stop[5] - start[5];
    r.duplicatePacketOuts = stop[6] - start[6];
    r.errors = stop[7] - start[7];
    r.flowAdds = stop[8] - start[8];
    r.flowDeletes = stop[9] - start[9];
    r.flowRemovedSent = stop[10] - start[10];
    r.minPerSecond = min == Double.MAX_VALUE ? 0 : min;
    r.maxPerSecond = max;
    // Drain: stop sending, let outstanding packet-ins be answered (or time out).
    sending = false;
    long drainEnd = System.nanoTime() + cfg.lossTimeoutMs * 1_000_000 + 200_000_000L;
    while (outstanding() > 0 && System.nanoTime() < drainEnd) {
      step();
    }
    return r;
  }

  /** utime + stime of a process in clock ticks (USER_HZ, 100 on Linux), or -1. */
  static long cpuTicks(long pid) {
    if (pid <= 0) {
      return -1;
    }
    try {
      String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
      return parseCpuTicks(stat);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** utime + stime from the text of /proc/PID/stat (the command name may contain spaces). */
  static long parseCpuTicks(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
    // f[0] is field 3 (state); utime and stime are fields 14 and 15.
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  private static long threadCpuNanos() {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    return mx.isCurrentThreadCpuTimeSupported() ? mx.getCurrentThreadCpuTime() : -1;
  }

  private long outstanding() {
    long n = 0;
    for (EmulatedSwitch sw : switches) {
      n += sw.outstanding;
    }
    return n;
  }

  private long[] totals() {
    long[] t = new long[11];
    for (EmulatedSwitch sw : switches) {
      t[0] += sw.sent;
      t[1] += sw.answered;
      t[2] += sw.flowMods;
      t[3] += sw.packetOuts;
      t[4] += sw.lost;
      t[5] += sw.foreignPacketOuts;
      t[6] += sw.duplicatePacketOuts;
      t[7] += sw.errorsReceived;
      t[8] += sw.flowAdds;
      t[9] += sw.flowDeletes;
      t[10] += sw.flowRemovedSent;
    }
    return t;
  }

  private void runFor(long nanos, LatencyHistogram hist) throws IOException {
    recording = hist;
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      step();
    }
  }

  /** One event-loop turn: read and answer, refill windows, write. */
  private void step() throws IOException {
    selector.select(1);
    long now = System.nanoTime();
    Iterator<SelectionKey> it = selector.selectedKeys().iterator();
    while (it.hasNext()) {
      SelectionKey k = it.next();
      it.remove();
      EmulatedSwitch sw = (EmulatedSwitch) k.attachment();
      if (!k.isValid()) {
        throw new IOException("switch " + sw.index + ": connection closed by the controller");
      }
      if (k.isReadable()) {
        int n = sw.channel.read(sw.in);
        if (n < 0) {
          throw new IOException("switch " + sw.index + " (dpid " + Long.toHexString(sw.dpid)
              + "): connection closed by the controller");
        }
        if (n > 0) {
          sw.processInput(now, recording);
        }
      }
      if (k.isValid() && k.isWritable()) {
        flush(sw);
      }
    }
    if (sending) {
      now = System.nanoTime();
      for (EmulatedSwitch sw : switches) {
        while (sw.outstanding < window && sw.sendPacketIn(template, now)) {
          // fill the window
        }
      }
    }
    for (EmulatedSwitch sw : switches) {
      if (sw.hasOutput()) {
        flush(sw);
      }
    }
    if (now - lastExpire > 100_000_000L) {
      lastExpire = now;
      long timeout = cfg.lossTimeoutMs * 1_000_000;
      for (EmulatedSwitch sw : switches) {
        sw.expire(now, timeout);
      }
    }
  }

  private void flush(EmulatedSwitch sw) throws IOException {
    sw.out.flip();
    sw.channel.write(sw.out);
    sw.out.compact();
    boolean pending = sw.out.position() > 0;
    int want = pending ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ;
    if (sw.key != null && sw.key.interestOps() != want) {
      sw.key.interestOps(want);
    }
  }

  @Override
  public void close() {
    for (EmulatedSwitch sw : switches) {
      try {
        sw.channel.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    if (selector != null) {
      try {
        selector.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }
}
