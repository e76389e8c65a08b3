package dev.ksef.sync.simulator;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One export in the simulated KSeF: its window as KSeF fixed it at start, and its package once built. {@code hwm} is
 * min(requested {@code to}, the HWM at start): never after the simulator's now; reported for PermanentStorage only.
 */
final class ExportJob {
    final String referenceNumber;
    final String nip;
    final String subjectType;
    final String dateType;
    final OffsetDateTime createdAt;
    final OffsetDateTime from;
    final OffsetDateTime effectiveTo;
    final OffsetDateTime hwm;
    final boolean restrictToHwm;
    final boolean keyDecrypted;
    final boolean stuck;
    final Integer forcedResult;
    final AtomicInteger polls = new AtomicInteger();
    final CompletableFuture<PackageBuilder.BuiltPackage> built;
    volatile OffsetDateTime completedDate;
    /** real time, for the record of exports ({@link ExportRecord}) */
    final Instant acceptedAt = Instant.now();
    volatile Instant firstStatusPoll;
    volatile Instant lastStatusPoll;
    volatile Instant lastPartDownload;
    /** the logins (their reference numbers) whose access tokens started or polled this export */
    final Set<String> sessions = ConcurrentHashMap.newKeySet();

    ExportJob(String referenceNumber, String nip, String subjectType, String dateType, OffsetDateTime createdAt, OffsetDateTime from,
              OffsetDateTime effectiveTo, OffsetDateTime hwm, boolean restrictToHwm, boolean keyDecrypted, boolean stuck,
              Integer forcedResult, CompletableFuture<PackageBuilder.BuiltPackage> built) {
        this.referenceNumber = referenceNumber;
        this.nip = nip;
        this.subjectType = subjectType;
        this.dateType = dateType;
        this.createdAt = createdAt;
        this.from = from;
        this.effectiveTo = effectiveTo;
        this.hwm = hwm;
        this.restrictToHwm = restrictToHwm;
        this.keyDecrypted = keyDecrypted;
        this.stuck = stuck;
        this.forcedResult = forcedResult;
        this.built = built;
    }

    synchronized void polled(String session) {
        Instant now = Instant.now();
        if (firstStatusPoll == null) {
            firstStatusPoll = now;
        }
        lastStatusPoll = now;
        if (session != null) {
            sessions.add(session);
        }
    }

    void partDownloaded() {
        lastPartDownload = Instant.now();
    }

    ExportRecord record() {
        return new ExportRecord(referenceNumber, nip, subjectType, dateType, acceptedAt, firstStatusPoll, lastStatusPoll, lastPartDownload,
                Set.copyOf(sessions));
    }

    boolean permanentStorage() {
        return "PermanentStorage".equals(dateType);
    }

    /** {@code restrictToPermanentStorageHwmDate} (meaningful for PermanentStorage only) with {@code from} after the HWM: 420. */
    boolean beyondHwm() {
        return restrictToHwm && permanentStorage() && from.isAfter(hwm);
    }

    /** Still counted against the concurrent-export limit: not yet finished (stuck ones never finish). */
    boolean running(int pollsBeforeReady) {
        return completedDate == null && (stuck || !built.isDone() || polls.get() < pollsBeforeReady);
    }
}
