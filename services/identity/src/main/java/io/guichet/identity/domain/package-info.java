/** Accounts and their credentials as plain Java: password rules, TOTP, throttling, secrets. */
package io.guichet.identity.domain;
