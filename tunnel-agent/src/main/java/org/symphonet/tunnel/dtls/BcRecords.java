package org.symphonet.tunnel.dtls;

import java.io.IOException;

import org.bouncycastle.tls.DTLSRecordCallback;
import org.bouncycastle.tls.DTLSTransport;

/**
 * All records through Bouncy Castle's DTLS record layer, as the data path ran before
 * {@link DataRecords}: {@value RecordChannel#PROPERTY}{@code =bc}.
 */
final class BcRecords implements RecordChannel {
    private final DTLSTransport dtls;
    private final RecordTransport transport;
    /** The receiving thread's: the callback made for the last hook it passed. */
    private Runnable hook;
    private DTLSRecordCallback callback;

    BcRecords(DTLSTransport dtls, RecordTransport transport) {
        this.dtls = dtls;
        this.transport = transport;
    }

    @Override
    public int receive(byte[] buf, int off, int len, int waitMillis, Runnable accepted) throws IOException {
        return dtls.receive(buf, off, len, waitMillis, callbackFor(accepted));
    }

    /**
     * Only records under the session keys count as accepted: an epoch-0 handshake record BC lets
     * through after the handshake proves nothing.
     */
    DTLSRecordCallback callbackFor(Runnable accepted) {
        if (accepted != hook) {
            hook = accepted;
            callback = flags -> {
                if (!transport.lastHadPlaintextRecord()) {
                    accepted.run();
                }
            };
        }
        return callback;
    }

    @Override
    public void send(byte[] buf, int off, int len) throws IOException {
        dtls.send(buf, off, len);
    }

    @Override
    public String label() {
        return "bc";
    }

    @Override
    public int getSendLimit() throws IOException {
        return dtls.getSendLimit();
    }

    @Override
    public int getReceiveLimit() throws IOException {
        return dtls.getReceiveLimit();
    }
}
