package dev.ksef.sync.auth.xades;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import javax.xml.XMLConstants;
import javax.xml.crypto.dom.DOMStructure;
import javax.xml.crypto.dsig.CanonicalizationMethod;
import javax.xml.crypto.dsig.DigestMethod;
import javax.xml.crypto.dsig.Reference;
import javax.xml.crypto.dsig.SignedInfo;
import javax.xml.crypto.dsig.Transform;
import javax.xml.crypto.dsig.XMLSignature;
import javax.xml.crypto.dsig.XMLSignatureFactory;
import javax.xml.crypto.dsig.dom.DOMSignContext;
import javax.xml.crypto.dsig.keyinfo.KeyInfoFactory;
import javax.xml.crypto.dsig.spec.C14NMethodParameterSpec;
import javax.xml.crypto.dsig.spec.TransformParameterSpec;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Signs an {@code AuthTokenRequest} in enveloped XAdES-BES as KSeF accepts it, with the JDK's XMLDSig API: exclusive
 * C14N, SHA-256 digests, RSA PKCS#1 v1.5 or ECDSA (r‖s, as XMLDSig 1.1 has it), a reference to the whole document
 * (enveloped-signature transform) and one to the {@code SignedProperties} holding {@code SigningTime} (now minus one
 * minute, against the server's clock skew) and {@code SigningCertificate} (SHA-256 of the certificate, issuer and
 * serial), the certificate in {@code KeyInfo}. Base64 values on one line; the bytes returned are the ones to post.
 */
public final class XadesSigner {

    public static final String XADES = "http://uri.etsi.org/01903/v1.3.2#";
    public static final String SIGNED_PROPERTIES_TYPE = "http://uri.etsi.org/01903#SignedProperties";
    static final String SIGNATURE_ID = "Signature-1";
    static final String SIGNED_PROPERTIES_ID = "SignedProperties-1";

    /**
     * How the signature is shaped. {@link #KSEF} is what this bundle sends; the others reproduce what other signers
     * produce (or what KSeF refuses), so a verifier can be tested against them.
     */
    public record Profile(String canonicalization, String digestMethod, String dsPrefix, boolean signingTimeFirst) {
        public static final Profile KSEF = new Profile(CanonicalizationMethod.EXCLUSIVE, DigestMethod.SHA256, "ds", true);
    }

    private static final Duration CLOCK_SKEW = Duration.ofMinutes(1);

    private final Clock clock;
    private final Profile profile;
    private final XMLSignatureFactory factory = XMLSignatureFactory.getInstance("DOM");

    public XadesSigner(Clock clock) {
        this(clock, Profile.KSEF);
    }

    public XadesSigner(Clock clock, Profile profile) {
        this.clock = clock;
        this.profile = profile;
    }

    /** Signs {@code document} in place and returns its serialized bytes (UTF-8, no indentation). */
    public byte[] sign(Document document, SigningCredential credential) {
        try {
            Element properties = qualifyingProperties(document, credential.certificate());
            Element signedProperties = (Element) properties.getFirstChild();
            DigestMethod digest = factory.newDigestMethod(profile.digestMethod(), null);
            Transform canonical = factory.newTransform(CanonicalizationMethod.EXCLUSIVE, (TransformParameterSpec) null);
            Reference wholeDocument = factory.newReference("", digest,
                    List.of(factory.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null), canonical), null, null);
            Reference propertiesReference = factory.newReference("#" + SIGNED_PROPERTIES_ID, digest, List.of(canonical),
                    SIGNED_PROPERTIES_TYPE, null);
            SignedInfo signedInfo = factory.newSignedInfo(
                    factory.newCanonicalizationMethod(profile.canonicalization(), (C14NMethodParameterSpec) null),
                    factory.newSignatureMethod(credential.signatureMethod(), null), List.of(wholeDocument, propertiesReference));
            KeyInfoFactory keys = factory.getKeyInfoFactory();
            XMLSignature signature = factory.newXMLSignature(signedInfo,
                    keys.newKeyInfo(List.of(keys.newX509Data(List.of(credential.certificate())))),
                    List.of(factory.newXMLObject(List.of(new DOMStructure(properties)), null, null, null)), SIGNATURE_ID, null);
            DOMSignContext context = new DOMSignContext(credential.privateKey(), document.getDocumentElement());
            if (!profile.dsPrefix().isEmpty()) {
                context.setDefaultNamespacePrefix(profile.dsPrefix());
            }
            context.setIdAttributeNS(signedProperties, null, "Id");
            signature.sign(context);
            unwrapBase64(document, "SignatureValue");
            unwrapBase64(document, "X509Certificate");
            return serialize(document);
        } catch (GeneralSecurityException | javax.xml.crypto.MarshalException | javax.xml.crypto.dsig.XMLSignatureException e) {
            throw new IllegalStateException("cannot sign the AuthTokenRequest with " + credential.keyDescription() + ": " + e.getMessage(), e);
        }
    }

    /** {@code xades:QualifyingProperties} with explicit namespace declarations (a verifier must see the same bytes). */
    private Element qualifyingProperties(Document document, X509Certificate certificate) throws GeneralSecurityException {
        Element qualifying = document.createElementNS(XADES, "xades:QualifyingProperties");
        qualifying.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, "xmlns:xades", XADES);
        String ds = profile.dsPrefix().isEmpty() ? "xmlns" : "xmlns:" + profile.dsPrefix();
        qualifying.setAttributeNS(XMLConstants.XMLNS_ATTRIBUTE_NS_URI, ds, XMLSignature.XMLNS);
        qualifying.setAttribute("Target", "#" + SIGNATURE_ID);
        Element signedProperties = child(qualifying, XADES, "xades:SignedProperties");
        signedProperties.setAttribute("Id", SIGNED_PROPERTIES_ID);
        Element signatureProperties = child(signedProperties, XADES, "xades:SignedSignatureProperties");

        Element signingTime = document.createElementNS(XADES, "xades:SigningTime");
        Instant signedAt = clock.instant().minus(CLOCK_SKEW).truncatedTo(ChronoUnit.SECONDS);
        signingTime.setTextContent(DateTimeFormatter.ISO_INSTANT.format(signedAt));
        Element signingCertificate = document.createElementNS(XADES, "xades:SigningCertificate");
        Element cert = child(signingCertificate, XADES, "xades:Cert");
        Element certDigest = child(cert, XADES, "xades:CertDigest");
        child(certDigest, XMLSignature.XMLNS, ds("DigestMethod")).setAttribute("Algorithm", profile.digestMethod());
        child(certDigest, XMLSignature.XMLNS, ds("DigestValue")).setTextContent(
                Base64.getEncoder().encodeToString(MessageDigest.getInstance(javaDigest(profile.digestMethod())).digest(certificate.getEncoded())));
        Element issuerSerial = child(cert, XADES, "xades:IssuerSerial");
        child(issuerSerial, XMLSignature.XMLNS, ds("X509IssuerName")).setTextContent(certificate.getIssuerX500Principal().getName(X500Principal.RFC2253));
        child(issuerSerial, XMLSignature.XMLNS, ds("X509SerialNumber")).setTextContent(certificate.getSerialNumber().toString());
        signatureProperties.appendChild(profile.signingTimeFirst() ? signingTime : signingCertificate);
        signatureProperties.appendChild(profile.signingTimeFirst() ? signingCertificate : signingTime);
        return qualifying;
    }

    private String ds(String name) {
        return profile.dsPrefix().isEmpty() ? name : profile.dsPrefix() + ":" + name;
    }

    private static Element child(Element parent, String namespace, String qualifiedName) {
        Element child = parent.getOwnerDocument().createElementNS(namespace, qualifiedName);
        parent.appendChild(child);
        return child;
    }

    static String javaDigest(String uri) {
        return switch (uri) {
            case DigestMethod.SHA256 -> "SHA-256";
            case DigestMethod.SHA384 -> "SHA-384";
            case DigestMethod.SHA512 -> "SHA-512";
            case DigestMethod.SHA1 -> "SHA-1";
            default -> throw new IllegalArgumentException("unsupported digest " + uri);
        };
    }

    /** The JDK wraps base64 at 76 characters (CR serialized as {@code &#13;}); neither element is covered by a digest. */
    private static void unwrapBase64(Document document, String localName) {
        NodeList nodes = document.getElementsByTagNameNS(XMLSignature.XMLNS, localName);
        for (int i = 0; i < nodes.getLength(); i++) {
            nodes.item(i).setTextContent(nodes.item(i).getTextContent().replaceAll("\\s", ""));
        }
    }

    private static byte[] serialize(Document document) {
        try {
            var transformer = TransformerFactory.newInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty(OutputKeys.INDENT, "no");
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            transformer.transform(new DOMSource(document), new StreamResult(out));
            return out.toByteArray();
        } catch (javax.xml.transform.TransformerException e) {
            throw new IllegalStateException("cannot serialize the signed AuthTokenRequest", e);
        }
    }
}
