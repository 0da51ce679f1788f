package org.btcfed.node.logging;

import java.util.List;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SwitchingAppender}, on a Logback context of their own.
 */
class SwitchingAppenderTests {

	private final LoggerContext context = new LoggerContext();

	private final Logger root = this.context.getLogger(Logger.ROOT_LOGGER_NAME);

	private final SwitchingAppender switching = new SwitchingAppender();

	SwitchingAppenderTests() {
		this.context.setMDCAdapter(new LogbackMDCAdapter());
		this.switching.setContext(this.context);
		this.switching.start();
	}

	@Test
	void takeOverShouldReplaceAndStopTheRootAppenders() {
		ListAppender<ILoggingEvent> springBoots = output();
		this.root.addAppender(springBoots);
		this.switching.takeOver(this.root);
		assertThat(this.root.iteratorForAppenders()).toIterable().containsExactly(this.switching);
		assertThat(springBoots.isStarted()).isFalse();
	}

	@Test
	void switchToShouldSendLaterEventsToTheNewOutputsOnly() {
		ListAppender<ILoggingEvent> first = output();
		ListAppender<ILoggingEvent> second = output();
		this.switching.takeOver(this.root);
		this.switching.switchTo(List.of(first));
		this.root.info("one");
		List<Appender<ILoggingEvent>> previous = this.switching.switchTo(List.of(second));
		this.root.info("two");
		assertThat(previous).containsExactly(first);
		assertThat(this.switching.outputs()).containsExactly(second);
		assertThat(first.list).extracting(ILoggingEvent::getMessage).containsExactly("one");
		assertThat(second.list).extracting(ILoggingEvent::getMessage).containsExactly("two");
	}

	@Test
	void stopOfTheLoggerContextShouldStopTheOutputs() {
		ListAppender<ILoggingEvent> output = output();
		this.switching.takeOver(this.root);
		this.switching.switchTo(List.of(output));
		this.context.stop();
		assertThat(this.switching.isStarted()).isFalse();
		assertThat(output.isStarted()).isFalse();
		assertThat(this.switching.outputs()).isEmpty();
	}

	private ListAppender<ILoggingEvent> output() {
		ListAppender<ILoggingEvent> appender = new ListAppender<>();
		appender.setContext(this.context);
		appender.start();
		return appender;
	}

}
