package dev.ksef.sync.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Base64;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class KeySealTest {

    private static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final byte[] IV = HexFormat.of().parseHex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");

    @Test
    void aSealedKeyOpensOnlyForItsExportAndStoreKeyAndNeverShowsTheKey() {
        KeySeal seal = KeySeal.of("", "ksef-token-1");
        String sealed = seal.seal(new EncryptionData(KEY, IV, null), "20261122-EH-1");
        assertFalse(sealed.contains(Base64.getEncoder().encodeToString(KEY)));
        assertFalse(new String(Base64.getDecoder().decode(sealed), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains(new String(KEY, java.nio.charset.StandardCharsets.ISO_8859_1)));

        EncryptionData opened = KeySeal.of("", "ksef-token-1").open(sealed, "20261122-EH-1");
        assertArrayEquals(KEY, opened.keyBytes());
        assertArrayEquals(IV, opened.iv());

        assertThrows(KsefCryptoException.class, () -> seal.open(sealed, "20261122-EH-2"), "bound to its reference number");
        assertThrows(KsefCryptoException.class, () -> KeySeal.of("", "another-token").open(sealed, "20261122-EH-1"), "another store key");
        String configured = Base64.getEncoder().encodeToString(new byte[32]);
        assertThrows(KsefCryptoException.class, () -> KeySeal.of(configured, "ksef-token-1").open(sealed, "20261122-EH-1"));
        assertThrows(IllegalArgumentException.class, () -> KeySeal.of("c2hvcnQ=", "t"), "a configured key must be 32 bytes");
    }
}
