package dev.supervisor.webconsole;

import java.io.IOException;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;

/**
 * The tab "Supervisor" in the Apache Felix Web Console (the javax generation, 4.x, which Karaf 4.4's
 * {@code webconsole} feature installs): a plain servlet with {@code felix.webconsole.label}, which the console
 * wraps in its own header and menu. The tab shows the page of {@link ConsoleServlet} (on the HTTP Whiteboard at
 * {@code /supervisor/}) in a frame, so that the page, its endpoints and its live updates are one and the same
 * wherever it is opened; without a web console the page is at {@code /supervisor/} alone.
 *
 * <p>Not registered on the HTTP Whiteboard (no pattern): only the web console picks it up.
 */
@Component(service = Servlet.class, property = {
    "felix.webconsole.label=supervisor",
    "felix.webconsole.title=Supervisor",
    "felix.webconsole.category=Main"})
public final class ConsoleTab extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    // The web console calls this for the content between its header and its footer. The page is on the
    // HTTP Whiteboard's default context at the server's root (the console's own context path is its own).
    String page = "/supervisor/";
    resp.setCharacterEncoding("UTF-8");
    resp.getWriter().write("<p><a href=\"" + page + "\" target=\"_blank\" rel=\"noopener\">Open in its own window</a></p>\n"
        + "<iframe id=\"supervisor-console\" src=\"" + page + "\" title=\"Supervisor\""
        + " style=\"width:100%;height:80vh;border:1px solid #ccc\"></iframe>\n");
  }
}
