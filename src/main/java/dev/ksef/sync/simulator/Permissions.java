package dev.ksef.sync.simulator;

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Who may act in which context, as far as the simulator's certificate login asks: the owner (a subject whose NIP is
 * the context NIP), subjects granted invoice reading by a test, and contexts blocked after a suspected security
 * incident (what KSeF TEST's {@code POST /testdata/context/block} does).
 */
final class Permissions {

    private final Set<String> invoiceRead = ConcurrentHashMap.newKeySet();
    private final Set<String> invoiceReadEverywhere = ConcurrentHashMap.newKeySet();
    private final Set<String> blocked = ConcurrentHashMap.newKeySet();
    private final Predicate<String> served;

    /** {@code served}: the contexts a grant "in every context" covers (the simulator's, also those added later). */
    Permissions(Predicate<String> served) {
        this.served = served;
    }

    Permissions() {
        this(context -> true);
    }

    /** Grants the subject (NIP, PESEL or certificate fingerprint, the last in any letter case) invoice reading in the context. */
    void grantInvoiceRead(String subjectIdentifier, String context) {
        invoiceRead.add(key(subjectIdentifier, context));
    }

    /** Grants the subject invoice reading in every served context, as an office whose clients all granted it. */
    void grantInvoiceReadEverywhere(String subjectIdentifier) {
        invoiceReadEverywhere.add(subjectIdentifier.toUpperCase(Locale.ROOT));
    }

    void block(String context) {
        blocked.add(context);
    }

    boolean isBlocked(String context) {
        return blocked.contains(context);
    }

    /** The subject owns the context (its NIP is the context's {@code Nip}) or holds a grant in it. */
    boolean mayAct(CertificateSubject.Identifier subject, String contextType, String context) {
        boolean owner = subject.type().equals("Nip") && contextType.equals("Nip") && subject.value().equals(context);
        return owner || invoiceRead.contains(key(subject.value(), context))
                || invoiceReadEverywhere.contains(subject.value().toUpperCase(Locale.ROOT)) && served.test(context);
    }

    private static String key(String subject, String context) {
        return subject.toUpperCase(Locale.ROOT) + "|" + context;
    }
}
