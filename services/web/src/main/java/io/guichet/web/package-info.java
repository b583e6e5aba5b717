/** What Guichet's HTTP APIs share: RFC 9457 problem answers and strict reading of JSON fields. */
package io.guichet.web;
