package org.symphonet.overlay.signal;

import java.util.List;
import java.util.regex.Pattern;

/** One side's ICE credentials and candidates (no trickling: all candidates travel at once). */
public record IceParams(String ufrag, String pwd, List<IceCandidate> candidates) {

    public static final int MAX_CANDIDATES = 32;
    private static final Pattern UFRAG = Pattern.compile("[A-Za-z0-9+/]{4,256}");
    private static final Pattern PWD = Pattern.compile("[A-Za-z0-9+/]{22,256}");

    public IceParams {
        if (ufrag == null || !UFRAG.matcher(ufrag).matches()) {
            throw new IllegalArgumentException("ufrag must be 4-256 ICE characters (A-Z a-z 0-9 + /)");
        }
        if (pwd == null || !PWD.matcher(pwd).matches()) {
            throw new IllegalArgumentException("pwd must be 22-256 ICE characters (A-Z a-z 0-9 + /)");
        }
        if (candidates == null || candidates.isEmpty() || candidates.size() > MAX_CANDIDATES) {
            throw new IllegalArgumentException("candidates must list 1.." + MAX_CANDIDATES + " entries");
        }
        candidates = List.copyOf(candidates);
    }

    /** Keeps the ICE password out of logs. */
    @Override
    public String toString() {
        return "IceParams[ufrag=" + ufrag + ", candidates=" + candidates + "]";
    }
}
