package org.btcfed.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node's actuator over real HTTP on loopback, as an operator's tools reach it: with the admin
 * token the node wrote into its data dir, with another token, or with none.
 * <p>
 * The port and the token are looked up at every request, so one client serves a node across
 * restarts (a new port each time) and from before its first start (no token yet). Thread-safe.
 */
public final class ActuatorClient {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final IntSupplier port;

	private final Supplier<String> token;

	/**
	 * @param port the node's HTTP port on {@code 127.0.0.1}, looked up at every request
	 * @param token the admin token, looked up at every request that sends it
	 */
	public ActuatorClient(IntSupplier port, Supplier<String> token) {
		this.port = port;
		this.token = token;
	}

	/**
	 * @return the admin token
	 */
	public String token() {
		return this.token.get();
	}

	/**
	 * {@code GET} with the admin token.
	 * @param path e.g. {@code /actuator/hotreload?limit=5}
	 * @return the response
	 */
	public HttpResponse<String> get(String path) {
		return get(path, token());
	}

	/**
	 * {@code GET} with a token of the test's choosing.
	 * @param path e.g. {@code /actuator/health}
	 * @param token the bearer token to send, or null to send none
	 * @return the response
	 */
	public HttpResponse<String> get(String path, @Nullable String token) {
		return send(request(path, token).GET());
	}

	/**
	 * {@code GET} without a token.
	 * @param path e.g. {@code /actuator/health}
	 * @return the response
	 */
	public HttpResponse<String> getAnonymously(String path) {
		return get(path, null);
	}

	/**
	 * {@code POST} with the admin token and no body.
	 * @param path e.g. {@code /actuator/hotreload?dryRun=true}
	 * @return the response
	 */
	public HttpResponse<String> post(String path) {
		return post(path, null);
	}

	/**
	 * {@code POST} with the admin token, no body and an {@code If-Match} header.
	 * @param path e.g. {@code /actuator/hotreload}
	 * @param ifMatch the header's value, or null to send none
	 * @return the response
	 */
	public HttpResponse<String> post(String path, @Nullable String ifMatch) {
		HttpRequest.Builder request = request(path, token()).POST(HttpRequest.BodyPublishers.noBody());
		if (ifMatch != null) {
			request.header("If-Match", ifMatch);
		}
		return send(request);
	}

	/**
	 * {@code GET /actuator/hotreload}, with up to 200 reports, asserting a 200.
	 * @return the engine's state, versions and history (newest first)
	 */
	public JsonNode hotreload() {
		HttpResponse<String> response = get("/actuator/hotreload?limit=200");
		assertThat(response.statusCode()).as("GET /actuator/hotreload: %s", response.body()).isEqualTo(200);
		return json(response.body());
	}

	/**
	 * @param text JSON
	 * @return the parsed tree
	 */
	public static JsonNode json(String text) {
		return JSON.readTree(text);
	}

	private HttpRequest.Builder request(String path, @Nullable String token) {
		HttpRequest.Builder request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port.getAsInt() + path))
			.timeout(Duration.ofSeconds(30));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return request;
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
