package org.btcfed.node.network;

import io.netty.channel.DefaultChannelId;
import io.netty.channel.embedded.EmbeddedChannel;
import org.btcfed.node.reload.HotReloadable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pausing reads on every registered channel while a component changes.
 */
class ReadGateTests {

	private final ReadGate gate = new ReadGate();

	// Distinct ids: a channel group tells channels apart by id, and every plain EmbeddedChannel
	// shares one.
	private final EmbeddedChannel first = new EmbeddedChannel(DefaultChannelId.newInstance());

	private final EmbeddedChannel second = new EmbeddedChannel(DefaultChannelId.newInstance());

	@AfterEach
	void tearDown() {
		this.first.finishAndReleaseAll();
		this.second.finishAndReleaseAll();
	}

	@Test
	void pauseShouldStopReadingOnEveryRegisteredChannelUntilReleased() {
		this.gate.register(this.first);
		this.gate.register(this.second);
		assertThat(this.gate.isPaused()).isFalse();
		HotReloadable.Isolation pause = this.gate.pause();
		assertThat(this.gate.isPaused()).isTrue();
		assertThat(this.first.config().isAutoRead()).isFalse();
		assertThat(this.second.config().isAutoRead()).isFalse();
		pause.close();
		assertThat(this.gate.isPaused()).isFalse();
		assertThat(this.first.config().isAutoRead()).isTrue();
		assertThat(this.second.config().isAutoRead()).isTrue();
	}

	@Test
	void pauseWhenNestedShouldResumeOnlyAfterTheLastRelease() {
		this.gate.register(this.first);
		HotReloadable.Isolation outer = this.gate.pause();
		HotReloadable.Isolation inner = this.gate.pause();
		outer.close();
		assertThat(this.gate.isPaused()).isTrue();
		assertThat(this.first.config().isAutoRead()).isFalse();
		inner.close();
		assertThat(this.gate.isPaused()).isFalse();
		assertThat(this.first.config().isAutoRead()).isTrue();
	}

	@Test
	void closeWhenCalledTwiceShouldReleaseOnlyOnce() {
		this.gate.register(this.first);
		HotReloadable.Isolation outer = this.gate.pause();
		HotReloadable.Isolation inner = this.gate.pause();
		inner.close();
		inner.close();
		assertThat(this.gate.isPaused()).isTrue();
		assertThat(this.first.config().isAutoRead()).isFalse();
		outer.close();
		outer.close();
		assertThat(this.gate.isPaused()).isFalse();
		assertThat(this.first.config().isAutoRead()).isTrue();
		try (HotReloadable.Isolation again = this.gate.pause()) {
			assertThat(this.first.config().isAutoRead()).isFalse();
		}
		assertThat(this.first.config().isAutoRead()).isTrue();
	}

	@Test
	void registerWhilePausedShouldStartPausedAndResumeWithTheOthers() {
		this.gate.register(this.first);
		HotReloadable.Isolation pause = this.gate.pause();
		this.gate.register(this.second);
		assertThat(this.second.config().isAutoRead()).isFalse();
		pause.close();
		assertThat(this.first.config().isAutoRead()).isTrue();
		assertThat(this.second.config().isAutoRead()).isTrue();
	}

	@Test
	void registerWhenNotPausedShouldLeaveReadingOn() {
		this.gate.register(this.first);
		assertThat(this.first.config().isAutoRead()).isTrue();
		assertThat(this.gate.isPaused()).isFalse();
	}

	@Test
	void registerWhenChannelClosedShouldForgetIt() {
		this.gate.register(this.first);
		this.first.close();
		try (HotReloadable.Isolation pause = this.gate.pause()) {
			assertThat(this.first.config().isAutoRead()).isTrue();
		}
	}

	@Test
	void pauseShouldNotTouchChannelsThatAreNotRegistered() {
		this.gate.register(this.first);
		try (HotReloadable.Isolation pause = this.gate.pause()) {
			assertThat(this.first.config().isAutoRead()).isFalse();
			assertThat(this.second.config().isAutoRead()).isTrue();
		}
	}

}
