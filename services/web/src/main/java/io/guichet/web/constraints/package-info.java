/** Bean Validation constraints that Guichet's request records share. */
package io.guichet.web.constraints;
