package org.symphonet.tunnel.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import org.junit.jupiter.api.Test;

class NativeIoTest {
    private static final int EBADF = 9;

    /**
     * The module's build compiles the library with gcc: under CI every test here fails without it
     * (the JNI path must run there, not fall back silently); elsewhere (no gcc) they skip.
     */
    private static void requireLibrary() {
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(NativeIo.LOADED, "JNI library not loaded: " + NativeIo.resource());
        } else {
            assumeTrue(NativeIo.LOADED, "JNI library not built here (no gcc?): " + NativeIo.resource());
        }
    }

    @Test
    void theBuildCarriesTheLibraryForThisPlatform() {
        requireLibrary();
        assertTrue(NativeIo.LOADED);
    }

    @Test
    void failuresReturnMinusErrno() {
        requireLibrary();
        Memory buf = new Memory(64);
        long address = Pointer.nativeValue(buf);
        long read = NativeIo.read(-1, address, 64);
        assertEquals(EBADF, NativeIo.errno(read));
        assertEquals(EBADF, NativeIo.errno(NativeIo.write(-1, address, 64)));
        assertEquals(EBADF, NativeIo.errno(NativeIo.sendmmsg(-1, address, 1, 0)));
        assertEquals(EBADF, NativeIo.errno(NativeIo.recvmmsg(-1, address, 1, 0x40)));
    }

    @Test
    void pollWithNothingToWaitForTimesOut() {
        requireLibrary();
        Memory fds = new Memory(8);
        // One entry with a negative descriptor: ignored by poll(2), so the wait just times out.
        fds.setInt(0, -1);
        fds.setShort(4, (short) 1);
        fds.setShort(6, (short) 0);
        assertEquals(0, NativeIo.poll(Pointer.nativeValue(fds), 1, 1));
        Memory timespec = new Memory(16);
        timespec.setLong(0, 0);
        timespec.setLong(8, 1000);
        assertEquals(0, NativeIo.ppoll(Pointer.nativeValue(fds), 1, Pointer.nativeValue(timespec)));
    }
}
