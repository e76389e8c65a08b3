package dev.ksef.sync.simulator;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.security.auth.x500.X500Principal;

/**
 * The subject of a signing certificate as KSeF reads it for {@code certificateSubject}: a qualified <em>seal</em>
 * carries {@code organizationIdentifier} (2.5.4.97) with O, CN and C and no given name or surname, and names a NIP
 * ({@code VATPL...}); a qualified <em>signature</em> (a person) carries given name, surname, serialNumber (2.5.4.5),
 * CN and C, and names a PESEL ({@code PNOPL}/{@code PESEL}) or a NIP ({@code TINPL}/{@code NIP}) in the serial number.
 */
record CertificateSubject(boolean seal, Map<String, List<String>> attributes) {

    private static final Map<String, String> KEYWORDS = Map.of(
            "2.5.4.97", "ORGANIZATIONIDENTIFIER", "2.5.4.42", "GIVENNAME", "2.5.4.4", "SURNAME", "2.5.4.5", "SERIALNUMBER");
    private static final Pattern SEAL_NIP = Pattern.compile("(VATPL).*?(?<identifier>\\d{10})");
    private static final Pattern PERSON_PESEL = Pattern.compile("(PNOPL|PESEL).*?(?<identifier>\\d{11})");
    private static final Pattern PERSON_NIP = Pattern.compile("(TINPL|NIP).*?(?<identifier>\\d{10})");

    /** A subject identifier KSeF can hold permissions for: {@code Nip}, {@code Pesel} or {@code Fingerprint}. */
    record Identifier(String type, String value) {
    }

    static CertificateSubject of(X509Certificate certificate) {
        Map<String, List<String>> attributes = new HashMap<>();
        try {
            String name = certificate.getSubjectX500Principal().getName(X500Principal.RFC2253, KEYWORDS);
            for (Rdn rdn : new LdapName(name).getRdns()) {
                NamingEnumeration<? extends Attribute> all = rdn.toAttributes().getAll();
                while (all.hasMore()) {
                    Attribute attribute = all.next();
                    for (int i = 0; i < attribute.size(); i++) {
                        attributes.computeIfAbsent(attribute.getID().toUpperCase(Locale.ROOT), k -> new ArrayList<>())
                                .add(String.valueOf(attribute.get(i)));
                    }
                }
            }
        } catch (NamingException e) {
            throw new IllegalStateException("an X.500 name the JDK wrote cannot be read back", e);
        }
        return new CertificateSubject(attributes.containsKey("ORGANIZATIONIDENTIFIER"), Map.copyOf(attributes));
    }

    /** The attributes KSeF requires of a seal or of a person's certificate are all there (and a seal names no person). */
    boolean meetsProfile() {
        if (seal) {
            return has("O") && has("CN") && has("C") && !has("GIVENNAME") && !has("SURNAME");
        }
        return has("GIVENNAME") && has("SURNAME") && has("SERIALNUMBER") && has("CN") && has("C");
    }

    /** The NIP or PESEL the subject names, by KSeF's patterns, or {@code null}. */
    Identifier identifier() {
        if (seal) {
            return find(SEAL_NIP, "ORGANIZATIONIDENTIFIER", "Nip");
        }
        Identifier pesel = find(PERSON_PESEL, "SERIALNUMBER", "Pesel");
        return pesel != null ? pesel : find(PERSON_NIP, "SERIALNUMBER", "Nip");
    }

    private Identifier find(Pattern pattern, String attribute, String type) {
        for (String value : attributes.getOrDefault(attribute, List.of())) {
            Matcher m = pattern.matcher(value);
            if (m.find()) {
                return new Identifier(type, m.group("identifier"));
            }
        }
        return null;
    }

    private boolean has(String attribute) {
        return attributes.containsKey(attribute);
    }
}
