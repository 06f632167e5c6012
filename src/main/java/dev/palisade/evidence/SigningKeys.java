package dev.palisade.evidence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Ed25519 keys in PEM (PKCS#8 private keys as {@code openssl genpkey -algorithm ed25519} writes them,
 * X.509 public keys as {@code openssl pkey -pubout} does), and signatures with the JDK's own Ed25519.
 * A signing key file holds both blocks: Java 17 cannot derive the public key from the private one, and
 * the pack must carry the public key its manifest is verified with.
 */
public final class SigningKeys {
    private SigningKeys() {}

    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this Java runtime has no Ed25519", e);
        }
    }

    public static String privatePem(PrivateKey key) {
        return pem("PRIVATE KEY", key.getEncoded());
    }

    public static String publicPem(PublicKey key) {
        return pem("PUBLIC KEY", key.getEncoded());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    /** A signing key file: the PKCS#8 private key and its public key, both in PEM. */
    public static KeyPair readPair(String pem) throws IOException {
        PrivateKey privateKey;
        try {
            privateKey =
                    KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException(
                    "not an Ed25519 private key (PKCS#8 PEM, as 'openssl genpkey -algorithm ed25519' writes)");
        }
        if (!pem.contains("-----BEGIN PUBLIC KEY-----")) {
            throw new IOException(
                    "the file holds no public key: append it with 'openssl pkey -in FILE -pubout >> FILE'");
        }
        PublicKey publicKey = readPublic(pem);
        byte[] probe = "palisade evidence key check".getBytes(StandardCharsets.US_ASCII);
        if (!verify(publicKey, probe, sign(privateKey, probe))) {
            throw new IOException("the public key in the file is not that of its private key");
        }
        return new KeyPair(publicKey, privateKey);
    }

    public static PublicKey readPublic(String pem) throws IOException {
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IOException("not an Ed25519 public key (PEM, as 'openssl pkey -pubout' writes)");
        }
    }

    private static byte[] der(String pem, String type) throws IOException {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IOException("no '" + begin + "' block");
        }
        try {
            return Base64.getMimeDecoder()
                    .decode(pem.substring(from + begin.length(), to).getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new IOException("the '" + type + "' block is not base64");
        }
    }

    public static byte[] sign(PrivateKey key, byte[] data) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with Ed25519", e);
        }
    }

    public static boolean verify(PublicKey key, byte[] data, byte[] signatureBytes) {
        try {
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update(data);
            return signature.verify(signatureBytes);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
