package org.symphonet.tunnel.harness;

import java.util.ArrayList;
import java.util.List;

import org.symphonet.tunnel.Fingerprint;
import org.symphonet.tunnel.IceParameters;

/**
 * One-line text form of what signaling carries (fingerprint + ICE parameters),
 * so a person or a test can pass it between two harnesses by hand:
 * {@code <fingerprint> <ufrag>|<password>[;<foundation>|<component>|<priority>|<type>|<address>|<port>]...}.
 * '|' and ';' never occur in the fields (addresses are IPv4/IPv6 literals), so the
 * form needs no escaping.
 */
public record SignalLine(Fingerprint fingerprint, IceParameters ice) {

    public String encode() {
        StringBuilder sb = new StringBuilder();
        sb.append(fingerprint.hex()).append(' ').append(ice.ufrag()).append('|').append(ice.password());
        for (IceParameters.Candidate c : ice.candidates()) {
            sb.append(';').append(c.foundation()).append('|').append(c.component()).append('|')
                    .append(c.priority()).append('|').append(c.type().name().toLowerCase()).append('|')
                    .append(c.address()).append('|').append(c.port());
        }
        return sb.toString();
    }

    public static SignalLine decode(String line) {
        String[] parts = line.trim().split(" ", 2);
        if (parts.length != 2) {
            throw new IllegalArgumentException("expected '<fingerprint> <ice>', got: " + line);
        }
        Fingerprint fp = Fingerprint.parse(parts[0]);
        String[] items = parts[1].split(";");
        String[] creds = items[0].split("\\|", -1);
        if (creds.length != 2) {
            throw new IllegalArgumentException("expected ufrag|password: " + items[0]);
        }
        List<IceParameters.Candidate> candidates = new ArrayList<>();
        for (int i = 1; i < items.length; i++) {
            String[] f = items[i].split("\\|", -1);
            if (f.length != 6) {
                throw new IllegalArgumentException("bad candidate: " + items[i]);
            }
            candidates.add(new IceParameters.Candidate(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]),
                    IceParameters.CandidateType.valueOf(f[3].toUpperCase()), f[4], Integer.parseInt(f[5])));
        }
        return new SignalLine(fp, new IceParameters(creds[0], creds[1], candidates));
    }
}
