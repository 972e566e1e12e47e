package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.security.GeneralSecurityException;

import org.bouncycastle.tls.DTLSTransport;

/**
 * Our own record layer for the tunnel's application data once the DTLS 1.2 handshake is over:
 * the same session (Bouncy Castle's keys, suite and epoch), the standard record format, no
 * allocation of ours and no generic record processing per record, sealed and opened in place.
 * Why: after the idle gap between two pings every line of code and byte of memory a record
 * touches is a cache miss; BC's record layer allocates a receive buffer per call, a nonce,
 * additional data and an output array per record and walks its general machinery (RecordTiming,
 * C2, a ping's answering end after 50 ms: decode 29 -> 20 us, encode 17 -> 9 us). Handshake,
 * change-cipher-spec and alert records still go to BC's record layer (a retransmitted final
 * flight, the peer's close_notify or fatal alert), so BC keeps answering and closing as before.
 *
 * <p>A datagram holding several records is handled one record per {@link #receive}; the tunnel's
 * paths hand over one record per datagram (ICE's path splits joined ones), so none waits here.
 *
 * <p>Sending: epoch 1, sequence numbers of our own from {@link #FIRST_SEQUENCE} on (far above
 * the few BC sends in epoch 1: the Finished message, alerts), so no (key, nonce) pair repeats
 * between the two layers. Receiving: every application-data record is ours; one of another
 * epoch, a replay (64-record window, {@link ReplayWindow}) or a forgery is dropped and counted
 * (offered but not accepted: the tunnel's {@code rxRejected}), never passed on. A peer that runs
 * BC's layer for its data interoperates: the format is the standard one.
 *
 * <p>Threads: one receiving thread; senders serialized here (the data path's thread and the
 * keepalive timer).
 */
final class DataRecords implements RecordChannel {
    static final int EPOCH = 1;
    static final long FIRST_SEQUENCE = 1L << 40;
    private static final long LAST_SEQUENCE = (1L << 48) - 1;
    private static final int APPLICATION_DATA = 23;

    private final DTLSTransport dtls;
    private final RecordTransport transport;
    private final BcRecords bc;
    private final RecordAead sealer;
    private final RecordAead opener;
    private final int sendLimit;
    private final ReplayWindow window = new ReplayWindow();
    private final SessionKeys keys;

    private final Object sending = new Object();
    private final byte[] tx;
    private long nextSequence = FIRST_SEQUENCE;

    /** The last datagram received and how far its records were handled (receiving thread only). */
    private final byte[] rx;
    private int rxLength;
    private int rxPosition;
    /** Records of that datagram for Bouncy Castle, handed over once it is read through. */
    private final byte[] toBc;
    private int toBcLength;

    DataRecords(DTLSTransport dtls, RecordTransport transport, SessionKeys keys, RecordCipher cipher)
            throws IOException {
        this.dtls = dtls;
        this.transport = transport;
        this.bc = new BcRecords(dtls, transport);
        this.keys = keys;
        this.sendLimit = dtls.getSendLimit();
        RecordAead[] pair;
        try {
            pair = RecordAead.create(cipher, keys);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IOException("record cipher unavailable: " + e, e);
        }
        this.sealer = pair[0];
        this.opener = pair[1];
        transport.onClose(this::close);
        this.tx = new byte[RecordAead.OVERHEAD + sendLimit];
        int datagram = Math.max(2048, transport.getReceiveLimit());
        this.rx = new byte[datagram];
        this.toBc = new byte[datagram];
    }

    /**
     * The first of {@code n} consecutive sequence numbers of epoch 1 for {@link LoneHop} to seal
     * records with (epoch in the top 16 bits), taken from the same count as this layer's own
     * records. One it never uses is a gap.
     */
    long reserveSequences(int n) throws IOException {
        synchronized (sending) {
            long first = takeSequence();
            for (int i = 1; i < n; i++) {
                takeSequence();
            }
            return ((long) EPOCH << 48) | first;
        }
    }

    /** The next sequence number of the count (holding {@link #sending}); a record never sealed leaves a gap. */
    private long takeSequence() throws IOException {
        long seq = nextSequence;
        if (seq > LAST_SEQUENCE) {
            throw new IOException("DTLS sequence numbers of epoch 1 used up");
        }
        nextSequence = seq + 1;
        return seq;
    }

    /**
     * Whether this layer sealed a record since {@code reserved} was taken: a reservation left
     * behind by many records would arrive below the peer's replay window. A racy read (the
     * keepalive timer's sends may show late), which a few records of slack cover.
     */
    boolean sentSince(long reserved) {
        return nextSequence != (reserved & LAST_SEQUENCE) + 1;
    }

    /** The receiving thread's replay window, which {@link LoneHop} carries on for its records. */
    ReplayWindow window() {
        return window;
    }

    SessionKeys keys() {
        return keys;
    }

    RecordTransport transport() {
        return transport;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        if (len > sendLimit) {
            throw new IOException("record of " + len + " bytes over the send limit " + sendLimit);
        }
        synchronized (sending) {
            long seq = takeSequence();
            byte[] r = tx;
            r[0] = APPLICATION_DATA;
            r[1] = (byte) 0xFE;
            r[2] = (byte) 0xFD;
            r[3] = 0;
            r[4] = EPOCH;
            for (int i = 0; i < 6; i++) {
                r[5 + i] = (byte) (seq >>> (8 * (5 - i)));
            }
            int fragment = RecordAead.EXPLICIT_NONCE + len + RecordAead.TAG;
            r[11] = (byte) (fragment >>> 8);
            r[12] = (byte) fragment;
            System.arraycopy(buf, off, r, RecordAead.HEADER + RecordAead.EXPLICIT_NONCE, len);
            try {
                sealer.seal(r, 0, len);
            } catch (RuntimeException e) {
                // Closed under us (teardown), or libcrypto failed: this record is lost, not the thread.
                throw new IOException("record not sealed: " + e.getMessage(), e);
            }
            transport.send(r, 0, RecordAead.HEADER + fragment);
        }
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis, Runnable accepted) throws IOException {
        while (true) {
            if (rxPosition < rxLength) {
                int n = next(buf, off, len, accepted);
                if (n >= 0) {
                    return n;
                }
                continue;
            }
            if (toBcLength > 0) {
                int n = toBcLength;
                toBcLength = 0;
                return transport.handOver(dtls, toBc, n, buf, off, len, bc.callbackFor(accepted));
            }
            rxPosition = 0;
            rxLength = 0;
            // Counts malformed datagrams and offered records; -1 for nothing or garbage.
            int n = transport.receive(rx, 0, rx.length, waitMillis);
            if (n < 0) {
                return -1;
            }
            rxLength = n;
        }
    }

    /**
     * Handles the record at {@link #rxPosition} (the datagram passed {@link RecordTransport#countRecords},
     * so its records cover it exactly). Returns the message length, or -1 if it gave none.
     */
    private int next(byte[] buf, int off, int len, Runnable accepted) {
        byte[] r = rx;
        int at = rxPosition;
        int recLength = RecordAead.HEADER + (((r[at + 11] & 0xFF) << 8) | (r[at + 12] & 0xFF));
        rxPosition = at + recLength;
        if ((r[at] & 0xFF) != APPLICATION_DATA) {
            System.arraycopy(r, at, toBc, toBcLength, recLength);
            toBcLength += recLength;
            return -1;
        }
        int epoch = ((r[at + 3] & 0xFF) << 8) | (r[at + 4] & 0xFF);
        if (epoch != EPOCH || (r[at + 2] & 0xFF) != 0xFD) {
            return -1;
        }
        long seq = 0;
        for (int i = 5; i < 11; i++) {
            seq = (seq << 8) | (r[at + i] & 0xFF);
        }
        int plain = recLength - RecordAead.OVERHEAD;
        if (plain < 0 || plain > len || !window.fresh(seq) || !opener.open(r, at, recLength)) {
            return -1;
        }
        window.mark(seq);
        accepted.run();
        System.arraycopy(r, at + RecordAead.HEADER + RecordAead.EXPLICIT_NONCE, buf, off, plain);
        return plain;
    }

    @Override
    public String label() {
        return "own";
    }

    @Override
    public int getSendLimit() {
        return sendLimit;
    }

    @Override
    public int getReceiveLimit() {
        return rx.length;
    }

    /** On the transport's close: frees the ciphers (the native ones hold memory outside the heap). */
    private void close() {
        synchronized (sending) {
            sealer.close();
        }
        opener.close();
    }
}
