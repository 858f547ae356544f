import io.temporal.testserver.TestServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Many time-skipping test servers in one JVM (the suite starts one for each test that needs its clock at a
 * scenario's start). A launcher connects to the control port and sends the line the test server's own
 * command line takes (`<port> [--enable-time-skipping]`); this starts a server on that port exactly as
 * TestServer.main does, answers `ready`, and stops it when the launcher's connection closes (the SDK stops a
 * test server by killing its process). Each server has its own store and its own clock. Standard input
 * closing (the test run that started this ended) stops everything.
 */
public final class TimeSkippingPool {
  public static void main(String[] args) throws IOException {
    int controlPort = args.length > 0 ? Integer.parseInt(args[0]) : 0;
    Thread parent = new Thread(TimeSkippingPool::exitWithParent, "parent-watch");
    parent.setDaemon(true);
    parent.start();
    try (ServerSocket control = new ServerSocket(controlPort, 64, InetAddress.getLoopbackAddress())) {
      System.out.println(control.getLocalPort());
      System.out.flush();
      while (true) {
        Socket launcher = control.accept();
        Thread serving = new Thread(() -> serve(launcher), "launcher-" + launcher.getPort());
        serving.setDaemon(true);
        serving.start();
      }
    }
  }

  private static void exitWithParent() {
    try {
      while (System.in.read() != -1) {}
    } catch (IOException ignored) {
      // the pipe broke: the parent is gone as well
    }
    System.exit(0);
  }

  private static void serve(Socket launcher) {
    try (launcher) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
      OutputStream out = launcher.getOutputStream();
      String[] words = String.valueOf(in.readLine()).trim().split("\\s+");
      TestServer.PortBoundTestServer server;
      try {
        int port = Integer.parseInt(words[0]);
        boolean enableTimeSkipping = words.length > 1 && "--enable-time-skipping".equalsIgnoreCase(words[1]);
        server = TestServer.createPortBoundServer(port, !enableTimeSkipping);
      } catch (RuntimeException e) {
        out.write(("error " + e + "\n").getBytes(StandardCharsets.UTF_8));
        return;
      }
      try {
        out.write("ready\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
        while (in.read() != -1) {}
      } finally {
        server.close();
      }
    } catch (IOException ignored) {
      // the launcher went: its server was closed above
    }
  }
}
