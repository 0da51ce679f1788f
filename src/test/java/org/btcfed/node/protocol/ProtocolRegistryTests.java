package org.btcfed.node.protocol;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.btcfed.node.config.ConfYaml;
import org.btcfed.node.config.ConfigLoader;
import org.btcfed.node.config.ConfigSnapshot;
import org.btcfed.node.config.NodeKey;
import org.btcfed.node.network.NetworkManager;
import org.btcfed.node.network.ProtocolDispatcher;
import org.btcfed.node.network.ReadGate;
import org.btcfed.node.reload.ComponentUpdate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class ProtocolRegistryTests {

	@TempDir
	Path dir;

	NetworkManager network;

	ReadGate gate = new ReadGate();

	ConfigSnapshot startup;

	ProtocolRegistry registry;

	MessageProtocol messages;

	@BeforeEach
	void setUp() throws Exception {
		this.startup = write("1KB");
		this.network = new NetworkManager(this.startup, this.gate,
				new StaticListableBeanFactory().getBeanProvider(ProtocolDispatcher.class));
		StaticListableBeanFactory beans = new StaticListableBeanFactory();
		this.messages = new MessageProtocol(this.network, beans.getBeanProvider(ProtocolRegistry.class));
		PingProtocol ping = new PingProtocol(beans.getBeanProvider(ProtocolRegistry.class), this.gate);
		this.registry = new ProtocolRegistry(this.startup, List.of(ping, this.messages), this.gate);
		beans.addBean("registry", this.registry);
	}

	private ConfigSnapshot write(String maxMessageSize) throws Exception {
		Files.writeString(this.dir.resolve("conf.yaml"), ConfYaml.withNetwork("node:\n  private_key: \"" + KEY + "\"\n"
				+ "network:\n  addresses: [/ip4/127.0.0.1/tcp/0]\nprotocol:\n  max_message_size: " + maxMessageSize
				+ "\n  ping_interval: 5s\n"));
		return new ConfigLoader(this.dir).load();
	}

	private static final String KEY = NodeKey.generate().encoded();

	@AfterEach
	void tearDown() {
		this.network.destroy();
	}

	@Test
	void registryShouldKnowItsProtocolsAndRefuseDuplicateIds() {
		assertThat(this.registry.protocols()).containsExactly("/btcfed/msg/1.0.0", "/ipfs/ping/1.0.0");
		assertThatIllegalStateException()
			.isThrownBy(() -> new ProtocolRegistry(this.startup, List.of(this.messages, this.messages), this.gate))
			.withMessageContaining("'/btcfed/msg/1.0.0'");
	}

	@Test
	void applyShouldSwapSettingsForTheNextMessage() throws Exception {
		ConfigSnapshot larger = write("4KB");
		byte[] message = new byte[2048];
		assertThatIllegalArgumentException().isThrownBy(() -> this.messages.broadcast(message))
			.withMessageContaining("protocol.max_message_size (1024 bytes)");
		this.registry.apply(new ComponentUpdate(this.startup, larger, List.of()));
		assertThat(this.registry.settings().maxMessageSize()).isEqualTo(DataSize.ofKilobytes(4));
		assertThat(this.messages.broadcast(message)).isZero();
		this.registry.rollback(new ComponentUpdate(this.startup, larger, List.of()));
		assertThat(this.registry.settings().maxMessageSize()).isEqualTo(DataSize.ofKilobytes(1));
	}

	@Test
	void isolateShouldPauseReadsUntilClosed() {
		try (var isolation = this.registry.isolate()) {
			assertThat(this.gate.isPaused()).isTrue();
		}
		assertThat(this.gate.isPaused()).isFalse();
	}

	@Test
	void sendWhenPeerNotConnectedShouldSaySo() {
		assertThatIllegalStateException().isThrownBy(() -> this.messages.send("nobody", new byte[1]))
			.withMessageContaining("not connected");
	}

}
