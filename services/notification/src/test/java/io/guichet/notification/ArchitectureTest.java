package io.guichet.notification;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.guichet.testsupport.ArchitectureRules;

@AnalyzeClasses(
    packages = "io.guichet.notification",
    importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static final ArchRule domain_depends_on_no_framework = ArchitectureRules.DOMAIN_IS_FRAMEWORK_FREE;

  @ArchTest
  static final ArchRule domain_and_use_cases_do_not_know_the_adapters =
      ArchitectureRules.CORE_DOES_NOT_KNOW_ADAPTERS;
}
