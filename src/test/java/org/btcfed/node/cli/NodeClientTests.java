package org.btcfed.node.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.btcfed.node.DataDir;
import org.btcfed.node.FreePorts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code status} and {@code history} when the port they use leads nowhere or to something that
 * is not the node: a stale port file, a wrong {@code --server.port}. Real sockets on loopback.
 */
class NodeClientTests {

	static final String TOKEN = "admin-token-never-printed";

	@TempDir
	Path data;

	final ByteArrayOutputStream out = new ByteArrayOutputStream();

	final ByteArrayOutputStream err = new ByteArrayOutputStream();

	@BeforeEach
	void writeToken() throws IOException {
		Files.writeString(this.data.resolve(DataDir.TOKEN_FILE), TOKEN + "\n");
	}

	private int run(String... args) {
		this.out.reset();
		this.err.reset();
		String[] full = new String[args.length + 1];
		System.arraycopy(args, 0, full, 0, args.length);
		full[args.length] = "--btcfed.data-dir=" + this.data;
		return AdminCli.run(full, Map.of(), new PrintStream(this.out, true, StandardCharsets.UTF_8),
				new PrintStream(this.err, true, StandardCharsets.UTF_8));
	}

	private String err() {
		return this.err.toString(StandardCharsets.UTF_8);
	}

	private void writePortFile(int port) throws IOException {
		Files.writeString(this.data.resolve(DataDir.PORT_FILE), port + "\n");
	}

	@Test
	void statusWhenPortFileIsStaleShouldSayNoNodeAnswersAndExitFive() throws Exception {
		int port = FreePorts.pick();
		writePortFile(port);
		assertThat(run("status")).isEqualTo(5);
		assertThat(err()).startsWith("btcfed-node status: no node answers on 127.0.0.1:" + port + " (port from "
				+ this.data.resolve(DataDir.PORT_FILE) + ", written by a node that is no longer running?);")
			.contains("is the node running? start it, or pass --server.port")
			.doesNotContain("null", TOKEN, "pid ");
		assertThat(this.out.size()).isZero();
		assertThat(run("history")).isEqualTo(5);
		assertThat(err()).contains("no node answers on 127.0.0.1:" + port);
	}

	@Test
	void statusWhenPortFileIsStaleButTheNodeIsAliveShouldSayItMayBeStarting() throws Exception {
		int port = FreePorts.pick();
		writePortFile(port);
		Files.writeString(this.data.resolve(DataDir.PID_FILE), ProcessHandle.current().pid() + "\n");
		assertThat(run("status")).isEqualTo(5);
		assertThat(err()).contains("no node answers on 127.0.0.1:" + port,
				"pid " + ProcessHandle.current().pid() + " of " + this.data.resolve(DataDir.PID_FILE) + " is alive")
			.doesNotContain("no longer running");
	}

	@Test
	void statusWhenServerPortIsWrongShouldSayNoNodeAnswersThere() throws Exception {
		int port = FreePorts.pick();
		assertThat(run("status", "--server.port=" + port)).isEqualTo(5);
		assertThat(err()).startsWith("btcfed-node status: no node answers on 127.0.0.1:" + port
				+ " (port from --server.port or SERVER_PORT);")
			.doesNotContain("null");
	}

	@Test
	void statusWhenPortFileHoldsNoNumberShouldSaySo() throws Exception {
		Files.writeString(this.data.resolve(DataDir.PORT_FILE), "eighty\n");
		assertThat(run("status")).isEqualTo(5);
		assertThat(err()).contains(DataDir.PORT_FILE + " does not hold a port number");
	}

	@Test
	void statusWhenSomethingElseAnswersNotFoundShouldSayItIsNotTheNode() throws Exception {
		try (CannedServer server = new CannedServer(http("404 Not Found", "text/html", "<h1>Not Found</h1>"))) {
			writePortFile(server.port());
			assertThat(run("status")).isEqualTo(5);
			assertThat(err()).contains("something answers on 127.0.0.1:" + server.port() + " (port from "
					+ this.data.resolve(DataDir.PORT_FILE) + ") but it is not the node's actuator: HTTP 404 for GET /actuator/hotreload?limit=1", "--server.port")
				.doesNotContain("null", TOKEN);
		}
	}

	@Test
	void statusWhenSomethingElseAnswersHtmlShouldSayItIsNotJson() throws Exception {
		try (CannedServer server = new CannedServer(http("200 OK", "text/html", "<html>router login</html>"))) {
			assertThat(run("status", "--server.port=" + server.port())).isEqualTo(5);
			assertThat(err()).contains("something answers on 127.0.0.1:" + server.port() + " (port from --server.port",
					"not the node's actuator: HTTP 200", "not JSON (text/html)");
			assertThat(this.out.size()).isZero();
		}
	}

	@Test
	void historyWhenSomethingElseAnswersOtherJsonShouldSayItIsNotTheNode() throws Exception {
		try (CannedServer server = new CannedServer(http("200 OK", "application/json", "{\"status\":\"UP\"}"))) {
			assertThat(run("history", "--json", "--server.port=" + server.port())).isEqualTo(5);
			assertThat(err()).contains("not the node's actuator: HTTP 200 for GET /actuator/hotreload?limit=20",
					"without 'history'");
			assertThat(this.out.size()).isZero();
		}
	}

	@Test
	void statusWhenSomethingAnswersThatIsNotHttpShouldSaySo() throws Exception {
		try (CannedServer server = new CannedServer("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n")) {
			assertThat(run("status", "--server.port=" + server.port())).isEqualTo(5);
			assertThat(err()).contains("something answers on 127.0.0.1:" + server.port(), "does not speak HTTP",
					"it is not the node").doesNotContain("null");
		}
	}

	@Test
	void statusWhenTokenRefusedShouldSaySo() throws Exception {
		try (CannedServer server = new CannedServer(http("401 Unauthorized", "application/problem+json",
				"{\"status\":401}"))) {
			assertThat(run("status", "--server.port=" + server.port())).isEqualTo(5);
			assertThat(err()).contains("HTTP 401 from 127.0.0.1:" + server.port(), "the admin token was refused")
				.doesNotContain(TOKEN);
		}
	}

	private static String http(String status, String contentType, String body) {
		return "HTTP/1.1 " + status + "\r\nContent-Type: " + contentType + "\r\nContent-Length: "
				+ body.getBytes(StandardCharsets.UTF_8).length + "\r\nConnection: close\r\n\r\n" + body;
	}

	/** A loopback server that answers every connection with the same bytes, then closes it. */
	static final class CannedServer implements AutoCloseable {

		private final ServerSocket socket;

		private final Thread thread;

		CannedServer(String answer) throws IOException {
			this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			this.thread = new Thread(() -> serve(answer.getBytes(StandardCharsets.UTF_8)), "canned-server");
			this.thread.setDaemon(true);
			this.thread.start();
		}

		int port() {
			return this.socket.getLocalPort();
		}

		private void serve(byte[] answer) {
			while (!this.socket.isClosed()) {
				try (Socket client = this.socket.accept()) {
					client.setSoTimeout(5000);
					readRequestHead(client.getInputStream());
					client.getOutputStream().write(answer);
					client.getOutputStream().flush();
					client.shutdownOutput();
				}
				catch (IOException ex) {
					// The server socket was closed (the test is over) or the client went away.
				}
			}
		}

		/** Reads up to the blank line ending the request's head, so that closing sends no reset. */
		private static void readRequestHead(InputStream in) throws IOException {
			int matched = 0;
			byte[] end = { '\r', '\n', '\r', '\n' };
			for (int b = in.read(); b != -1; b = in.read()) {
				matched = (b == end[matched]) ? matched + 1 : ((b == '\r') ? 1 : 0);
				if (matched == end.length) {
					return;
				}
			}
		}

		@Override
		public void close() throws Exception {
			this.socket.close();
			this.thread.join(5000);
		}

	}

}
