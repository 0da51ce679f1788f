package org.btcfed.node.reload.trigger;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Installs the SIGHUP handler, in {@code main}, before Spring starts: a signal that arrives
 * during start-up is held by the {@link SignalGate} and served once the node is ready.
 * <p>
 * Where SIGHUP cannot be handled (Windows, {@code -Xrs}, or SIGHUP ignored because the node was
 * started under {@code nohup}) it says so once and the node runs on; the other triggers still
 * work. {@code sun.misc.Signal} is the JDK's supported API for this (module jdk.unsupported).
 */
public final class SighupListener {

	/** What the node says when SIGHUP cannot be used; the other triggers are named. */
	static final String OTHER_TRIGGERS = "reload with 'POST /actuator/hotreload' (bearer token) instead,"
			+ " or enable the file watch with --btcfed.reload.watch=true";

	private SighupListener() {
	}

	/**
	 * Installs the handler.
	 * @param gate where signals go
	 * @param warn called once with a warning when SIGHUP cannot be handled
	 * @return whether SIGHUP will reach the gate
	 */
	public static boolean install(SignalGate gate, Consumer<String> warn) {
		String unsupported = unsupportedReason(System.getProperty("os.name", ""),
				ManagementFactory.getRuntimeMXBean().getInputArguments());
		if (unsupported != null) {
			warn.accept("SIGHUP reload is not available (" + unsupported + "); " + OTHER_TRIGGERS);
			return false;
		}
		try {
			SignalHandler previous = Signal.handle(new Signal("HUP"), signal -> gate.signal());
			if (previous == SignalHandler.SIG_IGN) {
				// The JVM does not take over a signal its parent ignores (nohup): put it back as it was.
				Signal.handle(new Signal("HUP"), SignalHandler.SIG_IGN);
				warn.accept("SIGHUP reload is not available (SIGHUP is ignored by this process, e.g. started"
						+ " under nohup); " + OTHER_TRIGGERS);
				return false;
			}
			gate.sighupInstalled();
			return true;
		}
		catch (IllegalArgumentException ex) {
			warn.accept("SIGHUP reload is not available (" + ex.getMessage() + "); " + OTHER_TRIGGERS);
			return false;
		}
	}

	/**
	 * Why SIGHUP cannot work here, before trying.
	 * @param osName the {@code os.name} system property
	 * @param jvmArguments the JVM's input arguments
	 * @return the reason, or {@code null} when it may work
	 */
	static @Nullable String unsupportedReason(String osName, List<String> jvmArguments) {
		if (osName.toLowerCase(Locale.ROOT).startsWith("windows")) {
			return "Windows has no SIGHUP";
		}
		if (jvmArguments.contains("-Xrs")) {
			return "the JVM runs with -Xrs, which reserves SIGHUP";
		}
		return null;
	}

}
