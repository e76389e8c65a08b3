package dev.ksef.sync.crypto;

import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.MGF1ParameterSpec;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;

/**
 * RSA-OAEP exactly as KSeF requires it: SHA-256 digest AND MGF1 with SHA-256, empty label.
 * The parameters are passed explicitly because SunJCE's "OAEPWithSHA-256AndMGF1Padding" uses MGF1-SHA-1,
 * which KSeF rejects (export status 415, auth status 450).
 */
public final class RsaOaep {

    public static final OAEPParameterSpec KSEF_OAEP =
            new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT);

    private RsaOaep() {
    }

    public static byte[] encrypt(PublicKey key, byte[] plain) {
        return run(Cipher.ENCRYPT_MODE, key, plain);
    }

    public static byte[] decrypt(PrivateKey key, byte[] encrypted) {
        return run(Cipher.DECRYPT_MODE, key, encrypted);
    }

    private static byte[] run(int mode, java.security.Key key, byte[] input) {
        try {
            Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPPadding");
            cipher.init(mode, key, KSEF_OAEP);
            return cipher.doFinal(input);
        } catch (GeneralSecurityException e) {
            throw new KsefCryptoException("RSA-OAEP " + (mode == Cipher.ENCRYPT_MODE ? "encryption" : "decryption")
                    + " failed: " + e.getClass().getSimpleName(), e);
        }
    }
}
