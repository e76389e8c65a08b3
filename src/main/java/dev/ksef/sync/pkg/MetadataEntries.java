package dev.ksef.sync.pkg;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.TokenBuffer;
import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.api.KsefJson;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A package's {@code _metadata.json} read as a stream, never whole: {@link #ksefNumbers} scans it once for the listed
 * invoices (and whether it is JSON at all), then an instance hands out its {@code invoices} entries one at a time as
 * the batches need them. A 10,000-invoice package's metadata bound to objects at once takes about 16 MB of heap; this
 * way one batch's worth is held, as tokens: an entry is bound to {@link InvoiceMetadata} by {@link Listed#bind()} on
 * whichever thread checks its invoice, so binding runs on every core. An entry that does not bind (a wrong date, say)
 * spoils only its own invoice.
 */
final class MetadataEntries implements Closeable {

    /** One {@code invoices} entry: its metadata, or why it could not be read. */
    record Entry(InvoiceMetadata metadata, String problem) {
    }

    /** One {@code invoices} entry as read, not yet bound. */
    static final class Listed {
        private final TokenBuffer tokens;

        private Listed(TokenBuffer tokens) {
            this.tokens = tokens;
        }

        Entry bind() {
            try (JsonParser p = tokens.asParser(KsefJson.mapper())) {
                return new Entry(KsefJson.mapper().readValue(p, InvoiceMetadata.class), null);
            } catch (IOException e) {
                String message = e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
                return new Entry(null, "its " + dev.ksef.sync.api.InvoicePackageMetadata.FILE_NAME + " entry is unreadable: " + message);
            }
        }
    }

    private final JsonParser parser;

    MetadataEntries(InputStream metadataJson) throws IOException {
        parser = KsefJson.mapper().getFactory().createParser(metadataJson);
        if (!toInvoices(parser)) {
            throw new IOException("no invoices array");
        }
    }

    /**
     * The {@code ksefNumber} of every entry, in order (null where an entry has none); an {@link IOException} when the
     * file is not JSON or has no {@code invoices} array of objects.
     */
    static List<String> ksefNumbers(InputStream metadataJson) throws IOException {
        List<String> numbers = new ArrayList<>();
        try (JsonParser p = KsefJson.mapper().getFactory().createParser(metadataJson)) {
            if (!toInvoices(p)) {
                throw new IOException("no invoices array");
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.START_OBJECT) {
                String number = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String field = p.currentName();
                    if (p.nextToken() == JsonToken.VALUE_STRING && field.equals("ksefNumber")) {
                        number = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
                numbers.add(number);
            }
            if (token != JsonToken.END_ARRAY) {
                throw new IOException("an invoices entry is not an object");
            }
        }
        return numbers;
    }

    /** The next entry; the caller asks for exactly as many as {@link #ksefNumbers} counted. */
    Listed next() throws IOException {
        if (parser.nextToken() != JsonToken.START_OBJECT) {
            throw new IOException("_metadata.json changed while read");
        }
        return new Listed(TokenBuffer.asCopyOfValue(parser));
    }

    /** Moves {@code p} to just inside the top-level {@code invoices} array; false when there is none. */
    private static boolean toInvoices(JsonParser p) throws IOException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            return false;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            if (field.equals("invoices") && value == JsonToken.START_ARRAY) {
                return true;
            }
            p.skipChildren();
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
