/** The Confluent-compatible REST endpoints and their error format. */
package io.guichet.registry.adapter.in.web;
