package io.guichet.registry.adapter.in.web;

import org.springframework.http.MediaType;

/** The registry's media type, as the Confluent API answers with it. */
final class RegistryMediaTypes {

  static final MediaType V1 = MediaType.parseMediaType("application/vnd.schemaregistry.v1+json");

  private RegistryMediaTypes() {}
}
