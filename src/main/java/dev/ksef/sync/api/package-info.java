/**
 * KSeF 2.0 request and response bodies the sync uses, as Jackson records named after the schemas of the
 * official OpenAPI contract. Unknown properties are ignored (KSeF adds fields without notice), absent optional
 * fields are {@code null}; see {@link dev.ksef.sync.api.KsefJson} for the mapper settings.
 */
package dev.ksef.sync.api;
