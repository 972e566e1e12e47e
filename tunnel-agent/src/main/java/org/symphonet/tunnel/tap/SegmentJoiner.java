package org.symphonet.tunnel.tap;

import static org.symphonet.tunnel.tap.SegmentSplitter.fold;
import static org.symphonet.tunnel.tap.SegmentSplitter.u16;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Joins consecutive TCP segments of one IPv4 flow, as they come out of the tunnel, into one
 * superframe that a TAP with a virtio-net header ({@code IFF_VNET_HDR}) takes in one write as a
 * GSO packet: what GRO does on a NIC. Why: behind a TAP each frame written runs the receiving
 * stack once (IP, TCP, the application's wake-up) inside our write, and TCP answers every second
 * segment with an ACK that the tunnel carries back (a relayed tunnel through the relay too). A
 * superframe runs the stack once for all its segments and is acknowledged once.
 *
 * <p>Only the plain case joins, as Linux's own GRO (tcp_gro_receive) does: Ethernet II, IPv4
 * without options or fragmentation, TCP with ACK and at most PSH set, payload present; the next
 * segment must match the pending one's Ethernet header, IP header (but length, ID, checksum),
 * TCP header (ports, acknowledgement, window, options byte for byte), continue its sequence
 * numbers and carry no more than the first segment's payload; a shorter one or one with PSH ends
 * the run. Anything else is written on its own, after what is pending, so no frame overtakes
 * another.
 *
 * <p>The superframe's TCP checksum is left to the kernel (NEEDS_CSUM, the field holds the
 * pseudo-header sum): the stack does not verify it on local delivery and completes it if it
 * forwards the packet. The segments' own checksums are not checked here: the tunnel's AEAD
 * authenticated them, as WireGuard's receive path relies on too. A lone segment is written as
 * it came, checksum and all, behind a zero header.
 *
 * <p>Layout of {@link #buffer}: the virtio-net header ({@link #HEADER} bytes), then the frame.
 * Not thread-safe: the one thread that writes to the TAP.
 */
public final class SegmentJoiner {
    /** struct virtio_net_hdr: flags, gso_type, hdr_len, gso_size, csum_start, csum_offset. */
    public static final int HEADER = 10;
    /** The largest IPv4 packet, so the largest superframe behind its Ethernet header. */
    static final int MAX_IP = 65_535;
    private static final int ETH = 14;
    private static final int IP = 20;
    private static final int NEEDS_CSUM = 1;
    private static final int GSO_TCPV4 = 1;
    private static final int ACK = 0x10;
    private static final int PSH = 0x08;

    private final ByteBuffer buffer;
    /** Segments pending, 0 when nothing is. */
    private int segments;
    /** Bytes of the pending frame (from {@link #HEADER} on). */
    private int length;
    /** TCP header length of the pending flow, and its first segment's payload size (the GSO size). */
    private int tcpHeader;
    private int segmentSize;
    /** Sequence number the next segment must start at; IP ID of the last segment. */
    private int nextSequence;
    private int lastId;
    /** The run takes no more segments (a short one or PSH came). */
    private boolean closed;

    /** @param buffer room for {@link #HEADER} + 14 + 65,535 bytes (a direct buffer, for the write) */
    public SegmentJoiner(ByteBuffer buffer) {
        if (buffer.capacity() < HEADER + ETH + MAX_IP) {
            throw new IllegalArgumentException("buffer too small: " + buffer.capacity());
        }
        this.buffer = buffer.order(ByteOrder.nativeOrder());
    }

    public ByteBuffer buffer() {
        return buffer;
    }

    /** Segments pending (0: nothing to write). */
    public int segments() {
        return segments;
    }

    /**
     * Takes {@code frame[off, off+len)} into the pending superframe (joined, or starting one) and
     * returns true; or returns false, leaving it to the caller, who must first write what is
     * pending ({@link #take}) and then this frame on its own. A frame that would join but not
     * fit returns false too.
     */
    public boolean offer(byte[] f, int off, int len) {
        int payload = payloadOf(f, off, len);
        if (payload <= 0) {
            return false;
        }
        if (segments == 0) {
            start(f, off, len, payload);
            return true;
        }
        if (closed || payload > segmentSize || length + payload > ETH + MAX_IP
                || !continues(f, off, len)) {
            return false;
        }
        buffer.put(HEADER + length, f, off + ETH + IP + tcpHeader, payload);
        length += payload;
        segments++;
        nextSequence += payload;
        lastId = u16(f, off + ETH + 4);
        int flags = f[off + ETH + IP + 13] & 0xFF;
        if ((flags & PSH) != 0) {
            int at = HEADER + ETH + IP + 13;
            buffer.put(at, (byte) (buffer.get(at) | PSH));
            closed = true;
        }
        if (payload < segmentSize) {
            closed = true;
        }
        return true;
    }

    /**
     * Readies the pending superframe for one write and forgets it: returns the bytes to write
     * from the start of {@link #buffer} (header included), or 0 if nothing was pending. One
     * segment goes as it came behind a zero header; more as a GSO packet.
     */
    public int take() {
        if (segments == 0) {
            return 0;
        }
        int total = HEADER + length;
        if (segments == 1) {
            clearHeader();
        } else {
            int ipLength = length - ETH;
            putBe16(HEADER + ETH + 2, ipLength);
            putBe16(HEADER + ETH + 10, 0);
            putBe16(HEADER + ETH + 10, ~ipChecksum());
            putBe16(HEADER + ETH + IP + 16, pseudoHeaderSum(ipLength - IP));
            // The virtio-net header is in the host's order (a TAP's legacy header).
            buffer.put(0, (byte) NEEDS_CSUM);
            buffer.put(1, (byte) GSO_TCPV4);
            buffer.putShort(2, (short) (ETH + IP + tcpHeader));
            buffer.putShort(4, (short) segmentSize);
            buffer.putShort(6, (short) (ETH + IP));
            buffer.putShort(8, (short) 16);
        }
        segments = 0;
        length = 0;
        closed = false;
        return total;
    }

    private void start(byte[] f, int off, int len, int payload) {
        buffer.put(HEADER, f, off, len);
        length = len;
        segments = 1;
        tcpHeader = ((f[off + ETH + IP + 12] & 0xFF) >>> 4) * 4;
        segmentSize = payload;
        nextSequence = i32(f, off + ETH + IP + 4) + payload;
        lastId = u16(f, off + ETH + 4);
        closed = (f[off + ETH + IP + 13] & PSH) != 0;
    }

    /**
     * The TCP payload length of a frame that may join (see the class comment), else 0. Frames
     * with trailing bytes past the IP packet (Ethernet padding) do not join.
     */
    static int payloadOf(byte[] f, int off, int len) {
        if (len < ETH + IP + 20 || f[off + 12] != 0x08 || f[off + 13] != 0x00 || (f[off + ETH] & 0xFF) != 0x45
                || f[off + ETH + 9] != 6 || (u16(f, off + ETH + 6) & 0x3FFF) != 0 || u16(f, off + ETH + 2) != len - ETH) {
            return 0;
        }
        int tcp = ((f[off + ETH + IP + 12] & 0xFF) >>> 4) * 4;
        int flags = f[off + ETH + IP + 13] & 0xFF;
        if (tcp < 20 || (flags & ~PSH) != ACK || (f[off + ETH + IP + 12] & 0x0F) != 0) {
            return 0;
        }
        int payload = len - ETH - IP - tcp;
        return payload > 0 ? payload : 0;
    }

    /** Whether a frame that may join continues the pending flow (headers as the class comment says). */
    private boolean continues(byte[] f, int off, int len) {
        int tcp = ((f[off + ETH + IP + 12] & 0xFF) >>> 4) * 4;
        if (tcp != tcpHeader || i32(f, off + ETH + IP + 4) != nextSequence) {
            return false;
        }
        int b = HEADER;
        // Ethernet header; IP version/IHL and TOS.
        for (int i = 0; i < ETH + 2; i++) {
            if (buffer.get(b + i) != f[off + i]) {
                return false;
            }
        }
        int id = u16(f, off + ETH + 4);
        boolean dontFragment = (f[off + ETH + 6] & 0x40) != 0;
        if (id != ((lastId + 1) & 0xFFFF) && !(dontFragment && id == lastId)) {
            return false;
        }
        // Flags and fragment offset, TTL, protocol; addresses.
        for (int i = ETH + 6; i < ETH + 10; i++) {
            if (buffer.get(b + i) != f[off + i]) {
                return false;
            }
        }
        for (int i = ETH + 12; i < ETH + IP; i++) {
            if (buffer.get(b + i) != f[off + i]) {
                return false;
            }
        }
        // TCP: ports; acknowledgement, data offset, flags but PSH, window; options.
        int t = ETH + IP;
        for (int i = t; i < t + 4; i++) {
            if (buffer.get(b + i) != f[off + i]) {
                return false;
            }
        }
        for (int i = t + 8; i < t + 16; i++) {
            byte mine = buffer.get(b + i);
            byte theirs = f[off + i];
            if (i == t + 13) {
                mine &= ~PSH;
                theirs &= ~PSH;
            }
            if (mine != theirs) {
                return false;
            }
        }
        for (int i = t + 20; i < t + tcp; i++) {
            if (buffer.get(b + i) != f[off + i]) {
                return false;
            }
        }
        return true;
    }

    private void clearHeader() {
        buffer.putLong(0, 0);
        buffer.putShort(8, (short) 0);
    }

    /** The IP header's one's-complement sum (folded, not inverted), its checksum field as stored. */
    private int ipChecksum() {
        long sum = 0;
        for (int i = 0; i < IP; i += 2) {
            sum += be16(HEADER + ETH + i);
        }
        return fold(sum);
    }

    /** TCP's pseudo-header sum (addresses, protocol, TCP length), folded and not inverted. */
    private int pseudoHeaderSum(int tcpLength) {
        long sum = 0;
        for (int i = 12; i < 20; i += 2) {
            sum += be16(HEADER + ETH + i);
        }
        sum += 6 + tcpLength;
        return fold(sum);
    }

    private void putBe16(int at, int value) {
        buffer.put(at, (byte) (value >>> 8));
        buffer.put(at + 1, (byte) value);
    }

    private int be16(int at) {
        return ((buffer.get(at) & 0xFF) << 8) | (buffer.get(at + 1) & 0xFF);
    }

    private static int i32(byte[] f, int at) {
        return (u16(f, at) << 16) | u16(f, at + 2);
    }
}
