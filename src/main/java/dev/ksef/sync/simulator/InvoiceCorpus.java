package dev.ksef.sync.simulator;

import dev.ksef.sync.api.InvoiceMetadata;
import dev.ksef.sync.crypto.KsefNumber;
import dev.ksef.sync.crypto.Sha256;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The invoices the simulated KSeF holds for one company (its NIP), generated from the official FA(3) samples.
 * The company appears in every role: seller (Subject1), buyer (Subject2), third party (Subject3), authorized subject
 * (SubjectAuthorized), and on some invoices as buyer and third party at once. Permanent-storage dates are unique and
 * ascending in insertion order; invoices can be added while the simulator runs, also invoices between two served
 * companies ({@link #between}), which both corpora hold. Thread-safe.
 */
public final class InvoiceCorpus {

    public static final String SUBJECT1 = "Subject1";
    public static final String SUBJECT2 = "Subject2";
    public static final String SUBJECT3 = "Subject3";
    public static final String SUBJECT_AUTHORIZED = "SubjectAuthorized";
    public static final List<String> SUBJECT_TYPES = List.of(SUBJECT1, SUBJECT2, SUBJECT3, SUBJECT_AUTHORIZED);

    private static final List<String> PLAIN_SAMPLES = List.of(
            "invoice-template-fa-3.xml", "invoice-template-fa-3-with-attachment.xml",
            "invoice-template-fa-3-with-custom-Subject2.xml", "pdf-generator-assets-invoice.xml",
            "invoice-template-fa-3-with-custom-subject_2.xml", "invoice-template-fa-3-with-custom-subject_3.xml",
            "invoice-template_v3.xml", "invoice_template_v3_self_invoicing.xml");
    private static final List<String> THIRD_PARTY_SAMPLES = List.of(
            "invoice-template-fa-3-with-custom-Subject3.xml", "invoice-template-fa-3-with-multiple-Subject3.xml");

    /** The parsed samples, shared by every corpus (a template is immutable once made). */
    private static final class Templates {
        static final List<InvoiceTemplate> PLAIN = PLAIN_SAMPLES.stream().map(s -> InvoiceTemplate.load(s, false)).toList();
        static final List<InvoiceTemplate> THIRD_PARTY = THIRD_PARTY_SAMPLES.stream().map(s -> InvoiceTemplate.load(s, false)).toList();
        static final List<InvoiceTemplate> AUTHORIZED = PLAIN_SAMPLES.subList(0, 3).stream().map(s -> InvoiceTemplate.load(s, true)).toList();
    }

    private final String nip;
    private final Random random;
    private final List<InvoiceTemplate> plain = Templates.PLAIN;
    private final List<InvoiceTemplate> thirdParty = Templates.THIRD_PARTY;
    private final List<InvoiceTemplate> authorized = Templates.AUTHORIZED;
    private final List<SimInvoice> invoices = new ArrayList<>();
    private final Map<String, SimInvoice> byKsefNumber = new HashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private OffsetDateTime lastStorageDate = OffsetDateTime.MIN;
    private int padding;

    public InvoiceCorpus(String nip, long seed) {
        this.nip = nip;
        this.random = new Random(seed);
    }

    public String nip() {
        return nip;
    }

    /** Invoices added from now on carry this many extra bytes (see {@link SimInvoice#pad}); 0 = as the samples are. */
    public synchronized InvoiceCorpus padding(int bytes) {
        this.padding = bytes;
        return this;
    }

    /** Adds {@code count} invoices with permanent-storage dates spread evenly over {@code [from, to]}. */
    public synchronized List<SimInvoice> generate(int count, OffsetDateTime from, OffsetDateTime to) {
        List<SimInvoice> added = new ArrayList<>(count);
        long spanMicros = Math.max(count, ChronoUnit.MICROS.between(from, to));
        for (int i = 0; i < count; i++) {
            OffsetDateTime at = from.plus(spanMicros * i / Math.max(1, count), ChronoUnit.MICROS);
            added.add(add(at));
        }
        return added;
    }

    /** Adds one invoice stored at {@code storedAt} (moved just past the previous one if not later). */
    public synchronized SimInvoice add(OffsetDateTime storedAt) {
        OffsetDateTime psd = nextStorageDate(storedAt);
        long n = sequence.incrementAndGet();
        int pick = random.nextInt(100);
        String counterpart = Nips.random(random);
        SimInvoice invoice;
        if (pick < 40) {
            invoice = build(n, psd, pickFrom(plain), nip, counterpart, null, null, Set.of(SUBJECT1));
        } else if (pick < 75) {
            invoice = build(n, psd, pickFrom(plain), counterpart, nip, null, null, Set.of(SUBJECT2));
        } else if (pick < 85) {
            invoice = build(n, psd, pickFrom(thirdParty), counterpart, Nips.random(random), nip, null, Set.of(SUBJECT3));
        } else if (pick < 90) {
            invoice = build(n, psd, pickFrom(thirdParty), counterpart, nip, nip, null, Set.of(SUBJECT2, SUBJECT3));
        } else {
            invoice = build(n, psd, pickFrom(authorized), counterpart, Nips.random(random), null, nip, Set.of(SUBJECT_AUTHORIZED));
        }
        append(invoice);
        return invoice;
    }

    /** {@code storedAt} in UTC to the microsecond, moved just past the last stored invoice if not later. */
    private OffsetDateTime nextStorageDate(OffsetDateTime storedAt) {
        OffsetDateTime psd = storedAt.withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
        return psd.isAfter(lastStorageDate) ? psd : lastStorageDate.plus(1, ChronoUnit.MICROS);
    }

    private void append(SimInvoice invoice) {
        lastStorageDate = invoice.permanentStorageDate();
        invoices.add(invoice);
        byKsefNumber.put(invoice.ksefNumber(), invoice);
    }

    /**
     * One invoice from {@code seller}'s company to {@code buyer}'s, stored in both: the same KSeF number and document,
     * Subject1 in the seller's corpus and Subject2 in the buyer's. Stored at {@code storedAt}, or just past the last
     * invoice of either corpus if not later.
     */
    static SimInvoice between(InvoiceCorpus seller, InvoiceCorpus buyer, OffsetDateTime storedAt) {
        if (seller == buyer) {
            throw new IllegalArgumentException("an invoice between two contexts needs two NIPs");
        }
        InvoiceCorpus first = seller.nip.compareTo(buyer.nip) < 0 ? seller : buyer;
        InvoiceCorpus second = first == seller ? buyer : seller;
        synchronized (first) {
            synchronized (second) {
                OffsetDateTime psd = buyer.nextStorageDate(seller.nextStorageDate(storedAt));
                SimInvoice invoice = seller.build(seller.sequence.incrementAndGet(), psd, seller.pickFrom(seller.plain), seller.nip,
                        buyer.nip, null, null, Set.of(SUBJECT1));
                seller.append(invoice);
                buyer.append(invoice.seenAs(Set.of(SUBJECT2)));
                return invoice;
            }
        }
    }

    private SimInvoice build(long n, OffsetDateTime psd, InvoiceTemplate template, String seller, String buyer, String third,
                             String authorizedNip, Set<String> subjectTypes) {
        OffsetDateTime invoicing = psd.minus(2_000 + random.nextInt(30_000), ChronoUnit.MILLIS);
        OffsetDateTime acquisition = psd.minus(500, ChronoUnit.MILLIS);
        var issueDate = invoicing.toLocalDate().minusDays(random.nextInt(4));
        String ksefNumber = KsefNumber.of(seller, invoicing.toLocalDate(), String.format(Locale.ROOT, "%012X", 0x0100_0000_0000L + n));
        String number = "FV/" + issueDate.getYear() + "/" + n;
        String[] values = new String[InvoiceTemplate.Slot.values().length];
        values[InvoiceTemplate.Slot.SELLER.ordinal()] = seller;
        values[InvoiceTemplate.Slot.BUYER.ordinal()] = buyer;
        values[InvoiceTemplate.Slot.THIRD.ordinal()] = third != null ? third : Nips.random(random);
        values[InvoiceTemplate.Slot.AUTHORIZED.ordinal()] = authorizedNip != null ? authorizedNip : "";
        values[InvoiceTemplate.Slot.NUMBER.ordinal()] = number;
        values[InvoiceTemplate.Slot.ISSUE_DATE.ordinal()] = issueDate.toString();
        values[InvoiceTemplate.Slot.CREATED.ordinal()] = invoicing.minusMinutes(1).truncatedTo(ChronoUnit.SECONDS)
                .withOffsetSameInstant(ZoneOffset.UTC).toInstant().toString();
        byte[] xml = SimInvoice.pad(template.render(values), ksefNumber, padding);
        List<InvoiceMetadata.ThirdSubject> thirds = new ArrayList<>();
        if (template.hasThirdSubjectNip) {
            thirds.add(new InvoiceMetadata.ThirdSubject(new InvoiceMetadata.Identifier("Nip", values[InvoiceTemplate.Slot.THIRD.ordinal()]),
                    template.thirdSubjectName, template.thirdSubjectRole));
        }
        thirds.addAll(template.fixedThirdSubjects);
        InvoiceMetadata metadata = new InvoiceMetadata(ksefNumber, number, issueDate, invoicing, acquisition, psd,
                new InvoiceMetadata.Seller(seller, template.sellerName),
                new InvoiceMetadata.Buyer(new InvoiceMetadata.Identifier("Nip", buyer), template.buyerName),
                template.net, template.gross, template.vat, template.currency, "Online", "Vat",
                new InvoiceMetadata.FormCode("FA (3)", "1-0E", "FA"), template.selfInvoicing, template.hasAttachment,
                Sha256.base64(xml), null, thirds.isEmpty() ? null : thirds,
                template.withAuthorizedSubject ? new InvoiceMetadata.AuthorizedSubject(authorizedNip, InvoiceTemplate.AUTHORIZED_NAME,
                        InvoiceTemplate.AUTHORIZED_ROLE) : null);
        return new SimInvoice(metadata, subjectTypes, template, values, padding);
    }

    private InvoiceTemplate pickFrom(List<InvoiceTemplate> templates) {
        return templates.get(random.nextInt(templates.size()));
    }

    /** Invoices of one subject type stored in {@code [from, to]} (both inclusive), ascending by storage date. */
    public synchronized List<SimInvoice> select(String subjectType, OffsetDateTime from, OffsetDateTime to) {
        List<SimInvoice> selected = new ArrayList<>();
        for (SimInvoice invoice : invoices) {
            OffsetDateTime psd = invoice.permanentStorageDate();
            if (invoice.subjectTypes().contains(subjectType) && !psd.isBefore(from) && !psd.isAfter(to)) {
                selected.add(invoice);
            }
        }
        return selected;
    }

    /**
     * Invoices of one subject type whose {@code dateType} date (Issue: issue date, compared as a day in Europe/Warsaw;
     * Invoicing: invoicing date; PermanentStorage: permanent-storage date) lies in {@code [from, to]}, ascending by it.
     */
    public synchronized List<SimInvoice> select(String subjectType, String dateType, OffsetDateTime from, OffsetDateTime to) {
        if ("PermanentStorage".equals(dateType)) {
            return select(subjectType, from, to);
        }
        boolean issue = "Issue".equals(dateType);
        java.time.ZoneId warsaw = java.time.ZoneId.of("Europe/Warsaw");
        java.time.LocalDate fromDay = from.atZoneSameInstant(warsaw).toLocalDate();
        java.time.LocalDate toDay = to.atZoneSameInstant(warsaw).toLocalDate();
        List<SimInvoice> selected = new ArrayList<>();
        for (SimInvoice invoice : invoices) {
            InvoiceMetadata m = invoice.metadata();
            boolean inRange = issue ? !m.issueDate().isBefore(fromDay) && !m.issueDate().isAfter(toDay)
                    : !m.invoicingDate().isBefore(from) && !m.invoicingDate().isAfter(to);
            if (invoice.subjectTypes().contains(subjectType) && inRange) {
                selected.add(invoice);
            }
        }
        selected.sort(java.util.Comparator.comparing((SimInvoice i) -> issue ? i.metadata().issueDate().atStartOfDay().atOffset(ZoneOffset.UTC)
                : i.metadata().invoicingDate()).thenComparing(SimInvoice::permanentStorageDate));
        return selected;
    }

    public synchronized List<SimInvoice> all() {
        return List.copyOf(invoices);
    }

    /** The invoice with this KSeF number if this company is a party to it, else {@code null}. */
    public synchronized SimInvoice find(String ksefNumber) {
        return byKsefNumber.get(ksefNumber);
    }

    public synchronized int size() {
        return invoices.size();
    }

}
