package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.tls.DatagramTransport;

/**
 * Bouncy Castle's view of the {@link PacketPath}. Before a datagram reaches the
 * DTLS record layer it must parse as a sequence of whole DTLS records; anything
 * else (garbage, truncation) is counted as malformed and never touches the
 * crypto. Records that pass are counted as offered, so the receive loop can
 * derive how many DTLS refused (replay, bad MAC) from its accepted count.
 *
 * <p>It also notes whether the last datagram held an epoch-0 record. Those carry
 * no protection at all; after the handshake Bouncy Castle still takes epoch-0
 * handshake records for a while (to answer a peer that lost our final flight), so
 * anyone who can spoof the peer's address can have them "accepted". The data path
 * uses {@link #lastHadPlaintextRecord()} so that such records never count as proof
 * that the peer is alive.
 */
public final class RecordTransport implements DatagramTransport {
    static final int RECORD_HEADER = 13;

    /** Replaced at most once, before the data path's threads start (see {@link #usePath}). */
    private volatile PacketPath path;
    private volatile boolean closed;
    private final AtomicLong malformed;
    private final AtomicLong offered;
    /** Run on close: frees the session's native record ciphers. */
    private final List<Runnable> onClose = new CopyOnWriteArrayList<>();
    /** Written and read by the one receiving thread only. */
    private boolean lastPlaintext;

    public RecordTransport(PacketPath path, AtomicLong malformedCounter, AtomicLong offeredCounter) {
        this.path = path;
        this.malformed = malformedCounter;
        this.offered = offeredCounter;
    }

    @Override
    public int getReceiveLimit() {
        return path.maxDatagram();
    }

    @Override
    public int getSendLimit() {
        return path.maxDatagram();
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis) throws IOException {
        int n = path.receive(buf, off, len, waitMillis);
        if (n < 0) {
            return -1;
        }
        int records = countRecords(buf, off, n);
        if (records <= 0) {
            malformed.incrementAndGet();
            return -1;
        }
        offered.addAndGet(records);
        lastPlaintext = hasEpochZero(buf, off, n);
        return n;
    }

    /** True if the datagram last returned by {@link #receive} held a record of epoch 0 (unprotected). */
    public boolean lastHadPlaintextRecord() {
        return lastPlaintext;
    }

    /** For a datagram that {@link #countRecords} accepted: does any record have epoch 0? */
    static boolean hasEpochZero(byte[] buf, int off, int n) {
        int pos = off;
        int end = off + n;
        while (pos + RECORD_HEADER <= end) {
            if (buf[pos + 3] == 0 && buf[pos + 4] == 0) {
                return true;
            }
            pos += RECORD_HEADER + (((buf[pos + 11] & 0xFF) << 8) | (buf[pos + 12] & 0xFF));
        }
        return false;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        path.send(buf, off, len);
    }

    /** Called by us on teardown, and by Bouncy Castle when the peer's close_notify arrives. */
    @Override
    public void close() {
        closed = true;
        path.close();
        onClose.forEach(Runnable::run);
    }

    /** Runs {@code action} when this transport closes (each close; the action must be idempotent). */
    void onClose(Runnable action) {
        onClose.add(action);
    }

    /** True once {@link #close} ran: a receiver that finds its socket gone asks this to tell why. */
    public boolean isClosed() {
        return closed;
    }

    public PacketPath path() {
        return path;
    }

    /**
     * Moves the DTLS session onto {@code replacement} (same local address, same peer;
     * see {@link PacketPath#takeOver}). Only while no thread sends or receives.
     */
    public void usePath(PacketPath replacement) {
        this.path = replacement;
    }

    /**
     * Number of DTLS 1.x records exactly covering {@code buf[off, off+n)}, or 0
     * if the datagram is not such a sequence.
     */
    public static int countRecords(byte[] buf, int off, int n) {
        int pos = off;
        int end = off + n;
        int count = 0;
        while (pos < end) {
            if (end - pos < RECORD_HEADER) {
                return 0;
            }
            int type = buf[pos] & 0xFF;
            if (type < 20 || type > 24) {
                return 0;
            }
            // DTLS 1.0 is 0xFEFF, 1.2 is 0xFEFD: the major byte is 0xFE for both.
            if ((buf[pos + 1] & 0xFF) != 0xFE) {
                return 0;
            }
            int minor = buf[pos + 2] & 0xFF;
            if (minor != 0xFF && minor != 0xFD) {
                return 0;
            }
            int length = ((buf[pos + 11] & 0xFF) << 8) | (buf[pos + 12] & 0xFF);
            pos += RECORD_HEADER + length;
            count++;
        }
        return pos == end ? count : 0;
    }
}
