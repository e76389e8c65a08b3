package dev.ksef.sync.simulator;

import java.util.Random;

/**
 * Polish NIPs (checksum weights 6,5,7,2,3,4,5,6,7 mod 11): random valid ones for counterparties, and the check; and the
 * check of KSeF's internal identifiers, which extend a NIP.
 */
final class Nips {

    private static final int[] WEIGHTS = {6, 5, 7, 2, 3, 4, 5, 6, 7};

    private Nips() {
    }

    /** Ten digits whose weighted sum mod 11 is the last digit. */
    static boolean isValid(String nip) {
        if (nip == null || !nip.matches("\\d{10}")) {
            return false;
        }
        int sum = 0;
        for (int i = 0; i < 9; i++) {
            sum += (nip.charAt(i) - '0') * WEIGHTS[i];
        }
        return sum % 11 == nip.charAt(9) - '0';
    }

    /**
     * An {@code InternalId} as KSeF hands them out, {@code <NIP>-<4 digits><check digit>}: a valid NIP, and a last
     * digit that is the sum of the fourteen digits before it, weighted 1, 3, 1, 3, ..., mod 10 (the rule of the
     * official Java SDK's test-data generator).
     */
    static boolean isValidInternalId(String internalId) {
        if (internalId == null || !internalId.matches("\\d{10}-\\d{5}") || !isValid(internalId.substring(0, 10))) {
            return false;
        }
        String digits = internalId.substring(0, 10) + internalId.substring(11, 15);
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            sum += (digits.charAt(i) - '0') * (i % 2 == 0 ? 1 : 3);
        }
        return sum % 10 == internalId.charAt(15) - '0';
    }

    static String random(Random random) {
        while (true) {
            int[] digits = new int[10];
            digits[0] = 1 + random.nextInt(9);
            for (int i = 1; i < 9; i++) {
                digits[i] = random.nextInt(10);
            }
            if (digits[1] == 0 && digits[2] == 0) {
                continue;
            }
            int sum = 0;
            for (int i = 0; i < 9; i++) {
                sum += digits[i] * WEIGHTS[i];
            }
            int check = sum % 11;
            if (check == 10) {
                continue;
            }
            digits[9] = check;
            StringBuilder out = new StringBuilder(10);
            for (int d : digits) {
                out.append(d);
            }
            return out.toString();
        }
    }
}
