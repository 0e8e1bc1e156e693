/**
 * Making the host match its assignments, on the reconcile thread: the pure plan of what to do
 * ({@code Diff}, {@code Action}), the loop that runs it ({@code Reconciler}), and a deployment as
 * ordered steps each with its own undo ({@code Deployment}, {@code Step}, {@code StepRunner}, the
 * checks that a new instance answers in {@code StartChecks}, retiring and removing in {@code
 * Deployer}). Uses the packages that drive the host ({@code bundle}, {@code gunicorn}, {@code
 * health}, {@code host}, {@code nginx}, {@code secrets}, {@code state}, {@code supervisor}); not
 * {@code connect}, {@code metrics} or {@code sandbox}.
 */
package io.drover.agent.reconcile;
