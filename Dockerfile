# Build: the same Maven build as on a developer machine (tests run in CI, not in the image build).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml cds-services.json ./
RUN mvn -B -ntp -q dependency:go-offline
COPY src ./src
RUN mvn -B -ntp -q package -DskipTests

# Run: a plain JRE and the one jar.
FROM eclipse-temurin:17-jre
RUN useradd --system --uid 10001 cds && mkdir -p /app/data && chown cds /app/data
USER cds
WORKDIR /app
# The embedded H2 ledger when DB_URL is not set; mount a volume here to keep it.
ENV DATA_DIR=/app/data
VOLUME /app/data
COPY --from=build /src/target/hypomag-cds.jar /app/hypomag-cds.jar
ENV PORT=8080
EXPOSE 8080
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-Xmx256m", "-jar", "/app/hypomag-cds.jar"]
