package io.drover.server.changes;

import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.jooq.DSLContext;

/**
 * What a transaction changed: the hosts whose assignments changed and the apps whose status changed.
 * Travels between servers as the payload of a PostgreSQL {@code NOTIFY drover_changes}, e.g. {@code
 * hosts:web-1,web-2;apps:hello}; {@code *} stands for all.
 */
public record ChangeNotice(Set<String> hosts, boolean allHosts, Set<String> apps, boolean allApps) {
  public static final String CHANNEL = "drover_changes";
  /** PostgreSQL refuses payloads of 8000 bytes or more; longer lists are sent as "all". */
  private static final int MAX_LIST = 3500;

  public static final ChangeNotice NONE = new ChangeNotice(Set.of(), false, Set.of(), false);
  public static final ChangeNotice EVERYTHING = new ChangeNotice(Set.of(), true, Set.of(), true);

  public ChangeNotice {
    hosts = allHosts ? Set.of() : Set.copyOf(hosts);
    apps = allApps ? Set.of() : Set.copyOf(apps);
  }

  public static ChangeNotice of(Collection<String> hosts, Collection<String> apps) {
    return new ChangeNotice(Set.copyOf(hosts), false, Set.copyOf(apps), false);
  }

  public static ChangeNotice hosts(Collection<String> hosts) {
    return of(hosts, Set.of());
  }

  public static ChangeNotice apps(Collection<String> apps) {
    return of(Set.of(), apps);
  }

  public boolean isEmpty() {
    return !allHosts && !allApps && hosts.isEmpty() && apps.isEmpty();
  }

  public boolean touchesHost(String host) {
    return allHosts || hosts.contains(host);
  }

  public boolean touchesApp(String app) {
    return allApps || apps.contains(app);
  }

  /** Both notices at once. */
  public ChangeNotice merge(ChangeNotice other) {
    Set<String> h = new HashSet<>(hosts);
    h.addAll(other.hosts);
    Set<String> a = new HashSet<>(apps);
    a.addAll(other.apps);
    return new ChangeNotice(h, allHosts || other.allHosts, a, allApps || other.allApps);
  }

  /** Sends this notice to every server; PostgreSQL delivers it when the transaction commits. */
  public void publish(DSLContext tx) {
    if (!isEmpty()) {
      tx.fetch("select pg_notify(?, ?)", CHANNEL, payload());
    }
  }

  public String payload() {
    return "hosts:" + list(hosts, allHosts) + ";apps:" + list(apps, allApps);
  }

  /** Reads a payload; anything it cannot read counts as "everything changed". */
  public static ChangeNotice parse(String payload) {
    Set<String> hosts = Set.of();
    Set<String> apps = Set.of();
    boolean allHosts = false;
    boolean allApps = false;
    boolean understood = false;
    for (String part : payload.split(";")) {
      if (part.startsWith("hosts:")) {
        String list = part.substring("hosts:".length());
        allHosts = list.equals("*");
        hosts = allHosts ? Set.of() : items(list);
        understood = true;
      } else if (part.startsWith("apps:")) {
        String list = part.substring("apps:".length());
        allApps = list.equals("*");
        apps = allApps ? Set.of() : items(list);
        understood = true;
      }
    }
    return understood ? new ChangeNotice(hosts, allHosts, apps, allApps) : EVERYTHING;
  }

  private static Set<String> items(String list) {
    return list.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(list.split(",")));
  }

  private static String list(Set<String> names, boolean all) {
    String joined = String.join(",", new TreeSet<>(names));
    return all || joined.length() > MAX_LIST ? "*" : joined;
  }
}
