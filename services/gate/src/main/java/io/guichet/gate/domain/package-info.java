/** The gate's rules: what a scan decides. */
package io.guichet.gate.domain;
