package dev.ksef.sync.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.KsefConfigurationException;
import dev.ksef.sync.tenant.Tenant.Credential;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class TenantTest {

    @Test
    void aTenantKeepsItsValuesInKsefOrderAndNeverShowsItsSealedToken() {
        Tenant tenant = Tenant.of(" 5265877635 ", " Biuro  ", List.of("Subject2", "Subject1"), Credential.TOKEN, "c2VhbGVk",
                Map.of("SubjectAuthorized", "0 40 3 * * ?", "Subject1", " 0 0/5 * * * ? "), "2026-01-01T00:00:00Z");
        assertEquals("5265877635", tenant.nip());
        assertEquals("Biuro", tenant.name());
        assertTrue(tenant.enabled());
        assertEquals(List.of("Subject1", "Subject2"), tenant.subjectTypes());
        assertEquals(List.of("Subject1", "SubjectAuthorized"), List.copyOf(tenant.crons().keySet()));
        assertEquals("0 0/5 * * * ?", tenant.cron("Subject1").orElseThrow());
        assertTrue(tenant.cron("Subject2").isEmpty());
        assertFalse(tenant.toString().contains("c2VhbGVk"), tenant.toString());
        assertFalse(tenant.withEnabled(false).enabled());
    }

    @Test
    void eachMistakeIsOneLineShowingTheValue() {
        fails("'526587763' is not a NIP (ten digits with a valid checksum)", () -> Tenant.requireNip("526587763"));
        fails("'5265877636' is not a NIP", () -> Tenant.requireNip("5265877636"));
        fails("no NIP given", () -> Tenant.requireNip(" "));
        fails("unknown subject type 'subject1': use one or more of Subject1, Subject2, Subject3, SubjectAuthorized",
                () -> Tenant.parseSubjectTypes("Subject2,subject1"));
        fails("subject type Subject2 is named twice", () -> Tenant.parseSubjectTypes("Subject2;Subject2"));
        fails("no subject type given", () -> Tenant.parseSubjectTypes(" , "));
        fails("initial-from 'last month' is neither an ISO-8601 instant", () -> Tenant.requireInitialFrom("last month"));
        fails("initial-from '-P1D' is neither", () -> Tenant.requireInitialFrom("-P1D"));
        fails("cron '0 0/15 * * *' is not a Quartz cron expression", () -> Tenant.requireCron("0 0/15 * * *"));
        fails("cron override names an unknown subject type 'Buyer'", () -> Tenant.parseCronOverride("Buyer=0 0 * * * ?"));
        fails("cron override '0 0 * * * ?' must be <SubjectType>=<cron>", () -> Tenant.parseCronOverride("0 0 * * * ?"));
        fails("the name 'a?b' must be one line", () -> Tenant.requireName("a\nb"));
        fails("credential must be token or certificate, not 'password'", () -> Credential.of("password"));
        fails("tenant 5265877635 logs in with a token but has none stored",
                () -> Tenant.of("5265877635", null, List.of("Subject1"), Credential.TOKEN, null, Map.of(), null));
        fails("tenant 5265877635 logs in with the certificate and keeps no token",
                () -> Tenant.of("5265877635", null, List.of("Subject1"), Credential.CERTIFICATE, "x", Map.of(), null));
        fails("a cron names an unknown subject type 'Subject4'",
                () -> Tenant.of("5265877635", null, List.of("Subject1"), Credential.CERTIFICATE, null, Map.of("Subject4", "0 0 * * * ?"), null));
    }

    @Test
    void validInputsPassAsWritten() {
        assertEquals(List.of("Subject1", "Subject3", "SubjectAuthorized"), Tenant.parseSubjectTypes("SubjectAuthorized, Subject3;Subject1"));
        assertEquals("P30D", Tenant.requireInitialFrom(" P30D "));
        assertEquals("2026-02-01T00:00:00+01:00", Tenant.requireInitialFrom("2026-02-01T00:00:00+01:00"));
        assertNull(Tenant.requireInitialFrom(""));
        assertNull(Tenant.requireName("  "));
        assertEquals(Map.entry("Subject3", "0 20 2 * * ?"), Tenant.parseCronOverride("Subject3 = 0 20 2 * * ?"));
        assertEquals(Credential.CERTIFICATE, Credential.of("certificate"));
    }

    private static void fails(String expected, Executable call) {
        KsefConfigurationException e = assertThrows(KsefConfigurationException.class, call);
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
