package io.guichet.catalog;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

@AnalyzeClasses(
    packages = "io.guichet.catalog",
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
              "org.springframework..",
              "org.apache.kafka..",
              "reactor..",
              "io.r2dbc..",
              "org.apache.avro..",
              "io.guichet.events..");
}
