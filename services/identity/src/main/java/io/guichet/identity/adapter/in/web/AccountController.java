package io.guichet.identity.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.identity.application.Accounts;
import io.guichet.identity.application.SigningKeys;
import io.guichet.identity.domain.EmailAddress;
import io.guichet.identity.domain.PasswordRules;
import io.guichet.platform.access.Role;
import io.guichet.web.FieldError;
import io.guichet.web.JsonFields;
import io.guichet.web.JsonRequests;
import io.guichet.web.PageRequest;
import io.guichet.web.Problems;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Mono;

/**
 * {@code POST /accounts} registers a customer; {@code GET /me} shows the caller's account; the rest
 * is for admins: list and show accounts, grant roles (binding scanners to events), disable, rotate
 * the signing key.
 */
@RestController
public class AccountController {

  private static final Set<String> LANGUAGES = Set.of("fr", "en");

  private final Accounts accounts;
  private final SigningKeys keys;
  private final PasswordRules passwordRules = new PasswordRules();

  public AccountController(Accounts accounts, SigningKeys keys) {
    this.accounts = accounts;
    this.keys = keys;
  }

  @PostMapping(path = "/accounts", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> register(@RequestBody(required = false) String body) {
    return JsonRequests.answer(
        body,
        fields -> {
          fields.only("email", "password", "language");
          String email = email(fields);
          String password = fields.exactText("password", PasswordRules.MAX_LENGTH);
          String language = language(fields);
          if (email != null && password != null) {
            passwordRules
                .refusal(password, email)
                .ifPresent(reason -> fields.reject("password", reason));
          }
          return fields.errors().isEmpty()
              ? accounts
                  .register(email, password, language)
                  .<ResponseEntity<?>>map(
                      account ->
                          ResponseEntity.created(URI.create("/accounts/" + account.id()))
                              .body(AccountView.of(account)))
                  .defaultIfEmpty(
                      Problems.conflict(
                          "An account with this email exists.",
                          List.of(new FieldError("email", "is taken"))))
              : null;
        });
  }

  private static String email(JsonFields fields) {
    String text = fields.text("email", EmailAddress.MAX_LENGTH);
    if (text == null) {
      return null;
    }
    return EmailAddress.parse(text)
        .orElseGet(
            () -> {
              fields.reject("email", "must be an email address (name@example.org)");
              return null;
            });
  }

  private static String language(JsonFields fields) {
    String language = fields.optionalText("language", 8);
    if (language == null) {
      return "fr";
    }
    language = language.toLowerCase(Locale.ROOT);
    if (!LANGUAGES.contains(language)) {
      fields.reject("language", "must be one of en, fr");
    }
    return language;
  }

  @GetMapping("/me")
  public Mono<ResponseEntity<?>> me() {
    return Caller.current()
        .flatMap(caller -> accounts.find(caller.accountId()))
        .<ResponseEntity<?>>map(account -> ResponseEntity.ok(AccountView.of(account)))
        .defaultIfEmpty(Problems.notFound("Your account no longer exists."));
  }

  /** A page of accounts, oldest first (admins). */
  @GetMapping("/accounts")
  public Mono<ResponseEntity<?>> list(
      @RequestParam(required = false) String page, @RequestParam(required = false) String size) {
    return PageRequest.answer(
        page,
        size,
        request ->
            accounts
                .page(request.page(), request.size())
                .map(AccountView::of)
                .collectList()
                .zipWith(accounts.count())
                .map(found -> request.of(found.getT1(), found.getT2())));
  }

  @GetMapping("/accounts/{id}")
  public Mono<ResponseEntity<?>> show(@PathVariable String id) {
    return accounts
        .find(id)
        .<ResponseEntity<?>>map(account -> ResponseEntity.ok(AccountView.of(account)))
        .defaultIfEmpty(unknown(id));
  }

  /** {@code {"roles": ["SCANNER"], "events": ["evt-1"]}}: events only for a scanner. */
  @PutMapping(path = "/accounts/{id}/roles", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> roles(
      @PathVariable String id, @RequestBody(required = false) String body) {
    return JsonRequests.answer(
        body,
        fields -> {
          fields.only("roles", "events");
          Set<Role> roles = roles(fields);
          List<String> events = fields.texts("events", 500, 64);
          if (events != null) {
            events.stream()
                .filter(event -> !JsonFields.ID.matcher(event).matches())
                .findFirst()
                .ifPresent(bad -> fields.reject("events", "must hold event ids"));
          }
          if (roles != null
              && events != null
              && !events.isEmpty()
              && !roles.contains(Role.SCANNER)) {
            fields.reject("events", "are only for a SCANNER");
          }
          return fields.errors().isEmpty()
              ? accounts
                  .setRoles(id, roles, Set.copyOf(events))
                  .<ResponseEntity<?>>map(account -> ResponseEntity.ok(AccountView.of(account)))
                  .defaultIfEmpty(unknown(id))
              : null;
        });
  }

  private static Set<Role> roles(JsonFields fields) {
    List<String> names = fields.texts("roles", 4, 16);
    if (names == null) {
      return null;
    }
    Set<Role> roles = new HashSet<>();
    for (String name : names) {
      try {
        roles.add(Role.valueOf(name.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        fields.reject("roles", "must hold ADMIN, ORGANIZER, CUSTOMER or SCANNER");
        return null;
      }
    }
    if (roles.isEmpty()) {
      fields.reject("roles", "must hold at least one role");
      return null;
    }
    return roles;
  }

  @PostMapping("/accounts/{id}/disable")
  public Mono<ResponseEntity<?>> disable(@PathVariable String id) {
    return accounts
        .disable(id)
        .flatMap(found -> found ? accounts.find(id) : Mono.empty())
        .<ResponseEntity<?>>map(account -> ResponseEntity.ok(AccountView.of(account)))
        .defaultIfEmpty(unknown(id));
  }

  /** Makes a new signing key current; the previous one is accepted until its tokens expire. */
  @PostMapping("/signing-keys/rotation")
  public Mono<ResponseEntity<?>> rotate() {
    return keys.rotate()
        .map(keyId -> ResponseEntity.status(HttpStatus.CREATED).body(Map.of("keyId", keyId)));
  }

  private static ResponseEntity<?> unknown(String id) {
    return Problems.notFound("No account " + id + ".");
  }
}
