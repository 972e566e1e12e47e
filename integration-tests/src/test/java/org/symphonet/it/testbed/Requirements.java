package org.symphonet.it.testbed;

import java.nio.file.Files;
import java.nio.file.Path;

import org.opentest4j.TestAbortedException;

/**
 * What an integration test needs from the machine. On a laptop a missing piece aborts (skips) the
 * test; under CI=true it fails it, because a test that silently does not run checks nothing.
 */
public final class Requirements {

    private Requirements() {
    }

    public static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /** Root, network namespaces and the given programs on the PATH (or absolute paths). */
    public static void require(String... programs) {
        StringBuilder missing = new StringBuilder();
        if (!"root".equals(System.getProperty("user.name")) && !isUidZero()) {
            missing.append("root privileges; ");
        }
        for (String p : programs) {
            if (!onPath(p)) {
                missing.append(p).append("; ");
            }
        }
        if (missing.length() > 0) {
            unmet(missing.toString());
        }
    }

    /** A library or data file no program stands for (e.g. a Lua module), named by its package. */
    public static void requireFile(String packageName, Path file) {
        if (!Files.isRegularFile(file)) {
            unmet(packageName + " (" + file + "); ");
        }
    }

    private static void unmet(String missing) {
        String msg = "integration test needs: " + missing + "run ovs-scripts/test.sh as root (it installs them)";
        if (inCi()) {
            throw new AssertionError(msg + " [CI=true: failing instead of skipping]");
        }
        throw new TestAbortedException(msg);
    }

    private static boolean isUidZero() {
        try {
            return "0".equals(Files.readString(Path.of("/proc/self/loginuid")).trim())
                    || Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean onPath(String program) {
        if (program.startsWith("/")) {
            return Files.isExecutable(Path.of(program));
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String dir : (path + ":/usr/sbin:/sbin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
