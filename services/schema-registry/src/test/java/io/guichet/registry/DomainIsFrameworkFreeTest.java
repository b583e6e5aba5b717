package io.guichet.registry;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(
    packages = "io.guichet.registry",
    importOptions = ImportOption.DoNotIncludeTests.class)
class DomainIsFrameworkFreeTest {

  @ArchTest
  static final ArchRule domain_depends_on_no_framework =
      noClasses()
          .that()
          .resideInAPackage("..domain..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.springframework..", "org.apache.kafka..", "reactor..", "io.r2dbc..");

  @ArchTest
  static final ArchRule application_does_not_know_the_adapters =
      noClasses()
          .that()
          .resideInAnyPackage("..domain..", "..application..")
          .should()
          .dependOnClassesThat()
          .resideInAPackage("..adapter..");
}
