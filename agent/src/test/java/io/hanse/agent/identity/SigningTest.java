package io.hanse.agent.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SigningTest {

    private static final Pattern PARAMETER = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    @TempDir
    Path dir;

    @Test
    void signsTheSixLinesOfTheProtocol() throws Exception {
        AgentKey key = AgentKey.generate();
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1764901234), ZoneOffset.UTC);
        byte[] body = "{\"bootEpoch\":1}".getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create("http://hanse.example.org:8181/prefix/api/v1/agents/self/observations?x=1&y=a%20b");
        String header = new RequestSigner(key, clock).authorization("POST", uri, body);

        assertTrue(header.startsWith("Hanse-Signature "), header);
        Map<String, String> parameters = parameters(header);
        assertEquals(key.fingerprint(), parameters.get("key"));
        assertEquals("1764901234", parameters.get("created"));
        byte[] nonce = Base64.getUrlDecoder().decode(parameters.get("nonce"));
        assertEquals(16, nonce.length);
        assertFalse(parameters.get("nonce").contains("="));

        String text = "hanse-agent-request-v1\nPOST\n/prefix/api/v1/agents/self/observations?x=1&y=a%20b\n"
                + "1764901234\n" + parameters.get("nonce") + "\n"
                + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(body));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(key.publicKey());
        verifier.update(text.getBytes(StandardCharsets.UTF_8));
        assertTrue(verifier.verify(Base64.getDecoder().decode(parameters.get("signature"))));
    }

    @Test
    void signsTheDigestOfNoBytesForARequestWithoutBody() {
        String text = RequestSigner.signingText("GET", "/api/v1/agents/self/desires?wait=30", 1, "n", new byte[0]);
        assertEquals("hanse-agent-request-v1\nGET\n/api/v1/agents/self/desires?wait=30\n1\nn\n"
                + "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", text);
    }

    @Test
    void noncesDifferBetweenRequests() {
        RequestSigner signer = new RequestSigner(AgentKey.generate(), Clock.systemUTC());
        URI uri = URI.create("http://h/api/v1/agents/self/heartbeat");
        assertFalse(parameters(signer.authorization("POST", uri, new byte[0])).get("nonce")
                .equals(parameters(signer.authorization("POST", uri, new byte[0])).get("nonce")));
    }

    @Test
    void savesAndLoadsTheKeyPairWithAPrivateKeyOnlyItsOwnerReads() throws IOException {
        AgentKey key = AgentKey.generate();
        key.save(dir, "web-1");
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve(AgentKey.PRIVATE_FILE))));
        AgentKey loaded = AgentKey.load(dir);
        assertEquals(key.fingerprint(), loaded.fingerprint());
        assertEquals(key.publicKey(), loaded.publicKey());
        String line = Files.readString(dir.resolve(AgentKey.PUBLIC_FILE)).strip();
        assertTrue(line.matches("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} web-1"), line);
        assertEquals(key.publicKey(), AgentKey.parseOpenSsh(line));
    }

    @Test
    void refusesAPublicKeyThatIsNotTheirs() throws IOException {
        AgentKey.generate().save(dir, "a");
        Path other = dir.resolve("other");
        Files.createDirectory(other);
        AgentKey.generate().save(other, "b");
        Files.copy(other.resolve(AgentKey.PUBLIC_FILE), dir.resolve(AgentKey.PUBLIC_FILE),
                StandardCopyOption.REPLACE_EXISTING);
        assertThrows(IllegalStateException.class, () -> AgentKey.load(dir));
    }

    @Test
    void sshKeygenPrintsTheSameFingerprint() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "ssh-keygen is not installed");
        AgentKey key = AgentKey.generate();
        key.save(dir, "web-1");
        Process keygen = new ProcessBuilder("/usr/bin/ssh-keygen", "-lf", dir.resolve(AgentKey.PUBLIC_FILE).toString())
                .redirectErrorStream(true).start();
        String output = new String(keygen.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, keygen.waitFor(), output);
        assertEquals("256 " + key.fingerprint() + " web-1 (ED25519)", output.strip());
    }

    private static Map<String, String> parameters(String header) {
        Map<String, String> parameters = new HashMap<>();
        Matcher matcher = PARAMETER.matcher(header);
        while (matcher.find()) {
            parameters.put(matcher.group(1), matcher.group(2));
        }
        return parameters;
    }
}
