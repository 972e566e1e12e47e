package org.symphonet.overlay.node;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Gives the C heap's free pages back to the system (glibc's {@code malloc_trim(0)}). Start-up
 * mallocs a lot in every thread (class loading, symbols, the JIT's arenas, TLS handshakes), and
 * glibc keeps what was freed in each thread's arena: ~1.7 MB of a settled node's RSS on a 3-node
 * testbed, more with more tunnels. {@link HeapTrim} calls it once start-up is over and then every
 * 30 s.
 * Without glibc (musl has no malloc_trim) or JNA it does nothing.
 */
final class MallocTrim {

    private static final Logger log = LoggerFactory.getLogger(MallocTrim.class);

    private MallocTrim() {
    }

    /** Trims once; never throws. */
    static void trim() {
        try {
            int released = Glibc.malloc_trim(0);
            log.debug("malloc_trim: {}", released == 1 ? "memory released" : "nothing to release");
        } catch (LinkageError e) {
            // No glibc or no JNA here: the pages stay, nothing else changes.
            log.debug("malloc_trim unavailable: {}", e.toString());
        }
    }

    /** Bound at first use, after start-up (JNA is loaded by then for the tunnels). */
    private static final class Glibc {
        static {
            Native.register(Platform.C_LIBRARY_NAME);
        }

        static native int malloc_trim(long pad);
    }
}
