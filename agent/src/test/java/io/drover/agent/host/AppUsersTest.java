package io.drover.agent.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppUsersTest {
  private static final AppUsers.Account ROOT = new AppUsers.Account("root", 0, 0, "/root");
  private static final AppUsers.Account NOBODY = new AppUsers.Account("nobody", 65534, 65534, "/nonexistent");
  private static final AppUsers.Account APP = new AppUsers.Account("drover-app", 998, 998, "/var/lib/drover-app");
  private static final AppUsers.Account TOOR = new AppUsers.Account("toor", 0, 0, "/root");
  private static final AppUsers.Account DEPLOY = new AppUsers.Account("deploy", 1000, 1000, "/home/deploy");

  private static AppUsers as(AppUsers.Account agent, AppUsers.Account... accounts) {
    Map<String, AppUsers.Account> byName = new HashMap<>();
    for (AppUsers.Account a : accounts) {
      byName.put(a.name(), a);
    }
    return new AppUsers(agent, name -> Optional.ofNullable(byName.get(name)));
  }

  @Test
  void aRootAgentRunsAppsAsTheNamedUserElseDroverAppElseNobody() {
    assertEquals(new AppUsers.AppUser(APP, true), as(ROOT, ROOT, NOBODY, APP).forApp(""));
    assertEquals(new AppUsers.AppUser(NOBODY, true), as(ROOT, ROOT, NOBODY).forApp(""));
    assertEquals(new AppUsers.AppUser(DEPLOY, true), as(ROOT, ROOT, NOBODY, DEPLOY).forApp("deploy"));
    assertEquals("deploy", as(ROOT, DEPLOY).forApp("deploy").supervisorUser());
  }

  @Test
  void neverRoot() {
    assertEquals("user: apps never run as root; name an unprivileged account or leave user out",
        assertThrows(AppUsers.AppUserException.class, () -> as(ROOT, ROOT).forApp("root")).getMessage());
    assertEquals("user: toor has uid 0; apps never run as root",
        assertThrows(AppUsers.AppUserException.class, () -> as(ROOT, TOOR).forApp("toor")).getMessage());
    assertEquals("user: this host has no account nobody (the default app user)",
        assertThrows(AppUsers.AppUserException.class, () -> as(ROOT, ROOT).forApp("")).getMessage());
    assertEquals("user: this host has no account ghost",
        assertThrows(AppUsers.AppUserException.class, () -> as(ROOT, ROOT).forApp("ghost")).getMessage());
  }

  @Test
  void anUnprivilegedAgentRunsAppsAsItselfAndRefusesOtherUsers() {
    AppUsers users = as(DEPLOY, DEPLOY, NOBODY);
    assertEquals(new AppUsers.AppUser(DEPLOY, false), users.forApp(""));
    assertEquals(new AppUsers.AppUser(DEPLOY, false), users.forApp("deploy"));
    assertEquals("", users.forApp("").supervisorUser());
    assertEquals("user: the agent runs as deploy, not root, so it cannot run apps as nobody; leave user out or run the "
        + "agent as root", assertThrows(AppUsers.AppUserException.class, () -> users.forApp("nobody")).getMessage());
  }

  @Test
  void readsPasswdLines() {
    assertEquals(Optional.of(NOBODY), AppUsers.parsePasswd("nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n"));
    assertEquals(Optional.empty(), AppUsers.parsePasswd("broken"));
    assertTrue(AppUsers.getent("root").isPresent());
    assertFalse(AppUsers.getent("no-such-account-here").isPresent());
  }

  @Test
  void reachabilityNamesTheDirectoryThatStopsTheUser(@TempDir Path tmp) throws Exception {
    Path release = Files.createDirectories(tmp.resolve("apps/releases/hello/1"));
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx------"));
    AppUsers.AppUserException e = assertThrows(AppUsers.AppUserException.class,
        () -> AppUsers.requireReachable(NOBODY, release));
    assertTrue(e.getMessage().startsWith("the app user nobody cannot reach " + tmp + " (mode rwx------"), e.getMessage());
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
    AppUsers.requireReachable(NOBODY, release);
  }
}
