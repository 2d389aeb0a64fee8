package io.hanse.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;

class TcpProxyTest {

    @Test
    void passesBytesBothWaysDropsEveryConnectionWhenCutAndPassesAgainWhenHealed() throws Exception {
        try (ServerSocket echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
                TcpProxy proxy = TcpProxy.to(echo.getLocalPort())) {
            Thread echoing = new Thread(() -> {
                while (!echo.isClosed()) {
                    try (Socket client = echo.accept()) {
                        client.getInputStream().transferTo(client.getOutputStream());
                    } catch (IOException e) {
                        // next client
                    }
                }
            });
            echoing.setDaemon(true);
            echoing.start();

            try (Socket first = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                assertArrayEquals("hello".getBytes(), roundTrip(first, "hello"));
                proxy.cut();
                assertEquals(-1, first.getInputStream().read(), "a cut closes what was open");
            }
            try (Socket during = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                during.setSoTimeout(5_000);
                assertThrows(IOException.class, () -> {
                    roundTrip(during, "lost");
                    if (during.getInputStream().read() < 0) {
                        throw new IOException("closed");
                    }
                });
            }
            proxy.heal();
            try (Socket after = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                assertArrayEquals("again".getBytes(), roundTrip(after, "again"));
            }
        }
    }

    private static byte[] roundTrip(Socket socket, String text) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(text.getBytes());
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] back = in.readNBytes(text.length());
        if (back.length < text.length()) {
            throw new IOException("closed after " + back.length + " bytes");
        }
        return back;
    }
}
