/**
 * Guichet's access tokens and roles: what identity signs and every service checks (the checking
 * itself, with Spring Security, is in {@code guichet-access}).
 */
package io.guichet.platform.access;
