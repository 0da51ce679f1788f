package org.btcfed.node.network.yamux;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

/**
 * What {@code package-info.java} promises: the muxer builds on Netty and JSpecify only, nothing
 * else of the node.
 */
class YamuxDependenciesTests {

	@Test
	void yamuxShouldDependOnNettyAndTheJdkOnly() {
		classes().that()
			.resideInAPackage("org.btcfed.node.network.yamux")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("org.btcfed.node.network.yamux", "java..", "io.netty..", "org.jspecify..")
			.check(new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
				.importPackages("org.btcfed.node.network.yamux"));
	}

}
