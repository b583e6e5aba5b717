package io.guichet.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JsonMapperBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import tools.jackson.core.JsonParser;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.type.LogicalType;

/**
 * The JSON reader of every Guichet service, for the typed request bodies the codecs bind: one
 * document and nothing after it, each field once, no field the record does not have, numbers as
 * numbers and text as text (no coercion between them), no null for a primitive, and no text with a
 * control character (a NUL among them, which PostgreSQL refuses) or half of a surrogate pair (which
 * no encoder can write back). Each refusal is a binding error with the field's path, which {@link
 * ApiProblems} answers as a 400 naming the field.
 */
@AutoConfiguration
public class StrictJson {

  /** Runs after Spring Boot's own customizer, which turns unknown fields off. */
  @Bean
  @Order(Ordered.LOWEST_PRECEDENCE)
  JsonMapperBuilderCustomizer strictJsonReading() {
    return StrictJson::strict;
  }

  /** The strict settings, for a mapper built outside Spring (tests, tools). */
  public static void strict(JsonMapper.Builder builder) {
    builder
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .enable(
            DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
            DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES,
            DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
            DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
        .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        // Enum values are read in any case ("concert" or "CONCERT"), as the API always did.
        .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
        .withCoercionConfig(
            LogicalType.Textual,
            text ->
                text.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
        .withCoercionConfig(LogicalType.Integer, StrictJson::numbersOnly)
        .withCoercionConfig(LogicalType.Float, StrictJson::numbersOnly)
        .withCoercionConfig(LogicalType.Boolean, StrictJson::numbersOnly)
        .withCoercionConfig(
            LogicalType.POJO,
            object -> object.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
        .addModule(new SimpleModule("guichet-clean-text").addDeserializer(String.class, CLEAN));
  }

  private static void numbersOnly(tools.jackson.databind.cfg.MutableCoercionConfig config) {
    config
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
  }

  private static final StringDeserializer CLEAN = new CleanText();

  /** Text without control characters (but tab and line breaks) and without lone surrogates. */
  static final class CleanText extends StringDeserializer {

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) {
      String text = super.deserialize(parser, context);
      if (text != null && !clean(text)) {
        return (String)
            context.handleWeirdStringValue(
                String.class, text, "holds a control character or half of a surrogate pair");
      }
      return text;
    }

    static boolean clean(String text) {
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f) {
          return false;
        }
        if (Character.isHighSurrogate(c)) {
          if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
            return false;
          }
          i++;
        } else if (Character.isLowSurrogate(c)) {
          return false;
        }
      }
      return true;
    }
  }
}
