/** One leader among the servers sharing a database, chosen through a lease row with an epoch. */
package io.drover.server.leader;
