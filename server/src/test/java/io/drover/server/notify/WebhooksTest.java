package io.drover.server.notify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhooksTest {

  @Test
  void theUrlIsShownWithoutWhatMayBeASecret() {
    assertEquals("https://hooks.example.com/…", Webhooks.mask("https://hooks.example.com/services/T0/B0/XXXX"));
    assertEquals("https://hooks.example.com/…", Webhooks.mask("https://user:pw@hooks.example.com/?token=x"));
    assertEquals("http://127.0.0.1:8080/", Webhooks.mask("http://127.0.0.1:8080/"));
    assertEquals("(a URL)", Webhooks.mask("not a url at all"));
  }

  @Test
  void onlyHttpUrlsWithAHostAreTaken() {
    Webhooks.check("https://hooks.example.com/x");
    for (String bad : new String[] {"ftp://example.com/x", "hooks.example.com/x", "https:///x", "http://exa mple/"}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Webhooks.check(bad));
      assertEquals(true, e.getMessage().startsWith("--webhook: "), e.getMessage());
    }
  }

  @Test
  void backoffDoublesUpToItsCapThenGivesUp() {
    Duration base = Duration.ofSeconds(1);
    assertEquals(Duration.ofSeconds(1), Webhooks.backoff(1, base));
    assertEquals(Duration.ofSeconds(2), Webhooks.backoff(2, base));
    assertEquals(Duration.ofSeconds(16), Webhooks.backoff(5, base));
    assertEquals(Duration.ofSeconds(256), Webhooks.backoff(9, base));
    assertEquals(Webhooks.MAX_BACKOFF, Webhooks.backoff(9, Duration.ofSeconds(10)));
    assertNull(Webhooks.backoff(Webhooks.MAX_ATTEMPTS, base));
  }
}
