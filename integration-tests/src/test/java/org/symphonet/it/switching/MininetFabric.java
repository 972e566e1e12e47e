package org.symphonet.it.switching;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.symphonet.it.testbed.Testbed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A Mininet fabric on the system Open vSwitch, run by {@code ovs-scripts/tools/mn-fabric.py}
 * (Debian's python3, where Mininet lives): one switch per node with one host each, user datapath,
 * fail-mode secure. Commands go over the script's stdin, answers come back as JSON lines. Closing
 * stops the network with {@code net.stop()} and removes the bridges and veths it made, by name.
 */
final class MininetFabric implements AutoCloseable {

    record Link(String a, String aIntf, String b, String bIntf) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Writer in;
    private final BufferedReader out;
    private final Path stderr;
    final List<String> switches = new ArrayList<>();
    final List<Long> datapathIds = new ArrayList<>();
    final List<String> hosts = new ArrayList<>();
    final List<Link> links = new ArrayList<>();

    MininetFabric(String topology, int controllerPort) throws IOException {
        stderr = Files.createTempFile("fb-mininet-", ".log");
        Path script = Testbed.repoRoot().resolve("ovs-scripts/tools/mn-fabric.py");
        process = new ProcessBuilder("/usr/bin/python3", script.toString(), topology, Integer.toString(controllerPort), "fb")
                .redirectError(stderr.toFile()).start();
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        JsonNode ready = read();
        if (!ready.path("ready").asBoolean()) {
            throw new IOException("Mininet did not start: " + ready + " " + Files.readString(stderr));
        }
        JsonNode info = command("info");
        info.get("switches").forEach(s -> {
            switches.add(s.get("name").asText());
            datapathIds.add(Long.parseUnsignedLong(s.get("dpid").asText(), 16));
        });
        info.get("hosts").forEach(h -> hosts.add(h.get("name").asText()));
        info.get("links").forEach(l -> links.add(new Link(l.get("a").asText(), l.get("aIntf").asText(),
                l.get("b").asText(), l.get("bIntf").asText())));
    }

    JsonNode command(String... words) throws IOException {
        in.write(String.join(" ", words) + "\n");
        in.flush();
        JsonNode r = read();
        if (r.has("error")) {
            throw new IOException(String.join(" ", words) + ": " + r.get("error").asText());
        }
        return r;
    }

    double pingAllLoss() throws IOException {
        return command("pingall").get("loss").asDouble();
    }

    private JsonNode read() throws IOException {
        String line = out.readLine();
        if (line == null) {
            throw new IOException("the Mininet driver exited: " + Files.readString(stderr));
        }
        return JSON.readTree(line);
    }

    @Override
    public void close() throws Exception {
        try {
            in.write("quit\n");
            in.flush();
        } catch (IOException gone) {
            // already exited; its own finally ran net.stop()
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroy(); // SIGTERM: the script's finally still stops the network
            process.waitFor(20, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(stderr);
    }
}
