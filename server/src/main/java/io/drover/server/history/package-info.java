/**
 * Revision history: what changed between two revisions of an app ({@link
 * io.drover.server.history.SpecChanges}) and how each changed field's value is shown ({@link
 * io.drover.server.history.SpecValues}). Both read the table of spec fields, {@code
 * io.drover.spec.SpecFields}, and use nothing else of the server.
 */
package io.drover.server.history;
