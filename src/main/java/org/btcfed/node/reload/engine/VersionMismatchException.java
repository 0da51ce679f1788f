package org.btcfed.node.reload.engine;

/**
 * A conditional reload ({@code If-Match}) found another version running than the caller
 * expected; nothing was done.
 */
public class VersionMismatchException extends RuntimeException {

	private final String actual;

	VersionMismatchException(String expected, String actual) {
		super("The running config version is " + actual + ", not " + expected);
		this.actual = actual;
	}

	/**
	 * @return the version that runs
	 */
	public String getActual() {
		return this.actual;
	}

}
