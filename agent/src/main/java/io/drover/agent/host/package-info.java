/**
 * The host underneath everything: commands with deadlines ({@code HostCommand}), atomic files and
 * directories, accounts apps run as ({@code AppUsers}), free ports, a full disk recognised and
 * described ({@code NoSpaceLeft}), log tails, and facts about the host. The bottom of the agent's
 * packages: uses none of them (only the wire API and {@code io.drover.spec}).
 */
package io.drover.agent.host;
