/**
 * What every module's tests share: {@link io.drover.testing.TestDatabase}, a fresh PostgreSQL
 * database per test; {@link io.drover.testing.Await}, bounded waits for a condition instead of
 * sleeps; {@link io.drover.testing.MutableClock}, a clock a test moves by hand; {@link
 * io.drover.testing.TestCertificates}, certificates made by openssl.
 *
 * <p>Test support only: no production module depends on it; it uses JUnit, the PostgreSQL driver
 * and Testcontainers (when no test database is named).
 */
package io.drover.testing;
