/**
 * Use cases: register, look up, check and configure, written to the schema log before they are
 * applied.
 */
package io.guichet.registry.application;
