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

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.btcfed.node.config.NodeKey;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer driven by hand over a blocking socket: it can speak the handshake with any key, or
 * send anything at all.
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

	static RawPeer accept(ServerSocket server) throws IOException {
		return new RawPeer(server.accept());
	}

	record Hello(byte[] key, byte[] nonce) {
	}

	Hello readHello() throws IOException {
		assertThat(this.in.readInt()).isEqualTo(Wire.HELLO_LENGTH);
		assertThat(this.in.readByte()).isEqualTo(Wire.HELLO);
		assertThat(this.in.readByte()).isEqualTo(Wire.VERSION);
		byte[] key = new byte[Wire.KEY_LENGTH];
		byte[] nonce = new byte[Wire.NONCE_LENGTH];
		this.in.readFully(key);
		this.in.readFully(nonce);
		return new Hello(key, nonce);
	}

	/** Reads the node's HELLO, then sends HELLO and AUTH as the holder of {@code key}. */
	void handshake(NodeKey key, byte[] nodeKey) throws IOException {
		Hello hello = readHello();
		assertThat(hello.key()).isEqualTo(nodeKey);
		ByteBuf frames = Unpooled.buffer();
		frames.writeInt(Wire.HELLO_LENGTH).writeByte(Wire.HELLO).writeByte(Wire.VERSION);
		frames.writeBytes(key.publicKey()).writeBytes(new byte[Wire.NONCE_LENGTH]);
		frames.writeInt(Wire.AUTH_LENGTH).writeByte(Wire.AUTH);
		frames.writeBytes(key.sign(Wire.authTranscript(hello.nonce(), key.publicKey(), nodeKey)));
		byte[] bytes = new byte[frames.readableBytes()];
		frames.readBytes(bytes);
		frames.release();
		send(bytes);
	}

	void send(byte[] bytes) throws IOException {
		this.out.write(bytes);
		this.out.flush();
	}

	/**
	 * Reads until the node closes the connection (whatever it sent before: its HELLO, its
	 * AUTH).
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

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
