package io.weir.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The arrows between modules (docs/architecture.md): each module's main classes depend only on the modules below
 * it, the JDK and the libraries it declares. Maven already refuses an import of a module that is not a
 * dependency; these rules also catch one that becomes a dependency by mistake (a test-scope server dependency
 * turned compile, a library pulled in transitively), which the compiler would accept.
 */
class ModuleLayeringTest {
    static final String[] BASE = {"io.weir.common", "io.weir.common.utils"};
    static final String COMMON = "io.weir.common..";
    static final String TRANSACTIONS = "io.weir.transactions..";
    static final String CLIENTS = "io.weir.clients..";
    static final String SERVER = "io.weir.broker..";
    /** The Kafka-protocol listener: the one part of the server that may use Netty and kafka-clients. */
    static final String SERVER_NETWORK = "io.weir.broker.network..";

    static final String STATE = "io.weir.state..";
    static final String STREAMS = "io.weir.streams..";
    static final String TOOLS = "io.weir.tools..";
    static final String JDK = "java..";
    static final String KAFKA = "org.apache.kafka..";
    /** {@code io.weir.clients.internals.network} and each client's {@code internals.network}. */
    static final String NETWORK_CLIENTS = "io.weir.clients..internals.network..";

    private static JavaClasses weir;

    @BeforeAll
    static void importMainClasses() {
        weir = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.weir");
    }

    private static DescribedPredicate<JavaClass> base() {
        return resideInAnyPackage(BASE).as("base (io.weir.common, io.weir.common.utils)");
    }

    private static DescribedPredicate<JavaClass> common() {
        return resideInAPackage(COMMON).and(DescribedPredicate.not(base())).as("common (io.weir.common.* but base)");
    }

    @Test
    void baseDependsOnTheJdkAlone() {
        ArchRule rule = classes().that(base()).should().onlyDependOnClassesThat(or(base(), resideInAPackage(JDK)));
        rule.check(weir);
    }

    @Test
    void commonDependsOnBaseTheJdkAndTheCompressionCodecs() {
        ArchRule rule = classes()
                .that(common())
                .should()
                .onlyDependOnClassesThat(or(
                        resideInAPackage(COMMON),
                        resideInAPackage(JDK),
                        resideInAnyPackage("org.xerial.snappy..", "net.jpountz..", "com.github.luben.zstd..")));
        rule.check(weir);
    }

    @Test
    void transactionsDependsOnBaseAndTheJdkAlone() {
        ArchRule rule = classes()
                .that()
                .resideInAPackage(TRANSACTIONS)
                .should()
                .onlyDependOnClassesThat(or(resideInAPackage(TRANSACTIONS), base(), resideInAPackage(JDK)));
        rule.check(weir);
    }

    @Test
    void clientsNeverReachTheServer() {
        ArchRule rule = classes()
                .that()
                .resideInAPackage(CLIENTS)
                .should()
                .onlyDependOnClassesThat(or(
                        resideInAPackage(CLIENTS),
                        resideInAPackage(COMMON),
                        resideInAPackage(JDK),
                        resideInAPackage("org.slf4j.."),
                        resideInAPackage(KAFKA)));
        rule.check(weir);
    }

    @Test
    void onlyTheNetworkClientsUseKafkaClients() {
        // kafka-clients is the network implementation behind Weir's client interfaces, translated at its edge; no
        // other package of the clients may use it, so no Kafka type leaks into Weir's client API or its in-process
        // clients. (The server's listener uses kafka-clients' protocol classes; its own rule says where.)
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage(CLIENTS)
                .and()
                .resideOutsideOfPackage(NETWORK_CLIENTS)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(KAFKA);
        rule.check(weir);
    }

    @Test
    void serverNeverReachesTheClients() {
        ArchRule rule = classes()
                .that()
                .resideInAPackage(SERVER)
                .and()
                .resideOutsideOfPackage(SERVER_NETWORK)
                .should()
                .onlyDependOnClassesThat(or(
                        resideInAPackage(SERVER),
                        resideInAPackage(COMMON),
                        resideInAPackage(TRANSACTIONS),
                        resideInAPackage(JDK),
                        resideInAnyPackage("com.lmax.disruptor..", "org.slf4j..")));
        rule.check(weir);
    }

    @Test
    void onlyTheListenerSpeaksTheKafkaProtocolAndItStillNeverReachesTheClients() {
        ArchRule rule = classes()
                .that()
                .resideInAPackage(SERVER_NETWORK)
                .should()
                .onlyDependOnClassesThat(or(
                        resideInAPackage(SERVER),
                        resideInAPackage(COMMON),
                        resideInAPackage(JDK),
                        resideInAnyPackage("io.netty..", "org.apache.kafka..", "org.slf4j..")));
        rule.check(weir);
    }

    @Test
    void stateStoreKnowsNothingOfTheBroker() {
        ArchRule rule = classes()
                .that()
                .resideInAPackage(STATE)
                .should()
                .onlyDependOnClassesThat(or(
                        resideInAPackage(STATE),
                        base(),
                        resideInAPackage(JDK),
                        resideInAnyPackage("org.lmdbjava..", "com.esotericsoftware..", "org.objenesis..")));
        rule.check(weir);
    }

    @Test
    void streamsReachTheBrokerOnlyThroughTheClients() {
        // Empty until the streams runtime lands; the rule is in place for it.
        ArchRule rule = noClasses()
                .that()
                .resideInAPackage(STREAMS)
                .should()
                .dependOnClassesThat()
                .resideInAPackage(SERVER)
                .allowEmptyShould(true);
        rule.check(weir);
    }

    @Test
    void theCommandLineUsesTheClientsAndOnlyTheServersPublicPackage() {
        ArchRule rule = classes()
                .that()
                .resideInAPackage(TOOLS)
                .should()
                .onlyDependOnClassesThat(or(
                        resideInAPackage(TOOLS),
                        resideInAPackage(CLIENTS),
                        resideInAPackage(COMMON),
                        resideInAPackage("io.weir.broker"),
                        resideInAPackage(JDK),
                        resideInAnyPackage("picocli..", "com.fasterxml.jackson..")));
        rule.check(weir);
    }
}
