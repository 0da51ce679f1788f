package org.btcfed.node.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for how conf.yaml's values are bound and checked against {@link ConfSchema}: unknown
 * keys, wrong shapes and values that break a rule, each reported with its key and location.
 */
class ConfBinderTests {

	@TempDir
	Path dir;

	@Test
	void loadWhenSectionMisspelledShouldSuggestClosestSection() throws IOException {
		ConfigError error = singleError("loging:\n  level: info\n");
		assertThat(error.key()).isEqualTo("loging");
		assertThat(error.message()).isEqualTo("unknown key 'loging', did you mean 'logging'?");
		assertThat(error.line()).isEqualTo(1);
		assertThat(error.column()).isEqualTo(1);
	}

	@Test
	void loadWhenNestedKeyMisspelledShouldSuggestClosestKey() throws IOException {
		ConfigError error = singleError("logging:\n  levl: debug\n");
		assertThat(error.key()).isEqualTo("logging.levl");
		assertThat(error.message()).contains("did you mean 'level'?");
		assertThat(error.line()).isEqualTo(2);
		assertThat(error.column()).isEqualTo(3);
	}

	@Test
	void loadWhenKeyUnlikeAnyKnownShouldListKnownKeysInSchemaOrder() throws IOException {
		ConfigError error = singleError("storage:\n  path: /tmp\n");
		assertThat(error.message())
			.isEqualTo("unknown key 'storage'; known keys here: node, network, peers, logging, protocol");
	}

	@Test
	void loadWhenNestedKeyUnknownShouldListSectionKeys() throws IOException {
		ConfigError error = singleError("peers:\n  retry_backoff: 5s\n");
		assertThat(error.key()).isEqualTo("peers.retry_backoff");
		assertThat(error.message()).endsWith("known keys here: connection_timeout");
	}

	@Test
	void loadWhenThreeValuesBadShouldReportThreeErrorsWithTheirLines() throws IOException {
		List<ConfigError> errors = errors("""
				network:
				  max_connections: 0
				  addresses: [/ip4/127.0.0.1/tcp/0]
				peers:
				  connection_timeout: 10
				logging:
				  level: verbose
				  format: json
				""");
		assertThat(errors).extracting(ConfigError::key, ConfigError::line, ConfigError::column)
			.containsExactly(tuple("network.max_connections", 2, 20), tuple("peers.connection_timeout", 5, 23),
					tuple("logging.level", 7, 10));
	}

	@Test
	void loadWhenMaxConnectionsZeroShouldNameKeyAndRule() throws IOException {
		ConfigError error = singleError("network:\n  max_connections: 0\n");
		assertThat(error.describe())
			.isEqualTo("conf.yaml:2:20: network.max_connections: must be between 1 and 65535, was 0");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			network.max_connections  | lots     | must be a whole number between 1 and 65535, was 'lots'
			network.max_connections  | 65536    | must be between 1 and 65535, was 65536
			network.max_connections  | 1.5      | must be a whole number between 1 and 65535, was '1.5'
			peers.connection_timeout | 10       | must be a duration with a unit, like 500ms, 10s or 2m, was '10'
			peers.connection_timeout | 1.5s     | must be a duration with a unit, like 500ms, 10s or 2m, was '1.5s'
			peers.connection_timeout | 50ms     | must be between 100ms and 10m, was 50ms
			peers.connection_timeout | 11m      | must be between 100ms and 10m, was 11m
			protocol.ping_interval   | -5s      | must be a duration with a unit, like 500ms, 10s or 2m, was '-5s'
			protocol.ping_interval   | 2h       | must be between 1s and 1h, was 2h
			logging.file_max_size    | 10       | must be a size with a unit, like 512KB or 10MB, was '10'
			logging.file_max_size    | 10 MB    | must be a size with a unit, like 512KB or 10MB, was '10 MB'
			logging.file_max_size    | 512B     | must be between 1KB and 1GB, was 512B
			logging.file_max_size    | 2GB      | must be between 1KB and 1GB, was 2GB
			protocol.max_message_size| 17MB     | must be between 1KB and 16MB, was 17MB
			logging.file_max_history | 0        | must be between 1 and 1000, was 0
			logging.level            | verbose  | must be one of debug, info, warn, error, was 'verbose'
			logging.format           | xml      | must be one of json, text, was 'xml'
			logging.console_output   | maybe    | must be true or false, was 'maybe'
			logging.file_output      | 1        | must be true or false, was '1'
			logging.file_name        | "' '"    | must not be empty
			""")
	void loadWhenValueBreaksRuleShouldNameKeyAndRule(String key, String value, String message) throws IOException {
		String[] parts = key.split("\\.");
		ConfigError error = singleError(parts[0] + ":\n  " + parts[1] + ": " + value + "\n");
		assertThat(error.key()).isEqualTo(key);
		assertThat(error.message()).isEqualTo(message);
		assertThat(error.line()).isEqualTo(2);
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			network.max_connections   | 99999999999
			peers.connection_timeout  | 99999999999999999999s
			peers.connection_timeout  | 999999999999999d
			logging.file_max_size     | 99999999999999999999GB
			protocol.max_message_size | 9999999999GB
			""")
	void loadWhenValueOverflowsShouldReportItAsAnError(String key, String value) throws IOException {
		String[] parts = key.split("\\.");
		ConfigError error = singleError(parts[0] + ":\n  " + parts[1] + ": " + value + "\n");
		assertThat(error.key()).isEqualTo(key);
		assertThat(error.message()).contains(value);
	}

	@Test
	void loadWhenFileNameHasNulShouldReject() throws IOException {
		ConfigError error = singleError("logging:\n  file_name: \"node\\0.log\"\n");
		assertThat(error.key()).isEqualTo("logging.file_name");
		assertThat(error.message()).isEqualTo("must not contain NUL characters");
	}

	@Test
	void loadWhenSizeInLowerCaseShouldAccept() throws IOException {
		NodeConfig config = load("logging:\n  file_max_size: 20mb\n");
		assertThat(config.logging().fileMaxSize().toMegabytes()).isEqualTo(20);
	}

	@Test
	void loadWhenEnumInUpperCaseShouldAccept() throws IOException {
		assertThat(load("logging:\n  level: DEBUG\n").logging().level()).isEqualTo(NodeConfig.LogLevel.DEBUG);
	}

	@Test
	void loadWhenQuotedNumberShouldAccept() throws IOException {
		assertThat(load("network:\n  max_connections: \"64\"\n").network().maxConnections()).isEqualTo(64);
	}

	@Test
	void loadWhenListGivenForScalarShouldReportShape() throws IOException {
		ConfigError error = singleError("logging:\n  level: [info, debug]\n");
		assertThat(error.key()).isEqualTo("logging.level");
		assertThat(error.message()).isEqualTo("must be a single value, not a list");
	}

	@Test
	void loadWhenMappingGivenForScalarShouldReportShape() throws IOException {
		ConfigError error = singleError("network:\n  max_connections:\n    value: 3\n");
		assertThat(error.message()).isEqualTo("must be a single value, not a mapping");
		assertThat(error.line()).isEqualTo(3);
	}

	@Test
	void loadWhenScalarGivenForListShouldReportShape() throws IOException {
		ConfigError error = singleError("network:\n  addresses: /ip4/0.0.0.0/tcp/9000\n");
		assertThat(error.key()).isEqualTo("network.addresses");
		assertThat(error.message()).isEqualTo("must be a list, not a single value");
	}

	@Test
	void loadWhenSectionIsScalarShouldReportShape() throws IOException {
		ConfigError error = singleError("logging: verbose\n");
		assertThat(error.key()).isEqualTo("logging");
		assertThat(error.message()).isEqualTo("must be a mapping of keys to values, not a single value");
	}

	@Test
	void loadWhenListElementIsAListShouldReportElement() throws IOException {
		ConfigError error = singleError("network:\n  addresses:\n    - [/ip4/0.0.0.0/tcp/9000]\n");
		assertThat(error.key()).isEqualTo("network.addresses[0]");
		assertThat(error.message()).isEqualTo("must be a single value, not a list");
	}

	@Test
	void loadWhenKeyIsNotAPlainNameShouldReportIt() throws IOException {
		ConfigError error = singleError("logging:\n  ? [level]\n  : info\n");
		assertThat(error.key()).isEqualTo("logging");
		assertThat(error.message()).isEqualTo("keys must be plain names");
	}

	@Test
	void loadWhenAddressesEmptyShouldRequireOne() throws IOException {
		ConfigError error = singleError("network:\n  addresses: []\n");
		assertThat(error.key()).isEqualTo("network.addresses");
		assertThat(error.message()).isEqualTo("must list at least one entry");
	}

	@Test
	void loadWhenAddressListedTwiceShouldReportDuplicate() throws IOException {
		ConfigError error = singleError("""
				network:
				  addresses:
				    - /ip4/0.0.0.0/tcp/9000
				    - /ip4/127.0.0.1/tcp/9001
				    - /IP4/0.0.0.0/tcp/9000
				""");
		assertThat(error.key()).isEqualTo("network.addresses[2]");
		assertThat(error.line()).isEqualTo(5);
		assertThat(error.message()).isEqualTo("duplicate entry /ip4/0.0.0.0/tcp/9000");
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
			ip4/1.2.3.4/tcp/9000          | must be a multiaddr like /ip4/127.0.0.1/tcp/9000
			/ip4/1.2.3.4/tcp              | must be a multiaddr like /ip4/127.0.0.1/tcp/9000
			/ip4/1.2.3.4/udp/9000         | only tcp transports are supported
			/ip7/1.2.3.4/tcp/9000         | protocol must be one of ip4, ip6, dns4, dns6
			/ip4/256.1.1.1/tcp/9000       | '256.1.1.1' is not an IPv4 address
			/ip6/1::2::3/tcp/9000         | '1::2::3' is not an IPv6 address
			/dns4/-bad-.example/tcp/9000  | '-bad-.example' is not a host name
			/ip4/1.2.3.4/tcp/http         | port must be a number
			/ip4/1.2.3.4/tcp/70000        | port must be between 0 and 65535, was 70000
			/ip4/1.2.3.4/tcp/9000/p2p/12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq | a listen address cannot name a peer (/p2p/...)
			""")
	void loadWhenAddressMalformedShouldReportItsForm(String address, String message) throws IOException {
		ConfigError error = singleError("network:\n  addresses:\n    - /ip4/0.0.0.0/tcp/9000\n    - " + address + "\n");
		assertThat(error.key()).isEqualTo("network.addresses[1]");
		assertThat(error.line()).isEqualTo(4);
		assertThat(error.column()).isEqualTo(7);
		assertThat(error.message()).contains(message).contains("'" + address + "'");
	}

	@Test
	void loadWhenSectionWrittenTwiceShouldReportDuplicateKey() throws IOException {
		ConfigError error = singleError("""
				logging:
				  level: info
				network:
				  max_connections: 3
				  addresses: [/ip4/127.0.0.1/tcp/0]
				logging:
				  level: debug
				""");
		assertThat(error.key()).isEqualTo("logging");
		assertThat(error.line()).isEqualTo(6);
		assertThat(error.message()).isEqualTo("duplicate key 'logging', first written at line 1");
	}

	@Test
	void loadWhenNestedKeyWrittenTwiceShouldReportDuplicateKey() throws IOException {
		ConfigError error = singleError("logging:\n  level: info\n  format: json\n  level: debug\n");
		assertThat(error.key()).isEqualTo("logging.level");
		assertThat(error.line()).isEqualTo(4);
		assertThat(error.message()).contains("duplicate key 'level'");
	}

	@Test
	void loadWhenExplicitTagOnScalarShouldReject() throws IOException {
		ConfigError error = singleError("network:\n  max_connections: !!binary AAAA\n");
		assertThat(error.key()).isEqualTo("network.max_connections");
		assertThat(error.message()).isEqualTo("YAML tags are not allowed here, found tag:yaml.org,2002:binary");
	}

	@Test
	void loadWhenLocalTagOnSectionShouldReject() throws IOException {
		ConfigError error = singleError("logging: !custom\n  level: info\n");
		assertThat(error.key()).isEqualTo("logging");
		assertThat(error.message()).isEqualTo("YAML tags are not allowed here, found !custom");
	}

	@Test
	void loadWhenSetTagOnListKeyShouldReject() throws IOException {
		ConfigError error = singleError("network:\n  addresses: !!set {/ip4/0.0.0.0/tcp/9000}\n");
		assertThat(error.key()).isEqualTo("network.addresses");
		assertThat(error.message()).startsWith("must be a list");
	}

	@Test
	void loadWhenOmapTagOnListShouldReject() throws IOException {
		ConfigError error = singleError("network:\n  addresses: !!omap [a: 1]\n");
		assertThat(error.message()).isEqualTo("YAML tags are not allowed here, found tag:yaml.org,2002:omap");
	}

	@Test
	void loadWhenMergeKeyUsedShouldRejectAsUnknownKey() throws IOException {
		List<ConfigError> errors = errors("base: &base\n  level: info\nlogging:\n  <<: *base\n");
		assertThat(errors).extracting(ConfigError::key).containsExactly("base", "logging.<<");
	}

	private NodeConfig load(String conf) throws IOException {
		Files.writeString(this.dir.resolve("conf.yaml"), ConfYaml.withNetwork(conf), StandardCharsets.UTF_8);
		return new ConfigLoader(this.dir).load(true).config();
	}

	private List<ConfigError> errors(String conf) throws IOException {
		Files.writeString(this.dir.resolve("conf.yaml"), ConfYaml.withNetwork(conf), StandardCharsets.UTF_8);
		ConfigException ex = catchThrowableOfType(ConfigException.class, () -> new ConfigLoader(this.dir).load(true));
		assertThat(ex).as("conf.yaml should have been rejected").isNotNull();
		assertThat(ex.getErrors()).allSatisfy((error) -> assertThat(error.file()).isEqualTo("conf.yaml"));
		return ex.getErrors();
	}

	private ConfigError singleError(String conf) throws IOException {
		List<ConfigError> errors = errors(conf);
		assertThat(errors).hasSize(1);
		return errors.get(0);
	}

}
