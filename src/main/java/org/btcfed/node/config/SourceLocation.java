package org.btcfed.node.config;

/**
 * Where a value was written: a file name (as the operator knows it, e.g. {@code conf.yaml}) and a
 * 1-based line and column.
 *
 * @param file the file name
 * @param line the 1-based line
 * @param column the 1-based column
 */
public record SourceLocation(String file, int line, int column) {

	@Override
	public String toString() {
		return this.file + ":" + this.line + ":" + this.column;
	}

}
