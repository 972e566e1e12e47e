package org.symphonet.tunnel.dtls;

import java.io.IOException;

import org.bouncycastle.tls.DTLSTransport;
import org.bouncycastle.tls.DatagramSender;

/**
 * What the data path sends tunnel messages through and receives them from: one message per
 * DTLS application-data record, after the handshake. Two implementations: {@link DataRecords},
 * our own record layer for application data (the default), and {@link BcRecords}, everything
 * through Bouncy Castle's record layer as before (kept for one release, for A/B runs, with
 * {@value #PROPERTY}{@code =bc}).
 */
public interface RecordChannel extends DatagramSender {
    String PROPERTY = "symphonet.tunnel.records";

    /**
     * Receives one message, waiting up to {@code waitMillis} for a datagram. Returns its length,
     * or -1 when nothing (or nothing acceptable) arrived. {@code accepted} runs once per record
     * that proved authentic under the session's keys (liveness, counters).
     */
    int receive(byte[] buf, int off, int len, int waitMillis, Runnable accepted) throws IOException;

    /** Which record layer carries the data: "own" or "bc" (for the log). */
    String label();

    /** Largest datagram a receive takes. */
    int getReceiveLimit() throws IOException;

    /**
     * The channel for a session just established over {@code transport}: our own record layer
     * unless the system property says {@code bc}, or the session's keys are unknown (a suite
     * other than AES-GCM).
     */
    static RecordChannel open(DTLSTransport dtls, RecordTransport transport) throws IOException {
        String mode = System.getProperty(PROPERTY, "own").trim();
        SessionKeys keys = transport.sessionKeys();
        if ("bc".equals(mode) || keys == null) {
            return new BcRecords(dtls, transport);
        }
        if (!"own".equals(mode)) {
            throw new IllegalArgumentException(PROPERTY + "=" + mode + ": expected own or bc");
        }
        return new DataRecords(dtls, transport, keys, RecordCipher.configured());
    }
}
