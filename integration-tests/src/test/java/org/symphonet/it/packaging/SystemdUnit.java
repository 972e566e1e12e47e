package org.symphonet.it.packaging;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a systemd service unit that decide how its process starts, read the way systemd
 * reads them, so a test can start ExecStart where systemd is not PID 1: Environment= and
 * EnvironmentFile= (a leading '-' makes the file optional; later assignments win), ExecStart with
 * ${VAR} expanded, and the [Service] keys as written.
 */
final class SystemdUnit {

    private static final Pattern VAR = Pattern.compile("\\$\\{([A-Za-z_][A-Za-z0-9_]*)}");
    private static final Pattern BARE_VAR = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)");

    private final Map<String, List<String>> service = new LinkedHashMap<>();

    private SystemdUnit() {
    }

    static SystemdUnit read(Path file) throws IOException {
        SystemdUnit u = new SystemdUnit();
        String section = "";
        for (String raw : Files.readAllLines(file)) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) {
                continue;
            }
            if (line.startsWith("[")) {
                section = line;
                continue;
            }
            int eq = line.indexOf('=');
            if (section.equals("[Service]") && eq > 0) {
                u.service.computeIfAbsent(line.substring(0, eq).strip(), k -> new ArrayList<>()).add(line.substring(eq + 1).strip());
            }
        }
        return u;
    }

    /** Every value of a [Service] key, in order. */
    List<String> all(String key) {
        return service.getOrDefault(key, List.of());
    }

    String one(String key) {
        List<String> v = all(key);
        if (v.size() != 1) {
            throw new IllegalStateException("expected one " + key + "=, found " + v);
        }
        return v.get(0);
    }

    /** The environment systemd gives the process (without its own defaults such as PATH). */
    Map<String, String> environment() throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (String e : all("Environment")) {
            put(env, e);
        }
        for (String f : all("EnvironmentFile")) {
            boolean optional = f.startsWith("-");
            Path p = Path.of(optional ? f.substring(1) : f);
            if (!Files.exists(p) && optional) {
                continue;
            }
            for (String line : Files.readAllLines(p)) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    put(env, l);
                }
            }
        }
        return env;
    }

    /**
     * ExecStart split into words, ${VAR} replaced from {@code env}; a word that is a bare $VAR
     * becomes the variable's value split at white space (none when empty), as systemd does.
     */
    List<String> execStart(Map<String, String> env) {
        List<String> argv = new ArrayList<>();
        for (String word : one("ExecStart").split("\\s+")) {
            Matcher bare = BARE_VAR.matcher(word);
            if (bare.matches()) {
                String v = env.get(bare.group(1));
                if (v == null) {
                    throw new IllegalStateException("ExecStart uses $" + bare.group(1) + ", which the unit does not set");
                }
                for (String part : v.strip().split("\\s+")) {
                    if (!part.isEmpty()) {
                        argv.add(part);
                    }
                }
                continue;
            }
            Matcher m = VAR.matcher(word);
            StringBuilder b = new StringBuilder();
            while (m.find()) {
                String v = env.get(m.group(1));
                if (v == null) {
                    throw new IllegalStateException("ExecStart uses ${" + m.group(1) + "}, which the unit does not set");
                }
                m.appendReplacement(b, Matcher.quoteReplacement(v));
            }
            m.appendTail(b);
            argv.add(b.toString());
        }
        return argv;
    }

    private static void put(Map<String, String> env, String assignment) {
        String a = assignment.startsWith("\"") && assignment.endsWith("\"") ? assignment.substring(1, assignment.length() - 1) : assignment;
        int eq = a.indexOf('=');
        env.put(a.substring(0, eq), a.substring(eq + 1));
    }
}
