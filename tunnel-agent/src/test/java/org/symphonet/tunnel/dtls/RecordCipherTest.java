package org.symphonet.tunnel.dtls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** How the record cipher is chosen from {@code symphonet.tunnel.cipher} and what libcrypto does at start. */
class RecordCipherTest {
    private static final BooleanSupplier NO_C2 = () -> false;
    private final Lines log = new Lines();
    private final AtomicInteger probes = new AtomicInteger();

    private Supplier<String> probe(String result) {
        return () -> {
            probes.incrementAndGet();
            return result;
        };
    }

    @Test
    void autoTakesLibCryptoWhenItPassesItsSelfTest() {
        assertEquals(RecordCipher.LIBCRYPTO, RecordCipher.choose(null, NO_C2, probe(null), log));
        assertEquals(RecordCipher.LIBCRYPTO, RecordCipher.choose(" Auto ", NO_C2, probe(null), log));
        assertEquals(2, probes.get());
    }

    @Test
    void autoTakesTheJdkWithoutProbingWhenTheJitHasAesIntrinsics() {
        assertEquals(RecordCipher.JCE, RecordCipher.choose("auto", () -> true, probe(null), log));
        assertEquals(0, probes.get());
        // Forced libcrypto is obeyed even there.
        assertEquals(RecordCipher.LIBCRYPTO, RecordCipher.choose("libcrypto", () -> true, probe(null), log));
    }

    @Test
    void autoFallsBackToTheJdkWithOneWarningSayingWhy() {
        assertEquals(RecordCipher.JCE, RecordCipher.choose("auto", NO_C2, probe("libcrypto.so.3: not found"), log));
        assertEquals(1, log.warnings.size(), log.warnings.toString());
        assertTrue(log.warnings.get(0).contains("libcrypto.so.3: not found"), log.warnings.get(0));
    }

    @Test
    void forcedLibCryptoThatFailsStopsTheAgentRatherThanFallingBack() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RecordCipher.choose("libcrypto", NO_C2, probe("self-test: wrong plaintext"), log));
        assertTrue(e.getMessage().contains("symphonet.tunnel.cipher=libcrypto"), e.getMessage());
        assertEquals(RecordCipher.LIBCRYPTO, RecordCipher.choose("libcrypto", NO_C2, probe(null), log));
    }

    @Test
    void jceNeverTouchesLibCrypto() {
        assertEquals(RecordCipher.JCE, RecordCipher.choose("jce", NO_C2, probe("unused"), log));
        assertEquals(0, probes.get());
        assertTrue(log.warnings.isEmpty());
    }

    @Test
    void anUnknownValueIsAnErrorNamingTheProperty() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecordCipher.choose("openssl", NO_C2, probe(null), log));
        assertTrue(e.getMessage().startsWith("symphonet.tunnel.cipher=openssl"), e.getMessage());
    }

    @Test
    void onThisMachineLibCryptoLoadsAndPassesAndAutoFollowsTheJit() throws Exception {
        assertNull(RecordCipher.probeLibCrypto());
        // Surefire sets no symphonet.tunnel.cipher: auto decides by this JVM's JIT.
        assertEquals(RecordCipher.jitHasAesIntrinsics() ? RecordCipher.JCE : RecordCipher.LIBCRYPTO,
                RecordCipher.configured());
        TunnelTlsCrypto crypto = new TunnelTlsCrypto(new SecureRandom(), RecordCipher.LIBCRYPTO);
        assertInstanceOf(NativeGcmCipher.class, crypto.createAEADCipher("AES/GCM/NoPadding", "AES", 16, true));
        assertInstanceOf(GcmCipher.class, new TunnelTlsCrypto(new SecureRandom(), RecordCipher.JCE)
                .createAEADCipher("AES/GCM/NoPadding", "AES", 16, true));
    }

    @Test
    void aSessionsNativeCiphersAreFreedWhenItsCaptureIsReleased() throws Exception {
        TunnelTlsCrypto crypto = new TunnelTlsCrypto(new SecureRandom(), RecordCipher.LIBCRYPTO);
        NativeGcmCipher mine;
        try (TunnelTlsCrypto.Captured captured = crypto.captureCiphers()) {
            mine = (NativeGcmCipher) crypto.createAEADCipher("AES/GCM/NoPadding", "AES", 16, true);
            mine.setKey(new byte[16], 0, 16);
            captured.release();
            captured.release();
        }
        NativeGcmCipher notCaptured = (NativeGcmCipher) crypto.createAEADCipher("AES/GCM/NoPadding", "AES", 16, true);
        notCaptured.setKey(new byte[16], 0, 16);
        assertThrows(IllegalStateException.class, () -> mine.init(new byte[12], 16), "freed with its session");
        notCaptured.init(new byte[12], 16);
        notCaptured.close();
    }

    /** A logger that keeps its warnings. */
    private static final class Lines extends LegacyAbstractLogger {
        final List<String> warnings = new ArrayList<>();

        @Override
        protected String getFullyQualifiedCallerName() {
            return null;
        }

        @Override
        protected void handleNormalizedLoggingCall(Level level, Marker marker, String format, Object[] args,
                                                   Throwable t) {
            if (level == Level.WARN) {
                warnings.add(MessageFormatter.basicArrayFormat(format, args));
            }
        }

        @Override public boolean isTraceEnabled() { return false; }
        @Override public boolean isDebugEnabled() { return false; }
        @Override public boolean isInfoEnabled() { return true; }
        @Override public boolean isWarnEnabled() { return true; }
        @Override public boolean isErrorEnabled() { return true; }
    }
}
