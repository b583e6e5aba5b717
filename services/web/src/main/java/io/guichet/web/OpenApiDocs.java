package io.guichet.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.customizers.GlobalOperationCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * What every service's OpenAPI document says besides its operations (springdoc generates those from
 * the controllers and their request records): the security schemes (a bearer JWT from identity; the
 * refresh cookie), the problem+json answers every operation may give (RFC 9457, with one entry per
 * field for 400), and the media types the operations really answer. Operations open to anyone say
 * so with an empty {@code @SecurityRequirements}.
 */
@AutoConfiguration
@ConditionalOnClass(GlobalOpenApiCustomizer.class)
public class OpenApiDocs {

  /** The security scheme of an access token. */
  public static final String BEARER = "bearer";

  /** The security scheme of identity's refresh cookie. */
  public static final String REFRESH_COOKIE = "refreshCookie";

  /** The schema of every problem answer. */
  public static final String PROBLEM = "Problem";

  @Bean
  GlobalOpenApiCustomizer guichetOpenApi(
      @Value("${spring.application.name:guichet}") String service) {
    return openApi -> describe(openApi, service);
  }

  /** The problems an operation names with {@link ProblemResponses}, described. */
  @Bean
  GlobalOperationCustomizer guichetProblemResponses() {
    return (operation, handler) -> {
      ProblemResponses declared = handler.getMethodAnnotation(ProblemResponses.class);
      if (declared != null) {
        ApiResponses responses =
            operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
        for (int status : declared.value()) {
          responses.addApiResponse(Integer.toString(status), problem(described(status)));
        }
        operation.setResponses(responses);
      }
      return operation;
    };
  }

  private static String described(int status) {
    switch (status) {
      case 402:
        return "The payment failed: the problem's reason says why; nothing was charged.";
      case 403:
        return "The caller may not do this.";
      case 409:
        return "The resource's state forbids it now (see detail).";
      case 422:
        return "Well-formed, but breaks a rule: each error names its field.";
      default:
        return org.springframework.http.HttpStatus.valueOf(status).getReasonPhrase() + ".";
    }
  }

  static void describe(OpenAPI openApi, String service) {
    openApi.info(
        new Info()
            .title("Guichet " + service)
            .version("1")
            .description(
                "The "
                    + service
                    + " service's part of Guichet's API. Errors are RFC 9457"
                    + " problem+json answers."));
    openApi.servers(List.of(new Server().url("/")));
    Components components =
        openApi.getComponents() == null ? new Components() : openApi.getComponents();
    openApi.components(components);
    components.addSecuritySchemes(
        BEARER,
        new SecurityScheme()
            .type(SecurityScheme.Type.HTTP)
            .scheme("bearer")
            .bearerFormat("JWT")
            .description("An access token from POST /auth/login (identity)."));
    components.addSecuritySchemes(
        REFRESH_COOKIE,
        new SecurityScheme()
            .type(SecurityScheme.Type.APIKEY)
            .in(SecurityScheme.In.COOKIE)
            .name("guichet_refresh")
            .description("The refresh token identity sets at login (HttpOnly, path /auth)."));
    components.addSchemas(PROBLEM, problemSchema());
    if (components.getSchemas() != null) {
      components.getSchemas().values().forEach(OpenApiDocs::optionalMayBeNull);
    }
    if (openApi.getSecurity() == null) {
      openApi.security(List.of(new SecurityRequirement().addList(BEARER)));
    }
    if (openApi.getPaths() == null) {
      return;
    }
    openApi
        .getPaths()
        .forEach(
            (path, item) ->
                item.readOperationsMap()
                    .forEach((method, operation) -> describe(operation, method, service)));
  }

  private static void describe(Operation operation, PathItem.HttpMethod method, String service) {
    operation.setTags(List.of(service));
    ApiResponses responses =
        operation.getResponses() == null ? new ApiResponses() : operation.getResponses();
    operation.setResponses(responses);
    // springdoc says "*/*" for a ResponseEntity<?>: Guichet answers JSON.
    responses
        .values()
        .forEach(
            response -> {
              Content content = response.getContent();
              if (content != null && content.containsKey("*/*")) {
                content.addMediaType(
                    org.springframework.http.MediaType.APPLICATION_JSON_VALUE,
                    content.remove("*/*"));
              }
            });
    boolean secured = operation.getSecurity() == null || !operation.getSecurity().isEmpty();
    boolean hasBody = operation.getRequestBody() != null;
    Map<String, String> problems = new LinkedHashMap<>();
    problems.put("400", "Malformed or invalid request: each wrong field is named in errors.");
    if (secured) {
      problems.put("401", "No valid access token.");
      problems.put("403", "The caller may not do this.");
    }
    problems.put("404", "Nothing is at this address.");
    if (hasBody) {
      problems.put("413", "The body is larger than the service accepts.");
      problems.put("415", "The body is not application/json.");
    }
    problems.put("429", "Too many requests: try again after Retry-After.");
    if (method != PathItem.HttpMethod.GET) {
      problems.put("503", "Overloaded or not ready: try again after Retry-After.");
    }
    problems.forEach(
        (status, description) -> {
          if (!responses.containsKey(status)) {
            responses.addApiResponse(status, problem(description));
          }
        });
  }

  /**
   * Guichet writes an absent optional value as {@code null} (a payment's failure reason before any
   * failure): in OpenAPI 3.1 an optional property's type then includes "null", so real answers
   * match their schema.
   */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static void optionalMayBeNull(Schema<?> schema) {
    if (schema.getProperties() == null) {
      return;
    }
    List<String> required = schema.getRequired() == null ? List.of() : schema.getRequired();
    schema
        .getProperties()
        .forEach(
            (name, property) -> {
              Schema field = property;
              if (!required.contains(name) && field.get$ref() == null && field.getTypes() != null) {
                java.util.Set<String> types = new java.util.LinkedHashSet<>(field.getTypes());
                types.add("null");
                field.setTypes(types);
              }
            });
  }

  /** A problem+json answer. */
  public static ApiResponse problem(String description) {
    return new ApiResponse()
        .description(description)
        .content(
            new Content()
                .addMediaType(
                    org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                    new MediaType()
                        .schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM))));
  }

  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Schema<?> problemSchema() {
    Schema fieldError =
        new ObjectSchema()
            .addProperty(
                "field", new StringSchema().description("the field, as the client sent it"))
            .addProperty("message", new StringSchema().description("what is wrong, for a person"))
            .required(List.of("field", "message"));
    return new ObjectSchema()
        .description("An RFC 9457 problem; its type names Guichet's problem (/problems/<type>).")
        .addProperty("type", new StringSchema().example("/problems/invalid-request"))
        .addProperty("title", new StringSchema().example("Invalid request"))
        .addProperty("status", new IntegerSchema().example(400))
        .addProperty("detail", new StringSchema())
        .addProperty("instance", new StringSchema())
        .addProperty("errors", new ArraySchema().items(fieldError))
        .required(List.of("type", "title", "status"));
  }
}
