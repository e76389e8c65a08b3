package dev.ksef.sync.simulator;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/** Validates recorded simulator exchanges against openapi.json, as {@link ContractConformanceTest} does. */
final class ContractValidation {

    private static OpenApiInteractionValidator validator;

    private ContractValidation() {
    }

    private static synchronized OpenApiInteractionValidator validator() {
        if (validator == null) {
            try (InputStream in = ContractValidation.class.getResourceAsStream("/ksef/openapi.json")) {
                // the validator reads a query parameter whose schema is allOf [$ref enum] (sortOrder) as JSON and fails on Asc;
                // the simulator's refusal of other values is tested on its own (SimulatorMetadataQueryTest)
                validator = OpenApiInteractionValidator.createForInlineApiSpecification(
                        new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        .withLevelResolver(LevelResolver.create().withLevel("validation.request.parameter.schema.invalidJson",
                                ValidationReport.Level.IGNORE).build())
                        .build();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return validator;
    }

    /** Fails on the first exchange (request and response) the contract does not allow. */
    static void assertConform(List<SimulatorClient.Exchange> exchanges) {
        exchanges.forEach(ContractValidation::assertConform);
    }

    /**
     * Fails when the contract does not allow this exchange's response; its query parameters are left out of the check,
     * for requests whose parameters are wrong on purpose.
     */
    static void assertResponseConforms(SimulatorClient.Exchange e) {
        int query = e.path().indexOf('?');
        assertConform(query < 0 ? e : new SimulatorClient.Exchange(e.method(), e.path().substring(0, query), e.requestHeaders(), e.requestBody(),
                e.status(), e.contentType(), e.responseBody(), e.responseHeaders()));
    }

    /** Fails when the contract does not allow this exchange (request and response). */
    static void assertConform(SimulatorClient.Exchange e) {
        int query = e.path().indexOf('?');
        SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(e.method()), query < 0 ? e.path() : e.path().substring(0, query));
        if (query >= 0) {
            for (String pair : e.path().substring(query + 1).split("&")) {
                int eq = pair.indexOf('=');
                request.withQueryParam(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        e.requestHeaders().forEach(request::withHeader);
        if (e.requestBody() != null) {
            request.withBody(e.requestBody());
        }
        SimpleResponse.Builder response = SimpleResponse.Builder.status(e.status());
        if (e.contentType() != null) {
            response.withContentType(e.contentType());
        }
        if (!e.responseBody().isEmpty()) {
            response.withBody(e.responseBody());
        }
        ValidationReport report = validator().validate(request.build(), response.build());
        String messages = report.getMessages().stream().map(m -> m.getKey() + " " + m).collect(Collectors.joining("\n"));
        assertTrue(!report.hasErrors(), e.method() + " " + e.path() + " " + e.status() + " " + e.responseBody() + "\n" + messages);
    }
}
