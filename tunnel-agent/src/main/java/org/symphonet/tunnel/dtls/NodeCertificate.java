package org.symphonet.tunnel.dtls;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.symphonet.tunnel.Fingerprint;

/**
 * The node's self-signed ECDSA P-256 certificate and key (DESIGN.md §2). Created
 * once in the state directory, files mode 0600 from the moment they exist (the
 * key is never world-readable, not even briefly). Its SHA-256 fingerprint is what
 * peers pin.
 */
public final class NodeCertificate {
    static final String CERT_FILE = "node-cert.pem";
    static final String KEY_FILE = "node-key.pem";

    private final PrivateKey privateKey;
    private final byte[] certificateDer;
    private final Fingerprint fingerprint;

    private NodeCertificate(PrivateKey privateKey, byte[] certificateDer) {
        this.privateKey = privateKey;
        this.certificateDer = certificateDer.clone();
        this.fingerprint = Fingerprint.ofCertificate(certificateDer);
    }

    /** Loads the certificate from {@code stateDir}, creating it on first use. */
    public static NodeCertificate loadOrCreate(Path stateDir) throws IOException {
        Path cert = stateDir.resolve(CERT_FILE);
        Path key = stateDir.resolve(KEY_FILE);
        if (Files.exists(cert) && Files.exists(key)) {
            return load(cert, key);
        }
        Files.createDirectories(stateDir);
        NodeCertificate created = generate();
        writePrivate(key, pem("PRIVATE KEY", created.privateKey.getEncoded()));
        writePrivate(cert, pem("CERTIFICATE", created.certificateDer));
        return created;
    }

    /** A fresh certificate that is not stored (tests, throw-away identities). */
    public static NodeCertificate generate() {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
            gen.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = gen.generateKeyPair();
            X500Name name = new X500Name("CN=symphonet-node");
            Instant now = Instant.now();
            // Fingerprint pinning, not validity dates, is what makes the certificate
            // trusted; a long lifetime avoids a silent expiry of every tunnel.
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name,
                    new BigInteger(64, new SecureRandom()).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(36500))),
                    name, pair.getPublic());
            X509CertificateHolder holder = builder.build(
                    new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate()));
            return new NodeCertificate(pair.getPrivate(), holder.getEncoded());
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot create node certificate", e);
        }
    }

    private static NodeCertificate load(Path cert, Path key) throws IOException {
        try (Reader certReader = Files.newBufferedReader(cert, StandardCharsets.US_ASCII);
             Reader keyReader = Files.newBufferedReader(key, StandardCharsets.US_ASCII);
             PEMParser certPem = new PEMParser(certReader);
             PEMParser keyPem = new PEMParser(keyReader)) {
            Object c = certPem.readObject();
            Object k = keyPem.readObject();
            if (!(c instanceof X509CertificateHolder holder) || !(k instanceof PrivateKeyInfo info)) {
                throw new IOException("unexpected content in " + cert + " or " + key);
            }
            PrivateKey privateKey = KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
            return new NodeCertificate(privateKey, holder.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read node key " + key, e);
        }
    }

    private static String pem(String type, byte[] der) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new org.bouncycastle.util.io.pem.PemObject(type, der));
        }
        return out.toString();
    }

    private static void writePrivate(Path file, String content) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII, StandardOpenOption.WRITE)) {
            w.write(content);
        }
    }

    public PrivateKey privateKey() {
        return privateKey;
    }

    public byte[] certificateDer() {
        return certificateDer.clone();
    }

    public Fingerprint fingerprint() {
        return fingerprint;
    }
}
