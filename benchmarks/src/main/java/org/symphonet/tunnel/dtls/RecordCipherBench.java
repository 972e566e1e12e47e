package org.symphonet.tunnel.dtls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;

/**
 * Nanoseconds per tunnel record, encrypted and then decrypted (one round of what a
 * record costs its two ends), for the JDK's AES-GCM and libcrypto's, each in a JVM
 * with C1 only (as a node runs, {@code packaging/deb/files/node.jvm}) and one with
 * C2, side by side in one run. One thread; each JVM is a child process of this one.
 *
 * <p>{@code java -cp benchmarks/target/ofload.jar org.symphonet.tunnel.dtls.RecordCipherBench
 * [--seconds 3] [--sizes 100,1400]}
 *
 * <p>Lives in the cipher's package (in this module, not in tunnel-agent) because the
 * ciphers are package-private there: the agent exposes no cipher API.
 */
public final class RecordCipherBench {
    /** The JIT flags of a node (node.jvm) against the JVM's default tiered compilation. */
    static final Map<String, List<String>> JVMS = new LinkedHashMap<>();

    static {
        JVMS.put("C1 (node.jvm)", List.of("-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:+UseSerialGC"));
        JVMS.put("C2 (tiered)", List.of("-XX:+UseSerialGC"));
    }

    private RecordCipherBench() {
    }

    public static void main(String[] args) throws Exception {
        double seconds = 3;
        int[] sizes = {100, 1400};
        boolean child = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--child" -> child = true;
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        if (child) {
            measureHere(seconds, sizes);
            return;
        }
        // row key "size cipher" -> JVM -> "ns bytes"
        Map<String, Map<String, String[]>> rows = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> jvm : JVMS.entrySet()) {
            for (String line : child(jvm.getValue(), seconds, sizes)) {
                String[] f = line.split(" ");   // RESULT size cipher nsPerRecord bytesPerRecord
                rows.computeIfAbsent(f[1] + " " + f[2], k -> new LinkedHashMap<>()).put(jvm.getKey(),
                        new String[] {f[3], f[4]});
            }
        }
        System.out.println("| record B | cipher | " + String.join(" | ", JVMS.keySet().stream()
                .map(j -> j + " ns").toList()) + " | heap B/record (C1) |");
        System.out.println("|---|---|" + "---|".repeat(JVMS.size()) + "---|");
        for (Map.Entry<String, Map<String, String[]>> row : rows.entrySet()) {
            String[] key = row.getKey().split(" ");
            StringBuilder b = new StringBuilder("| " + key[0] + " | " + key[1] + " |");
            for (String jvm : JVMS.keySet()) {
                b.append(' ').append(row.getValue().get(jvm)[0]).append(" |");
            }
            b.append(' ').append(row.getValue().values().iterator().next()[1]).append(" |");
            System.out.println(b);
        }
    }

    private static List<String> child(List<String> flags, double seconds, int[] sizes)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(flags);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), RecordCipherBench.class.getName(),
                "--child", "--seconds", Double.toString(seconds),
                "--sizes", String.join(",", Arrays.stream(sizes).mapToObj(Integer::toString).toList())));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        List<String> results = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.startsWith("RESULT ")) {
                    results.add(line);
                }
            }
        }
        if (p.waitFor() != 0) {
            throw new IllegalStateException("child JVM " + flags + " exited " + p.exitValue());
        }
        return results;
    }

    private static void measureHere(double seconds, int[] sizes) throws Exception {
        String failure = LibCrypto.load();
        if (failure != null) {
            throw new IllegalStateException("libcrypto: " + failure);
        }
        for (int size : sizes) {
            for (RecordCipher which : RecordCipher.values()) {
                TlsAEADCipherImpl enc = which.create(true);
                TlsAEADCipherImpl dec = which.create(false);
                byte[] key = new byte[16];
                Arrays.fill(key, (byte) 7);
                enc.setKey(key, 0, 16);
                dec.setKey(key, 0, 16);
                Records records = new Records(enc, dec, size);
                records.run(Math.max(0.5, seconds / 2));       // warm-up: compilation, caches
                long bytes0 = allocated();
                long[] done = records.run(seconds);
                long bytes = allocated() - bytes0;
                System.out.printf("RESULT %d %s %.0f %.0f%n", size, which.name().toLowerCase(),
                        (double) done[1] / done[0], (double) bytes / done[0]);
                if (enc instanceof AutoCloseable c) {
                    c.close();
                }
                if (dec instanceof AutoCloseable c) {
                    c.close();
                }
            }
        }
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Encrypt-then-decrypt of one record size, with a fresh nonce each time as in DTLS. */
    private static final class Records {
        private final TlsAEADCipherImpl enc;
        private final TlsAEADCipherImpl dec;
        private final byte[] plain;
        private final byte[] sealed;
        private final byte[] opened;
        private final byte[] aad = new byte[13];
        private final byte[] nonce = new byte[12];
        private long sequence;

        Records(TlsAEADCipherImpl enc, TlsAEADCipherImpl dec, int size) {
            this.enc = enc;
            this.dec = dec;
            this.plain = new byte[size];
            Arrays.fill(plain, (byte) 0x5a);
            this.sealed = new byte[size + 16];
            this.opened = new byte[size];
        }

        /** Returns {records, nanoseconds}. */
        long[] run(double seconds) {
            long end = System.nanoTime() + (long) (seconds * 1e9);
            long count = 0;
            long start = System.nanoTime();
            long now;
            do {
                for (int i = 0; i < 64; i++) {
                    one();
                }
                count += 64;
                now = System.nanoTime();
            } while (now < end);
            if (!Arrays.equals(plain, opened)) {
                throw new IllegalStateException("round trip changed the record");
            }
            return new long[] {count, now - start};
        }

        private void one() {
            long s = ++sequence;
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] = (byte) (s >>> (56 - 8 * i));
                aad[i] = nonce[4 + i];
            }
            try {
                enc.init(nonce, 16);
                enc.doFinal(aad, plain, 0, plain.length, sealed, 0);
                dec.init(nonce, 16);
                dec.doFinal(aad, sealed, 0, sealed.length, opened, 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
