package org.symphonet.overlay.signal;

import java.security.KeyManagementException;
import java.security.SecureRandom;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context of an XMPP connection with TLS disabled: Smack builds one for every connection,
 * and the JDK's (SunJSSE) costs 25 ms of a node's start-up CPU with the JCA already warm and loads
 * ~50 classes (its cipher suite and protocol tables) that such a connection never uses. This one
 * accepts Smack's set-up call and refuses anything that would actually speak TLS, so a code path
 * that tried would fail closed instead of connecting without the checks TLS is for.
 */
final class DisabledTls {

    private DisabledTls() {
    }

    static SSLContext context() {
        return new SSLContext(new Spi(), null, "TLS") {
        };
    }

    private static final class Spi extends SSLContextSpi {
        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            // Nothing to set up: no handshake ever runs.
        }

        private static UnsupportedOperationException refused() {
            return new UnsupportedOperationException("TLS is disabled for this XMPP connection (xmpp.tls: disabled)");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }
    }
}
