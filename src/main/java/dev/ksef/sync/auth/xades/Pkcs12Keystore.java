package dev.ksef.sync.auth.xades;

import static dev.ksef.sync.auth.xades.SigningCredentials.CERTIFICATE;
import static dev.ksef.sync.auth.xades.SigningCredentials.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.UnrecoverableKeyException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.Pfx;

/**
 * A PKCS#12 keystore ({@code .p12}/{@code .pfx}, told apart by its content) that holds exactly one private key and its
 * certificate, opened with one password for the keystore and the key; read with the JDK's own PKCS12 keystore, which
 * takes both the old (3DES/RC2) and the PBES2/AES protection that OpenSSL 3 and the JDK write.
 */
final class Pkcs12Keystore {

    private final Path file;
    private final KeyStore store;
    private final String alias;

    private Pkcs12Keystore(Path file, KeyStore store, String alias) {
        this.file = file;
        this.store = store;
        this.alias = alias;
    }

    /** Whether {@code content} is a DER PKCS#12 PFX (a SEQUENCE with version 3), not PEM and not a certificate. */
    static boolean isPkcs12(byte[] content) {
        if (content.length == 0 || content[0] != 0x30) {
            return false;
        }
        try {
            Pfx.getInstance(ASN1Primitive.fromByteArray(content));
            return true;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static Pkcs12Keystore open(Path file, byte[] content, char[] password) {
        KeyStore store;
        List<String> keyAliases = new ArrayList<>();
        try {
            store = KeyStore.getInstance("PKCS12");
            store.load(new ByteArrayInputStream(content), password);
            for (String alias : Collections.list(store.aliases())) {
                if (store.isKeyEntry(alias)) {
                    keyAliases.add(alias);
                }
            }
        } catch (IOException e) {
            if (e.getCause() instanceof UnrecoverableKeyException) {
                throw SigningCredentials.wrongPassword(file, e);
            }
            throw fail(CERTIFICATE + " " + file + " is a damaged PKCS#12 keystore: export it again with its key and certificate", e);
        } catch (GeneralSecurityException e) {
            throw fail(CERTIFICATE + " " + file + " is a PKCS#12 keystore this Java cannot read (" + e.getClass().getSimpleName()
                    + "): export it again with PBES2/AES protection", e);
        }
        if (keyAliases.size() != 1) {
            throw fail(CERTIFICATE + " " + file + " holds " + keyAliases.size() + " private keys " + keyAliases
                    + ": a keystore for KSeF login holds exactly one, the key of the Authentication certificate");
        }
        return new Pkcs12Keystore(file, store, keyAliases.get(0));
    }

    X509Certificate certificate() {
        try {
            if (store.getCertificate(alias) instanceof X509Certificate certificate) {
                return certificate;
            }
        } catch (GeneralSecurityException e) {
            // reported below
        }
        throw fail(CERTIFICATE + " " + file + " holds a private key without its certificate: export the key together with the certificate");
    }

    PrivateKey privateKey(char[] password) {
        try {
            return (PrivateKey) store.getKey(alias, password);
        } catch (UnrecoverableKeyException e) {
            throw SigningCredentials.wrongPassword(file, e);
        } catch (GeneralSecurityException e) {
            throw fail(CERTIFICATE + " " + file + ": the private key cannot be read (" + e.getClass().getSimpleName() + ")", e);
        }
    }
}
