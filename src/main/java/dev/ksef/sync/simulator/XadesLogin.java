package dev.ksef.sync.simulator;

import dev.ksef.sync.api.ContextIdentifier;
import dev.ksef.sync.auth.xades.SigningCredential;
import dev.ksef.sync.auth.xades.XadesVerificationException;
import dev.ksef.sync.auth.xades.XadesVerifier;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * One submission to KSeF's {@code POST /auth/xades-signature}, checked in KSeF's order, the first failure winning:
 * media type (HTTP 415), size (21405), strict UTF-8 without BOM (21217), well-formed XML without DOCTYPE (21001), an
 * {@code AuthTokenRequest} with one enveloped signature (9101, 9102, 9103), the schema without the signature (21401),
 * the signature ({@link XadesVerifier}, 9105), the certificate profile under {@code certificateSubject} (21115), the
 * challenge (21111), the subject identifier (21406) and the context identifier (21117). An accepted submission uses
 * its challenge up. Challenge and context are read from the signed root only.
 */
public final class XadesLogin {

    /** The body size the simulator reads at most; KSeF's own limit is undocumented, a login document is about 4 KB. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    private static final Pattern XML_DECLARATION = Pattern.compile("^<\\?xml[^>]*?\\bencoding\\s*=\\s*[\"']([^\"']*)[\"']");

    /** A submission KSeF would answer with 202: what the asynchronous part of the login goes on with. */
    public record Accepted(String challenge, ContextIdentifier context, String subjectIdentifierType,
                           CertificateSubject.Identifier subject, boolean seal, X509Certificate certificate, OffsetDateTime signingTime) {
    }

    /** The request's {@code Content-Type} is not {@code application/xml}: HTTP 415 without a KSeF error code. */
    public static final class UnsupportedMediaType extends RuntimeException {
        UnsupportedMediaType(String contentType) {
            super("Content-Type " + contentType + " is not application/xml");
        }
    }

    private final Challenges challenges;
    private final Supplier<OffsetDateTime> clock;
    private final XadesVerifier verifier = new XadesVerifier();

    /** Checks challenges against {@code challenges} at the time {@code clock} tells. */
    public XadesLogin(Challenges challenges, Supplier<OffsetDateTime> clock) {
        this.challenges = challenges;
        this.clock = clock;
    }

    /**
     * Checks one submission.
     *
     * @throws UnsupportedMediaType for another media type
     * @throws XadesVerificationException with KSeF's 400 code otherwise
     */
    public Accepted submit(String contentType, byte[] body) {
        if (!isXml(contentType)) {
            throw new UnsupportedMediaType(contentType);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new XadesVerificationException(21405, "Błąd walidacji danych wejściowych.",
                    "Dokument jest większy niż " + MAX_BODY_BYTES + " bajtów.");
        }
        requireUtf8(body);
        Document document = XadesVerifier.parse(body);
        XadesVerifier.envelope(document);
        AuthTokenRequestSchema.validate(document.getDocumentElement());
        XadesVerifier.Verified verified = verifier.verify(document);
        Element request = verified.request();
        boolean bySubject = "certificateSubject".equals(text(request, "SubjectIdentifierType"));
        CertificateSubject subject = CertificateSubject.of(verified.certificate());
        if (bySubject && !subject.meetsProfile()) {
            throw new XadesVerificationException(21115, "Nieprawidłowy certyfikat.",
                    "Podmiot certyfikatu nie zawiera atrybutów wymaganych dla pieczęci lub podpisu kwalifikowanego.");
        }
        String challenge = text(request, "Challenge");
        if (!challenges.isUsable(challenge, clock.get())) {
            throw invalidChallenge(challenge);
        }
        CertificateSubject.Identifier identifier = bySubject ? subject.identifier()
                : new CertificateSubject.Identifier("Fingerprint", SigningCredential.fingerprint(verified.certificate()));
        if (identifier == null) {
            throw new XadesVerificationException(21406, "Konflikt podpisu i typu uwierzytelnienia.",
                    "Certyfikat nie zawiera identyfikatora NIP ani PESEL.");
        }
        ContextIdentifier context = context(request);
        if (!validFor(context)) {
            throw new XadesVerificationException(21117, "Nieprawidłowy identyfikator podmiotu dla wskazanego typu kontekstu.",
                    context.type() + " " + context.value());
        }
        if (!challenges.consume(challenge)) {
            throw invalidChallenge(challenge);
        }
        return new Accepted(challenge, context, bySubject ? "certificateSubject" : "certificateFingerprint", identifier,
                subject.seal(), verified.certificate(), verified.signingTime());
    }

    /** {@code application/xml}, optionally with {@code charset=utf-8}. */
    static boolean isXml(String contentType) {
        if (contentType == null) {
            return false;
        }
        String[] parts = contentType.split(";");
        if (!parts[0].strip().equalsIgnoreCase("application/xml")) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip().toLowerCase(Locale.ROOT).replace("\"", "");
            if (!parameter.equals("charset=utf-8")) {
                return false;
            }
        }
        return true;
    }

    private static void requireUtf8(byte[] body) {
        if (body.length >= 3 && (body[0] & 0xFF) == 0xEF && (body[1] & 0xFF) == 0xBB && (body[2] & 0xFF) == 0xBF) {
            throw badEncoding("Dokument zaczyna się znacznikiem BOM.");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(body)).toString();
        } catch (CharacterCodingException e) {
            throw badEncoding("Treść nie jest poprawnie zakodowana w UTF-8.");
        }
        Matcher declaration = XML_DECLARATION.matcher(text);
        if (declaration.find() && !declaration.group(1).equalsIgnoreCase("UTF-8")) {
            throw badEncoding("Zadeklarowane kodowanie " + declaration.group(1) + " zamiast UTF-8.");
        }
    }

    private static XadesVerificationException badEncoding(String detail) {
        return new XadesVerificationException(21217, "Nieprawidłowe kodowanie znaków.", detail);
    }

    private static XadesVerificationException invalidChallenge(String challenge) {
        return new XadesVerificationException(21111, "Nieprawidłowe wyzwanie autoryzacyjne.",
                "Wyzwanie " + challenge + " jest nieznane, wygasło lub zostało już użyte.");
    }

    /** The context the schema lets through: one of {@code Nip}, {@code InternalId}, {@code NipVatUe}, {@code PeppolId}. */
    private static ContextIdentifier context(Element request) {
        Element holder = child(request, "ContextIdentifier");
        for (Node n = holder.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                return new ContextIdentifier(e.getLocalName(), e.getTextContent().strip());
            }
        }
        throw new IllegalStateException("the schema requires a context identifier");
    }

    /**
     * The context passes its checksums: a NIP's; an InternalId's NIP and its own check digit; the NIP a NipVatUe
     * starts with. A Peppol id has none.
     */
    private static boolean validFor(ContextIdentifier context) {
        return switch (context.type()) {
            case "Nip" -> Nips.isValid(context.value());
            case "InternalId" -> Nips.isValidInternalId(context.value());
            case "NipVatUe" -> Nips.isValid(context.value().substring(0, 10));
            default -> true;
        };
    }

    private static String text(Element request, String name) {
        return child(request, name).getTextContent().strip();
    }

    /** A direct child of the signed root: never an element of that name hidden elsewhere, e.g. in a {@code ds:Object}. */
    private static Element child(Element request, String name) {
        for (Node n = request.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && name.equals(e.getLocalName()) && request.getNamespaceURI().equals(e.getNamespaceURI())) {
                return e;
            }
        }
        throw new IllegalStateException("the schema requires " + name);
    }
}
