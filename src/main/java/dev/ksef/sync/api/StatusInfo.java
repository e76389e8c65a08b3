package dev.ksef.sync.api;

import java.util.List;

/** {@code StatusInfo}: a status code with its description and optional details. */
public record StatusInfo(int code, String description, List<String> details) {
}
