package org.btcfed.node.config;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The binary multiaddr codec behind {@link Multiaddr#toBytes()} and
 * {@link Multiaddr#fromBytes(byte[])}: {@code uvarint(code) || value} per component, with the
 * codes of the multicodec table. It carries its own two varint loops because {@code config}
 * depends on no other part of the node (the network's {@code Varint} works on Netty buffers).
 */
final class MultiaddrBytes {

	private static final int IP4 = 0x04;

	private static final int TCP = 0x06;

	private static final int IP6 = 0x29;

	private static final int DNS4 = 0x36;

	private static final int DNS6 = 0x37;

	private static final int P2P = 0x01a5;

	private MultiaddrBytes() {
	}

	static byte[] encode(Multiaddr address) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		switch (address.protocol()) {
			case "ip4" -> writeComponent(out, IP4, ipBytes(address.host(), 4));
			case "ip6" -> writeComponent(out, IP6, ipBytes(address.host(), 16));
			case "dns4", "dns6" -> {
				byte[] name = address.host().getBytes(StandardCharsets.UTF_8);
				writeVarint(out, "dns4".equals(address.protocol()) ? DNS4 : DNS6);
				writeVarint(out, name.length);
				out.writeBytes(name);
			}
			default -> throw new IllegalStateException("cannot encode protocol '" + address.protocol() + "'");
		}
		writeComponent(out, TCP, new byte[] { (byte) (address.port() >>> 8), (byte) address.port() });
		PeerId peerId = address.peerId();
		if (peerId != null) {
			byte[] multihash = peerId.bytes();
			writeVarint(out, P2P);
			writeVarint(out, multihash.length);
			out.writeBytes(multihash);
		}
		return out.toByteArray();
	}

	private static void writeComponent(ByteArrayOutputStream out, int code, byte[] value) {
		writeVarint(out, code);
		out.writeBytes(value);
	}

	/** The address bytes of an IP literal; never asks DNS, also for a record built by hand. */
	private static byte[] ipBytes(String host, int length) {
		boolean literal = (length == 4) ? Multiaddr.isIpv4(host) : Multiaddr.isIpv6(host);
		if (!literal) {
			throw new IllegalStateException("'" + host + "' is not an IP address literal");
		}
		try {
			byte[] bytes = InetAddress.getByName(host).getAddress();
			if (bytes.length == 4 && length == 16) {
				// The JDK turns ::ffff:a.b.c.d into an IPv4 address; /ip6 keeps the mapped form.
				byte[] mapped = new byte[16];
				mapped[10] = (byte) 0xFF;
				mapped[11] = (byte) 0xFF;
				System.arraycopy(bytes, 0, mapped, 12, 4);
				return mapped;
			}
			return bytes;
		}
		catch (UnknownHostException ex) {
			throw new IllegalStateException("'" + host + "' is not an IP address literal", ex);
		}
	}

	static Multiaddr decode(byte[] bytes) {
		Reader in = new Reader(bytes);
		int code = in.varint();
		String protocol;
		String host;
		try {
			switch (code) {
				case IP4 -> {
					protocol = "ip4";
					host = InetAddress.getByAddress(in.bytes(4)).getHostAddress();
				}
				case IP6 -> {
					protocol = "ip6";
					host = Inet6Address.getByAddress(null, in.bytes(16), -1).getHostAddress();
				}
				case DNS4, DNS6 -> {
					protocol = (code == DNS4) ? "dns4" : "dns6";
					host = new String(in.bytes(in.varint()), StandardCharsets.UTF_8);
				}
				default -> throw unsupported(code, "an address (ip4, ip6, dns4, dns6)");
			}
		}
		catch (UnknownHostException ex) {
			throw new IllegalArgumentException("malformed multiaddr: bad IP address", ex);
		}
		int tcp = in.varint();
		if (tcp != TCP) {
			throw unsupported(tcp, "tcp");
		}
		byte[] port = in.bytes(2);
		String text = "/" + protocol + "/" + host + "/tcp/" + (((port[0] & 0xFF) << 8) | (port[1] & 0xFF));
		if (in.hasMore()) {
			int p2p = in.varint();
			if (p2p != P2P) {
				throw unsupported(p2p, "p2p or the end");
			}
			text += "/p2p/" + PeerId.fromBytes(in.bytes(in.varint()));
		}
		if (in.hasMore()) {
			throw new IllegalArgumentException("malformed multiaddr: " + in.remaining() + " bytes after /p2p");
		}
		return Multiaddr.parse(text);
	}

	private static IllegalArgumentException unsupported(int code, String expected) {
		return new IllegalArgumentException(
				"unsupported multiaddr: component code 0x" + Integer.toHexString(code) + " where " + expected + " was expected");
	}

	private static void writeVarint(ByteArrayOutputStream out, int value) {
		int rest = value;
		while ((rest & ~0x7F) != 0) {
			out.write((rest & 0x7F) | 0x80);
			rest >>>= 7;
		}
		out.write(rest);
	}

	/** Reads components; every shortfall is a clear {@link IllegalArgumentException}. */
	private static final class Reader {

		private final byte[] bytes;

		private int position;

		Reader(byte[] bytes) {
			this.bytes = bytes;
		}

		/** A varint of at most 4 bytes (28 bits): multiaddr codes and lengths are small. */
		int varint() {
			int value = 0;
			for (int i = 0; i < 4; i++) {
				if (this.position == this.bytes.length) {
					throw new IllegalArgumentException("malformed multiaddr: it ends inside a varint");
				}
				int b = this.bytes[this.position++] & 0xFF;
				value |= (b & 0x7F) << (7 * i);
				if ((b & 0x80) == 0) {
					if (b == 0 && i > 0) {
						throw new IllegalArgumentException("malformed multiaddr: varint not minimally encoded");
					}
					return value;
				}
			}
			throw new IllegalArgumentException("malformed multiaddr: varint too long");
		}

		byte[] bytes(int length) {
			if (length > remaining()) {
				throw new IllegalArgumentException(
						"malformed multiaddr: " + length + " bytes expected, " + remaining() + " left");
			}
			this.position += length;
			return Arrays.copyOfRange(this.bytes, this.position - length, this.position);
		}

		boolean hasMore() {
			return this.position < this.bytes.length;
		}

		int remaining() {
			return this.bytes.length - this.position;
		}

	}

}
