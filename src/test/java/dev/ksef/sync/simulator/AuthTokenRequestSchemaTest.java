package dev.ksef.sync.simulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ksef.sync.auth.xades.XadesVerificationException;
import dev.ksef.sync.auth.xades.XadesVerifier;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.w3c.dom.Element;

/**
 * Our own {@code auth-token-request.xsd} in both namespaces: the documented identifiers, IP policy and enumeration
 * pass, and the values KSeF's published patterns would wrongly let through or refuse (their {@code ^}/{@code $}) behave
 * as KSeF means them.
 */
class AuthTokenRequestSchemaTest {

    private static final String CHALLENGE = "<Challenge>20250625-CR-20F5EE4000-DA48AE4124-46</Challenge>";
    private static final String SUBJECT = "<SubjectIdentifierType>certificateSubject</SubjectIdentifierType>";

    private static Element request(String namespace, String inside) {
        String xml = "<AuthTokenRequest xmlns=\"" + namespace + "\">" + inside
                + "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\" Id=\"s\"/></AuthTokenRequest>";
        return XadesVerifier.parse(xml.getBytes(StandardCharsets.UTF_8)).getDocumentElement();
    }

    private static String context(String identifier) {
        return CHALLENGE + "<ContextIdentifier>" + identifier + "</ContextIdentifier>" + SUBJECT;
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<Nip>5265877635</Nip>",
            "<InternalId>5265877635-12345</InternalId>",
            "<NipVatUe>5265877635-ATU12345678</NipVatUe>",
            "<NipVatUe>5265877635-DE123456789</NipVatUe>",
            "<NipVatUe>5265877635-IE1234567WA</NipVatUe>",
            "<NipVatUe>5265877635-NL123456789B01</NipVatUe>",
            "<PeppolId>PPL123456</PeppolId>"})
    void documentedContextIdentifiersAreValidInBothNamespaces(String identifier) {
        AuthTokenRequestSchema.validate(request(XadesVerifier.AUTH_NAMESPACE_20, context(identifier)));
        AuthTokenRequestSchema.validate(request(XadesVerifier.AUTH_NAMESPACE_21, context(identifier)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<Nip>526587763</Nip>",
            "<Nip>0265877635</Nip>",
            "<Nip>5005877635</Nip>",
            "<InternalId>5265877635-1234</InternalId>",
            "<NipVatUe>5265877635-ATU12345678$</NipVatUe>",
            "<NipVatUe>5265877635-PL5265877635</NipVatUe>",
            "<PeppolId>^PPL123456$</PeppolId>",
            "<Nip>5265877635</Nip><InternalId>5265877635-12345</InternalId>",
            "<Pesel>12345678901</Pesel>"})
    void otherContextIdentifiersAreNot(String identifier) {
        XadesVerificationException e = assertThrows(XadesVerificationException.class,
                () -> AuthTokenRequestSchema.validate(request(XadesVerifier.AUTH_NAMESPACE_20, context(identifier))));
        assertEquals(21401, e.code());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<Ip4Address>192.168.0.1</Ip4Address><Ip4Range>10.0.0.1-10.0.0.20</Ip4Range><Ip4Mask>10.0.0.0/8</Ip4Mask>",
            "<Ip4Mask>0.0.0.0/0</Ip4Mask>",
            ""})
    void allowedIpsInSchemaOrder(String ips) {
        String policy = "<AuthorizationPolicy><AllowedIps>" + ips + "</AllowedIps></AuthorizationPolicy>";
        AuthTokenRequestSchema.validate(request(XadesVerifier.AUTH_NAMESPACE_21, context("<Nip>5265877635</Nip>") + policy));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<Ip4Mask>10.0.0.0/8</Ip4Mask><Ip4Address>192.168.0.1</Ip4Address>",
            "<Ip4Address>256.1.1.1</Ip4Address>",
            "<Ip4Address>01.1.1.1</Ip4Address>",
            "<Ip4Mask>10.0.0.0/33</Ip4Mask>",
            "<Ip4Range>10.0.0.1</Ip4Range>"})
    void malformedOrMisorderedAddressesAreNot(String ips) {
        String policy = "<AuthorizationPolicy><AllowedIps>" + ips + "</AllowedIps></AuthorizationPolicy>";
        assertEquals(21401, assertThrows(XadesVerificationException.class, () -> AuthTokenRequestSchema.validate(
                request(XadesVerifier.AUTH_NAMESPACE_21, context("<Nip>5265877635</Nip>") + policy))).code());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "<Challenge>20250625-CR-20F5EE4000-DA48AE4124-4</Challenge><ContextIdentifier><Nip>5265877635</Nip></ContextIdentifier>" + SUBJECT,
            "<Challenge>20250625-cr-20f5ee4000-da48ae4124-46</Challenge><ContextIdentifier><Nip>5265877635</Nip></ContextIdentifier>" + SUBJECT,
            CHALLENGE + "<ContextIdentifier><Nip>5265877635</Nip></ContextIdentifier><SubjectIdentifierType>certificate</SubjectIdentifierType>",
            "<ContextIdentifier><Nip>5265877635</Nip></ContextIdentifier>" + CHALLENGE + SUBJECT,
            CHALLENGE + "<ContextIdentifier><Nip>5265877635</Nip></ContextIdentifier>"})
    void challengeSubjectTypeAndOrderAreChecked(String inside) {
        assertEquals(21401, assertThrows(XadesVerificationException.class,
                () -> AuthTokenRequestSchema.validate(request(XadesVerifier.AUTH_NAMESPACE_20, inside))).code());
    }
}
