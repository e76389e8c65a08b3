package dev.ksef.sync.simulator;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The challenges this simulator handed out ({@code POST /auth/challenge}, or registered by a test to replay a signed
 * sample), each usable once within KSeF's 10 minutes.
 */
public final class Challenges {

    /** How long KSeF accepts a challenge. */
    public static final Duration LIFETIME = Duration.ofMinutes(10);

    private final Map<String, OffsetDateTime> issued = new ConcurrentHashMap<>();

    public void issue(String challenge, OffsetDateTime at) {
        issued.put(challenge, at);
    }

    /** When the challenge was issued, or {@code null} for one never issued or already used. */
    public OffsetDateTime issuedAt(String challenge) {
        return issued.get(challenge);
    }

    /** Issued, not used, and younger than {@link #LIFETIME} at {@code now}. */
    public boolean isUsable(String challenge, OffsetDateTime now) {
        OffsetDateTime at = issued.get(challenge);
        return at != null && now.isBefore(at.plus(LIFETIME));
    }

    /** Uses the challenge up; {@code true} when it was still there (two logins racing: only one wins). */
    public boolean consume(String challenge) {
        return issued.remove(challenge) != null;
    }
}
