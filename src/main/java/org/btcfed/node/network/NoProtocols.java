package org.btcfed.node.network;

import org.jspecify.annotations.Nullable;

/** Used when no protocol layer is present (e.g. in tests of the transport alone). */
final class NoProtocols implements ProtocolDispatcher {

	static final NoProtocols INSTANCE = new NoProtocols();

	private NoProtocols() {
	}

	@Override
	public void connected(Connection connection) {
	}

	@Override
	public boolean supports(String protocol) {
		return false;
	}

	@Override
	public @Nullable ProtocolStreamHandler inbound(Connection connection, ProtocolStream stream) {
		return null;
	}

	@Override
	public void disconnected(Connection connection) {
	}

}
