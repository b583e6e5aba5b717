/** identity's use cases: register, log in, refresh, log out, MFA, roles, signing keys. */
package io.guichet.identity.application;
