package io.hanse.kernel.federation.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hanse.api.ConflictException;
import io.hanse.api.InvalidRequestException;
import io.hanse.api.UnavailableException;
import io.hanse.kernel.federation.internal.Federation.JoinAnswer;
import io.hanse.kernel.federation.internal.Federation.JoinRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Sends a join request to the instance that issued an invitation. */
final class Joining {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(15);
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

    private Joining() {
    }

    /**
     * Posts the request and returns the answer.
     *
     * @throws UnavailableException if the instance cannot be reached
     * @throws InvalidRequestException or {@link ConflictException} if it refuses, with its reason
     */
    static JoinAnswer post(URI uri, JoinRequest request) {
        HttpResponse<String> response;
        try {
            HttpRequest post = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(request))).build();
            response = CLIENT.send(post, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UnavailableException("cannot reach " + uri + ": " + Failures.described(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UnavailableException("interrupted while joining " + uri);
        }
        try {
            if (response.statusCode() == 200 || response.statusCode() == 201) {
                return JSON.readValue(response.body(), JoinAnswer.class);
            }
            JsonNode problem = JSON.readTree(response.body());
            String detail = problem == null ? "" : problem.path("detail").asText(response.body());
            String message = "the instance at " + uri + " refused to peer (" + response.statusCode() + "): " + detail;
            throw response.statusCode() == 409 ? new ConflictException(message) : new InvalidRequestException(message);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("the instance at " + uri + " answered " + response.statusCode()
                    + " with something that is not a join answer");
        }
    }
}
