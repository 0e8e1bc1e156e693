/** Revision history: what changed between two revisions of an app. */
package io.drover.server.history;
