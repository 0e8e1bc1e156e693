/** How commands print data: aligned tables for people, JSON (proto3 mapping) for scripts. */
package io.drover.cli.output;
