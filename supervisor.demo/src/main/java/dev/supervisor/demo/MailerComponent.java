package dev.supervisor.demo;

import static dev.supervisor.demo.DemoLog.log;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicInteger;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * {@code demo.mailer}: a plain DS component, not a worker, that the supervisor supervises as it is
 * ({@code supervisor.component=true}). Its activate fails twice (a mail server not up yet), and the
 * supervisor retries it with backoff by disabling and re-enabling it. It is gated on the condition
 * {@code supervisor.demo.store}, so it runs only while the store does, and the supervisor derives a
 * dependency on {@code demo.store} from that reference: see {@code supervisor:info demo.mailer}.
 */
@Component(name = MailerComponent.NAME, service = {}, immediate = true, property = {
    "supervisor.component:Boolean=true", "supervisor.restartDelay=PT1S",
    "osgi.ds.satisfying.condition.target=(osgi.condition.id=supervisor." + StoreWorker.NAME + ")"})
public class MailerComponent {
  static final String NAME = "demo.mailer";
  private static final int FAILED_CONNECTS = 2;
  private static final AtomicInteger CONNECTS = new AtomicInteger();

  @Activate
  void activate() throws IOException {
    int attempt = CONNECTS.incrementAndGet();
    if (attempt <= FAILED_CONNECTS) {
      log(NAME, "connect attempt %d: mail server not up yet; failing on purpose (a demo of retries): Felix SCR "
          + "logs the exception from activate as an ERROR next, and the supervisor retries", attempt);
      throw new IOException("mail server not up yet (simulated, attempt " + attempt + ")");
    }
    log(NAME, "connected (attempt %d)", attempt);
  }

  @Deactivate
  void deactivate() {
    log(NAME, "disconnected");
  }
}
