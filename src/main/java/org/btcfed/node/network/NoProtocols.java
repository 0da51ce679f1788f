package org.btcfed.node.network;

/** Used when no protocol layer is present (e.g. in tests of the transport alone). */
final class NoProtocols implements ProtocolDispatcher {

	static final NoProtocols INSTANCE = new NoProtocols();

	private NoProtocols() {
	}

	@Override
	public void connected(Connection connection) {
	}

	@Override
	public void message(Connection connection, String protocol, byte[] payload) {
	}

	@Override
	public void disconnected(Connection connection) {
	}

}
