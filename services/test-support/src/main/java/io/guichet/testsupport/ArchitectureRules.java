package io.guichet.testsupport;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rules of every service (STYLE.md, "Shape of a service"), for each service's
 * architecture test: {@code @ArchTest static final ArchRule domain =
 * ArchitectureRules.DOMAIN_IS_FRAMEWORK_FREE;}.
 */
public final class ArchitectureRules {

  /** The domain is plain Java: no Spring, Kafka, Reactor, R2DBC, Avro or generated events. */
  public static final ArchRule DOMAIN_IS_FRAMEWORK_FREE =
      noClasses()
          .that()
          .resideInAPackage("..domain..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..",
              "org.apache.kafka..",
              "reactor..",
              "io.r2dbc..",
              "org.apache.avro..",
              "io.guichet.events..");

  /** The domain and the use cases do not know the adapters that drive or serve them. */
  public static final ArchRule CORE_DOES_NOT_KNOW_ADAPTERS =
      noClasses()
          .that()
          .resideInAnyPackage("..domain..", "..application..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("..adapter..");

  private ArchitectureRules() {}
}
