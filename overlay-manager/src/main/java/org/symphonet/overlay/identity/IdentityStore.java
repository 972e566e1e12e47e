package org.symphonet.overlay.identity;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Clock;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.symphonet.ofcontroller.view.NodeId;

/**
 * Creates the node's identity once in its state directory and reads it back on every later
 * start, so a restarted node rejoins the ring at the same place with the same certificate.
 *
 * <p>Files: {@code node-id} (32 lowercase hex digits), {@code node-cert.pem}, {@code node-key.pem}
 * (PKCS#8). All are written to a temporary file and renamed into place, so a crash never leaves a
 * half-written identity; all are mode 0600 and the directory 0700.
 */
public final class IdentityStore {

    public static final String NODE_ID_FILE = "node-id";
    public static final String CERT_FILE = "node-cert.pem";
    public static final String KEY_FILE = "node-key.pem";

    private static final Logger log = LoggerFactory.getLogger(IdentityStore.class);
    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");
    private static final Set<PosixFilePermission> OWNER_RW =
            EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    private static final Set<PosixFilePermission> OWNER_RWX = EnumSet.of(PosixFilePermission.OWNER_READ,
            PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final Path dir;
    private final SecureRandom random;
    private final Clock clock;

    public IdentityStore(Path dir, SecureRandom random, Clock clock) {
        this.dir = dir;
        this.random = random;
        this.clock = clock;
    }

    public IdentityStore(Path dir) {
        this(dir, new SecureRandom(), Clock.systemUTC());
    }

    /** The stored identity, creating whatever part of it does not exist yet. */
    public NodeIdentity loadOrCreate() throws IdentityException {
        ensureDirectory();
        NodeId id = loadOrCreateNodeId();
        Path certFile = dir.resolve(CERT_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        boolean haveCert = Files.exists(certFile);
        boolean haveKey = Files.exists(keyFile);
        if (haveCert && haveKey) {
            NodeIdentity identity = new NodeIdentity(id, readCertificate(certFile), readKey(keyFile));
            checkPair(identity, keyFile);
            return identity;
        }
        if (haveCert || haveKey) {
            // Half a pair is useless; a new pair only changes the fingerprint peers learn by signaling.
            log.warn("state dir {}: {} without {}; making a new certificate and key", dir,
                    haveCert ? CERT_FILE : KEY_FILE, haveCert ? KEY_FILE : CERT_FILE);
        }
        try {
            SelfSignedCertificates certs = new SelfSignedCertificates(random);
            KeyPair keys = certs.newKeyPair();
            X509Certificate cert = certs.certify(id, keys, clock.instant());
            writeSecret(keyFile, Pem.encode(Pem.PRIVATE_KEY, keys.getPrivate().getEncoded()));
            writeSecret(certFile, Pem.encode(Pem.CERTIFICATE, cert.getEncoded()));
            NodeIdentity identity = new NodeIdentity(id, cert, keys.getPrivate());
            log.info("created node certificate in {}: {}", dir, identity.fingerprint());
            return identity;
        } catch (GeneralSecurityException e) {
            throw new IdentityException(certFile, "cannot create certificate: " + e.getMessage(), e);
        }
    }

    private void ensureDirectory() throws IdentityException {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_RWX));
                log.info("created state directory {}", dir);
            }
        } catch (IOException e) {
            throw new IdentityException(dir, "cannot create state directory: " + e, e);
        }
    }

    private NodeId loadOrCreateNodeId() throws IdentityException {
        Path file = dir.resolve(NODE_ID_FILE);
        if (Files.exists(file)) {
            String text = readSecret(file).trim();
            if (!HEX32.matcher(text).matches()) {
                throw new IdentityException(file, "does not hold a node ID of 32 lowercase hex digits; "
                        + "fix or delete it (deleting moves this node to a new place in every ring)", null);
            }
            return NodeId.parse(text);
        }
        byte[] b = new byte[NodeId.BYTES];
        random.nextBytes(b);
        NodeId id = NodeId.fromBytes(b, 0);
        writeSecret(file, (id + "\n").getBytes(StandardCharsets.US_ASCII));
        log.info("created node ID {} in {}", id, dir);
        return id;
    }

    private X509Certificate readCertificate(Path file) throws IdentityException {
        try {
            byte[] der = Pem.decode(Pem.CERTIFICATE, readSecret(file));
            X509Certificate cert = (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
            if (!(cert.getPublicKey() instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IdentityException(file, "certificate key is not ECDSA P-256", null);
            }
            return cert;
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IdentityException(file, "not a readable PEM certificate: " + e.getMessage(), e);
        }
    }

    private PrivateKey readKey(Path file) throws IdentityException {
        try {
            byte[] der = Pem.decode(Pem.PRIVATE_KEY, readSecret(file));
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IdentityException(file, "not a readable PKCS#8 EC private key: " + e.getMessage(), e);
        }
    }

    /** A signature round trip: the only sure test that the stored key belongs to the stored certificate. */
    private void checkPair(NodeIdentity identity, Path keyFile) throws IdentityException {
        try {
            byte[] challenge = new byte[32];
            random.nextBytes(challenge);
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initSign(identity.privateKey());
            s.update(challenge);
            byte[] sig = s.sign();
            s.initVerify(identity.certificate().getPublicKey());
            s.update(challenge);
            if (!s.verify(sig)) {
                throw new IdentityException(keyFile, "key does not belong to " + CERT_FILE
                        + "; delete both to make a new pair", null);
            }
        } catch (GeneralSecurityException e) {
            throw new IdentityException(keyFile, "cannot check key against certificate: " + e.getMessage(), e);
        }
    }

    private String readSecret(Path file) throws IdentityException {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (!OWNER_RW.containsAll(perms)) {
                log.warn("{} had mode {}; tightening to rw-------", file, PosixFilePermissions.toString(perms));
                Files.setPosixFilePermissions(file, OWNER_RW);
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IdentityException(file, "cannot read: " + e, e);
        }
    }

    private void writeSecret(Path file, byte[] content) throws IdentityException {
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(OWNER_RW));
            Files.write(tmp, content);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            try {
                if (tmp != null) {
                    Files.deleteIfExists(tmp);
                }
            } catch (IOException ignored) {
                // The temporary file is hidden and harmless; the write error below is what matters.
            }
            throw new IdentityException(file, "cannot write: " + e, e);
        }
    }
}
