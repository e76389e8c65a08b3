package dev.ksef.sync.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ksef.sync.Secrets;
import dev.ksef.sync.tenant.TenantTokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tenant ...} in-process on an H2 data directory: what it prints, what it stores, and that no token shows. */
class TenantCommandTest {

    private static final String A = "5265877635";
    private static final String B = "7010004380";
    private static final String C = "1132191233";
    private static final String STORE_KEY = Base64.getEncoder().encodeToString("tenant-command-test-store-key-32b".substring(0, 32).getBytes());
    private static final String TOKEN = "20260101-EC-ABCDEF0123-0123456789|nip-5265877635|a1b2c3d4e5f6";

    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    private final Map<String, String> settings = new HashMap<>(Map.of("ksef.subject-types", "Subject1,Subject2,Subject3,SubjectAuthorized"));
    private Map<String, String> secrets = Map.of("ksef.store.key", STORE_KEY);

    @Test
    void addListDisableEnableRemoveWithTheTokenSealedAndNeverShown() throws Exception {
        settings.put("ksef.data-dir", dir.resolve("data").toString());
        Path tokenFile = Files.writeString(dir.resolve("token.txt"), TOKEN + "\nsecond line ignored\n");
        Run added = run("add", "--nip", A, "--name", "Biuro Kowalski", "--token-file", tokenFile.toString(), "--subject-types", "Subject2,Subject1",
                "--initial-from", "P90D", "--cron", "Subject1=0 0/5 * * * ?");
        assertEquals(0, added.exit(), added.err());
        assertEquals("added tenant 5265877635 (Biuro Kowalski): Subject1,Subject2, credential token, initial-from P90D, cron {Subject1=0 0/5 * * * ?}\n",
                added.out());

        Map<String, Object> row = row(A);
        String sealed = (String) row.get("SEALED_TOKEN");
        assertFalse(sealed.contains(TOKEN) || sealed.contains("a1b2c3d4e5f6"), "sealed, not in clear");
        assertEquals(TOKEN, new TenantTokens(STORE_KEY).open(A, sealed));
        assertEquals("Subject1,Subject2", row.get("SUBJECT_TYPES"));
        assertEquals("token", row.get("CREDENTIAL"));
        assertEquals("0 0/5 * * * ?", row.get("CRON_SUBJECT1"));

        settings.put("ksef.auth.certificate", dir.resolve("office.p12").toString());
        assertEquals(0, run("add", "--nip", B).exit(), "the configured certificate when no credential is named");
        assertEquals("certificate", row(B).get("CREDENTIAL"));
        assertEquals(null, row(B).get("SEALED_TOKEN"));
        assertEquals("Subject1,Subject2,Subject3,SubjectAuthorized", row(B).get("SUBJECT_TYPES"), "ksef.subject-types");

        Run list = run("list");
        assertEquals(List.of(List.of("NIP", "NAME", "ENABLED", "SUBJECT TYPES", "CREDENTIAL", "INITIAL FROM"),
                List.of(A, "Biuro Kowalski", "yes", "Subject1,Subject2", "token", "P90D"),
                List.of(B, "-", "yes", "Subject1,Subject2,Subject3,SubjectAuthorized", "certificate", "-")),
                list.out().lines().map(l -> List.of(l.split(" {2,}"))).toList(), list.out());
        assertEquals(1, list.out().lines().map(l -> l.indexOf(l.contains("NIP") ? "CREDENTIAL" : l.contains("token") ? "token" : "certificate"))
                .distinct().count(), "columns aligned: " + list.out());

        assertEquals("tenant 5265877635 disabled\n", run("disable", "--nip", A).out());
        assertEquals("tenant 5265877635 was already disabled\n", run("disable", "--nip", A).out());
        Run json = run("list", "--json");
        assertEquals(0, json.exit(), json.err());
        JsonNode tenants = new ObjectMapper().readTree(json.out());
        assertEquals(2, tenants.size());
        JsonNode first = tenants.get(0);
        assertEquals(A, first.get("nip").asText());
        assertEquals("Biuro Kowalski", first.get("name").asText());
        assertFalse(first.get("enabled").asBoolean());
        assertEquals("[\"Subject1\",\"Subject2\"]", first.get("subjectTypes").toString());
        assertEquals("token", first.get("credential").asText());
        assertEquals("P90D", first.get("initialFrom").asText());
        assertEquals("0 0/5 * * * ?", first.at("/crons/Subject1").asText());
        assertTrue(tenants.get(1).get("name").isNull());
        assertTrue(tenants.get(1).get("initialFrom").isNull());
        for (String output : List.of(added.out(), list.out(), json.out())) {
            assertFalse(output.contains(TOKEN) || output.contains(sealed) || output.contains("a1b2c3d4e5f6") || output.toLowerCase().contains("sealed"), output);
        }

        assertEquals("tenant 5265877635 enabled\n", run("enable", "--nip", A).out());
        Connection keep = DriverManager.getConnection(AppDatabase.defaultUrl(dir.resolve("data")), "sa", "");
        try (keep; Statement s = keep.createStatement()) {
            s.execute("INSERT INTO continuation_point (context_nip, subject_type, point, updated_at) VALUES ('" + A
                    + "', 'Subject1', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)");
        }
        Run removed = run("remove", "--nip", A);
        assertEquals("removed tenant 5265877635 (its continuation points, exports and delivered keys stay in the database)\n", removed.out());
        assertEquals(null, row(A));
        assertEquals(1L, ((Number) query("SELECT COUNT(*) AS N FROM continuation_point WHERE context_nip = '" + A + "'").get("N")).longValue());
        assertEquals(2, run("remove", "--nip", A).exit());
    }

    @Test
    void badInputIsOneLineWithExitCode2AndWritesNothing() throws Exception {
        Path data = dir.resolve("data");
        settings.put("ksef.data-dir", data.toString());
        Path tokenFile = Files.writeString(dir.resolve("token.txt"), TOKEN);
        mistake("tenant add --nip: '5265877636' is not a NIP (ten digits with a valid checksum)", "add", "--nip", "5265877636", "--token-file", tokenFile.toString());
        mistake("tenant add: --nip is missing", "add", "--token-file", tokenFile.toString());
        mistake("tenant add --subject-types: unknown subject type 'Buyer'", "add", "--nip", A, "--token-file", tokenFile.toString(), "--subject-types", "Subject1,Buyer");
        mistake("tenant add --token-file: cannot read " + dir.resolve("missing.txt") + " (NoSuchFileException)", "add", "--nip", A, "--token-file",
                dir.resolve("missing.txt").toString());
        mistake("tenant add --initial-from: initial-from 'yesterday' is neither", "add", "--nip", A, "--token-file", tokenFile.toString(), "--initial-from", "yesterday");
        mistake("tenant add --cron: cron '* *' is not a Quartz cron expression", "add", "--nip", A, "--token-file", tokenFile.toString(), "--cron", "Subject1=* *");
        mistake("tenant add: no credential: give --token-file <file>", "add", "--nip", A);
        mistake("tenant add --certificate: the certificate is ksef.auth.certificate, which is not set", "add", "--nip", A, "--certificate");
        mistake("tenant add: --token-file and --certificate", "add", "--nip", A, "--certificate", "--token-file", tokenFile.toString());
        mistake("tenant add: unknown option '--token'", "add", "--nip", A, "--token", TOKEN);
        mistake("tenant list: unknown option '--yaml'", "list", "--yaml");
        mistake("tenant: unknown command 'delete'; add, list, enable, disable, remove or import", "delete", "--nip", A);
        secrets = Map.of("ksef.store.key", "");
        mistake("ksef.store.key is needed to store KSeF tokens of tenants (base64, 32 bytes; from KSEF_STORE_KEY)", "add", "--nip", A, "--token-file",
                tokenFile.toString());
        assertFalse(Files.exists(data), "nothing opened or written");

        secrets = Map.of("ksef.store.key", STORE_KEY);
        assertEquals(0, run("add", "--nip", A, "--token-file", tokenFile.toString()).exit());
        mistake("tenant 5265877635 exists already (tenant import updates it, tenant remove removes it)", "add", "--nip", A, "--token-file", tokenFile.toString());
        mistake("tenant 7010004380 is unknown (tenant list shows the tenants)", "disable", "--nip", B);
        mistake("tenant remove --nip: '123' is not a NIP", "remove", "--nip", "123");
    }

    @Test
    void importAddsNewRowsUpdatesKnownOnesAndChecksEveryRowFirst() throws Exception {
        settings.put("ksef.data-dir", dir.resolve("data").toString());
        settings.put("ksef.auth.certificate", dir.resolve("office.p12").toString());
        assertEquals(0, run("add", "--nip", C, "--name", "Old name", "--subject-types", "Subject3", "--initial-from", "P10D").exit());
        assertEquals(0, run("disable", "--nip", C).exit());
        Files.createDirectories(dir.resolve("import/tokens"));
        Files.writeString(dir.resolve("import/tokens/a.txt"), TOKEN + "\n");
        Path csv = Files.writeString(dir.resolve("import/clients.csv"), """
                # clients of the office
                nip,name,token-file,certificate,subject-types,initial-from
                5265877635,"Kowalski, Biuro",tokens/a.txt,,Subject1;Subject2,2026-01-01T00:00:00Z
                7010004380,Nowak,,true,,
                1132191233,New name,,,,
                """);
        Run imported = run("import", csv.toString());
        assertEquals(0, imported.exit(), imported.err());
        assertEquals(List.of("line 3: added 5265877635 (Kowalski, Biuro): Subject1,Subject2, credential token, initial-from 2026-01-01T00:00:00Z",
                "line 4: added 7010004380 (Nowak): Subject1,Subject2,Subject3,SubjectAuthorized, credential certificate, initial-from default",
                "line 5: updated 1132191233 (New name): Subject3, credential certificate, initial-from P10D, disabled",
                csv + ": 2 added, 1 updated"), imported.out().lines().toList());
        assertEquals(TOKEN, new TenantTokens(STORE_KEY).open(A, (String) row(A).get("SEALED_TOKEN")), "token file relative to the CSV file");
        assertEquals(false, row(C).get("ENABLED"), "an update keeps the tenant disabled");

        Path bad = Files.writeString(dir.resolve("import/bad.csv"), "nip,name,subject-types\n" + B + ",Renamed,\n" + A + ",Renamed,Subject9\n");
        mistake(bad + " line 3, column subject-types: unknown subject type 'Subject9'", "import", bad.toString());
        assertEquals("Nowak", row(B).get("NAME"), "no row stored when one is wrong");
        Path noToken = Files.writeString(dir.resolve("import/no-token.csv"), "nip,token-file\n" + B + ",tokens/none.txt\n");
        mistake(noToken + " line 2, column token-file: cannot read " + dir.resolve("import/tokens/none.txt") + " (NoSuchFileException)", "import",
                noToken.toString());
    }

    private void mistake(String expected, String... args) {
        Run run = run(args);
        assertEquals(2, run.exit(), run.out() + run.err());
        assertEquals("", run.out());
        List<String> lines = run.err().lines().toList();
        assertEquals(1, lines.size(), run.err());
        assertTrue(lines.get(0).startsWith("ksef-camel-sync: " + expected), run.err());
        assertFalse(run.err().contains(TOKEN) || run.err().contains(STORE_KEY), run.err());
    }

    private Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = TenantCommand.run(List.of(args), settings::get, new Secrets(secrets), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private Map<String, Object> row(String nip) throws Exception {
        return query("SELECT * FROM ksef_tenant WHERE nip = '" + nip + "'");
    }

    private Map<String, Object> query(String sql) throws Exception {
        try (Connection c = DriverManager.getConnection(AppDatabase.defaultUrl(dir.resolve("data")), "sa", "");
             Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            if (!r.next()) {
                return null;
            }
            Map<String, Object> row = new HashMap<>();
            for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                row.put(r.getMetaData().getColumnLabel(i).toUpperCase(), r.getObject(i));
            }
            return row;
        }
    }
}
