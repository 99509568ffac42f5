# The server alone on a minimal base: the static (musl) binary built with the shipping profile,
# on distroless/static (CA certificates, /tmp, a non-root user, nothing else), serving MCP over
# Streamable HTTP on port 8787 with the bearer token from MCP_AUTH_TOKEN.
#
#   docker build -t sequentum-mcp .
#   docker run -p 127.0.0.1:8787:8787 -e MCP_AUTH_TOKEN=$(openssl rand -hex 32) \
#     -v sequentum-mcp-data:/data sequentum-mcp
#
# Without SEQUENTUM_API_KEY the embedded engine keeps its data in the /data volume. Over stdio
# instead: docker run -i --rm -v sequentum-mcp-data:/data sequentum-mcp serve
# Builds for linux/amd64 and linux/arm64 (docker buildx --platform).

FROM rust:1.95-bookworm AS build
ARG TARGETARCH
RUN apt-get update \
 && apt-get install -y --no-install-recommends musl-tools \
 && rm -rf /var/lib/apt/lists/*
RUN case "$TARGETARCH" in \
      amd64) echo x86_64-unknown-linux-musl ;; \
      arm64) echo aarch64-unknown-linux-musl ;; \
      *) echo "no musl target for $TARGETARCH" >&2; exit 1 ;; \
    esac >/rust-target \
 && rustup target add "$(cat /rust-target)"
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    cargo build --locked --profile dist --target "$(cat /rust-target)" --bin sequentum-mcp \
 && cp "target/$(cat /rust-target)/dist/sequentum-mcp" /sequentum-mcp \
 && /sequentum-mcp --version
# The volume's mount point, owned by the image's user so a new volume is writable.
RUN mkdir /data && chown 65532:65532 /data

FROM gcr.io/distroless/static-debian12:nonroot
LABEL io.modelcontextprotocol.server.name="io.github.sequentum-mcp/sequentum-mcp" \
      org.opencontainers.image.source="https://github.com/sequentum-mcp/sequentum-mcp" \
      org.opencontainers.image.licenses="MIT"
COPY --from=build /sequentum-mcp /usr/local/bin/sequentum-mcp
COPY --from=build --chown=65532:65532 /data /data
ENV SEQUENTUM_MCP_DATA_DIR=/data \
    MCP_LISTEN=0.0.0.0:8787
VOLUME ["/data"]
EXPOSE 8787
USER nonroot
ENTRYPOINT ["/usr/local/bin/sequentum-mcp"]
CMD ["serve", "--transport", "http"]
