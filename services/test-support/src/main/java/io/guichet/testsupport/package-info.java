/** The shared, real infrastructure every integration test of Guichet runs against. */
package io.guichet.testsupport;
