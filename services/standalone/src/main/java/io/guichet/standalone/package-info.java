/** The standalone mode: all of Guichet in one JVM with its data in one directory. */
package io.guichet.standalone;
