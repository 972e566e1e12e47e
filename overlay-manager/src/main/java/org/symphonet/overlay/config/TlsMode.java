package org.symphonet.overlay.config;

import com.fasterxml.jackson.annotation.JsonValue;

/** How the XMPP connection treats STARTTLS. */
public enum TlsMode {
    /** Refuse to log in unless the server offers TLS (deployments). */
    REQUIRED("required"),
    /** Use TLS when offered, plain otherwise (test servers without certificates). */
    IF_OFFERED("if-offered"),
    /** Never negotiate TLS. */
    DISABLED("disabled");

    private final String yaml;

    TlsMode(String yaml) {
        this.yaml = yaml;
    }

    @JsonValue
    public String yaml() {
        return yaml;
    }
}
