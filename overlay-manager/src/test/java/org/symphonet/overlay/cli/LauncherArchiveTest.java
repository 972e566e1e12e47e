package org.symphonet.overlay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged launcher's class-data-sharing archive ({@code packaging/deb/files/symphonet}), run
 * with a stub JVM that logs its arguments: made once per jar and JVM build, under the jar's
 * absolute path, and a node starts without it when making it fails.
 */
class LauncherArchiveTest {

    private static final Path LAUNCHER = Path.of("../packaging/deb/files/symphonet").toAbsolutePath();

    @TempDir
    Path dir;
    private Path jdk;
    private Path log;
    private Path jar;
    private Path archive;

    @BeforeEach
    void stubs() throws IOException {
        jdk = dir.resolve("jdk");
        Files.createDirectories(jdk.resolve("bin"));
        Files.createDirectories(jdk.resolve("lib/server"));
        Files.writeString(jdk.resolve("lib/server/libjvm.so"), "build 1");
        log = dir.resolve("java.log");
        // Logs each call; a dump writes the archive named by -XX:SharedArchiveFile, unless told to fail.
        Path java = jdk.resolve("bin/java");
        Files.writeString(java, """
                #!/bin/sh
                echo "$*" >> "%s"
                for a in "$@"; do
                  case "$a" in -XX:SharedArchiveFile=*) f=${a#-XX:SharedArchiveFile=} ;; -Xshare:dump) dump=1 ;; esac
                done
                if [ -n "$dump" ]; then
                  [ -e "%s" ] && exit 1
                  echo archive > "$f"
                fi
                exit 0
                """.formatted(log, dir.resolve("fail-dump")));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(dir.resolve("home"));
        Files.writeString(dir.resolve("home/node.classlist"), "java/lang/Object\n");
        jar = dir.resolve("lib/symphonet.jar");
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        archive = dir.resolve("state/node.jsa");
        Files.createDirectories(archive.getParent());
    }

    private List<String> start(String jarArg, Path cwd) throws Exception {
        Files.deleteIfExists(log);
        ProcessBuilder pb = new ProcessBuilder("sh", LAUNCHER.toString(), "node", "--config", "x.yaml").directory(cwd.toFile());
        pb.environment().put("JAVA", jdk.resolve("bin/java").toString());
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("SYMPHONET_HOME", dir.resolve("home").toString());
        pb.environment().put("SYMPHONET_JAR", jarArg);
        pb.environment().put("SYMPHONET_CDS", archive.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
        return Files.readAllLines(log);
    }

    private static boolean dumped(List<String> calls) {
        return calls.stream().anyMatch(c -> c.contains("-Xshare:dump"));
    }

    private static String node(List<String> calls) {
        return calls.get(calls.size() - 1);
    }

    @Test
    void madeOncePerJarAndJvmAndUsedUnderTheJarsAbsolutePath() throws Exception {
        List<String> first = start(jar.toString(), dir);
        assertTrue(dumped(first), "first start makes the archive: " + first);
        assertTrue(node(first).contains("-XX:SharedArchiveFile=" + archive + " -Xshare:auto"), node(first));

        // Again, and with a relative jar path from elsewhere: the same archive, not made again.
        List<String> again = start("lib/symphonet.jar", dir);
        assertFalse(dumped(again), again.toString());
        assertTrue(node(again).contains("-XX:SharedArchiveFile=" + archive), node(again));
        assertTrue(node(again).contains("-jar " + jar), "the jar's absolute path: " + node(again));
        assertTrue(first.get(0).contains("-cp " + jar), "made for the same path: " + first.get(0));

        // Another JVM build (a JDK update): made again.
        Files.writeString(jdk.resolve("lib/server/libjvm.so"), "build 2, a little longer");
        List<String> updated = start(jar.toString(), dir);
        assertTrue(dumped(updated), "a new JVM build remakes the archive: " + updated);
        assertFalse(dumped(start(jar.toString(), dir)));

        // A newer jar: made again.
        Files.setLastModifiedTime(jar, FileTime.fromMillis(System.currentTimeMillis() + 60_000));
        assertTrue(dumped(start(jar.toString(), dir)));
    }

    @Test
    void aNodeStartsWithoutTheArchiveWhenMakingItFails() throws Exception {
        Files.writeString(dir.resolve("fail-dump"), "");
        List<String> calls = start(jar.toString(), dir);
        assertTrue(dumped(calls));
        assertFalse(node(calls).contains("SharedArchiveFile"), node(calls));
        assertTrue(node(calls).endsWith("-jar " + jar + " node --config x.yaml"), node(calls));
    }
}
