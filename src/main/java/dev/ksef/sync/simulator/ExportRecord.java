package dev.ksef.sync.simulator;

import java.time.Instant;
import java.util.Set;

/**
 * One export as the simulator saw it, for tests that check how clients share a context: which context and subject
 * type, when KSeF accepted it, when its status was first and last polled and its last part downloaded (real time, as
 * {@link Call#at()}; {@code null} when it never happened), and the logins (reference numbers of {@code /auth/...},
 * never a token) whose access tokens started or polled it.
 */
public record ExportRecord(String referenceNumber, String contextNip, String subjectType, String dateType, Instant acceptedAt,
                           Instant firstStatusPoll, Instant lastStatusPoll, Instant lastPartDownload, Set<String> sessions) {

    /** The end of the export's use: its last status poll or part download, whichever came later (else its start). */
    public Instant lastActivity() {
        Instant last = acceptedAt;
        if (lastStatusPoll != null && lastStatusPoll.isAfter(last)) {
            last = lastStatusPoll;
        }
        if (lastPartDownload != null && lastPartDownload.isAfter(last)) {
            last = lastPartDownload;
        }
        return last;
    }

    /** Both exports are of one (context, subject type) and in use at once: each accepted before the other's last activity. */
    public boolean overlaps(ExportRecord other) {
        return !referenceNumber.equals(other.referenceNumber) && contextNip.equals(other.contextNip)
                && subjectType.equals(other.subjectType) && acceptedAt.isBefore(other.lastActivity())
                && other.acceptedAt.isBefore(lastActivity());
    }
}
