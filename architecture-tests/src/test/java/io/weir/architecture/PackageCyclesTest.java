package io.weir.architecture;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * No cycle between packages, so each can be read, tested and changed knowing only the ones below it. A public API
 * package, its {@code internals} tree and its {@code errors} form one component: {@code Producer.create} builds a
 * {@code ProducerImpl} that implements {@code Producer}, as in Kafka, and a store's {@code StoreClosedException}
 * names the {@code StoreState} it found; those loops are the point of the split, not a tangle. Two rules
 * follow: the components are free of cycles among themselves, and so are the packages inside each internals tree
 * (where a tangle does hide: the log and the write path, the request handler and the coordinators).
 */
class PackageCyclesTest {
    private static final String STREAMS = "io.weir.streams";
    private static JavaClasses weir;

    @BeforeAll
    static void importMainClasses() {
        weir = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.weir");
    }

    /**
     * {@code io.weir.clients.producer.internals.x} belongs to the component {@code io.weir.clients.producer}, and
     * {@code io.weir.state.errors} to {@code io.weir.state}. The streams API is one component: it keeps Kafka
     * Streams' packages so that a topology ports by changing imports, and those refer to each other by design
     * ({@code KeyValue} and {@code StreamsConfig} at the root, used by {@code kstream}; {@code processor.api}
     * and {@code processor}). Its internals trees are still checked by the second rule.
     */
    static String component(String pkg) {
        if (pkg.equals(STREAMS) || pkg.startsWith(STREAMS + ".")) {
            return STREAMS;
        }
        int at = pkg.indexOf(".internals");
        String outside = at < 0 ? pkg : pkg.substring(0, at);
        return outside.endsWith(".errors") ? outside.substring(0, outside.length() - ".errors".length()) : outside;
    }

    @Test
    void componentsAreFreeOfCycles() {
        slices().assignedFrom(new SliceAssignment() {
                    @Override
                    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                        return SliceIdentifier.of(component(javaClass.getPackageName()));
                    }

                    @Override
                    public String getDescription() {
                        return "components (an API package with its internals)";
                    }
                })
                .should()
                .beFreeOfCycles()
                .check(weir);
    }

    @Test
    void packagesInsideEachInternalsTreeAreFreeOfCycles() {
        slices().assignedFrom(new SliceAssignment() {
                    @Override
                    public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
                        String pkg = javaClass.getPackageName();
                        return pkg.contains(".internals") ? SliceIdentifier.of(pkg) : SliceIdentifier.ignore();
                    }

                    @Override
                    public String getDescription() {
                        return "the packages of each internals tree";
                    }
                })
                .should()
                .beFreeOfCycles()
                .check(weir);
    }
}
