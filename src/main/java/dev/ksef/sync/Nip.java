package dev.ksef.sync;

/**
 * The Polish tax identification number (NIP) as KSeF uses it: ten digits, the last a checksum of the first nine with
 * the weights 6, 5, 7, 2, 3, 4, 5, 6, 7 (sum mod 11; a remainder of 10 is never issued).
 */
public final class Nip {

    private static final int[] WEIGHTS = {6, 5, 7, 2, 3, 4, 5, 6, 7};

    private Nip() {
    }

    /** Whether {@code nip} is ten ASCII digits whose checksum is right; no dashes or spaces, no "PL" prefix. */
    public static boolean isValid(String nip) {
        if (nip == null || nip.length() != 10) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 10; i++) {
            char c = nip.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
            if (i < 9) {
                sum += (c - '0') * WEIGHTS[i];
            }
        }
        int check = sum % 11;
        return check != 10 && check == nip.charAt(9) - '0';
    }
}
