package org.btcfed.node.reload.trigger;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class SignalGateTests {

	private final SignalGate gate = new SignalGate();

	private final AtomicInteger delivered = new AtomicInteger();

	@Test
	void signalWhenOpenAndUnmaskedShouldDeliverAtOnce() {
		this.gate.open(this.delivered::incrementAndGet);
		this.gate.signal();
		this.gate.signal();
		assertThat(this.delivered).hasValue(2);
	}

	@Test
	void signalBeforeOpenShouldBeHeldAndDeliveredOnceWhenOpened() {
		this.gate.signal();
		this.gate.signal();
		this.gate.open(this.delivered::incrementAndGet);
		assertThat(this.delivered).hasValue(1);
		this.gate.open(this.delivered::incrementAndGet);
		assertThat(this.delivered).as("the held signal was delivered once, not kept").hasValue(1);
	}

	@Test
	void signalDuringMaskShouldBeDeferredToTheRelease() {
		this.gate.open(this.delivered::incrementAndGet);
		try (SignalGate.Mask mask = this.gate.mask()) {
			this.gate.signal();
			this.gate.signal();
			assertThat(this.delivered).hasValue(0);
		}
		assertThat(this.delivered).hasValue(1);
	}

	@Test
	void nestedMasksShouldDeliverOnlyAfterTheLastRelease() {
		this.gate.open(this.delivered::incrementAndGet);
		SignalGate.Mask outer = this.gate.mask();
		try (SignalGate.Mask inner = this.gate.mask()) {
			this.gate.signal();
		}
		assertThat(this.delivered).hasValue(0);
		outer.close();
		assertThat(this.delivered).hasValue(1);
		this.gate.signal();
		assertThat(this.delivered).as("no mask is left").hasValue(2);
	}

	@Test
	void closingMaskTwiceShouldReleaseOnce() {
		this.gate.open(this.delivered::incrementAndGet);
		SignalGate.Mask outer = this.gate.mask();
		SignalGate.Mask inner = this.gate.mask();
		inner.close();
		inner.close();
		this.gate.signal();
		assertThat(this.delivered).as("the outer mask still holds").hasValue(0);
		outer.close();
		assertThat(this.delivered).hasValue(1);
	}

	@Test
	void releaseWithoutHeldSignalShouldDeliverNothing() {
		this.gate.open(this.delivered::incrementAndGet);
		this.gate.mask().close();
		assertThat(this.delivered).hasValue(0);
	}

	@Test
	void maskBeforeOpenShouldKeepSignalHeldUntilBothOpenAndRelease() {
		SignalGate.Mask mask = this.gate.mask();
		this.gate.signal();
		this.gate.open(this.delivered::incrementAndGet);
		assertThat(this.delivered).hasValue(0);
		mask.close();
		assertThat(this.delivered).hasValue(1);
	}

	@Test
	void unsupportedReasonShouldNameWindowsAndXrs() {
		assertThat(SighupListener.unsupportedReason("Windows 11", List.of())).contains("Windows");
		assertThat(SighupListener.unsupportedReason("Linux", List.of("-Xmx1g", "-Xrs"))).contains("-Xrs");
		assertThat(SighupListener.unsupportedReason("Linux", List.of("-Xmx1g"))).isNull();
	}

}
