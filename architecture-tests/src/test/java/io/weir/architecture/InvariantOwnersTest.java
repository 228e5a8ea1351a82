package io.weir.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaFieldAccess;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Classes that own their invariants: other classes of their package may read a few fields directly, but only the
 * class itself sets them, through methods that keep what belongs together together. Java cannot say "readable
 * in the package, writable only here" of a field, so the build says it.
 */
class InvariantOwnersTest {
    private static JavaClasses weir;

    @BeforeAll
    static void importMainClasses() {
        weir = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.weir");
    }

    static List<String> owners() {
        return List.of("io.weir.broker.internals.group.Group");
    }

    @ParameterizedTest
    @MethodSource("owners")
    void onlyTheOwnerSetsItsFields(String owner) {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName(owner)
                .should()
                .setFieldWhere(DescribedPredicate.describe(
                        "a field of " + owner,
                        (JavaFieldAccess access) ->
                                access.getTargetOwner().getName().equals(owner)))
                .check(weir);
    }
}
