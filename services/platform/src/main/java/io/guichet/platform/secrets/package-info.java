/** Secrets at rest: what a service stores sealed under its master key. */
package io.guichet.platform.secrets;
