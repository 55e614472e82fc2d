# claude-code-ollama-proxy in a container: built with the Maven wrapper, run on a JRE as a non-root user.
#   docker build -t claude-code-ollama-proxy .
#   docker run --rm -p 127.0.0.1:11435:11435 -e OLLAMA_HOST=http://host.docker.internal:11434 claude-code-ollama-proxy
# docker-compose.yml runs it beside Ollama (README, "Other ways to run it").
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY .mvn .mvn
COPY mvnw pom.xml ./
RUN ./mvnw -q -B dependency:go-offline
COPY src src
RUN ./mvnw -q -B -DskipTests package

FROM eclipse-temurin:21-jre AS proxy
RUN useradd --system --create-home --home-dir /home/proxy --uid 10001 proxy
COPY --from=build /src/target/claude-code-ollama-proxy.jar /opt/claude-code-ollama-proxy/claude-code-ollama-proxy.jar
USER proxy
WORKDIR /home/proxy
# Inside the container it listens on every interface; publish the port on the host's loopback (as above), or set
# CCOP_API_KEY before publishing it anywhere else.
ENV CCOP_HOST=0.0.0.0 \
    CCOP_PORT=11435 \
    CCOP_STATE_DIR=/home/proxy/state
VOLUME /home/proxy/state
EXPOSE 11435
HEALTHCHECK --interval=15s --timeout=6s --start-period=20s --retries=3 \
    CMD ["java", "-jar", "/opt/claude-code-ollama-proxy/claude-code-ollama-proxy.jar", "healthcheck"]
ENTRYPOINT ["java", "-jar", "/opt/claude-code-ollama-proxy/claude-code-ollama-proxy.jar"]
CMD ["serve"]

# The claude-agent backend: the same proxy with the Claude Code CLI beside it (docker compose --profile agent).
FROM proxy AS agent
USER root
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm && rm -rf /var/lib/apt/lists/* \
    && npm install -g --no-audit --no-fund @anthropic-ai/claude-code
USER proxy
ENV CCOP_PROVIDER=claude-agent

# The default target: the proxy alone.
FROM proxy
