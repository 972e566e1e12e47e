package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.io.InterruptedIOException;
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
    /** Set once by the handshake: the session's keys for {@link DataRecords}. */
    private volatile SessionKeys keys;
    /**
     * While {@link #handOver} runs (receiving thread only): the datagram Bouncy Castle gets
     * instead of reading the path, null once taken.
     */
    private boolean handingOver;
    private byte[] handed;
    private int handedLength;

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
        if (handingOver) {
            return handed(buf, off, len);
        }
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

    /**
     * Has Bouncy Castle's record layer process {@code records[0, length)}, records that
     * {@link DataRecords} does not handle itself (handshake, alerts), as if they had just arrived
     * in one datagram; it reads nothing from the path meanwhile. Returns what {@code dtls.receive}
     * returns (-1 when the records yield no application data, the usual case).
     */
    int handOver(org.bouncycastle.tls.DTLSTransport dtls, byte[] records, int length, byte[] buf, int off, int len,
                 org.bouncycastle.tls.DTLSRecordCallback callback) throws IOException {
        handed = records;
        handedLength = length;
        handingOver = true;
        try {
            int n;
            try {
                n = dtls.receive(buf, off, len, 1, callback);
            } catch (HandedOver e) {
                n = -1;
            }
            // Records of the datagram BC queued but did not get to (its wait is 1 ms).
            return n >= 0 ? n : dtls.receivePending(buf, off, len, callback);
        } finally {
            handingOver = false;
            handed = null;
        }
    }

    /** The handed-over datagram once; then the signal that BC's receive is to return. */
    private int handed(byte[] buf, int off, int len) throws HandedOver {
        byte[] d = handed;
        if (d == null) {
            // Not a timeout, which BC would wait out: an InterruptedIOException passes through
            // its record layer unchanged and without failing the session.
            throw new HandedOver();
        }
        handed = null;
        int n = Math.min(len, handedLength);
        System.arraycopy(d, 0, buf, off, n);
        lastPlaintext = hasEpochZero(buf, off, n);
        return n;
    }

    /** Ends a hand-over's receive in Bouncy Castle; no stack trace (it is no error). */
    private static final class HandedOver extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** One record that {@link LoneHop} took from the socket itself, counted as {@link #receive} counts. */
    void countOffered(int records) {
        offered.addAndGet(records);
    }

    /** Remembers the keys the handshake derived (see {@link TunnelTlsCrypto#createCipher}). */
    void sessionKeys(SessionKeys sessionKeys) {
        this.keys = sessionKeys;
    }

    /** The session's AES-GCM keys once its handshake is done, or null (another suite). */
    SessionKeys sessionKeys() {
        return keys;
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
