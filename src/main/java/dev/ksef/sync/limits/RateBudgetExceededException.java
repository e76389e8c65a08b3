package dev.ksef.sync.limits;

import java.time.Duration;

/** A KSeF call would have to wait longer than allowed (budget spent or KSeF's block): the run gives up without calling. */
public class RateBudgetExceededException extends RuntimeException {

    public RateBudgetExceededException(String group, Duration wait, Duration maxWait) {
        super("KSeF endpoint group " + group + " allows the next call in " + wait.toSeconds() + " s, longer than ksef.rate.max-wait "
                + maxWait + ": the run ends here and the next trigger tries again");
    }
}
