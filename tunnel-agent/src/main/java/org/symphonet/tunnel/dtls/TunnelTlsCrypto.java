package org.symphonet.tunnel.dtls;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import java.io.IOException;

import org.bouncycastle.jcajce.util.DefaultJcaJceHelper;
import org.bouncycastle.tls.EncryptionAlgorithm;
import org.bouncycastle.tls.crypto.TlsCipher;
import org.bouncycastle.tls.crypto.TlsCryptoParameters;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.TlsImplUtils;
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
     * Also derives, for a session being captured, the keys of its AES-GCM records once more (the
     * same PRF over the same master secret BC's {@code TlsAEADCipher} runs on this call), so that
     * {@link DataRecords} can seal and open application data outside BC's record layer.
     */
    @Override
    public TlsCipher createCipher(TlsCryptoParameters cryptoParams, int encryptionAlgorithm, int macAlgorithm)
            throws IOException {
        TlsCipher cipher = super.createCipher(cryptoParams, encryptionAlgorithm, macAlgorithm);
        Captured captured = capturing.get();
        int keySize = switch (encryptionAlgorithm) {
            case EncryptionAlgorithm.AES_128_GCM -> 16;
            case EncryptionAlgorithm.AES_256_GCM -> 32;
            default -> 0;
        };
        if (captured != null && keySize > 0) {
            byte[] block = TlsImplUtils.calculateKeyBlock(cryptoParams, 2 * keySize + 2 * SessionKeys.SALT);
            try {
                captured.keys = SessionKeys.fromKeyBlock(block, keySize, cryptoParams.isServer());
            } finally {
                java.util.Arrays.fill(block, (byte) 0);
            }
        }
        return cipher;
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
        /** The session's AES-GCM keys, once the handshake derived them (its thread only). */
        private SessionKeys keys;

        /** The keys of the captured session's records, or null (no AES-GCM suite negotiated yet). */
        SessionKeys keys() {
            return keys;
        }

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
