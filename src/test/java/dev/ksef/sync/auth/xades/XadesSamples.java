package dev.ksef.sync.auth.xades;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two signed {@code AuthTokenRequest} samples of {@code src/test/resources/xades-samples/} (EU DSS with the official
 * Java SDK's settings, RSA; the JDK recipe, ECDSA) and the edits the negative tests make to them. Both were signed over
 * {@link #CHALLENGE} for context NIP {@link #NIP} by self-signed seals valid from 2026-11-29T22:4x for a year.
 */
public final class XadesSamples {

    public static final String DSS_RSA = "official-java-sdk-config-rsa.xml";
    public static final String JDK_ECDSA = "jdk-xmldsig-ecdsa.xml";
    public static final List<String> ALL = List.of(DSS_RSA, JDK_ECDSA);
    public static final String CHALLENGE = "20250625-CR-20F5EE4000-DA48AE4124-46";
    public static final String NIP = "5265877635";
    /** A time the samples' certificates are valid at, minutes after they were signed. */
    public static final OffsetDateTime SIGNED_AROUND = OffsetDateTime.parse("2026-11-30T00:00:00Z");

    private XadesSamples() {
    }

    public static byte[] bytes(String name) {
        try (InputStream in = XadesSamples.class.getResourceAsStream("/xades-samples/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    public static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code text} with the one occurrence of {@code from} replaced; fails when it occurs not exactly once. */
    public static String replaceOnce(String text, String from, String to) {
        int at = text.indexOf(from);
        if (at < 0 || text.indexOf(from, at + 1) >= 0) {
            throw new IllegalArgumentException("not exactly once: " + from);
        }
        return text.substring(0, at) + to + text.substring(at + from.length());
    }

    /** The {@code ds:Signature} element as written, from its start tag to its end tag. */
    public static String signature(String text) {
        return text.substring(text.indexOf("<ds:Signature "), text.indexOf("</ds:Signature>") + "</ds:Signature>".length());
    }

    /** The ECDSA {@code SignatureValue} (r‖s, 64 bytes) re-encoded as an ASN.1 DER SEQUENCE of two INTEGERs. */
    public static String withDerEcdsaValue(String text) {
        Matcher m = Pattern.compile("<ds:SignatureValue>([^<]+)</ds:SignatureValue>").matcher(text);
        if (!m.find()) {
            throw new IllegalArgumentException("no SignatureValue");
        }
        byte[] raw = Base64.getDecoder().decode(m.group(1));
        byte[] r = new BigInteger(1, Arrays.copyOfRange(raw, 0, raw.length / 2)).toByteArray();
        byte[] s = new BigInteger(1, Arrays.copyOfRange(raw, raw.length / 2, raw.length)).toByteArray();
        byte[] der = new byte[6 + r.length + s.length];
        der[0] = 0x30;
        der[1] = (byte) (4 + r.length + s.length);
        der[2] = 0x02;
        der[3] = (byte) r.length;
        System.arraycopy(r, 0, der, 4, r.length);
        der[4 + r.length] = 0x02;
        der[5 + r.length] = (byte) s.length;
        System.arraycopy(s, 0, der, 6 + r.length, s.length);
        return text.substring(0, m.start(1)) + Base64.getEncoder().encodeToString(der) + text.substring(m.end(1));
    }
}
