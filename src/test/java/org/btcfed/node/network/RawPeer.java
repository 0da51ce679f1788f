package org.btcfed.node.network;

import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.noise.NoiseHandshake;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client driven by hand over a blocking socket: it can run the first steps of a libp2p
 * upgrade (multistream-select for {@code /noise}, the Noise XX handshake) as the holder of any
 * key, or send anything at all.
 */
final class RawPeer implements Closeable {

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	private RawPeer(Socket socket) throws IOException {
		this.socket = socket;
		socket.setSoTimeout(5000);
		this.in = new DataInputStream(socket.getInputStream());
		this.out = socket.getOutputStream();
	}

	static RawPeer connect(int port) throws IOException {
		Socket socket = new Socket();
		try {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5000);
			return new RawPeer(socket);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/** The next connection a node dials to a listener the test holds, for the test to answer. */
	static RawPeer accept(ServerSocket listener) throws IOException {
		listener.setSoTimeout(10000);
		Socket socket = listener.accept();
		try {
			return new RawPeer(socket);
		}
		catch (IOException ex) {
			socket.close();
			throw ex;
		}
	}

	/** One multistream-select message: {@code uvarint(length) || text || '\n'} (short texts only). */
	static byte[] mss(String text) {
		byte[] bytes = (text + "\n").getBytes(StandardCharsets.UTF_8);
		byte[] message = new byte[bytes.length + 1];
		message[0] = (byte) bytes.length;
		System.arraycopy(bytes, 0, message, 1, bytes.length);
		return message;
	}

	/** Reads one multistream-select message (short texts only) and returns its text. */
	String readMss() throws IOException {
		int length = this.in.readUnsignedByte();
		byte[] text = new byte[length];
		this.in.readFully(text);
		assertThat(text[length - 1]).isEqualTo((byte) '\n');
		return new String(text, 0, length - 1, StandardCharsets.UTF_8);
	}

	/** Reads the node's multistream header, which a listener sends at once. */
	void readHeader() throws IOException {
		assertThat(readMss()).isEqualTo("/multistream/1.0.0");
	}

	/** As the dialler: agrees on {@code /noise} with the node. */
	void selectNoise() throws IOException {
		send(concat(mss("/multistream/1.0.0"), mss("/noise")));
		readHeader();
		assertThat(readMss()).isEqualTo("/noise");
	}

	/** As the listener a node dialled: agrees on {@code /noise} with it. */
	void answerNoise() throws IOException {
		readHeader();
		assertThat(readMss()).isEqualTo("/noise");
		send(concat(mss("/multistream/1.0.0"), mss("/noise")));
	}

	/** Agrees on {@code /noise}, then runs the Noise handshake as the holder of {@code key}. */
	void handshake(NodeKey key, byte[] nodeKey) throws IOException {
		selectNoise();
		NoiseHandshake noise = NoiseHandshake.initiator(key);
		writeNoise(noise.writeMessage());
		noise.readMessage(readNoise());
		assertThat(noise.remotePublicKey()).isEqualTo(nodeKey);
		writeNoise(noise.writeMessage());
	}

	/** Sends one Noise message, framed by its u16 length. */
	void writeNoise(byte[] message) throws IOException {
		byte[] framed = new byte[message.length + 2];
		framed[0] = (byte) (message.length >> 8);
		framed[1] = (byte) message.length;
		System.arraycopy(message, 0, framed, 2, message.length);
		send(framed);
	}

	/** Reads one u16-framed Noise message. */
	byte[] readNoise() throws IOException {
		byte[] message = new byte[this.in.readUnsignedShort()];
		this.in.readFully(message);
		return message;
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = new byte[first.length + second.length];
		System.arraycopy(first, 0, both, 0, first.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	/** Half-closes: the node reads the end of the stream, and may still write. */
	void shutdownOutput() throws IOException {
		this.socket.shutdownOutput();
	}

	byte[] readExactly(int length) throws IOException {
		byte[] bytes = new byte[length];
		this.in.readFully(bytes);
		return bytes;
	}

	void send(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
	}

	/**
	 * Reads until the node closes the connection (whatever it sent before).
	 * @return true when closed, false when still open after the socket's read timeout
	 */
	boolean closedByNode() throws IOException {
		byte[] buffer = new byte[256];
		try {
			while (this.in.read(buffer) >= 0) {
				// skip what the node sent before closing
			}
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (SocketException ex) {
			// reset: closed with our bytes unread
			return true;
		}
	}

	/**
	 * Reads until the node closes the connection.
	 * @return how many bytes the node sent before it closed
	 * @throws SocketTimeoutException when it is still open after the socket's read timeout
	 */
	int bytesUntilClosed() throws IOException {
		byte[] buffer = new byte[256];
		int total = 0;
		try {
			int read;
			while ((read = this.in.read(buffer)) >= 0) {
				total += read;
			}
		}
		catch (SocketException ex) {
			// reset: closed with our bytes unread
		}
		return total;
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
