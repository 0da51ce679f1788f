package org.btcfed.node.config;

/**
 * Opens a stretch in which the node writes its own config files (a generated key, the default
 * conf.yaml), so that no reload trigger reads them half-written: triggers wait until it closes.
 */
@FunctionalInterface
public interface SelfWrites {

	/**
	 * @return the stretch, to close when the files are written
	 */
	Stretch begin();

	/** An open stretch; closing it lets triggers through again. */
	interface Stretch extends AutoCloseable {

		@Override
		void close();

	}

}
