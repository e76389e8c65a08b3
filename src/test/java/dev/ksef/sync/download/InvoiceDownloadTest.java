package dev.ksef.sync.download;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ksef.sync.crypto.Sha256;
import java.nio.charset.StandardCharsets;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/** The XML KSeF returns is delivered only when its SHA-256 is the {@code x-ms-meta-hash} KSeF sent with it. */
class InvoiceDownloadTest {

    private static final byte[] XML = "<Faktura xmlns=\"http://crd.gov.pl/wzor/2025/06/25/13775/\"/>".getBytes(StandardCharsets.UTF_8);

    private final InvoiceDownload download = new InvoiceDownload();

    @Test
    void theXmlIsVerifiedAgainstXMsMetaHash() {
        assertArrayEquals(XML, download.verified(answer(XML, Sha256.base64(XML))));
        Exchange tampered = answer(XML, Sha256.base64("<other/>".getBytes(StandardCharsets.UTF_8)));
        InvoiceIntegrityException wrong = assertThrows(InvoiceIntegrityException.class, () -> download.verified(tampered));
        assertEquals("the SHA-256 of the XML KSeF sent (" + Sha256.base64(XML) + ") differs from its x-ms-meta-hash ("
                + Sha256.base64("<other/>".getBytes(StandardCharsets.UTF_8)) + ")", wrong.getMessage());
        assertEquals("KSeF sent no x-ms-meta-hash header, the XML cannot be verified",
                assertThrows(InvoiceIntegrityException.class, () -> download.verified(answer(XML, null))).getMessage());
    }

    @Test
    void aFailureIsOneLineWithKsefsCodes() {
        Exchange failed = answer(XML, null);
        failed.setProperty(InvoiceDownload.KSEF_NUMBER, "5265877635-20250826-0100001AF629-AF");
        failed.setProperty("ksefContextNip", "5265877635");
        failed.setProperty(Exchange.EXCEPTION_CAUGHT, new HttpOperationFailedException("http://127.0.0.1/v2/invoices/ksef/x", 400, "Bad Request",
                null, null, "{\"exception\":{\"exceptionDetailList\":[{\"exceptionCode\":21164,\"exceptionDescription\":"
                + "\"Faktura o podanym identyfikatorze nie istnieje.\",\"details\":[\"Nie znaleziona.\\nDruga linia\"]}]}}"));
        KsefCallException e = assertThrows(KsefCallException.class, () -> download.failed(failed));
        assertEquals("invoice 5265877635-20250826-0100001AF629-AF of context 5265877635: KSeF answered HTTP 400: 21164 Faktura o podanym "
                + "identyfikatorze nie istnieje. (Nie znaleziona. Druga linia)", e.getMessage());
    }

    private static Exchange answer(byte[] body, String hash) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setBody(body);
        if (hash != null) {
            exchange.getMessage().setHeader("x-ms-meta-hash", hash);
        }
        return exchange;
    }
}
