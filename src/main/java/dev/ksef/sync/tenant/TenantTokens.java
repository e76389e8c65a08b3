package dev.ksef.sync.tenant;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.SettingsCheck;
import dev.ksef.sync.crypto.KeySeal;
import dev.ksef.sync.crypto.KsefCryptoException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Tenants' KSeF tokens at rest: AES-256-GCM under {@code ksef.store.key} ({@link KeySeal#sealSecret}), bound to the
 * tenant's NIP, so a sealed token copied to another tenant's row does not open. Only a configured store key seals
 * them (never one derived from a credential). Neither a token nor the key is ever shown in a message.
 */
public final class TenantTokens {

    static final String NO_STORE_KEY = "ksef.store.key is needed to store KSeF tokens of tenants (base64, 32 bytes; from KSEF_STORE_KEY)";
    private static final String NO_KEY_TO_OPEN = "ksef.store.key is needed to open the stored KSeF token of tenant %s, sealed with it "
            + "(base64, 32 bytes; from KSEF_STORE_KEY)";
    static final int MAX_TOKEN = 1000;

    private final KeySeal seal;

    /** @param storeKey {@code ksef.store.key}, or blank when none is set (then only certificate tenants work) */
    public TenantTokens(String storeKey) {
        SettingsCheck.storeKey(storeKey);
        this.seal = storeKey == null || storeKey.isBlank() ? null : KeySeal.of(storeKey.strip());
    }

    /** The associated data that binds a sealed token to its tenant. */
    static String aad(String nip) {
        return "ksef-tenant-token:" + nip;
    }

    /** {@code token} sealed for the tenant {@code nip}. */
    public String seal(String nip, String token) {
        String value = token == null ? "" : token.strip();
        if (value.isEmpty()) {
            throw new KsefConfigurationException("the KSeF token of tenant " + nip + " is empty");
        }
        if (value.length() > MAX_TOKEN || value.chars().anyMatch(Character::isISOControl)) {
            throw new KsefConfigurationException("the KSeF token of tenant " + nip + " is not one line of at most " + MAX_TOKEN + " characters");
        }
        byte[] secret = value.getBytes(StandardCharsets.UTF_8);
        try {
            return required(NO_STORE_KEY).sealSecret(secret, aad(nip));
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    /** The KSeF token of a tenant that logs in with one. */
    public String open(Tenant tenant) {
        if (tenant.credential() != Tenant.Credential.TOKEN) {
            throw new IllegalArgumentException("tenant " + tenant.nip() + " logs in with the certificate, not a token");
        }
        return open(tenant.nip(), tenant.sealedToken());
    }

    /** The KSeF token sealed for {@code nip}. */
    public String open(String nip, String sealedToken) {
        KeySeal key = required(String.format(NO_KEY_TO_OPEN, nip));
        byte[] secret = null;
        try {
            secret = key.openSecret(sealedToken, aad(nip));
            return new String(secret, StandardCharsets.UTF_8);
        } catch (KsefCryptoException e) {
            throw new KsefConfigurationException("the token of tenant " + nip + " does not open with the current ksef.store.key");
        } finally {
            if (secret != null) {
                Arrays.fill(secret, (byte) 0);
            }
        }
    }

    private KeySeal required(String missing) {
        if (seal == null) {
            throw new KsefConfigurationException(missing);
        }
        return seal;
    }
}
