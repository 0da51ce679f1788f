package org.btcfed.node.network;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link LogThrottle}, on a clock the tests move by hand.
 */
class LogThrottleTests {

	private static final Duration HOUR = Duration.ofHours(1);

	private final TestClock clock = new TestClock(Instant.parse("2026-11-24T10:02:11Z"));

	private final LogThrottle throttle = new LogThrottle(this.clock, HOUR, 1024);

	@Test
	void recordWhenKeyIsNewShouldLogAtOnce() {
		assertThat(this.throttle.record("k1 10.0.0.1")).isEmpty();
	}

	@Test
	void recordWhenKeyRepeatsWithinTheWindowShouldStaySilent() {
		this.throttle.record("k1 10.0.0.1");
		for (int i = 0; i < 37; i++) {
			this.clock.advance(Duration.ofSeconds(10));
			assertThat(this.throttle.record("k1 10.0.0.1")).isNull();
		}
		this.clock.set(Instant.parse("2026-11-24T11:02:10.999Z"));
		assertThat(this.throttle.record("k1 10.0.0.1")).isNull();
	}

	@Test
	void recordWhenTheWindowHasPassedShouldLogOnceWithTheCountHeldBackAndStartANewWindow() {
		this.throttle.record("k1 10.0.0.1");
		for (int i = 0; i < 37; i++) {
			this.clock.advance(Duration.ofSeconds(10));
			this.throttle.record("k1 10.0.0.1");
		}
		this.clock.set(Instant.parse("2026-11-24T11:02:11Z"));
		assertThat(this.throttle.record("k1 10.0.0.1")).isEqualTo(" (37 more since 10:02:11)");
		this.clock.advance(Duration.ofMinutes(5));
		assertThat(this.throttle.record("k1 10.0.0.1")).isNull();
		this.clock.advance(HOUR);
		assertThat(this.throttle.record("k1 10.0.0.1")).isEqualTo(" (1 more since 11:02:11)");
	}

	@Test
	void recordWhenNothingWasHeldBackShouldLogWithoutACount() {
		this.throttle.record("k1 10.0.0.1");
		this.clock.advance(HOUR.multipliedBy(3));
		assertThat(this.throttle.record("k1 10.0.0.1")).isEmpty();
	}

	@Test
	void recordWhenTheLastLineIsFromAnotherDayShouldShowItsDate() {
		this.throttle.record("k1 10.0.0.1");
		this.clock.advance(Duration.ofMinutes(1));
		this.throttle.record("k1 10.0.0.1");
		this.clock.advance(Duration.ofDays(2));
		assertThat(this.throttle.record("k1 10.0.0.1")).isEqualTo(" (1 more since 2026-11-24 10:02:11)");
	}

	@Test
	void recordShouldShowTheTimeInTheZoneOfTheClock() {
		TestClock paris = new TestClock(Instant.parse("2026-11-24T10:02:11Z"), ZoneId.of("Europe/Paris"));
		LogThrottle throttle = new LogThrottle(paris, HOUR, 1024);
		throttle.record("k1 10.0.0.1");
		throttle.record("k1 10.0.0.1");
		paris.advance(HOUR);
		assertThat(throttle.record("k1 10.0.0.1")).isEqualTo(" (1 more since 11:02:11)");
	}

	@Test
	void recordWhenKeyOrAddressDiffersShouldLogEachOnItsOwn() {
		assertThat(this.throttle.record(List.of("k1", "10.0.0.1"))).isEmpty();
		assertThat(this.throttle.record(List.of("k1", "10.0.0.2"))).isEmpty();
		assertThat(this.throttle.record(List.of("k2", "10.0.0.1"))).isEmpty();
		assertThat(this.throttle.record(List.of("k1", "10.0.0.1"))).isNull();
		assertThat(this.throttle.record(List.of("k1", "10.0.0.2"))).isNull();
		assertThat(this.throttle.record(List.of("k2", "10.0.0.1"))).isNull();
		this.clock.advance(HOUR);
		this.throttle.record(List.of("k1", "10.0.0.2"));
		assertThat(this.throttle.record(List.of("k1", "10.0.0.1"))).isEqualTo(" (1 more since 10:02:11)");
	}

	@Test
	void recordWhenTheClockIsSetBackShouldEndTheWindow() {
		this.throttle.record("k1 10.0.0.1");
		this.throttle.record("k1 10.0.0.1");
		this.clock.advance(Duration.ofDays(-1));
		assertThat(this.throttle.record("k1 10.0.0.1")).isEqualTo(" (1 more since 2026-11-24 10:02:11)");
	}

	@Test
	void recordWhenKeysCycleShouldRememberAtMostTheCapacityAndForgetTheKeyLoggedLongestAgo() {
		LogThrottle small = new LogThrottle(this.clock, HOUR, 3);
		small.record("old");
		this.clock.advance(Duration.ofSeconds(1));
		small.record("middle");
		small.record("old");
		List<String> cycled = new ArrayList<>();
		for (int i = 0; i < 10_000; i++) {
			this.clock.advance(Duration.ofMillis(1));
			cycled.add(small.record("attacker-" + i));
			assertThat(small.size()).isLessThanOrEqualTo(3);
		}
		assertThat(cycled).containsOnly("");
		assertThat(small.size()).isEqualTo(3);
		// The last three keys are remembered; "old" and "middle" were forgotten and log again.
		assertThat(small.record("attacker-9999")).isNull();
		assertThat(small.record("old")).isEmpty();
	}

	@Test
	void recordWhenARepeatIsLoggedShouldMoveTheKeyToTheEndOfTheEvictionOrder() {
		LogThrottle small = new LogThrottle(this.clock, HOUR, 2);
		small.record("first");
		small.record("second");
		this.clock.advance(HOUR);
		small.record("first");
		small.record("third");
		assertThat(small.record("first")).isNull();
		assertThat(small.record("second")).isEmpty();
	}

	@Test
	void constructorShouldRejectAnEmptyWindowOrCapacity() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LogThrottle(this.clock, Duration.ZERO, 1))
			.withMessage("window must be positive, was PT0S");
		assertThatIllegalArgumentException().isThrownBy(() -> new LogThrottle(this.clock, HOUR, 0))
			.withMessage("capacity must be at least 1, was 0");
	}

	/** A clock that moves only when told to. */
	static final class TestClock extends Clock {

		private volatile Instant now;

		private final ZoneId zone;

		TestClock(Instant now) {
			this(now, ZoneOffset.UTC);
		}

		TestClock(Instant now, ZoneId zone) {
			this.now = now;
			this.zone = zone;
		}

		void advance(Duration duration) {
			this.now = this.now.plus(duration);
		}

		void set(Instant now) {
			this.now = now;
		}

		@Override
		public ZoneId getZone() {
			return this.zone;
		}

		@Override
		public Clock withZone(ZoneId zone) {
			return new TestClock(this.now, zone);
		}

		@Override
		public Instant instant() {
			return this.now;
		}

	}

}
