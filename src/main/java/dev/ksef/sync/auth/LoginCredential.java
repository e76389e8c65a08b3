package dev.ksef.sync.auth;

import dev.ksef.sync.auth.xades.SigningCredential;
import java.nio.charset.StandardCharsets;

/**
 * What this process logs in to KSeF with: a KSeF token (valid for one context), or a certificate that signs a XAdES
 * {@code AuthTokenRequest} (a KSeF certificate of type Authentication, a qualified seal or signature, or on TEST a
 * self-signed one), which serves every context its subject was granted. Neither is ever printed.
 */
public sealed interface LoginCredential {

    /** {@code token} or {@code certificate}: the route's choice of login. */
    String method();

    /** Secret bytes the store key is derived from when {@code ksef.store.key} is not set. */
    byte[] storeKeyMaterial();

    record Token(String ksefToken) implements LoginCredential {
        @Override
        public String method() {
            return "token";
        }

        @Override
        public byte[] storeKeyMaterial() {
            return ksefToken.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return "Token[***]";
        }
    }

    /**
     * @param subjectIdentifierType  {@code certificateSubject} or {@code certificateFingerprint}
     * @param verifyCertificateChain sent as {@code verifyCertificateChain} when not null ({@code false} lets KSeF TEST
     *                               accept a self-signed certificate)
     */
    record Certificate(SigningCredential signing, String subjectIdentifierType, Boolean verifyCertificateChain) implements LoginCredential {
        @Override
        public String method() {
            return "certificate";
        }

        @Override
        public byte[] storeKeyMaterial() {
            return signing.privateKey().getEncoded();
        }

        @Override
        public String toString() {
            return "Certificate[" + signing + ", " + subjectIdentifierType + "]";
        }
    }
}
