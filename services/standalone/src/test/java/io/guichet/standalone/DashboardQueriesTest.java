package io.guichet.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DashboardQueriesTest {

  @Test
  void finds_the_metrics_a_query_reads_and_not_its_functions_labels_or_groupings() {
    assertThat(
            DashboardQueries.metrics(
                "histogram_quantile(0.99, sum by (le, application) "
                    + "(rate(http_server_requests_seconds_bucket{status=~\"5..\", uri!=\"x\"}[1m])))"))
        .containsExactly("http_server_requests_seconds_bucket");
    assertThat(
            DashboardQueries.metrics(
                "sum(rate(guichet_seats_held_total[5m])) / ignoring(reason) "
                    + "sum without (reason) (guichet_reservations_rejected_total) > bool 0"))
        .containsExactly("guichet_reservations_rejected_total", "guichet_seats_held_total");
  }

  @Test
  void reads_sample_names_from_a_prometheus_exposition() {
    String exposition =
        "# HELP guichet_consumer_lag_records Records\n"
            + "# TYPE guichet_consumer_lag_records gauge\n"
            + "guichet_consumer_lag_records{application=\"booking\",group=\"booking-status\"} 0.0\n"
            + "process_uptime_seconds 12.5\n";

    assertThat(DashboardQueries.samples(exposition))
        .containsExactly("guichet_consumer_lag_records", "process_uptime_seconds");
  }

  @Test
  void the_on_sale_dashboard_reads_the_operators_metrics() throws Exception {
    assertThat(DashboardQueries.metrics(DashboardQueries.ON_SALE))
        .contains(
            "http_server_requests_seconds_count",
            "guichet_reservations_held_total",
            "guichet_reservations_rejected_total",
            "guichet_consumer_lag_records",
            "guichet_outbox_backlog_events",
            "guichet_payment_provider_seconds_bucket",
            "guichet_gateway_refused_total");
  }
}
