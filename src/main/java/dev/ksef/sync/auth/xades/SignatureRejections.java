package dev.ksef.sync.auth.xades;

/**
 * KSeF's rejections of a signed {@code AuthTokenRequest} (the {@code /auth/xades-signature} 400 table), with the
 * detail texts KSeF has been seen to give for code 9105.
 */
final class SignatureRejections {

    static final int UNREADABLE = 21001;
    static final int INVALID_DOCUMENT = 9101;
    static final int NO_SIGNATURE = 9102;
    static final int TOO_MANY_SIGNATURES = 9103;
    static final int INVALID_SIGNATURE = 9105;

    static final String PROFILE = "Format podpisu niezgodny z akceptowanymi profilami XAdES.";
    static final String ALGORITHM = "Podpis złożony z użyciem niewspieranego algorytmu kryptograficznego.";
    static final String NEGATIVE = "Podpis zweryfikowany negatywnie.";

    private SignatureRejections() {
    }

    static XadesVerificationException unreadable(String parserMessage) {
        return new XadesVerificationException(UNREADABLE, "Nieczytelna treść.", parserMessage);
    }

    static XadesVerificationException invalidDocument(String detail) {
        return new XadesVerificationException(INVALID_DOCUMENT, "Nieprawidłowy dokument.", detail);
    }

    static XadesVerificationException noSignature() {
        return new XadesVerificationException(NO_SIGNATURE, "Brak podpisu.", null);
    }

    static XadesVerificationException tooManySignatures(int count) {
        return new XadesVerificationException(TOO_MANY_SIGNATURES, "Przekroczona liczba dozwolonych podpisów.",
                "Liczba podpisów: " + count + ".");
    }

    /** 9105 with the given detail. */
    static XadesVerificationException invalidSignature(String detail) {
        return new XadesVerificationException(INVALID_SIGNATURE, "Nieprawidłowy podpis.", detail);
    }

    static XadesVerificationException profile() {
        return invalidSignature(PROFILE);
    }

    static XadesVerificationException algorithm() {
        return invalidSignature(ALGORITHM);
    }

    static XadesVerificationException negative() {
        return invalidSignature(NEGATIVE);
    }

    static XadesVerificationException digest(String uri) {
        return invalidSignature("Nieprawidłowa wartość skrótu dla referencji wskazującej na element '" + uri + "'.");
    }

    static XadesVerificationException notFound(String uri) {
        return invalidSignature("Element wskazywany przez referencję '" + uri + "' nie został odnaleziony.");
    }
}
