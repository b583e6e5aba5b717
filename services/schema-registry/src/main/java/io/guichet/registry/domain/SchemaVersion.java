package io.guichet.registry.domain;

/**
 * One version of a subject.
 *
 * @param subject the subject
 * @param version its version under the subject, from 1
 * @param id the schema's global id (the same for the same schema under any subject)
 * @param schema the schema in canonical JSON
 */
public record SchemaVersion(String subject, int version, int id, String schema) {}
