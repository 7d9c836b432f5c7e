package io.hypomag.cds.deploy;

import io.hypomag.cds.http.Settings;
import io.hypomag.cds.http.SettingsException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Holds the deployment files to the service they deploy: deploy/k8s/*.yaml, docker-compose.yml and
 * deploy/haproxy/haproxy.cfg against the README (its Endpoints and Configuration sections), the Dockerfile and
 * {@link Settings}. Nothing is started; the files are read from the project directory (Maven's working directory).
 */
class DeploymentManifestsTest {
    private static final Path K8S = Path.of("deploy", "k8s");
    private static final long MIB = 1024 * 1024;
    /** What the JVM needs beside its heap: metaspace, code cache, thread stacks, direct buffers (deployment.yaml). */
    private static final long MIN_NON_HEAP_HEADROOM = 128 * MIB;

    private static List<Map<String, Object>> documents;
    private static String readme;

    @BeforeAll
    static void read() throws IOException {
        documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(K8S)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                for (Object document : yaml().loadAll(Files.readString(file))) {
                    if (document != null) {
                        documents.add(map(document, file.toString()));
                    }
                }
            }
        }
        readme = Files.readString(Path.of("README.md"));
    }

    @Test
    void everyManifestHasAKindAndAName() {
        assertFalse(documents.isEmpty(), "no YAML documents under " + K8S);
        for (Map<String, Object> document : documents) {
            assertNotNull(document.get("apiVersion"), "apiVersion missing in " + document);
            assertNotNull(text(document, "metadata", "name"), "metadata.name missing in " + document.get("kind"));
        }
        for (String kind : List.of("Deployment", "Service", "ConfigMap", "Secret", "PodDisruptionBudget",
                "HorizontalPodAutoscaler")) {
            one(kind);
        }
    }

    @Test
    void theContainerListensOnTheDefaultPortNamedHttpAndTheConfigMapAgrees() {
        Map<String, Object> port = httpPort();
        assertEquals(Settings.DEFAULT_PORT, port.get("containerPort"));
        assertEquals(String.valueOf(Settings.DEFAULT_PORT), configMap().get("PORT"));
        assertEquals(Settings.DEFAULT_PORT, Settings.fromEnvironment(withIssuers(configMap())).port());
    }

    @Test
    void theConfigMapIsAValidConfigurationAndTheSecretsPlaceholdersAreNot() {
        // The service's own parser: a value it refuses would stop every pod at start.
        Settings settings = Settings.fromEnvironment(withIssuers(configMap()));
        assertTrue(settings.auth().required(), "AUTH_MODE must be required in the fleet");
        assertTrue(configMap().get("DB_URL").startsWith("jdbc:postgresql://"),
                "a fleet shares one PostgreSQL ledger; without DB_URL each pod writes its own H2 file");

        Map<String, String> withPlaceholders = new HashMap<>(configMap());
        withPlaceholders.putAll(secret());
        assertThrows(SettingsException.class, () -> Settings.fromEnvironment(withPlaceholders),
                "the Secret's placeholders must stop a pod at start, never run as an admin token or issuer list");
    }

    @Test
    void probesUseRoutesTheReadmeListsAsEndpoints() {
        Map<String, Object> container = container();
        Set<String> endpoints = readmeEndpoints();
        assertEquals("/health/live", probePath(container, "livenessProbe"));
        assertEquals("/health/ready", probePath(container, "readinessProbe"));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            if (container.containsKey(probe)) {
                assertTrue(endpoints.contains("GET " + probePath(container, probe)),
                        probe + " " + probePath(container, probe) + " is not a GET route of README.md's Endpoints: " + endpoints);
                Object port = value(container, probe, "httpGet", "port");
                assertTrue("http".equals(port) || Integer.valueOf(Settings.DEFAULT_PORT).equals(port),
                        probe + " must check the http port, not " + port);
            }
        }
    }

    @Test
    void everyEnvironmentNameIsASettingOfTheReadme() {
        Set<String> documented = readmeSettings();
        assertTrue(documented.containsAll(List.of("PORT", "DB_USER", "DB_PASSWORD", "QTC_LONG_FEMALE_MS")),
                "the Configuration table was not read: " + documented);
        Set<String> used = new TreeSet<>();
        used.addAll(configMap().keySet());
        used.addAll(secret().keySet());
        for (Map<String, Object> env : list(container().get("env"))) {
            used.add((String) env.get("name"));
        }
        Set<String> unknown = new TreeSet<>(used);
        unknown.removeAll(documented);
        assertTrue(unknown.isEmpty(), "not in README.md's Configuration table: " + unknown);
    }

    @Test
    void everySecretAndConfigMapReferenceResolves() {
        Map<String, Object> container = container();
        String configMapName = text(one("ConfigMap"), "metadata", "name");
        String secretName = text(one("Secret"), "metadata", "name");
        Set<String> sources = new LinkedHashSet<>();
        for (Map<String, Object> source : list(container.get("envFrom"))) {
            if (source.containsKey("configMapRef")) {
                sources.add("configMap " + text(source, "configMapRef", "name"));
            }
            if (source.containsKey("secretRef")) {
                sources.add("secret " + text(source, "secretRef", "name"));
            }
        }
        assertTrue(sources.contains("configMap " + configMapName), "the ConfigMap is not in envFrom: " + sources);
        Set<String> secretKeys = new LinkedHashSet<>(sources.contains("secret " + secretName) ? secret().keySet() : Set.of());
        for (Map<String, Object> env : list(container.get("env"))) {
            Object ref = value(env, "valueFrom", "secretKeyRef");
            if (ref != null) {
                assertEquals(secretName, text(env, "valueFrom", "secretKeyRef", "name"));
                String key = text(env, "valueFrom", "secretKeyRef", "key");
                assertTrue(secret().containsKey(key), "the Secret has no key " + key);
                secretKeys.add(key);
            }
        }
        assertEquals(secret().keySet(), secretKeys, "every Secret key reaches the container");
    }

    @Test
    void theJvmExitsOnOutOfMemoryAndItsHeapLeavesHeadroomUnderTheLimit() throws IOException {
        List<String> commandLine = jvmCommandLine();
        assertTrue(commandLine.contains("-XX:+ExitOnOutOfMemoryError"), "JVM arguments: " + commandLine);
        List<String> xmx = commandLine.stream().filter(a -> a.startsWith("-Xmx")).toList();
        assertEquals(1, xmx.size(), "exactly one -Xmx: " + commandLine);
        long heap = jvmSize(xmx.get(0).substring(4));
        long limit = quantity(text(container(), "resources", "limits", "memory"));
        assertTrue(limit - heap >= MIN_NON_HEAP_HEADROOM, "-Xmx " + heap / MIB + " MiB under a " + limit / MIB
                + " MiB limit leaves less than " + MIN_NON_HEAP_HEADROOM / MIB + " MiB for the rest of the JVM");
        Object request = value(container(), "resources", "requests", "memory");
        assertNotNull(request, "a memory request, so the scheduler places the pod where it fits");
        assertTrue(quantity((String) request) <= limit);

        String entrypoint = Files.readAllLines(Path.of("Dockerfile")).stream()
                .filter(line -> line.startsWith("ENTRYPOINT")).findFirst().orElseThrow();
        assertTrue(entrypoint.contains("\"-XX:+ExitOnOutOfMemoryError\""), entrypoint);
    }

    @Test
    void kubernetesWaitsLongerThanTheGracefulStopTakes() {
        int grace = Integer.parseInt(configMap().get("SHUTDOWN_GRACE_SECONDS"));
        int timeout = Integer.parseInt(configMap().get("SHUTDOWN_TIMEOUT_SECONDS"));
        Object period = value(podSpec(), "terminationGracePeriodSeconds");
        assertTrue(period instanceof Integer, "terminationGracePeriodSeconds must be set: " + period);
        assertTrue((Integer) period > grace + timeout, "terminationGracePeriodSeconds " + period
                + " must exceed SHUTDOWN_GRACE_SECONDS + SHUTDOWN_TIMEOUT_SECONDS = " + (grace + timeout));
    }

    @Test
    void thePodRunsAsTheImagesUserOnAReadOnlyRootWithAWritableTmp() throws IOException {
        Map<String, Object> pod = podSpec();
        Map<String, Object> container = container();
        assertEquals(Boolean.TRUE, securityValue(pod, container, "runAsNonRoot"));
        assertEquals(Boolean.TRUE, value(container, "securityContext", "readOnlyRootFilesystem"));
        assertEquals(Boolean.FALSE, value(container, "securityContext", "allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), value(container, "securityContext", "capabilities", "drop"));

        Matcher uid = Pattern.compile("--uid (\\d+)").matcher(Files.readString(Path.of("Dockerfile")));
        assertTrue(uid.find(), "the Dockerfile's useradd --uid");
        assertEquals(Integer.valueOf(uid.group(1)), securityValue(pod, container, "runAsUser"));

        String tmpVolume = list(container.get("volumeMounts")).stream()
                .filter(m -> "/tmp".equals(m.get("mountPath"))).map(m -> (String) m.get("name"))
                .findFirst().orElseThrow(() -> new AssertionError("the JVM needs a writable /tmp"));
        assertTrue(list(pod.get("volumes")).stream()
                .anyMatch(v -> tmpVolume.equals(v.get("name")) && v.containsKey("emptyDir")), "/tmp is an emptyDir");
    }

    @Test
    void atLeastTwoReplicasAndThePdbAndHpaHoldTheDeployment() {
        Map<String, Object> deployment = one("Deployment");
        assertTrue((Integer) value(deployment, "spec", "replicas") >= 2, "at least two replicas");
        Map<String, Object> podLabels = map(value(deployment, "spec", "template", "metadata", "labels"), "pod labels");
        Map<String, Object> selector = map(value(deployment, "spec", "selector", "matchLabels"), "Deployment selector");
        assertSelects(selector, podLabels, "the Deployment's selector");

        Map<String, Object> pdb = one("PodDisruptionBudget");
        assertEquals(1, value(pdb, "spec", "minAvailable"));
        assertSelects(map(value(pdb, "spec", "selector", "matchLabels"), "PDB selector"), podLabels, "the PDB");

        Map<String, Object> hpa = one("HorizontalPodAutoscaler");
        assertEquals("autoscaling/v2", hpa.get("apiVersion"));
        assertEquals("Deployment", text(hpa, "spec", "scaleTargetRef", "kind"));
        assertEquals(text(deployment, "metadata", "name"), text(hpa, "spec", "scaleTargetRef", "name"));
        int min = (Integer) value(hpa, "spec", "minReplicas");
        int max = (Integer) value(hpa, "spec", "maxReplicas");
        assertTrue(min >= 2 && max > min, "HPA " + min + ".." + max);
        assertTrue(list(value(hpa, "spec", "metrics")).stream()
                .anyMatch(m -> "cpu".equals(value(m, "resource", "name"))), "the HPA scales on CPU");
        assertNotNull(value(container(), "resources", "requests", "cpu"), "CPU utilisation is relative to the request");
    }

    @Test
    void theServiceTargetsTheNamedPortOfThePods() {
        Map<String, Object> service = one("Service");
        Map<String, Object> podLabels = map(value(one("Deployment"), "spec", "template", "metadata", "labels"), "pod labels");
        assertSelects(map(value(service, "spec", "selector"), "Service selector"), podLabels, "the Service");
        List<Map<String, Object>> ports = list(value(service, "spec", "ports"));
        assertEquals(1, ports.size());
        assertEquals(httpPort().get("name"), ports.get(0).get("targetPort"), "the Service targets the port by name");
        assertEquals("ClusterIP", value(service, "spec", "type"));
    }

    @Test
    void composeRunsTwoInstancesOnOneLedgerBehindHaproxyCheckingReadiness() throws IOException {
        Map<String, Object> compose = map(yaml().load(Files.readString(Path.of("docker-compose.yml"))), "compose");
        Map<String, Object> services = map(compose.get("services"), "services");
        Map<String, Map<String, Object>> instances = new LinkedHashMap<>();
        services.forEach((name, service) -> {
            Map<String, Object> s = map(service, name);
            if ("hypomag-cds:latest".equals(s.get("image"))) {
                instances.put(name, s);
            }
        });
        assertEquals(2, instances.size(), "two instances of the service: " + instances.keySet());
        Set<Object> dbUrls = instances.values().stream()
                .map(s -> value(s, "environment", "DB_URL")).collect(Collectors.toSet());
        assertEquals(1, dbUrls.size(), "one DB_URL for both: " + dbUrls);
        assertTrue(String.valueOf(dbUrls.iterator().next()).startsWith("jdbc:postgresql://postgres:"), "the postgres service");
        instances.forEach((name, s) -> assertFalse(s.containsKey("ports"), name + " publishes a port; only haproxy should"));

        Map<String, Object> haproxy = map(services.get("haproxy"), "the haproxy service");
        assertTrue(String.valueOf(haproxy.get("ports")).contains("8080:8080"), "haproxy publishes 8080: " + haproxy.get("ports"));
        assertTrue(String.valueOf(haproxy.get("volumes")).contains("./deploy/haproxy/haproxy.cfg:"),
                "haproxy mounts deploy/haproxy/haproxy.cfg: " + haproxy.get("volumes"));

        List<String> config = Files.readAllLines(Path.of("deploy", "haproxy", "haproxy.cfg")).stream()
                .map(String::strip).filter(l -> !l.startsWith("#")).toList();
        assertTrue(config.contains("option httpchk GET /health/ready"), "the health check is readiness");
        assertTrue(readmeEndpoints().contains("GET /health/ready"));
        for (String name : instances.keySet()) {
            assertTrue(config.stream().anyMatch(l -> l.matches("server \\S+ " + Pattern.quote(name) + ":8080(\\s.*)?")),
                    "haproxy has no server for " + name);
        }
    }

    // --- the README ---

    /** "GET /health/live" and the like, from the first column of the Endpoints table. */
    private static Set<String> readmeEndpoints() {
        Set<String> endpoints = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([A-Z]+ /[^`]*)` \\|").matcher(section("## Endpoints"));
        while (m.find()) {
            endpoints.add(m.group(1));
        }
        return endpoints;
    }

    /** Every backticked name in the first column of the Configuration table ("`DB_USER`, `DB_PASSWORD`" is two). */
    private static Set<String> readmeSettings() {
        Set<String> names = new TreeSet<>();
        Matcher row = Pattern.compile("(?m)^\\|([^|\\n]*)\\|").matcher(section("## Configuration"));
        while (row.find()) {
            Matcher name = Pattern.compile("`([A-Z][A-Z0-9_]*)`").matcher(row.group(1));
            while (name.find()) {
                names.add(name.group(1));
            }
        }
        return names;
    }

    private static String section(String heading) {
        int start = readme.indexOf("\n" + heading + "\n");
        assertTrue(start >= 0, "README.md has no " + heading);
        int end = readme.indexOf("\n## ", start + heading.length() + 1);
        return readme.substring(start, end < 0 ? readme.length() : end);
    }

    // --- the manifests ---

    private static Map<String, Object> one(String kind) {
        List<Map<String, Object>> found = documents.stream().filter(d -> kind.equals(d.get("kind"))).toList();
        assertEquals(1, found.size(), "one " + kind + " in " + K8S);
        return found.get(0);
    }

    private static Map<String, Object> podSpec() {
        return map(value(one("Deployment"), "spec", "template", "spec"), "pod spec");
    }

    private static Map<String, Object> container() {
        List<Map<String, Object>> containers = list(podSpec().get("containers"));
        assertEquals(1, containers.size(), "one container");
        return containers.get(0);
    }

    private static Map<String, Object> httpPort() {
        return list(container().get("ports")).stream().filter(p -> "http".equals(p.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named http"));
    }

    private static List<String> jvmCommandLine() {
        List<String> line = new ArrayList<>();
        for (String part : List.of("command", "args")) {
            Object value = container().get(part);
            if (value != null) {
                ((List<?>) value).forEach(v -> line.add(String.valueOf(v)));
            }
        }
        assertFalse(line.isEmpty(), "command/args must spell the JVM's flags out");
        assertTrue(line.get(0).equals("java") || line.get(0).endsWith("/java"), "the command runs java: " + line);
        return line;
    }

    private static Map<String, String> configMap() {
        return strings(value(one("ConfigMap"), "data"));
    }

    private static Map<String, String> secret() {
        Map<String, Object> secret = one("Secret");
        Map<String, String> keys = new LinkedHashMap<>();
        if (secret.get("data") != null) {
            fail("the Secret carries placeholders in stringData, readable; base64 data would hide what is a placeholder");
        }
        keys.putAll(strings(secret.get("stringData")));
        return keys;
    }

    /** AUTH_MODE=required needs issuers, which live in the Secret: a syntactically valid stand-in. */
    private static Map<String, String> withIssuers(Map<String, String> env) {
        Map<String, String> full = new HashMap<>(env);
        full.put("AUTH_ISSUERS", "[{\"iss\": \"https://ehr.example.org\", \"jwksUrl\": \"https://ehr.example.org/jwks.json\"}]");
        return full;
    }

    private static String probePath(Map<String, Object> container, String probe) {
        return text(container, probe, "httpGet", "path");
    }

    private static Object securityValue(Map<String, Object> pod, Map<String, Object> container, String key) {
        Object value = value(container, "securityContext", key);
        return value != null ? value : value(pod, "securityContext", key);
    }

    private static void assertSelects(Map<String, Object> selector, Map<String, Object> labels, String what) {
        assertFalse(selector.isEmpty(), what + " selects nothing");
        selector.forEach((k, v) -> assertEquals(v, labels.get(k), what + " selects " + k + "=" + v + "; the pods have " + labels));
    }

    /** Kubernetes memory quantities as the manifests write them: 512Mi, 1Gi, 536870912, 512M. */
    static long quantity(String text) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|k|M|G)?").matcher(text.trim());
        assertTrue(m.matches(), "a memory quantity: " + text);
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "" : m.group(2);
        return switch (unit) {
            case "Ki" -> n * 1024;
            case "Mi" -> n * MIB;
            case "Gi" -> n * 1024 * MIB;
            case "k" -> n * 1000;
            case "M" -> n * 1000_000;
            case "G" -> n * 1000_000_000;
            default -> n;
        };
    }

    /** -Xmx sizes: 256m, 1g, 262144k, bytes. */
    static long jvmSize(String text) {
        Matcher m = Pattern.compile("(\\d+)([kKmMgG])?").matcher(text);
        assertTrue(m.matches(), "a JVM size: " + text);
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2) == null ? "" : m.group(2).toLowerCase()) {
            case "k" -> n * 1024;
            case "m" -> n * MIB;
            case "g" -> n * 1024 * MIB;
            default -> n;
        };
    }

    // --- YAML trees ---

    private static Yaml yaml() {
        return new Yaml(new SafeConstructor(new LoaderOptions()));
    }

    private static Object value(Object node, String... path) {
        Object current = node;
        for (String key : path) {
            if (!(current instanceof Map<?, ?> m)) {
                return null;
            }
            current = m.get(key);
        }
        return current;
    }

    private static String text(Object node, String... path) {
        Object value = value(node, path);
        return value == null ? null : String.valueOf(value);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object node, String what) {
        assertTrue(node instanceof Map, what + " is not a mapping: " + node);
        return (Map<String, Object>) node;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object node) {
        if (node == null) {
            return List.of();
        }
        assertTrue(node instanceof List, "not a list: " + node);
        return (List<Map<String, Object>>) node;
    }

    private static Map<String, String> strings(Object node) {
        Map<String, String> values = new LinkedHashMap<>();
        map(node, "data").forEach((k, v) -> {
            assertTrue(v instanceof String, k + " must be a quoted string (Kubernetes refuses numbers and booleans here): " + v);
            values.put(k, (String) v);
        });
        return values;
    }
}
