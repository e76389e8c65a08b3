package dev.ksef.sync.api;

/** {@code EncryptionInfo}: the RSA-wrapped AES key, the IV (both base64) and the id of the key that wrapped it. */
public record EncryptionInfo(String encryptedSymmetricKey, String initializationVector, String publicKeyId) {
}
