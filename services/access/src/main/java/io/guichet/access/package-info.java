/**
 * Access control shared by every HTTP service: identity's access tokens are checked locally (Spring
 * Security resource server) against the public keys identity published on {@code
 * identity.signing-keys}, which each service reads from the start; no service calls identity at
 * request time.
 */
package io.guichet.access;
