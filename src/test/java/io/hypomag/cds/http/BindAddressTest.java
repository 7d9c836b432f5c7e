package io.hypomag.cds.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hypomag.cds.assessment.Thresholds;
import io.hypomag.cds.fhir.FhirJson;
import io.hypomag.cds.fhir.Terminology;
import io.hypomag.cds.hooks.HookHandlers;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.time.Clock;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * HOST: an unauthenticated service listens on loopback only unless told otherwise; with AUTH_MODE=required it
 * listens on every interface; an operator can name one. Proven with real sockets on this machine's addresses.
 */
class BindAddressTest {
    private static final String REQUIRED = "[{\"iss\": \"https://ehr.example.org\","
            + " \"jwksUrl\": \"https://ehr.example.org/jwks.json\"}]";

    @ParameterizedTest(name = "AUTH_MODE={0}, HOST={1} → {2}")
    @CsvSource({"off, '', 127.0.0.1", "required, '', 0.0.0.0", "off, 0.0.0.0, 0.0.0.0", "required, 127.0.0.1, 127.0.0.1",
        "off, ::1, ::1"})
    void theDefaultFollowsTheAuthenticationMode(String mode, String host, String expected) {
        Map<String, String> env = new java.util.HashMap<>(Map.of("AUTH_MODE", mode, "HOST", host));
        if (mode.equals("required")) {
            env.put("AUTH_ISSUERS", REQUIRED);
            env.put("PUBLIC_BASE_URL", "https://cds.example.org");
        }
        assertEquals(expected, Settings.fromEnvironment(env).host());
    }

    @Test
    void aHostThatIsNoAddressStopsTheStartNamingTheVariable() {
        SettingsException e = assertThrows(SettingsException.class,
                () -> Settings.fromEnvironment(Map.of("HOST", "http://0.0.0.0/")));
        assertTrue(e.getMessage().startsWith("HOST must be"), e.getMessage());
    }

    @Test
    void theOffWarningSaysWhereItListensAndHowToOpenIt() {
        String warning = Main.authenticationWarning(Settings.fromEnvironment(Map.of())).orElseThrow();
        assertTrue(warning.contains("Listening on 127.0.0.1 only") && warning.contains("HOST=0.0.0.0"), warning);
    }

    @ParameterizedTest(name = "HOST={0}: reachable from another interface of this machine: {1}")
    @CsvSource({"127.0.0.1, false", "0.0.0.0, true"})
    void theServiceListensWhereItIsTold(String host, boolean reachableFromOutside) throws IOException {
        InetAddress other = nonLoopbackAddress().orElse(null);
        Assumptions.assumeTrue(other != null, "this machine has no non-loopback IPv4 address");
        CdsHttpServer server = CdsHttpServer.create(Settings.anyOrigin(0).withHost(host), new FhirJson(),
                HookHandlers.standard(Clock.systemUTC(), Thresholds.defaults(), Terminology.load()));
        int port = server.start();
        try {
            assertTrue(connects(InetAddress.getLoopbackAddress(), port), "loopback always");
            assertEquals(reachableFromOutside, connects(other, port), other.toString());
        } finally {
            server.close();
        }
    }

    private static boolean connects(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (nic.isUp() && !nic.isLoopback()) {
                for (InetAddress address : Collections.list(nic.getInetAddresses())) {
                    if (address instanceof java.net.Inet4Address) {
                        return Optional.of(address);
                    }
                }
            }
        }
        return Optional.empty();
    }
}
