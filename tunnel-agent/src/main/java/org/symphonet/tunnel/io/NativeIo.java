package org.symphonet.tunnel.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

import com.sun.jna.Memory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The system calls of the tunnel's data path (TAP and packet-socket reads and writes, poll, the
 * batched UDP socket's recvmmsg/sendmmsg) as plain JNI functions of a small library built with
 * the agent ({@code src/main/c/symphonet_io.c}), instead of JNA.
 *
 * <p>Why: interactive traffic (a ping 50 ms apart, a keystroke) finds the tunnel thread asleep and
 * its caches cold, and on that path every native call's own code counts. JNA's generic dispatcher
 * (libffi, argument conversion, and a second call to fetch errno) costs about twice what a plain
 * JNI function does there: a 100-byte pipe write plus read after a 50 ms pause, medians, 9-16 µs
 * through JNA, 5-8 µs through this (warm 1.1 vs 0.7 µs).
 *
 * <p>Every call takes native addresses as {@code long} and returns the system call's result, or
 * {@code -errno} when it failed. {@link #LOADED} says whether the library is in use; callers keep
 * their JNA path for when it is not (a platform it was not built for, no C compiler at build time,
 * a temporary directory that forbids mapping code, or {@value #PROPERTY}{@code =jna}).
 */
public final class NativeIo {
    /** {@code auto} (default): this library when it loads, else JNA; {@code jna}: always JNA. */
    public static final String PROPERTY = "symphonet.tunnel.io";
    private static final Logger LOG = LoggerFactory.getLogger(NativeIo.class);
    /** Whether the calls below are usable (decided, and logged, once per JVM). */
    public static final boolean LOADED = load(System.getProperty(PROPERTY));

    private NativeIo() {
    }

    /**
     * The whole of {@code m} as a buffer in the machine's byte order: the direct view through which
     * the batched paths fill and read the structs (mmsghdr, iovec, sockaddr) the system calls take.
     */
    public static ByteBuffer view(Memory m) {
        return m.getByteBuffer(0, m.size()).order(ByteOrder.nativeOrder());
    }

    public static native long read(int fd, long buf, long len);

    public static native long write(int fd, long buf, long len);

    public static native int poll(long fds, int nfds, int timeoutMillis);

    /** ppoll(2) with no signal mask; {@code timeout} is a struct timespec (0: wait forever). */
    public static native int ppoll(long fds, int nfds, long timeout);

    /** recvmmsg(2) with no timeout. */
    public static native int recvmmsg(int fd, long vec, int vlen, int flags);

    public static native int sendmmsg(int fd, long vec, int vlen, int flags);

    public static native long sendto(int fd, long buf, long len, int flags, long addr, int addrLen);

    public static native long recvmsg(int fd, long msg, int flags);

    public static native long send(int fd, long buf, long len, int flags);

    /**
     * One record in libcrypto's TLS AES-GCM mode: {@code EVP_CIPHER_CTX_ctrl(ctx,
     * EVP_CTRL_AEAD_TLS1_AAD, 13, aad)} then {@code EVP_Cipher(ctx, buf, buf, len)}, called at
     * the addresses given (libcrypto as JNA loaded it). EVP_Cipher's result, or -1 when the
     * control failed.
     */
    public static native int tlsRecord(long ctrlFunction, long cipherFunction, long ctx, long aad, long buf, int len);

    /**
     * As {@link #tlsRecord} for sealing, with the whole 12-byte nonce at {@code nonce} set first
     * ({@code EVP_CTRL_AEAD_SET_IV_FIXED}, length -1) instead of libcrypto's own count.
     */
    public static native int tlsSeal(long ctrlFunction, long cipherFunction, long ctx, long nonce, long aad, long buf,
                                     int len);

    /**
     * One lone-frame hop on the struct at {@code hop} ({@code org.symphonet.tunnel.dtls.LoneHop}
     * lays it out and decodes the result): waits up to {@code timeoutNanos} (negative: no limit)
     * on the TAP and the socket and carries one frame either way, or hands the case back.
     */
    public static native long hop(long hop, long timeoutNanos, boolean tapFirst);

    private static native int version();

    /** Where the build puts the library for this platform (os.arch as the JVM names it). */
    static String resource() {
        return "linux-" + System.getProperty("os.arch") + "/libsymphonet-io.so";
    }

    private static boolean load(String setting) {
        String mode = setting == null || setting.isBlank() ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
        if (mode.equals("jna")) {
            LOG.info("tunnel data-path system calls: JNA ({}=jna)", PROPERTY);
            return false;
        }
        if (!mode.equals("auto")) {
            LOG.warn("{}={}: expected auto or jna; using auto", PROPERTY, setting);
        }
        String why = tryLoad();
        if (why == null) {
            LOG.info("tunnel data-path system calls: JNI ({})", resource());
            return true;
        }
        LOG.warn("tunnel data-path system calls: JNA, the JNI library is unusable ({})", why);
        return false;
    }

    /** Loads the library from the jar; null on success, else why not. */
    private static String tryLoad() {
        if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "not Linux";
        }
        Path file = null;
        try (InputStream in = NativeIo.class.getResourceAsStream(resource())) {
            if (in == null) {
                return "not built for " + resource();
            }
            // A private copy: the jar cannot be mapped from. Deleted once loaded (the mapping stays).
            file = Files.createTempFile("symphonet-io", ".so");
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            System.load(file.toAbsolutePath().toString());
            return version() == 3 ? null : "unexpected version";
        } catch (IOException | LinkageError | SecurityException e) {
            return e.toString();
        } finally {
            if (file != null) {
                try {
                    Files.deleteIfExists(file);
                } catch (IOException e) {
                    // Left in the temporary directory: harmless.
                }
            }
        }
    }

    /** For a call that returned {@code rc < 0}: the errno it carries. */
    public static int errno(long rc) {
        return (int) -rc;
    }
}
