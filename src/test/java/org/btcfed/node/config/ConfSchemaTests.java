package org.btcfed.node.config;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConfSchema}.
 */
class ConfSchemaTests {

	@Test
	void keysShouldKeepDeclarationOrder() {
		assertThat(ConfSchema.SECTIONS).containsExactly("node", "network", "peers", "logging", "protocol");
		assertThat(ConfSchema.KEYS.keySet()).startsWith("node.private_key", "network.addresses",
				"network.max_connections");
	}

	@Test
	void keysOfShouldListSectionKeysSorted() {
		assertThat(ConfSchema.keysOf("protocol")).containsExactly("max_message_size", "ping_interval");
		assertThat(ConfSchema.keysOf("nothing")).isEmpty();
	}

	@Test
	void defaultsWhenFormattedShouldParseBackToThemselves() {
		for (KeySpec spec : ConfSchema.KEYS.values()) {
			if (spec.list()) {
				for (Object element : (List<?>) spec.defaultValue()) {
					assertThat(spec.converter().apply(ConfSchema.format(element))).as(spec.key()).isEqualTo(element);
				}
			}
			else {
				assertThat(spec.converter().apply(ConfSchema.format(spec.defaultValue()))).as(spec.key())
					.isEqualTo(spec.defaultValue());
			}
		}
	}

	@Test
	void onlyThePrivateKeyShouldBeSecret() {
		assertThat(ConfSchema.KEYS.values()).filteredOn(KeySpec::secret)
			.extracting(KeySpec::key)
			.containsExactly("node.private_key");
	}

	@Test
	void formatWhenDurationShouldUseLargestExactUnit() {
		assertThat(ConfSchema.format(Duration.ofSeconds(10))).isEqualTo("10s");
		assertThat(ConfSchema.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
		assertThat(ConfSchema.format(Duration.ofMinutes(120))).isEqualTo("2h");
		assertThat(ConfSchema.format(Duration.ofDays(3))).isEqualTo("3d");
		assertThat(ConfSchema.format(Duration.ofNanos(1_000_001))).isEqualTo("1000001ns");
	}

	@Test
	void formatWhenSizeShouldUseLargestExactUnit() {
		assertThat(ConfSchema.format(DataSize.ofMegabytes(10))).isEqualTo("10MB");
		assertThat(ConfSchema.format(DataSize.ofKilobytes(1536))).isEqualTo("1536KB");
		assertThat(ConfSchema.format(DataSize.ofGigabytes(1))).isEqualTo("1GB");
		assertThat(ConfSchema.format(DataSize.ofBytes(1000))).isEqualTo("1000B");
	}

	@Test
	void formatWhenEnumOrOtherShouldWriteAsInYaml() {
		assertThat(ConfSchema.format(NodeConfig.LogLevel.WARN)).isEqualTo("warn");
		assertThat(ConfSchema.format(NodeConfig.LogFormat.JSON)).isEqualTo("json");
		assertThat(ConfSchema.format(128)).isEqualTo("128");
		assertThat(ConfSchema.format(Multiaddr.parse("/ip6/::1/tcp/1"))).isEqualTo("/ip6/::1/tcp/1");
	}

}
