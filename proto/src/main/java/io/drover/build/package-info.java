/**
 * The build's version and the agent protocol it speaks ({@link io.drover.build.Build}), the same for
 * the CLI, the server and the agent. Uses nothing but the JDK.
 */
package io.drover.build;
