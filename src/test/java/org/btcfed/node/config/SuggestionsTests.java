package org.btcfed.node.config;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Suggestions}.
 */
class SuggestionsTests {

	private static final List<String> SECTIONS = List.of("node", "network", "peers", "logging", "protocol");

	@Test
	void closestWhenOneLetterMissingShouldSuggestKey() {
		assertThat(Suggestions.closest("loging", SECTIONS)).isEqualTo("logging");
	}

	@Test
	void closestWhenOneLetterWrongShouldSuggestKey() {
		assertThat(Suggestions.closest("peerz", SECTIONS)).isEqualTo("peers");
	}

	@Test
	void closestWhenCaseDiffersShouldSuggestKey() {
		assertThat(Suggestions.closest("Network", SECTIONS)).isEqualTo("network");
	}

	@Test
	void closestWhenLongKeyHasThreeTyposShouldSuggestKey() {
		assertThat(Suggestions.closest("conection_timout_", List.of("connection_timeout")))
			.isEqualTo("connection_timeout");
	}

	@Test
	void closestWhenTooFarFromEveryKeyShouldSuggestNothing() {
		assertThat(Suggestions.closest("storage", SECTIONS)).isNull();
	}

	@Test
	void closestWhenShortKeyTwoEditsAwayShouldSuggestNothing() {
		assertThat(Suggestions.closest("nd", SECTIONS)).isNull();
	}

	@Test
	void closestWhenNoKnownKeysShouldSuggestNothing() {
		assertThat(Suggestions.closest("logging", List.of())).isNull();
	}

	@Test
	void unknownKeyMessageWhenCloseShouldAskDidYouMean() {
		assertThat(Suggestions.unknownKeyMessage("loging", SECTIONS))
			.isEqualTo("unknown key 'loging', did you mean 'logging'?");
	}

	@Test
	void unknownKeyMessageWhenFarShouldListKnownKeys() {
		assertThat(Suggestions.unknownKeyMessage("storage", SECTIONS))
			.isEqualTo("unknown key 'storage'; known keys here: node, network, peers, logging, protocol");
	}

	@Test
	void unknownKeyMessageWhenKeyKnownExactlyShouldStillSuggestIt() {
		assertThat(Suggestions.unknownKeyMessage("peers", List.of("peers"))).contains("did you mean 'peers'?");
	}

	@Test
	void closestWhenTwoNeighbouringLettersSwappedShouldSuggest() {
		assertThat(Suggestions.closest("levle", List.of("level", "format"))).isEqualTo("level");
	}

}
