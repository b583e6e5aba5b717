package io.guichet.notification.domain;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Currency;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The emails' texts in French and English ({@code templates/emails_<language>.properties}): a
 * subject and a body per kind, whose {@code {name}} placeholders take the fact's values, amounts
 * and dates written the language's way (dates in the event's time zone).
 */
public final class Templates {

  /** The languages with templates; any other gets the first. */
  public static final List<String> LANGUAGES = List.of("en", "fr");

  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([A-Za-z]+)}");
  private static final Map<String, Locale> LOCALES = Map.of("en", Locale.UK, "fr", Locale.FRANCE);

  private final Map<String, Properties> texts = new HashMap<>();
  private final String publicUrl;

  /**
   * @param publicUrl where buyers reach Guichet (the gateway), for the emails' links
   */
  public Templates(String publicUrl) {
    this.publicUrl =
        publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    for (String language : LANGUAGES) {
      String resource = "/io/guichet/notification/templates/emails_" + language + ".properties";
      try (InputStream in = Templates.class.getResourceAsStream(resource)) {
        if (in == null) {
          throw new IllegalStateException(resource + " is not on the classpath");
        }
        Properties properties = new Properties();
        properties.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        for (EmailKind kind : EmailKind.values()) {
          for (String part : List.of(".subject", ".body")) {
            if (properties.getProperty(kind.name() + part) == null) {
              throw new IllegalStateException(resource + " has no " + kind + part);
            }
          }
        }
        texts.put(language, properties);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The language an account's emails are written in. */
  public static String languageOf(String accountLanguage) {
    String language =
        accountLanguage == null ? "" : accountLanguage.toLowerCase(Locale.ROOT).split("[-_]")[0];
    return LANGUAGES.contains(language) ? language : LANGUAGES.get(0);
  }

  public RenderedEmail render(Email email, Recipient recipient, EventDetails event) {
    String language = languageOf(recipient.language());
    Properties text = texts.get(language);
    Locale locale = LOCALES.get(language);
    ZoneId zone = ZoneId.of(event.timeZone());
    DateTimeFormatter dates =
        DateTimeFormatter.ofPattern(text.getProperty("date.pattern"), locale).withZone(zone);
    Map<String, String> values = new HashMap<>(email.facts());
    values.put("event", event.title());
    values.put("venue", event.venue());
    values.put("startsAt", dates.format(event.startsAt()));
    if (email.facts().containsKey("expiresAt")) {
      values.put("expiresAt", dates.format(Instant.parse(email.facts().get("expiresAt"))));
    }
    if (email.facts().containsKey("amountMinor")) {
      values.put(
          "amount",
          amount(
              Long.parseLong(email.facts().get("amountMinor")),
              email.facts().get("currency"),
              locale));
    }
    String reservation = email.facts().getOrDefault("reservationId", "");
    values.put("payUrl", publicUrl + "/reservations/" + reservation);
    if (email.facts().containsKey("ticketId")) {
      values.put("ticketUrl", publicUrl + "/tickets/" + email.facts().get("ticketId"));
      // The ticket page shows the rotating code (a static QR code may be refused for the event).
      values.put(
          "ticketPageUrl",
          publicUrl + "/pages/ticket.html?ticket=" + email.facts().get("ticketId"));
    }
    if (email.facts().containsKey("invoiceId")) {
      values.put("invoiceUrl", publicUrl + "/invoices/" + email.facts().get("invoiceId") + "/pdf");
    }
    if (email.facts().containsKey("transferId")) {
      values.put(
          "transferPageUrl",
          publicUrl + "/pages/transfer.html?transfer=" + email.facts().get("transferId"));
    }
    if (email.facts().containsKey("seatIndex")) {
      // Seats of a reservation count from 1 (TicketIssued.seatIndex).
      values.put("seat", email.facts().get("seatIndex"));
    }
    String subject = fill(text.getProperty(email.kind().name() + ".subject"), values);
    String body =
        fill(text.getProperty(email.kind().name() + ".body"), values) + text.getProperty("footer");
    return new RenderedEmail(
        email.emailId(), recipient.email(), language, subject, body, messageId(email.emailId()));
  }

  private static String amount(long minor, String currencyCode, Locale locale) {
    Currency currency = Currency.getInstance(currencyCode);
    NumberFormat format = NumberFormat.getCurrencyInstance(locale);
    format.setCurrency(currency);
    int digits = Math.max(0, currency.getDefaultFractionDigits());
    format.setMinimumFractionDigits(digits);
    format.setMaximumFractionDigits(digits);
    return format.format(BigDecimal.valueOf(minor, digits));
  }

  private static String fill(String template, Map<String, String> values) {
    Matcher placeholder = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder();
    while (placeholder.find()) {
      String value = values.getOrDefault(placeholder.group(1), "");
      placeholder.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    placeholder.appendTail(out);
    return out.toString();
  }

  /** A Message-ID of the email's own: the same for every attempt to send it. */
  static String messageId(String emailId) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(emailId.getBytes(StandardCharsets.UTF_8));
      return "<" + HexFormat.of().formatHex(digest, 0, 16) + "@guichet>";
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
