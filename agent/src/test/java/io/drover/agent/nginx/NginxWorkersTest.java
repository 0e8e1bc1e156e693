package io.drover.agent.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.drover.agent.host.AtomicFile;
import io.drover.agent.host.HostCommand;
import io.drover.testing.Await;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real nginx: a reload returns only once the old workers stopped accepting. */
class NginxWorkersTest {

  @Test
  void aReloadRetiresTheOldWorkers(@TempDir Path dir) throws Exception {
    Path conf = dir.resolve("nginx.conf");
    AtomicFile.write(conf, "pid nginx.pid;\nerror_log " + dir.resolve("error.log") + ";\nworker_processes 2;\n"
        + "events {}\nhttp {\n  access_log off;\n  client_body_temp_path " + dir + ";\n  proxy_temp_path " + dir + ";\n"
        + "  fastcgi_temp_path " + dir + ";\n  uwsgi_temp_path " + dir + ";\n  scgi_temp_path " + dir + ";\n"
        + "  include " + Files.createDirectories(dir.resolve("sites")) + "/*.conf;\n}\n");
    List<String> cmd = List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c", conf.toString());
    HostCommand.run(cmd, Duration.ofSeconds(20)).orThrow();
    NginxWorkers workers = NginxWorkers.of(cmd);
    try {
      Await.until(Duration.ofSeconds(10), "two nginx workers", () -> workers.current().size() == 2);
      List<Long> before = workers.current();

      new Nginx(dir.resolve("sites"), cmd).remove("absent"); // no site: no reload
      assertEquals(before, workers.current());

      Nginx nginx = new Nginx(dir.resolve("sites"), cmd);
      nginx.writeInclude(NginxSite.LOG_FORMAT_FILE, NginxSite.HTTP_CONTEXT);
      nginx.apply(new NginxSite("alpha", new java.net.InetSocketAddress("127.0.0.1", 1), List.of("alpha.local"),
          dir.resolve("access.log"), 41234));
      assertTrue(workers.awaitRetired(before, Duration.ZERO), "old workers still accepting after apply returned");
      List<Long> after = new ArrayList<>(workers.current());
      after.removeAll(before);
      assertFalse(after.isEmpty(), "new workers started");
    } finally {
      HostCommand.run(List.of("/usr/sbin/nginx", "-p", dir.toString(), "-c", conf.toString(), "-s", "stop"),
          Duration.ofSeconds(20));
    }
  }

  @Test
  void withoutAMasterThereIsNothingToWaitFor(@TempDir Path dir) {
    NginxWorkers none = new NginxWorkers(dir.resolve("missing.pid"));
    assertEquals(List.of(), none.current());
    assertTrue(none.awaitRetired(none.current(), Duration.ZERO));
  }
}
