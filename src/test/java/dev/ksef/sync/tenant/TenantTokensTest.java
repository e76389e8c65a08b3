package dev.ksef.sync.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ksef.sync.KsefConfigurationException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantTokensTest {

    static final String STORE_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
    private static final String TOKEN = "20260101-EC-0123456789-ABCDEF0123|nip-5265877635|secretpart";

    @Test
    void aTokenIsSealedForItsTenantAndOpensOnlyWithTheSameKeyAndNip() {
        TenantTokens tokens = new TenantTokens(STORE_KEY);
        String sealed = tokens.seal("5265877635", TOKEN);
        assertFalse(sealed.contains("secretpart") || new String(Base64.getDecoder().decode(sealed), java.nio.charset.StandardCharsets.ISO_8859_1)
                .contains("secretpart"));
        assertEquals(TOKEN, new TenantTokens(STORE_KEY).open("5265877635", sealed));
        Tenant tenant = Tenant.of("5265877635", null, List.of("Subject1"), Tenant.Credential.TOKEN, sealed, Map.of(), null);
        assertEquals(TOKEN, tokens.open(tenant));

        KsefConfigurationException otherNip = assertThrows(KsefConfigurationException.class, () -> tokens.open("7010004380", sealed));
        assertEquals("the token of tenant 7010004380 does not open with the current ksef.store.key", otherNip.getMessage());
        String otherKey = Base64.getEncoder().encodeToString(new byte[32]);
        KsefConfigurationException changed = assertThrows(KsefConfigurationException.class, () -> new TenantTokens(otherKey).open("5265877635", sealed));
        assertEquals("the token of tenant 5265877635 does not open with the current ksef.store.key", changed.getMessage());
    }

    @Test
    void withoutAStoreKeyNoTokenIsSealedOrOpened() {
        TenantTokens none = new TenantTokens("");
        KsefConfigurationException seal = assertThrows(KsefConfigurationException.class, () -> none.seal("5265877635", TOKEN));
        assertEquals("ksef.store.key is needed to store KSeF tokens of tenants (base64, 32 bytes; from KSEF_STORE_KEY)", seal.getMessage());
        assertEquals("ksef.store.key is needed to open the stored KSeF token of tenant 5265877635, sealed with it (base64, 32 bytes; "
                + "from KSEF_STORE_KEY)", assertThrows(KsefConfigurationException.class, () -> none.open("5265877635", "AAAA")).getMessage());
        KsefConfigurationException shortKey = assertThrows(KsefConfigurationException.class, () -> new TenantTokens("c2hvcnQ="));
        assertFalse(shortKey.getMessage().contains("c2hvcnQ="), "the key is not shown");
        assertThrows(KsefConfigurationException.class, () -> new TenantTokens(STORE_KEY).seal("5265877635", " "));
        assertThrows(KsefConfigurationException.class, () -> new TenantTokens(STORE_KEY).seal("5265877635", "two\nlines"));
    }
}
