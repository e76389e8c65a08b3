package dev.ksef.sync.schedule;

import java.text.ParseException;
import java.util.Date;
import org.quartz.CronExpression;

/**
 * Spreads the fires of many tenants with the same cron over its period, by a stable hash of the NIP, so that thousands
 * of contexts do not call KSeF in the same second: the seconds field becomes the hash's second, and a minutes field
 * {@code m/step} (every {@code step} minutes) or a fixed minute is shifted within its step or its hour. Any other
 * form (seconds given as a list or a range) is left as configured.
 */
public final class CronSpread {

    private CronSpread() {
    }

    public static String spread(String cron, String nip) {
        String[] f = cron.strip().split("\\s+");
        if (f.length < 6 || !f[0].matches("\\d+")) {
            return cron.strip();
        }
        long hash = hash(nip);
        f[0] = Long.toString(hash % 60);
        long minuteShift = hash / 60;
        if (f[1].matches("\\d+/\\d+")) {
            String[] m = f[1].split("/");
            int step = Integer.parseInt(m[1]);
            f[1] = ((Integer.parseInt(m[0]) + minuteShift % step) % step) + "/" + step;
        } else if (f[1].matches("\\d+") && !f[2].contains("/") && !f[2].equals("*")) {
            f[1] = Long.toString((Integer.parseInt(f[1]) + minuteShift % 60) % 60);
        }
        return String.join(" ", f);
    }

    /** Seconds between two fires (the first two after now): 0 for an invalid or exhausted expression. */
    public static long periodSeconds(String cron) {
        try {
            CronExpression expression = new CronExpression(cron);
            Date first = expression.getNextValidTimeAfter(new Date());
            Date second = first == null ? null : expression.getNextValidTimeAfter(first);
            return second == null ? 0 : (second.getTime() - first.getTime()) / 1000;
        } catch (ParseException e) {
            return 0;
        }
    }

    /** A stable, well mixed number of a NIP (the same on every node and every release). */
    static long hash(String nip) {
        long h = 1125899906842597L;
        for (char c : nip.toCharArray()) {
            h = 31 * h + c;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        return Math.floorMod(h, 3600L);
    }
}
