package org.btcfed.node.config;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A TCP multiaddr as btc-federation writes them: {@code /ip4/127.0.0.1/tcp/9000},
 * {@code /ip6/::1/tcp/9000}, {@code /dns4/node-a.example/tcp/9000} or {@code /dns6/...},
 * optionally followed by the peer's id, {@code /p2p/12D3KooW...}. Parsed once, at the edge; the
 * rest of the node works with this type. {@link #toBytes()} and {@link #fromBytes(byte[])} are
 * the binary form identify carries.
 *
 * @param protocol {@code ip4}, {@code ip6}, {@code dns4} or {@code dns6}
 * @param host the address or host name
 * @param port the TCP port, 0 to 65535 (0 only makes sense for listening on any free port)
 * @param peerId the peer that should answer there, when the address names one
 */
public record Multiaddr(String protocol, String host, int port, @Nullable PeerId peerId) {

	/**
	 * An address that names no peer.
	 * @param protocol {@code ip4}, {@code ip6}, {@code dns4} or {@code dns6}
	 * @param host the address or host name
	 * @param port the TCP port
	 */
	public Multiaddr(String protocol, String host, int port) {
		this(protocol, host, port, null);
	}

	private static final Pattern IPV4 = Pattern
		.compile("^((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)$");

	/** Characters of an IPv6 literal; starting with a hex digit or ':' keeps InetAddress off DNS. */
	private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:][0-9a-fA-F:.]*$");

	private static final Pattern DNS_NAME = Pattern
		.compile("^(?=.{1,253}$)([a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)(\\.[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*\\.?$");

	/**
	 * Parses a multiaddr.
	 * @param text the multiaddr
	 * @return the parsed address
	 * @throws IllegalArgumentException with a message that says what is wrong
	 */
	public static Multiaddr parse(String text) {
		String[] parts = text.split("/", -1);
		if ((parts.length != 5 && parts.length != 7) || !parts[0].isEmpty()) {
			throw new IllegalArgumentException("must be a multiaddr like /ip4/127.0.0.1/tcp/9000, was '" + text + "'");
		}
		String protocol = parts[1].toLowerCase(Locale.ROOT);
		String host = parts[2];
		if (!"tcp".equals(parts[3])) {
			throw new IllegalArgumentException(
					"only tcp transports are supported (/" + protocol + "/<host>/tcp/<port>), was '" + text + "'");
		}
		switch (protocol) {
			case "ip4" -> require(isIpv4(host), "'" + host + "' is not an IPv4 address", text);
			case "ip6" -> require(isIpv6(host), "'" + host + "' is not an IPv6 address", text);
			case "dns4", "dns6" -> require(DNS_NAME.matcher(host).matches(), "'" + host + "' is not a host name", text);
			default -> throw new IllegalArgumentException(
					"protocol must be one of ip4, ip6, dns4, dns6, was '" + parts[1] + "' in '" + text + "'");
		}
		int port;
		try {
			port = Integer.parseInt(parts[4]);
		}
		catch (NumberFormatException ex) {
			throw new IllegalArgumentException("port must be a number, was '" + parts[4] + "' in '" + text + "'");
		}
		require(port >= 0 && port <= 65535, "port must be between 0 and 65535, was " + port, text);
		return new Multiaddr(protocol, host, port, (parts.length == 7) ? peerId(parts[5], parts[6], text) : null);
	}

	/**
	 * Parses an address to listen on: one that names no peer.
	 * @param text the multiaddr
	 * @return the parsed address
	 * @throws IllegalArgumentException with a message that says what is wrong
	 */
	public static Multiaddr parseListen(String text) {
		Multiaddr address = parse(text);
		require(address.peerId == null, "a listen address cannot name a peer (/p2p/...)", text);
		return address;
	}

	private static PeerId peerId(String protocol, String id, String text) {
		require("p2p".equals(protocol), "only /p2p/<peer id> may follow the port, was '/" + protocol + "'", text);
		try {
			return PeerId.parse(id);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalArgumentException("/p2p/: " + ex.getMessage() + " in '" + text + "'");
		}
	}

	static boolean isIpv4(String host) {
		return IPV4.matcher(host).matches();
	}

	/** The pattern alone would let through e.g. {@code 1::2::3}; the JDK's literal parser does not. */
	static boolean isIpv6(String host) {
		if (!IPV6.matcher(host).matches() || !host.contains(":")) {
			return false;
		}
		try {
			return InetAddress.getByName(host) != null;
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	private static void require(boolean condition, String message, String text) {
		if (!condition) {
			throw new IllegalArgumentException(message + " in '" + text + "'");
		}
	}

	/**
	 * Resolves this address to a socket address. IP addresses never touch DNS.
	 * @return the socket address
	 * @throws UnknownHostException when a DNS name does not resolve
	 */
	public InetSocketAddress toSocketAddress() throws UnknownHostException {
		return new InetSocketAddress(InetAddress.getByName(this.host), this.port);
	}

	/**
	 * Formats a socket address as a multiaddr, e.g. for a connection's remote address.
	 * @param address the socket address
	 * @return the multiaddr
	 */
	public static Multiaddr of(InetSocketAddress address) {
		InetAddress inet = address.getAddress();
		boolean v6 = inet != null && inet.getAddress().length == 16;
		String host = (inet != null) ? inet.getHostAddress() : address.getHostString();
		return new Multiaddr(v6 ? "ip6" : "ip4", host, address.getPort());
	}

	/**
	 * @return this address without its {@code /p2p} component, where to dial or listen
	 */
	public Multiaddr withoutPeerId() {
		return (this.peerId != null) ? new Multiaddr(this.protocol, this.host, this.port) : this;
	}

	/**
	 * The binary form, {@code uvarint(code) || value} per component, as identify's
	 * {@code listenAddrs} and {@code observedAddr} carry it.
	 * @return the bytes
	 */
	public byte[] toBytes() {
		return MultiaddrBytes.encode(this);
	}

	/**
	 * Reads the binary form.
	 * @param bytes {@code /ip4}, {@code /ip6}, {@code /dns4} or {@code /dns6}, then {@code /tcp}, then
	 * optionally {@code /p2p}
	 * @return the address
	 * @throws IllegalArgumentException when the bytes are malformed or hold other components
	 * (e.g. {@code /quic-v1}), which this node cannot dial; the caller may skip such an address
	 */
	public static Multiaddr fromBytes(byte[] bytes) {
		return MultiaddrBytes.decode(bytes);
	}

	@Override
	public String toString() {
		return "/" + this.protocol + "/" + this.host + "/tcp/" + this.port
				+ ((this.peerId != null) ? "/p2p/" + this.peerId : "");
	}

}
