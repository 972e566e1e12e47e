package org.symphonet.tunnel.dtls;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * {@link JcaTlsCrypto} over the JDK providers, with the per-record AES-GCM path
 * replaced by the {@link RecordCipher} chosen for this JVM (the extension point BC
 * documents for this). The handshake (ECDHE, ECDSA, PRF) is BC's JCA code, unchanged.
 *
 * <p>One instance serves every session of an agent (its capability caches are
 * per instance). Native ciphers hold memory outside the heap, so a handshake
 * {@linkplain #captureCiphers captures} the ones created for its session, which the
 * session frees when it closes.
 */
final class TunnelTlsCrypto extends JcaTlsCrypto {
    private final RecordCipher recordCipher;
    /** Per thread: BC creates a session's record ciphers on the thread running its handshake. */
    private final ThreadLocal<Captured> capturing = new ThreadLocal<>();

    TunnelTlsCrypto(SecureRandom random) {
        this(random, RecordCipher.configured());
    }

    TunnelTlsCrypto(SecureRandom random, RecordCipher recordCipher) {
        super(new DefaultJcaJceHelper(), random, random);
        this.recordCipher = recordCipher;
    }

    RecordCipher recordCipher() {
        return recordCipher;
    }

    @Override
    protected TlsAEADCipherImpl createAEADCipher(String cipherName, String algorithm, int keySize,
                                                 boolean isEncrypting) throws GeneralSecurityException {
        if ("AES/GCM/NoPadding".equals(cipherName)) {
            TlsAEADCipherImpl cipher = recordCipher.create(isEncrypting);
            Captured captured = capturing.get();
            if (captured != null && cipher instanceof AutoCloseable closeable) {
                captured.add(closeable);
            }
            return cipher;
        }
        return super.createAEADCipher(cipherName, algorithm, keySize, isEncrypting);
    }

    /**
     * From now until {@link Captured#close}, ciphers created on this thread are
     * collected; {@link Captured#release} frees them (any number of times).
     */
    Captured captureCiphers() {
        Captured captured = new Captured();
        capturing.set(captured);
        return captured;
    }

    /** The native ciphers of one session. */
    final class Captured implements AutoCloseable {
        private final List<AutoCloseable> ciphers = new ArrayList<>();

        private synchronized void add(AutoCloseable cipher) {
            ciphers.add(cipher);
        }

        /** Frees the session's ciphers: after its data path stopped, or they refuse records from then on. */
        synchronized void release() {
            for (AutoCloseable c : ciphers) {
                try {
                    c.close();
                } catch (Exception e) {
                    // NativeGcmCipher.close throws nothing; other closeables are not collected.
                }
            }
            ciphers.clear();
        }

        /** Stops collecting on this thread (the handshake is over). */
        @Override
        public void close() {
            if (capturing.get() == this) {
                capturing.remove();
            }
        }
    }
}
