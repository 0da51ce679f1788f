# btcfed-node container image.
#
#   docker build -t btcfed-node .
#   mkdir -p ~/btcfed/config && cp deploy/docker/*.yaml ~/btcfed/config/
#   sudo chown -R 10001:10001 ~/btcfed/config       # the node runs as uid 10001 (see README)
#   docker run -d --name btcfed -v ~/btcfed/config:/opt/btcfed/config -v btcfed-data:/opt/btcfed/data \
#       -p 9000:9000 btcfed-node
#   docker kill --signal=HUP btcfed                 # reload conf.yaml and peers.yaml
#
# Build stage: the same Maven build as CI and the README (tests included; pass
# --build-arg MAVEN_ARGS="-DskipTests" to skip them on a machine that already ran them).
# The interop tests run a js-libp2p peer, which needs Node.js 20 or newer: Debian 13's nodejs is
# 20.19 (Ubuntu 24.04's, under the Maven and Temurin images, and Debian 12's are 18: too old).
# Debian 13 ships no JDK 17: its JDK 21 compiles for Java 17 (maven.compiler.release) and runs the
# tests; the runtime stage stays on a Java 17 JRE.
FROM debian:trixie-slim AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends openjdk-21-jdk-headless maven nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pom.xml mvnw ./
COPY .mvn .mvn
# Dependencies first, in their own layer: source edits do not download them again.
RUN ./mvnw -B dependency:go-offline
# Then the whole context: the tests read the Dockerfile, README, docs, examples and deploy/ too.
# .dockerignore alone decides what is in it; it leaves out config/, where a local run writes the
# node's private key, and other local state.
COPY . .
ARG MAVEN_ARGS=""
RUN ./mvnw -B verify ${MAVEN_ARGS}

# Runtime stage: a JRE only, no build tools, running as an unprivileged user.
FROM eclipse-temurin:17-jre
# curl serves the HEALTHCHECK; nothing else is added to the base image.
RUN apt-get update \
    && apt-get install -y --no-install-recommends curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 btcfed \
    && useradd --system --uid 10001 --gid btcfed --home-dir /opt/btcfed --shell /usr/sbin/nologin btcfed
WORKDIR /opt/btcfed
COPY --from=build /src/target/btcfed-node.jar /opt/btcfed/btcfed-node.jar
COPY --from=build --chown=btcfed:btcfed /src/deploy/docker/ /opt/btcfed/config/
RUN mkdir -p /opt/btcfed/data && chown btcfed:btcfed /opt/btcfed/data
USER btcfed:btcfed

ENV BTCFED_CONFIG_DIR=/opt/btcfed/config \
    BTCFED_DATA_DIR=/opt/btcfed/data \
    JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75"
# conf.yaml / peers.yaml (mount yours, or a ConfigMap) and the pid file, token, history, versions.
VOLUME ["/opt/btcfed/config", "/opt/btcfed/data"]
# P2P listener of the shipped conf.yaml. The actuator (8080) stays on the container's loopback
# unless SERVER_ADDRESS=0.0.0.0 is set: a sidecar in the same pod reaches it on 127.0.0.1.
EXPOSE 9000

HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8080/actuator/health || exit 1

# Exec form: the JVM is PID 1, so `docker kill --signal=HUP` reaches its SIGHUP handler directly
# and SIGTERM starts a graceful shutdown; no shell sits in between.
ENTRYPOINT ["java", "-jar", "/opt/btcfed/btcfed-node.jar"]
