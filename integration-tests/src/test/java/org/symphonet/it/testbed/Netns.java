package org.symphonet.it.testbed;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.Platform;

/**
 * Runs Java code inside a testbed network namespace, so a test can open a socket (an XMPP client,
 * say) on a host's network without a second JVM. The network namespace is a property of a Linux
 * thread: one dedicated thread joins the namespace with setns(2), and every socket it creates
 * lives there for good, whatever thread uses it later. The thread is never returned to the JVM's
 * pools.
 */
public final class Netns implements AutoCloseable {

    private static final int O_RDONLY = 0;
    private static final int CLONE_NEWNET = 0x40000000;

    static {
        Native.register(Platform.C_LIBRARY_NAME);
    }

    private static native int open(String path, int flags) throws LastErrorException;

    private static native int setns(int fd, int nstype) throws LastErrorException;

    private static native int close(int fd) throws LastErrorException;

    private final ExecutorService thread;

    /** A thread inside {@code /run/netns/NAME} (the full namespace name, prefix included). */
    public static Netns enter(String namespace) throws Exception {
        Netns n = new Netns(namespace);
        try {
            n.call(() -> {
                int fd = open("/run/netns/" + namespace, O_RDONLY);
                try {
                    setns(fd, CLONE_NEWNET);
                } finally {
                    close(fd);
                }
                return null;
            });
        } catch (Exception e) {
            n.close();
            throw new IllegalStateException("cannot enter network namespace " + namespace + ": " + e.getMessage(), e);
        }
        return n;
    }

    private Netns(String namespace) {
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + namespace);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code work} on the namespace's thread and waits for it (at most two minutes). */
    public <T> T call(Callable<T> work) throws Exception {
        Future<T> f = thread.submit(work);
        try {
            return f.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        } catch (TimeoutException e) {
            f.cancel(true);
            throw e;
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
