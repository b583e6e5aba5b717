package io.guichet.identity.adapter.in.web;

import io.guichet.access.Caller;
import io.guichet.identity.application.Accounts;
import io.guichet.identity.application.SigningKeys;
import io.guichet.identity.domain.PasswordRules;
import io.guichet.platform.access.Role;
import io.guichet.platform.ids.EmailAddress;
import io.guichet.web.FieldError;
import io.guichet.web.PageRequest;
import io.guichet.web.ProblemResponses;
import io.guichet.web.Problems;
import io.guichet.web.constraints.Identifier;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import jakarta.validation.Valid;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  private final Accounts accounts;
  private final SigningKeys keys;
  private final PasswordRules passwordRules = new PasswordRules();

  public AccountController(Accounts accounts, SigningKeys keys) {
    this.accounts = accounts;
    this.keys = keys;
  }

  @SecurityRequirements
  @ApiResponse(
      responseCode = "201",
      description = "The new account",
      content = @Content(schema = @Schema(implementation = AccountView.class)))
  @ProblemResponses({409})
  @PostMapping(path = "/accounts", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> register(@Valid @RequestBody IdentityRequests.Registration body) {
    List<FieldError> errors = new ArrayList<>();
    String email =
        EmailAddress.parse(body.email().strip())
            .orElseGet(
                () -> {
                  errors.add(
                      new FieldError("email", "must be an email address (name@example.org)"));
                  return null;
                });
    if (email != null) {
      passwordRules
          .refusal(body.password(), email)
          .ifPresent(reason -> errors.add(new FieldError("password", reason)));
    }
    if (!errors.isEmpty()) {
      return Mono.just(Problems.invalid(errors));
    }
    return accounts
        .register(email, body.password(), body.languageOrDefault())
        .<ResponseEntity<?>>map(
            account ->
                ResponseEntity.created(URI.create("/accounts/" + account.id()))
                    .body(AccountView.of(account)))
        .defaultIfEmpty(
            Problems.conflict(
                "An account with this email exists.",
                List.of(new FieldError("email", "is taken"))));
  }

  @ApiResponse(
      responseCode = "200",
      description = "The caller's account",
      content = @Content(schema = @Schema(implementation = AccountView.class)))
  @GetMapping("/me")
  public Mono<ResponseEntity<?>> me() {
    return Caller.current()
        .flatMap(caller -> accounts.find(caller.accountId()))
        .<ResponseEntity<?>>map(account -> ResponseEntity.ok(AccountView.of(account)))
        .defaultIfEmpty(Problems.notFound("Your account no longer exists."));
  }

  /** A page of accounts, oldest first (admins). */
  @ApiResponse(responseCode = "200", description = "A page of accounts")
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

  @ApiResponse(
      responseCode = "200",
      description = "The account",
      content = @Content(schema = @Schema(implementation = AccountView.class)))
  @GetMapping("/accounts/{id}")
  public Mono<ResponseEntity<?>> show(@PathVariable @Identifier String id) {
    return accounts
        .find(id)
        .<ResponseEntity<?>>map(account -> ResponseEntity.ok(AccountView.of(account)))
        .defaultIfEmpty(unknown(id));
  }

  /** {@code {"roles": ["SCANNER"], "events": ["evt-1"]}}: events only for a scanner. */
  @ApiResponse(
      responseCode = "200",
      description = "The account with its roles",
      content = @Content(schema = @Schema(implementation = AccountView.class)))
  @PutMapping(path = "/accounts/{id}/roles", consumes = MediaType.APPLICATION_JSON_VALUE)
  public Mono<ResponseEntity<?>> roles(
      @PathVariable @Identifier String id, @Valid @RequestBody IdentityRequests.Roles body) {
    if (!body.eventSet().isEmpty() && !body.roleSet().contains(Role.SCANNER)) {
      return Mono.just(
          Problems.invalid(List.of(new FieldError("events", "are only for a SCANNER"))));
    }
    return accounts
        .setRoles(id, body.roleSet(), body.eventSet())
        .<ResponseEntity<?>>map(account -> ResponseEntity.ok(AccountView.of(account)))
        .defaultIfEmpty(unknown(id));
  }

  @ApiResponse(
      responseCode = "200",
      description = "The account, disabled",
      content = @Content(schema = @Schema(implementation = AccountView.class)))
  @PostMapping("/accounts/{id}/disable")
  public Mono<ResponseEntity<?>> disable(@PathVariable @Identifier String id) {
    return accounts
        .disable(id)
        .flatMap(found -> found ? accounts.find(id) : Mono.empty())
        .<ResponseEntity<?>>map(account -> ResponseEntity.ok(AccountView.of(account)))
        .defaultIfEmpty(unknown(id));
  }

  /** Makes a new signing key current; the previous one is accepted until its tokens expire. */
  @ApiResponse(responseCode = "201", description = "The new current key's id")
  @PostMapping("/signing-keys/rotation")
  public Mono<ResponseEntity<?>> rotate() {
    return keys.rotate()
        .map(keyId -> ResponseEntity.status(HttpStatus.CREATED).body(Map.of("keyId", keyId)));
  }

  private static ResponseEntity<?> unknown(String id) {
    return Problems.notFound("No account " + id + ".");
  }
}
