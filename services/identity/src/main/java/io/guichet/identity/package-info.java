/** The identity service: accounts, credentials, roles, MFA and signing keys. */
package io.guichet.identity;
