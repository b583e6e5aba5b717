package io.guichet.standalone;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** The PromQL queries of a Grafana dashboard, and the metric names they read. */
final class DashboardQueries {

  static final Path ON_SALE = ServiceModules.ROOT.resolve("infra/grafana/dashboards/on-sale.json");

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern LABELS = Pattern.compile("\\{[^}]*}");
  private static final Pattern GROUPING =
      Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
  private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*]");
  private static final Pattern STRING = Pattern.compile("\"[^\"]*\"");
  private static final Pattern IDENTIFIER = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Set<String> KEYWORDS =
      Set.of("by", "without", "on", "ignoring", "bool", "and", "or", "unless", "offset");

  private DashboardQueries() {}

  /** Every {@code expr} of every panel's targets. */
  static List<String> expressions(Path dashboard) throws IOException {
    List<String> expressions = new ArrayList<>();
    for (JsonNode panel : JSON.readTree(dashboard.toFile()).path("panels")) {
      for (JsonNode target : panel.path("targets")) {
        expressions.add(target.path("expr").asString());
      }
    }
    return expressions;
  }

  /** The data source uids the panels and their targets name. */
  static Set<String> datasourceUids(Path dashboard) throws IOException {
    Set<String> uids = new TreeSet<>();
    for (JsonNode panel : JSON.readTree(dashboard.toFile()).path("panels")) {
      uids.add(panel.path("datasource").path("uid").asString());
      for (JsonNode target : panel.path("targets")) {
        uids.add(target.path("datasource").path("uid").asString());
      }
    }
    return uids;
  }

  /** The metric names one PromQL expression reads. */
  static Set<String> metrics(String expression) {
    String bare = STRING.matcher(expression).replaceAll(" ");
    bare = LABELS.matcher(bare).replaceAll(" ");
    bare = GROUPING.matcher(bare).replaceAll(" ");
    bare = RANGE.matcher(bare).replaceAll(" ");
    Set<String> metrics = new TreeSet<>();
    Matcher identifier = IDENTIFIER.matcher(bare);
    while (identifier.find()) {
      String name = identifier.group();
      String rest = bare.substring(identifier.end()).stripLeading();
      boolean function = rest.startsWith("(");
      if (!function && !KEYWORDS.contains(name)) {
        metrics.add(name);
      }
    }
    return metrics;
  }

  /** The metric names the whole dashboard reads. */
  static Set<String> metrics(Path dashboard) throws IOException {
    Set<String> metrics = new TreeSet<>();
    for (String expression : expressions(dashboard)) {
      metrics.addAll(metrics(expression));
    }
    return metrics;
  }

  /** The sample names a Prometheus text exposition has ({@code name{labels} value}). */
  static Set<String> samples(String exposition) {
    Set<String> names = new TreeSet<>();
    for (String line : exposition.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher name = IDENTIFIER.matcher(line);
      if (name.lookingAt()) {
        names.add(name.group());
      }
    }
    return names;
  }
}
