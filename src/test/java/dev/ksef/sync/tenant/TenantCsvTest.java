package dev.ksef.sync.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ksef.sync.KsefConfigurationException;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TenantCsvTest {

    @Test
    void readsQuotedFieldsAndSkipsCommentsAndBlankLines() throws Exception {
        List<TenantCsv.Row> rows = parse("""
                \uFEFF# clients of the office
                nip, name ,token-file,certificate,subject-types,initial-from,cron

                5265877635,"Kowalski, ""Biuro"" Sp. z o.o.",tokens/5265877635.txt,,Subject1;Subject2,P90D,
                  # a comment, indented
                7010004380,Nowak,,TRUE,"Subject2,SubjectAuthorized",2026-01-01T00:00:00Z,"Subject2=0 0 8,20 * * ?;SubjectAuthorized=0 40 3 * * ?"
                1132191233
                """);
        assertEquals(3, rows.size());
        TenantCsv.Row first = rows.get(0);
        assertEquals(4, first.line());
        assertEquals("5265877635", first.nip());
        assertEquals("Kowalski, \"Biuro\" Sp. z o.o.", first.name());
        assertEquals("tokens/5265877635.txt", first.tokenFile());
        assertFalse(first.certificate());
        assertEquals(List.of("Subject1", "Subject2"), first.subjectTypes());
        assertEquals("P90D", first.initialFrom());
        assertEquals(Map.of(), first.crons());

        TenantCsv.Row second = rows.get(1);
        assertEquals(6, second.line());
        assertTrue(second.certificate());
        assertNull(second.tokenFile());
        assertEquals(List.of("Subject2", "SubjectAuthorized"), second.subjectTypes());
        assertEquals(Map.of("Subject2", "0 0 8,20 * * ?", "SubjectAuthorized", "0 40 3 * * ?"), second.crons());

        TenantCsv.Row third = rows.get(2);
        assertEquals("1132191233", third.nip());
        assertNull(third.name());
        assertNull(third.subjectTypes(), "empty: the default");
        assertNull(third.initialFrom());
    }

    @Test
    void aMistakeNamesTheLineAndTheColumn() {
        String header = "nip,name,subject-types,initial-from,certificate,token-file\n";
        fails(header + "\n5265877635,A,Subject1\n5265877636,B\n", "clients.csv line 4, column nip: '5265877636' is not a NIP");
        fails(header + "5265877635,A,Subject1;Buyer\n", "clients.csv line 2, column subject-types: unknown subject type 'Buyer'");
        fails(header + "5265877635,A,,yesterday\n", "clients.csv line 2, column initial-from: initial-from 'yesterday' is neither");
        fails(header + "5265877635,A,,,yes\n", "clients.csv line 2, column certificate: must be true or false, not 'yes'");
        fails(header + "5265877635,A,,,true,t.txt\n", "clients.csv line 2, column token-file: a token file and certificate=true");
        fails(header + "5265877635,\"A\n", "clients.csv line 2, column name: a quote is not closed on this line");
        fails(header + "5265877635,A \"B\"\n", "clients.csv line 2, column name: a quote inside an unquoted field");
        fails(header + "5265877635,A,,,,,x\n", "clients.csv line 2: 7 fields, but the header names 6 columns");
        fails(header + "5265877635,A\n# again\n5265877635,B\n", "clients.csv line 4, column nip: 5265877635 is on line 2 already");
        fails("nip,cron\n5265877635,Subject1=0 0 * * *\n", "clients.csv line 2, column cron: cron '0 0 * * *' is not a Quartz cron expression");
        fails("nip,token\n", "clients.csv line 1: unknown column 'token' in the header: the columns are nip, name, token-file,");
        fails("name\nA\n", "clients.csv line 1: the header has no column nip");
        fails("# only a comment\n\n", "clients.csv has no header row");
    }

    @Test
    void aRowMakesANewTenantWithTheDefaultsOrChangesOnlyWhatItGivesOfAStoredOne() throws Exception {
        List<TenantCsv.Row> rows = parse("nip,name,cron\n5265877635,,Subject2=0 0 6 * * ?\n7010004380,Nowak,\n");
        Tenant stored = new Tenant("5265877635", "Kowalski", false, List.of("Subject1", "Subject2"), Tenant.Credential.TOKEN, "c2VhbGVk",
                Map.of("Subject1", "0 0/5 * * * ?"), "P60D", null, null);
        Tenant updated = rows.get(0).tenant(null, java.util.Optional.of(stored), List.of("Subject3"), false, "clients.csv");
        assertEquals(new Tenant("5265877635", "Kowalski", false, List.of("Subject1", "Subject2"), Tenant.Credential.TOKEN, "c2VhbGVk",
                Map.of("Subject1", "0 0/5 * * * ?", "Subject2", "0 0 6 * * ?"), "P60D", null, null), updated);

        Tenant added = rows.get(1).tenant(null, java.util.Optional.empty(), List.of("Subject3"), true, "clients.csv");
        assertEquals(Tenant.of("7010004380", "Nowak", List.of("Subject3"), Tenant.Credential.CERTIFICATE, null, Map.of(), null), added);
        KsefConfigurationException none = assertThrows(KsefConfigurationException.class,
                () -> rows.get(1).tenant(null, java.util.Optional.empty(), List.of("Subject3"), false, "clients.csv"));
        assertTrue(none.getMessage().startsWith("clients.csv line 3: no credential for new tenant 7010004380"), none.getMessage());
    }

    private static void fails(String csv, String expected) {
        KsefConfigurationException e = assertThrows(KsefConfigurationException.class, () -> parse(csv));
        assertTrue(e.getMessage().startsWith(expected), e.getMessage());
    }

    private static List<TenantCsv.Row> parse(String csv) throws Exception {
        return TenantCsv.parse("clients.csv", new StringReader(csv));
    }
}
