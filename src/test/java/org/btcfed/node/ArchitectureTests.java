package org.btcfed.node;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The package rules of DESIGN.md section 7 and the packages' {@code package-info.java}, checked
 * on the compiled main classes: the reload engine never reaches into the parts it reloads, the
 * contract knows nothing of the engine, the engine shows one facade, and the packages form no
 * cycle.
 */
class ArchitectureTests {

	private static JavaClasses main;

	@BeforeAll
	static void importMainClasses() {
		main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("org.btcfed.node");
	}

	@Test
	void reloadPackagesShouldNeverDependOnThePartsTheyReload() {
		noClasses().that()
			.resideInAPackage("org.btcfed.node.reload..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.btcfed.node.network..", "org.btcfed.node.peer..", "org.btcfed.node.protocol..",
					"org.btcfed.node.logging..")
			.check(main);
	}

	@Test
	void contractAndReportShouldNotDependOnTheEngineOrItsWiring() {
		noClasses().that()
			.resideInAnyPackage("org.btcfed.node.reload", "org.btcfed.node.reload.report")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.btcfed.node.reload.engine..", "org.btcfed.node.reload.history..",
					"org.btcfed.node.reload.trigger..", "org.btcfed.node.reload.spring..",
					"org.btcfed.node.reload.actuator..")
			.check(main);
	}

	@Test
	void configShouldDependOnNoOtherPartOfTheNode() {
		noClasses().that()
			.resideInAPackage("org.btcfed.node.config..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.btcfed.node", "org.btcfed.node.reload..", "org.btcfed.node.network..",
					"org.btcfed.node.peer..", "org.btcfed.node.protocol..", "org.btcfed.node.logging..",
					"org.btcfed.node.cli..", "org.btcfed.node.security..")
			.check(main);
	}

	@Test
	void packagesShouldTakeFromTheRootOnlyTheNodesSettingsAndItsDataDir() {
		noClasses().that()
			.resideOutsideOfPackage("org.btcfed.node")
			.should()
			.dependOnClassesThat(resideInAPackage("org.btcfed.node")
				.and(not(belongToAnyOf(NodeProperties.class, DataDir.class))))
			.check(main);
	}

	@Test
	void engineShouldShowOnlyItsFacadeAndWhatItTakesAndGives() {
		classes().that()
			.resideInAPackage("org.btcfed.node.reload.engine")
			.and()
			.haveModifier(JavaModifier.PUBLIC)
			.and()
			.areTopLevelClasses()
			.should()
			.haveSimpleNameStartingWith("ReloadCoordinator")
			.orShould()
			.haveSimpleName("ReloadRequest")
			.orShould()
			.haveSimpleName("ReloadListener")
			.orShould()
			.haveSimpleName("VersionMismatchException")
			.check(main);
	}

	@Test
	void packagesShouldFormNoCycle() {
		slices().matching("org.btcfed.node.(**)").should().beFreeOfCycles().check(main);
	}

}
