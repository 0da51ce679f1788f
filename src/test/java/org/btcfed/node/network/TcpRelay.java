package org.btcfed.node.network;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A man in the middle on loopback: accepts connections, connects each to the target port and
 * copies bytes both ways on two threads, recording every byte it forwards. On request it flips
 * one bit in the dialler's next Noise message: it follows the dialler's framing (its 28 bytes of
 * multistream-select for {@code /noise}, then {@code u16 length || message} frames) and flips
 * the middle byte of the first message of at least 20 bytes that starts after the request.
 */
final class TcpRelay implements Closeable {

	/** What a libp2p dialler sends before Noise: the multistream header and {@code /noise}. */
	private static final int DIALLER_MSS_BYTES = 20 + 8;

	private final ServerSocket listener;

	private final int target;

	private final ByteArrayOutputStream fromDialler = new ByteArrayOutputStream();

	private final ByteArrayOutputStream toDialler = new ByteArrayOutputStream();

	private final AtomicBoolean flipNext = new AtomicBoolean();

	private final AtomicInteger flipped = new AtomicInteger();

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	TcpRelay(int target) throws IOException {
		this.target = target;
		this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		start("relay-accept", this::acceptAll);
	}

	int port() {
		return this.listener.getLocalPort();
	}

	/** Flips one bit in the dialler's next Noise message of at least 20 bytes. */
	void flipNextMessage() {
		this.flipNext.set(true);
	}

	int flipped() {
		return this.flipped.get();
	}

	/** Every byte forwarded from the dialler so far, on every connection. */
	byte[] fromDialler() {
		synchronized (this.fromDialler) {
			return this.fromDialler.toByteArray();
		}
	}

	/** Every byte forwarded to the dialler so far, on every connection. */
	byte[] toDialler() {
		synchronized (this.toDialler) {
			return this.toDialler.toByteArray();
		}
	}

	private void acceptAll() {
		while (!this.listener.isClosed()) {
			try {
				Socket dialler = keep(this.listener.accept());
				Socket upstream = keep(new Socket());
				try {
					upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.target), 5000);
				}
				catch (IOException ex) {
					// the target refused: so is the dialler
					dialler.close();
					continue;
				}
				start("relay-up", () -> pump(dialler, upstream, this.fromDialler, new Tamper()));
				start("relay-down", () -> pump(upstream, dialler, this.toDialler, null));
			}
			catch (IOException ex) {
				// the relay is closed
			}
		}
	}

	private void pump(Socket from, Socket to, ByteArrayOutputStream record, Tamper tamper) {
		byte[] chunk = new byte[16 * 1024];
		try (from; to) {
			InputStream in = from.getInputStream();
			OutputStream out = to.getOutputStream();
			int read;
			while ((read = in.read(chunk)) >= 0) {
				if (tamper != null) {
					tamper.apply(chunk, read);
				}
				synchronized (record) {
					record.write(chunk, 0, read);
				}
				out.write(chunk, 0, read);
				out.flush();
			}
		}
		catch (IOException ex) {
			// one side closed: both are closed by the try
		}
	}

	private Socket keep(Socket socket) {
		this.sockets.add(socket);
		return socket;
	}

	private static void start(String name, Runnable task) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() throws IOException {
		this.listener.close();
		for (Socket socket : this.sockets) {
			socket.close();
		}
	}

	/** Follows one dialler's framing, byte by byte, to flip a bit where asked. */
	private final class Tamper {

		private int skip = DIALLER_MSS_BYTES;

		private int lengthBytes;

		private int length;

		private int remaining;

		private int position;

		private int flipAt = -1;

		void apply(byte[] chunk, int count) {
			for (int i = 0; i < count; i++) {
				if (this.skip > 0) {
					this.skip--;
				}
				else if (this.remaining == 0) {
					this.length = (this.lengthBytes == 0) ? (chunk[i] & 0xff) << 8 : this.length | (chunk[i] & 0xff);
					this.lengthBytes = (this.lengthBytes + 1) % 2;
					if (this.lengthBytes == 0) {
						this.remaining = this.length;
						this.position = 0;
						this.flipAt = (this.length >= 20 && TcpRelay.this.flipNext.compareAndSet(true, false))
								? this.length / 2 : -1;
					}
				}
				else {
					if (this.position == this.flipAt) {
						chunk[i] ^= 0x01;
						TcpRelay.this.flipped.incrementAndGet();
					}
					this.position++;
					this.remaining--;
				}
			}
		}

	}

}
