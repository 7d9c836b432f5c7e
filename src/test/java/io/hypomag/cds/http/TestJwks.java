package io.hypomag.cds.http;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A trusted EHR for tests: generated EC P-384 and RSA 2048 keys, their public JWK Sets served on loopback, and
 * signed CDS Hooks client JWTs. Paths can be made slow, and every fetch is counted, so a test can prove a URL was
 * never fetched.
 */
final class TestJwks implements AutoCloseable {
    final ECKey ec = generateEc(Curve.P_384, "ec-1");
    final RSAKey rsa = generateRsa("rsa-1");
    private final HttpServer server;
    private final Map<String, List<JWK>> sets = new ConcurrentHashMap<>();
    private final Map<String, Long> delaysMs = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> fetches = new ConcurrentHashMap<>();

    TestJwks() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "test-jwks");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            fetches.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
            try {
                Thread.sleep(delaysMs.getOrDefault(path, 0L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            List<JWK> keys = sets.get(path);
            byte[] body = keys == null ? new byte[0]
                    : new JWKSet(keys.stream().map(JWK::toPublicJWK).toList()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            try {
                exchange.sendResponseHeaders(keys == null ? 404 : 200, keys == null ? -1 : body.length);
                exchange.getResponseBody().write(body);
            } catch (IOException e) {
                // the client gave up (timeout test)
            }
            exchange.close();
        });
        server.start();
        serve("/jwks.json", ec, rsa);
    }

    static ECKey generateEc(Curve curve, String kid) {
        try {
            return new ECKeyGenerator(curve).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static RSAKey generateRsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    void serve(String path, JWK... keys) {
        sets.put(path, new ArrayList<>(List.of(keys)));
    }

    void slow(String path, long millis) {
        delaysMs.put(path, millis);
    }

    int fetches(String path) {
        AtomicInteger n = fetches.get(path);
        return n == null ? 0 : n.get();
    }

    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    /** Claims of a valid token: iss, aud, iat now, exp in 5 minutes, a fresh jti. */
    static JWTClaimsSet.Builder claims(String iss, String aud) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder().issuer(iss).audience(aud).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300))).jwtID(UUID.randomUUID().toString());
    }

    static JWSHeader.Builder header(JWSAlgorithm alg, String kid) {
        return new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).keyID(kid);
    }

    static String sign(JWSHeader header, JWTClaimsSet claims, JWK key) {
        try {
            JWSSigner signer = key instanceof ECKey ec ? new ECDSASigner(ec) : new RSASSASigner((RSAKey) key);
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(signer);
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    String es384(JWTClaimsSet claims) {
        return sign(header(JWSAlgorithm.ES384, ec.getKeyID()).build(), claims, ec);
    }

    String rs384(JWTClaimsSet claims) {
        return sign(header(JWSAlgorithm.RS384, rsa.getKeyID()).build(), claims, rsa);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
