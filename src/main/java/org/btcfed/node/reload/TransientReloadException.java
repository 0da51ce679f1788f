package org.btcfed.node.reload;

/**
 * A failure that may go away by itself (a port in TIME_WAIT, a file caught mid-write). The
 * coordinator retries the step with exponential backoff before it gives up.
 */
public class TransientReloadException extends Exception {

	/**
	 * @param message what failed, safe to show an operator
	 * @param cause the underlying failure, or {@code null}
	 */
	public TransientReloadException(String message, Throwable cause) {
		super(message, cause);
	}

}
