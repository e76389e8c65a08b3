package dev.ksef.sync.auth;

import dev.ksef.sync.crypto.KeySeal;

/**
 * The KSeF context the bundle syncs: the API it calls, the context's NIP ({@code ContextIdentifier}), the credential
 * that logs in to it, and the store key sealing its exports' keys (from {@code ksef.store.key}, or derived from the
 * credential).
 */
public record KsefContext(String baseUrl, String nip, LoginCredential credential, KeySeal keySeal) {

    @Override
    public String toString() {
        return "KsefContext[" + baseUrl + ", nip=" + nip + ", " + credential + "]";
    }
}
