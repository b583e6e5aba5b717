/** The catalog's use cases: each command changes one event and publishes its facts atomically. */
package io.guichet.catalog.application;
