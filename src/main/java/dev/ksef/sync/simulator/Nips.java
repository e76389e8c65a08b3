package dev.ksef.sync.simulator;

import java.util.Random;

/** Polish NIPs (checksum weights 6,5,7,2,3,4,5,6,7 mod 11): random valid ones for counterparties, and the check. */
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
