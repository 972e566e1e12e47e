package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.tunnel.io.NativeIo;

/**
 * The tunnel's wait, with the plain cases of the next packet carried in the same native call
 * ({@link NativeIo#hop}): a frame the TAP offers goes out sealed, a record the socket offers goes
 * into the TAP opened, without a return to Java in between. Anything else comes back to the Java
 * path as it is: two sources ready at once (bulk traffic, which the batched Java path serves
 * better), a frame to fragment or to MSS-clamp, a datagram that is not one record of the session
 * from the route's hop, a message other than a frame, an error.
 *
 * <p>Why: interactive traffic (a ping 50 ms apart, a keystroke) finds the tunnel asleep and every
 * cache cold. On its way through the Java path a lone frame touched a dozen classes, three JNI
 * crossings and four copies per hop; after a bulk transfer parts of it ran interpreted (C2's
 * deoptimizations). The user-space work of one hop took 17-19 µs in this machine's fast phases
 * and 82 µs in its slow ones (ninth session, per-ping scheduler split), where OpenVPN's whole hop
 * is C.
 *
 * <p>Nonces and sequence numbers: the hop seals with a libcrypto context of its own, and every
 * record's nonce is its epoch and sequence number (the Java path's sealers do the same). The
 * sequence number for the hop's next record is reserved from {@link DataRecords}' count before
 * the call; one the hop does not use is kept for its next call unless the Java path sealed records
 * since (it would reach the peer below its replay window). The replay window is the
 * receiving thread's ({@link DataRecords#window}), carried into the call and back.
 *
 * <p>Threads: the tunnel's loop thread only (it is the receiving and batching thread). The
 * native call runs under the socket's receive lock, so closing the socket waits for it; the
 * contexts are freed once the transport closed (after its socket), so no call can use them.
 */
public final class LoneHop {
    /** {@code native} (default): the hop where it can run; {@code java}: the Java path only. */
    public static final String PROPERTY = "symphonet.tunnel.hop";
    private static final Logger LOG = LoggerFactory.getLogger(LoneHop.class);

    // Offsets in the native struct (symphonet_io.c, struct hop).
    static final int TAP_FD = 0;
    static final int UDP_FD = 4;
    private static final int CTRL_FN = 8;
    private static final int CIPHER_FN = 16;
    private static final int SEAL_CTX = 24;
    private static final int OPEN_CTX = 32;
    static final int RX_VEC = 40;
    static final int RX_DATA = 48;
    static final int RX_NAME = 56;
    static final int SLOT_SIZE = 64;
    private static final int SEND_LIMIT = 68;
    private static final int MAX_FRAME = 72;
    private static final int CLAMP = 76;
    private static final int FRAME_TYPE = 80;
    private static final int CHANNEL = 84;
    private static final int DEST = 88;
    private static final int SEQ = 104;
    private static final int WIN_HIGHEST = 112;
    private static final int WIN_SEEN = 120;
    private static final int SALT = 128;
    private static final int READ_CAP = 132;
    private static final int TAP_BUSY_UNTIL = 184;
    private static final int SOCKET_BUSY_UNTIL = 192;
    private static final int PORT_KIND = 200;
    private static final int REREAD = 204;
    private static final int VNET_LENGTH = 368;
    private static final int LINGER = 376;
    private static final int ANSWER = 384;
    private static final int IDLE = 392;
    private static final int LAST_SENT = 400;
    private static final int LAST_DELIVERED = 408;
    private static final int SEQ_END = 416;
    private static final int TALLY_SENT = 424;
    private static final int TALLY_SENT_UNICAST = 428;
    private static final int TALLY_SENT_BYTES = 432;
    private static final int TALLY_DELIVERED = 440;
    private static final int TALLY_DELIVERED_UNICAST = 444;
    private static final int TALLY_DELIVERED_BYTES = 448;
    private static final int REQUEST = 456;
    private static final int TX = 464;
    /**
     * Sequence numbers reserved per call: a call that lingers may seal more than one record (a
     * request, then the next one). What a call leaves unused serves the next, unless the Java path
     * sealed records since.
     */
    static final int SEQUENCES = 4;
    /** A virtio-net header's bytes (a port of {@code tap.FrameDescriptor#READ_WRITE_VNET}). */
    private static final int VNET_HEADER = 10;
    /** Room in front of a record for a ChannelData header. */
    private static final int PREFIX = 4;
    /** Where a frame read from the port sits in the struct (behind room for the record's headers). */
    private static final int FRAME_AT = TX + PREFIX + RecordAead.HEADER + RecordAead.EXPLICIT_NONCE + 1;

    // Result codes (the low 8 bits of a hop's result; see symphonet_io.c).
    public static final int NOTHING = 0;
    public static final int READY = 1;
    public static final int SENT = 2;
    public static final int TAP_FRAME = 3;
    public static final int DELIVERED = 4;
    public static final int OPENED = 5;
    public static final int REJECTED = 6;
    public static final int DATAGRAM = 7;
    public static final int TAP_FULL = 8;
    public static final int SEND_FAILED = 9;
    public static final int WRITE_FAILED = 10;
    /**
     * Delivered (its {@link #length} and {@link #unicast}), then the port read at once (the answer
     * a TAP's local stack queues within the write): that frame sent ({@link #secondLength},
     * {@link #secondUnicast}), left to the Java path ({@link #copyTapFrame}), or refused by the socket.
     */
    public static final int DELIVERED_SENT = 11;
    public static final int DELIVERED_TAP_FRAME = 12;
    public static final int DELIVERED_SEND_FAILED = 13;
    /**
     * The call carried frames ({@link #tallied}: counted by {@link #sentTally} and its kin) and
     * then nothing more came while it waited on ({@link #open}'s {@code lingerNanos}).
     */
    public static final int CARRIED = 14;
    /** READY with the socket's bit: what the hop says when records wait above the socket. */
    static final long SOCKET_READY = READY | (2L << 8);

    private final DataRecords records;
    private final PacketPath path;
    private final NativeRecordAead sealer;
    private final NativeRecordAead opener;
    private final Memory memory;
    private final ByteBuffer view;
    private final long address;
    /** The socket whose descriptor and first slot the struct holds. */
    private MmsgUdpPath described;
    private ByteBuffer slot;
    private int routeIp;
    private int routePort;
    private int routeChannel = -1;
    /** Whether the struct's sequence numbers up to {@link #reservedEnd} are still unused. */
    private boolean reserved;
    private long reservedEnd;
    // The last call's tally (what it carried before its result), read from the struct after it.
    private int sentTally;
    private int sentUnicastTally;
    private long sentBytesTally;
    private int deliveredTally;
    private int deliveredUnicastTally;
    private long deliveredBytesTally;

    private LoneHop(DataRecords records, PacketPath path, int tapFd, int portKind, boolean reread, int readCap,
                    int maxFrame, boolean clamp, byte frameType, Linger linger) {
        this.records = records;
        this.path = path;
        SessionKeys keys = records.keys();
        this.sealer = new NativeRecordAead(true, keys.writeKey(), keys.writeSalt());
        try {
            this.opener = new NativeRecordAead(false, keys.readKey(), keys.readSalt());
        } catch (RuntimeException e) {
            sealer.close();
            throw e;
        }
        this.memory = new Memory(TX + PREFIX + RecordAead.HEADER + RecordAead.EXPLICIT_NONCE + 1 + readCap
                + RecordAead.TAG + 64);
        // The struct only: the frame and record room behind it (64 KiB with TSO) is written before
        // it is read, and pages never touched cost an idle tunnel no memory.
        memory.clear(TX);
        this.view = memory.getByteBuffer(0, memory.size()).order(ByteOrder.nativeOrder());
        this.address = Pointer.nativeValue(memory);
        view.putInt(TAP_FD, tapFd);
        view.putInt(PORT_KIND, portKind);
        view.putInt(REREAD, reread ? 1 : 0);
        view.putLong(CTRL_FN, sealer.ctrlFunction());
        view.putLong(CIPHER_FN, sealer.cipherFunction());
        view.putLong(SEAL_CTX, sealer.context());
        view.putLong(OPEN_CTX, opener.context());
        view.putInt(SEND_LIMIT, records.getSendLimit());
        view.putInt(MAX_FRAME, maxFrame);
        view.putInt(READ_CAP, readCap);
        view.putInt(CLAMP, clamp ? 1 : 0);
        view.putInt(FRAME_TYPE, frameType);
        view.put(SALT, keys.writeSalt(), 0, SessionKeys.SALT);
        view.putLong(LINGER, linger.lingerNanos());
        view.putLong(ANSWER, linger.answerNanos());
        view.putLong(IDLE, linger.idleNanos());
        view.putLong(REQUEST, linger.requestNanos());
        // Long ago: the first frame either way is nobody's answer.
        view.putLong(LAST_SENT, System.nanoTime() - (1L << 40));
        view.putLong(LAST_DELIVERED, System.nanoTime() - (1L << 40));
        records.transport().onClose(this::close);
    }

    /**
     * The hop for a tunnel on {@code channel} over {@code path} whose port is {@code portFd}, or
     * null where it cannot run: the JNI library or libcrypto missing, Bouncy Castle's record layer
     * in use, or {@value #PROPERTY}{@code =java}.
     *
     * @param portKind  what the descriptor is ({@code tap.FrameDescriptor#code}: 1 a TAP, 2 a packet
     *                  socket, 3 a TAP with a virtio-net header)
     * @param reread    whether the port is read right after a frame is written to it (its answer may be there)
     * @param readCap   largest frame read from the TAP (a longer one is cut, as the Java path's read)
     * @param maxFrame  largest frame written to the TAP
     * @param clamp     whether TCP SYNs take the Java path (its MSS clamp)
     * @param frameType the message type of a whole frame
     * @param linger    how long a call waits on for more after carrying an answer, and what makes a
     *                  frame an answer or a burst's ({@link Linger})
     */
    public static LoneHop open(RecordChannel channel, PacketPath path, int portFd, int portKind, boolean reread,
                               int readCap, int maxFrame, boolean clamp, byte frameType, Linger linger) {
        String mode = System.getProperty(PROPERTY, "native").trim().toLowerCase(Locale.ROOT);
        if (mode.equals("java")) {
            return null;
        }
        if (!mode.equals("native")) {
            LOG.warn("{}={}: expected native or java; using native", PROPERTY, mode);
        }
        if (!NativeIo.LOADED) {
            LOG.info("lone-frame hop off: no JNI library");
            return null;
        }
        if (!(channel instanceof DataRecords records)) {
            LOG.info("lone-frame hop off: records through {}", channel.label());
            return null;
        }
        String failure = LibCrypto.load();
        if (failure != null) {
            LOG.warn("lone-frame hop off, libcrypto unusable: {}", failure);
            return null;
        }
        try {
            return new LoneHop(records, path, portFd, portKind, reread, readCap, maxFrame, clamp, frameType, linger);
        } catch (RuntimeException e) {
            LOG.warn("lone-frame hop unavailable, the Java path carries every frame: {}", e.toString());
            return null;
        }
    }

    /**
     * Waits up to {@code timeoutNanos} (negative: no limit) and carries one frame either way if
     * it is a plain case; with {@code tapFirst} the TAP is read once before any wait. A frame that
     * comes before {@code tapBusyUntil}, or a datagram before {@code socketBusyUntil} ({@link
     * System#nanoTime} times: soon after the last one that way) is left to the Java path, which
     * batches a burst. Returns the result to decode with {@link #code} and its kin; negative: the
     * wait failed (-errno).
     */
    public long run(long timeoutNanos, boolean tapFirst, long tapBusyUntil, long socketBusyUntil)
            throws IOException {
        sentTally = 0;
        deliveredTally = 0;
        MmsgUdpPath socket = path.hopSocket();
        if (socket == null) {
            return SOCKET_READY;
        }
        if (socket != described) {
            socket.describeForHop(view);
            slot = socket.hopSlot();
            described = socket;
            routeChannel = -1;
        }
        int ip = socket.peerIp();
        int port = socket.peerPortNumber();
        int channel = path.hopChannel();
        if (ip != routeIp || port != routePort || channel != routeChannel) {
            route(ip, port, channel);
        }
        // Numbers reserved before records the Java path sealed since would be stale at the peer
        // (below its 64-record replay window, as a bulk flow's thousands leave it): take the next.
        if (!reserved || records.sentSince(reservedEnd - 1)) {
            long first = records.reserveSequences(SEQUENCES);
            view.putLong(SEQ, first);
            reservedEnd = first + SEQUENCES;
            view.putLong(SEQ_END, reservedEnd);
            reserved = true;
        }
        view.putLong(TAP_BUSY_UNTIL, tapBusyUntil);
        view.putLong(SOCKET_BUSY_UNTIL, socketBusyUntil);
        ReplayWindow window = records.window();
        view.putLong(WIN_HIGHEST, window.highest());
        view.putLong(WIN_SEEN, window.seen());
        long result = socket.runHop(address, timeoutNanos, tapFirst);
        window.restore(view.getLong(WIN_HIGHEST), view.getLong(WIN_SEEN));
        if (view.getLong(SEQ) >= reservedEnd) {
            reserved = false;
        }
        sentTally = view.getInt(TALLY_SENT);
        deliveredTally = view.getInt(TALLY_DELIVERED);
        if ((sentTally | deliveredTally) != 0) {
            sentUnicastTally = view.getInt(TALLY_SENT_UNICAST);
            sentBytesTally = view.getLong(TALLY_SENT_BYTES);
            deliveredUnicastTally = view.getInt(TALLY_DELIVERED_UNICAST);
            deliveredBytesTally = view.getLong(TALLY_DELIVERED_BYTES);
            // Records the socket delivered, checked here rather than by the transport.
            records.transport().countOffered(deliveredTally);
        }
        int code = code(result);
        if (result >= 0 && code >= DELIVERED && code != DATAGRAM && code != SEND_FAILED && code != CARRIED) {
            records.transport().countOffered(1);
        }
        return result;
    }

    /** Whether the last call carried frames before its result (its tally, to count first). */
    public boolean tallied() {
        return (sentTally | deliveredTally) != 0;
    }

    /** Frames the last call sealed and sent before its result. */
    public int sentTally() {
        return sentTally;
    }

    public int sentUnicastTally() {
        return sentUnicastTally;
    }

    public long sentBytesTally() {
        return sentBytesTally;
    }

    /** Frames the last call opened and wrote to the port before its result. */
    public int deliveredTally() {
        return deliveredTally;
    }

    public int deliveredUnicastTally() {
        return deliveredUnicastTally;
    }

    public long deliveredBytesTally() {
        return deliveredBytesTally;
    }

    /** When the last call last carried a frame either way ({@link System#nanoTime}). */
    public long lastCarriedNanos() {
        long sent = view.getLong(LAST_SENT);
        long delivered = view.getLong(LAST_DELIVERED);
        return sent - delivered > 0 ? sent : delivered;
    }

    /** Where the hop's datagrams go and whom it takes records from (sockaddr_in as the kernel writes it). */
    private void route(int ip, int port, int channel) {
        view.putShort(DEST, (short) UdpSyscalls.AF_INET);
        view.put(DEST + 2, (byte) (port >>> 8));
        view.put(DEST + 3, (byte) port);
        view.put(DEST + 4, (byte) (ip >>> 24));
        view.put(DEST + 5, (byte) (ip >>> 16));
        view.put(DEST + 6, (byte) (ip >>> 8));
        view.put(DEST + 7, (byte) ip);
        view.putLong(DEST + 8, 0);
        view.putInt(CHANNEL, channel);
        routeIp = ip;
        routePort = port;
        routeChannel = channel;
    }

    /** TAP_FRAME or DELIVERED_TAP_FRAME: copies the frame the hop read to {@code dst[off]}; returns its length. */
    public int copyTapFrame(long result, byte[] dst, int off) {
        int n = code(result) == TAP_FRAME ? length(result) : secondLength(result);
        view.get(FRAME_AT, dst, off, n);
        return n;
    }

    /**
     * For a result {@link #withHeader}: copies the header and frame the hop read to {@code dst[0]}
     * (room for {@code dst.capacity()} bytes; what is longer is cut); returns the length copied.
     */
    public int copyTapFrameWithHeader(ByteBuffer dst) {
        int n = Math.min(view.getInt(VNET_LENGTH), dst.capacity());
        dst.put(0, view, FRAME_AT - VNET_HEADER, n);
        return n;
    }

    /** OPENED: copies the message the hop opened to {@code dst[off]}; returns its length. */
    public int copyMessage(long result, byte[] dst, int off) {
        int n = length(result);
        slot.get(offset(result), dst, off, n);
        return n;
    }

    /** DATAGRAM: the datagram the hop left in the socket's slot goes to the Java path's next receive. */
    public void adoptDatagram() {
        if (described != null) {
            described.adoptHopDatagram();
        }
    }

    public static int code(long result) {
        return (int) (result & 0xFF);
    }

    /** The frame's or message's length; for SEND_FAILED and WRITE_FAILED the errno; for READY which sources. */
    public static int length(long result) {
        return (int) ((result >>> 8) & 0xFFFFFF);
    }

    static int offset(long result) {
        return (int) ((result >>> 32) & 0xFFFF);
    }

    /** Whether the frame carried is addressed to one station (not broadcast or multicast). */
    public static boolean unicast(long result) {
        return ((result >>> 48) & 1) != 0;
    }

    /** The DELIVERED_* codes' second frame (read from the port after the write): its length. */
    public static int secondLength(long result) {
        return offset(result);
    }

    public static boolean secondUnicast(long result) {
        return ((result >>> 49) & 1) != 0;
    }

    /** DELIVERED: the port was read right after the write and held nothing (no reread needed). */
    public static boolean portEmpty(long result) {
        return ((result >>> 50) & 1) != 0;
    }

    /**
     * TAP_FRAME or DELIVERED_TAP_FRAME from a port with a virtio-net header whose frame needs the
     * port's own handling (a TCP superframe, a checksum to complete): {@link #copyTapFrameWithHeader}.
     */
    public static boolean withHeader(long result) {
        return ((result >>> 51) & 1) != 0;
    }

    /**
     * How a call goes on after it carried a frame, instead of returning to Java at once (native
     * {@code linger()}): an answer (a frame carried within {@code answerNanos} of one the other
     * way) is followed by a wait of up to {@code lingerNanos} for more, blocked; a request by a
     * yield and a wait of up to {@code requestNanos} (0: a look, the rest is the Java loop's). A frame within {@code idleNanos} of the last one that way is a burst's
     * and goes to the Java path, as between calls. {@code lingerNanos} 0: every call returns
     * right after what it carried (yielding first), as before.
     */
    public record Linger(long lingerNanos, long answerNanos, long idleNanos, long requestNanos) {
        public static final Linger OFF = new Linger(0, 0, 0, 0);
    }

    /** On the transport's close, after its socket's (no hop can run any more). */
    private void close() {
        sealer.close();
        opener.close();
    }
}
