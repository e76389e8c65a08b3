package dev.ksef.sync.export;

import java.util.List;

/**
 * What {@link ExportTracker} tells its observers (the bundle's meters and health checks) as an export goes: a part is
 * on the spool, an export completed (its invoices on the broker, the continuation point moved), an export found no data
 * (420, the window beyond KSeF's HWM), or a run failed. Called on the run's thread; an observer keeps it short.
 */
public interface ExportEvents {

    /** Observes nothing. */
    ExportEvents NONE = new ExportEvents() {
    };

    default void partDelivered(ExportRun run) {
    }

    default void completed(ExportRun run) {
    }

    default void noData(ExportRun run) {
    }

    /** The run of the context's {@code subjectType} failed; {@code run} is null when it failed before an export was planned. */
    default void failed(String nip, String subjectType, ExportRun run, Exception cause) {
    }

    /** Every one of {@code observers}, in order. */
    static ExportEvents of(ExportEvents... observers) {
        List<ExportEvents> all = List.of(observers);
        return new ExportEvents() {
            @Override
            public void partDelivered(ExportRun run) {
                all.forEach(o -> o.partDelivered(run));
            }

            @Override
            public void completed(ExportRun run) {
                all.forEach(o -> o.completed(run));
            }

            @Override
            public void noData(ExportRun run) {
                all.forEach(o -> o.noData(run));
            }

            @Override
            public void failed(String nip, String subjectType, ExportRun run, Exception cause) {
                all.forEach(o -> o.failed(nip, subjectType, run, cause));
            }
        };
    }
}
