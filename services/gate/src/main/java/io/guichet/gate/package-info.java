/** The gate service: scans at the entrance. */
package io.guichet.gate;
