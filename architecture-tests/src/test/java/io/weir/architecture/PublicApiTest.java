package io.weir.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaField;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.domain.JavaType;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Users import only API packages, so no type from an {@code internals} package may appear in what an API type
 * shows them: its supertypes, and the types (type arguments included) of its public and protected fields,
 * methods and constructors. Otherwise an internal class becomes API by accident and can no longer change.
 */
class PublicApiTest {
    private static JavaClasses weir;

    @BeforeAll
    static void importMainClasses() {
        weir = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.weir");
    }

    @Test
    void apiTypesShowNoInternalsType() {
        classes()
                .that()
                .resideOutsideOfPackage("..internals..")
                .and()
                .arePublic()
                .should(showNoInternalsType())
                .check(weir);
    }

    private static ArchCondition<JavaClass> showNoInternalsType() {
        return new ArchCondition<>("show no type of an internals package in a public or protected signature") {
            @Override
            public void check(JavaClass api, ConditionEvents events) {
                List<String> leaks = new ArrayList<>();
                api.getRawSuperclass()
                        .filter(PublicApiTest::isInternal)
                        .ifPresent(s -> leaks.add("extends " + s.getName()));
                api.getRawInterfaces().stream()
                        .filter(PublicApiTest::isInternal)
                        .forEach(i -> leaks.add("implements " + i.getName()));
                for (JavaField field : api.getFields()) {
                    if (isVisible(field.getModifiers())) {
                        internalsIn(field.getType()).forEach(t -> leaks.add("field " + field.getName() + ": " + t));
                    }
                }
                for (JavaCodeUnit unit : api.getCodeUnits()) {
                    if (!isVisible(unit.getModifiers()) || unit.getModifiers().contains(JavaModifier.SYNTHETIC)) {
                        continue;
                    }
                    internalsIn(unit.getReturnType()).forEach(t -> leaks.add(unit.getName() + " returns " + t));
                    for (JavaType parameter : unit.getParameterTypes()) {
                        internalsIn(parameter).forEach(t -> leaks.add(unit.getFullName() + " takes " + t));
                    }
                }
                for (String leak : leaks) {
                    events.add(SimpleConditionEvent.violated(api, api.getName() + " shows an internals type: " + leak));
                }
            }
        };
    }

    private static boolean isVisible(java.util.Set<JavaModifier> modifiers) {
        return modifiers.contains(JavaModifier.PUBLIC) || modifiers.contains(JavaModifier.PROTECTED);
    }

    private static boolean isInternal(JavaClass type) {
        return type.getPackageName().startsWith("io.weir.")
                && type.getPackageName().contains(".internals");
    }

    private static List<String> internalsIn(JavaType type) {
        return type.getAllInvolvedRawTypes().stream()
                .filter(PublicApiTest::isInternal)
                .map(JavaClass::getName)
                .toList();
    }
}
