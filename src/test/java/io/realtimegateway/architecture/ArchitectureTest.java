package io.realtimegateway.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The shape of the house, checked on the compiled main classes (tests excluded): no package cycle, the floors of
 * docs/architecture.md with every dependency pointing down, and the framework internals each behind its one class.
 */
class ArchitectureTest {

    private static final String ROOT = "io.realtimegateway";
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages(ROOT);

    @Test
    void theRulesSeeTheWholeCodeBase() {
        // A rule checked on nothing passes: make sure the import found the main classes.
        org.junit.jupiter.api.Assertions.assertTrue(MAIN.size() > 100, "main classes imported: " + MAIN.size());
    }

    @Test
    void noPackageIsPartOfACycle() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void everyDependencyPointsDownTheFloors() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("endpoints").definedBy(ROOT + ".endpoint..", ROOT + ".dev..")
                .layer("services").definedBy(ROOT + ".chat..", ROOT + ".notifications..", ROOT + ".echo..",
                        ROOT + ".recovery..", ROOT + ".health..")
                .layer("handshake").definedBy(ROOT + ".upgrade..", ROOT + ".security..")
                .layer("backend choice").definedBy(ROOT + ".backend..")
                .layer("fan-out").definedBy(ROOT + ".broadcast..", ROOT + ".presence..", ROOT + ".history..")
                .layer("sessions").definedBy(ROOT + ".session..", ROOT + ".lifecycle..", ROOT + ".heartbeat..")
                .layer("backends").definedBy(ROOT + ".redis..")
                .layer("transport").definedBy(ROOT + ".transport..")
                .layer("leaves").definedBy(ROOT + ".message..", ROOT + ".protocol..", ROOT + ".config..",
                        ROOT + ".ratelimit..", ROOT + ".metrics..")
                .whereLayer("endpoints").mayNotBeAccessedByAnyLayer()
                .whereLayer("services").mayOnlyBeAccessedByLayers("endpoints")
                .whereLayer("handshake").mayOnlyBeAccessedByLayers("endpoints", "services")
                .whereLayer("backend choice").mayNotBeAccessedByAnyLayer()
                .whereLayer("fan-out").mayOnlyBeAccessedByLayers("endpoints", "services", "handshake",
                        "backend choice")
                .whereLayer("sessions").mayOnlyBeAccessedByLayers("endpoints", "services", "handshake",
                        "backend choice", "fan-out")
                .whereLayer("backends").mayOnlyBeAccessedByLayers("backend choice", "fan-out")
                .whereLayer("transport").mayOnlyBeAccessedByLayers("handshake", "sessions")
                .check(MAIN);
    }

    @Test
    void onlyTheTransportKnowsNetty() {
        noClasses().that().resideOutsideOfPackage(ROOT + ".transport..").should().dependOnClassesThat()
                .resideInAPackage("io.netty..").check(MAIN);
    }

    @Test
    void eachFrameworkInternalHasOneDoor() {
        noClasses().that().doNotHaveFullyQualifiedName(ROOT + ".transport.UpgradeChannel").should()
                .dependOnClassesThat().resideInAnyPackage("io.vertx..impl..", "io.quarkus..impl..").check(MAIN);
        noClasses().that().doNotHaveFullyQualifiedName(ROOT + ".lifecycle.TermSignalDrain").should()
                .dependOnClassesThat().resideInAPackage("sun..").check(MAIN);
    }
}
