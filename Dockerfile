# Build: the same Maven build as on a developer machine (tests run in CI, not in the image build).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml cds-services.json ./
RUN mvn -B -ntp -q dependency:go-offline
COPY src ./src
# The sample requests go into the jar: the start-up warm-up sends them (WarmUpSamples).
COPY fhir-samples/expected.json ./fhir-samples/
COPY fhir-samples/requests ./fhir-samples/requests
# The class-data archive is made in the runtime image below, not here.
RUN mvn -B -ntp -q package -DskipTests -Dexec.skip=true

# Run: a plain JRE, the one jar, and its class-data archive.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 cds && mkdir -p /app/data && chown cds /app/data
WORKDIR /app
COPY --from=build /src/target/hypomag-cds.jar /app/hypomag-cds.jar
# The archive of the classes start-up loads is made here, by the JVM that will map it and for the jar at its final
# path (an archive from the build stage would not match either): one warm-up run on loopback, ~0.7 s sooner ready.
# It extends the JDK's own base archive, which some JRE builds lack: made first if missing (best effort). A failed
# warm-up fails the build; a JRE that cannot archive only makes the service start slower, so that is a warning.
RUN (test -f "$JAVA_HOME/lib/server/classes.jsa" || java -Xshare:dump >/dev/null 2>&1 || true) \
    && DATA_DIR=/tmp/class-data-run LOG_LEVEL=WARN java -XX:+UseSerialGC -Xmx256m \
        -XX:ArchiveClassesAtExit=/app/hypomag-cds.jsa -Xlog:cds=off -Xlog:cds+dynamic=off \
        -jar /app/hypomag-cds.jar --warm-up-only \
    && rm -rf /tmp/class-data-run \
    && (test -s /app/hypomag-cds.jsa \
        || echo "WARNING: no class-data archive was made; the service will start without it, about 0.7 s slower")
USER cds
# The embedded H2 ledger when DB_URL is not set; mount a volume here to keep it.
ENV DATA_DIR=/app/data
VOLUME /app/data
ENV PORT=8080
# A container is reached through its network interface, never its loopback: listen on every interface
# (the service's own default is loopback only while AUTH_MODE=off).
ENV HOST=0.0.0.0
EXPOSE 8080
# ExitOnOutOfMemoryError: an OutOfMemoryError ends the JVM, so the restart policy starts a fresh one instead of a limping one.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xmx256m", "-XX:+ExitOnOutOfMemoryError", "-XX:SharedArchiveFile=/app/hypomag-cds.jsa", "-jar", "/app/hypomag-cds.jar"]
