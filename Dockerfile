# syntax=docker/dockerfile:1
# indicator_exporter image: a static binary on distroless, run as the
# non-root user 65532. The plan (/etc/indicator_exporter) and the data
# (/data: history database, inbox, archive, rejected) are volumes.
#
#   docker build --build-arg VERSION=1.0.0 --build-arg REVISION=$(git rev-parse --short HEAD) -t indicator_exporter .
#   docker compose up -d        # the whole stack, see README.md

FROM golang:1.26.8 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
ARG VERSION=dev
ARG REVISION=unknown
# CGO off: the SQLite driver is pure Go, so the binary is static. The
# plan is checked at build time, as the exporter would at start.
RUN CGO_ENABLED=0 go build -trimpath -buildvcs=false \
        -ldflags "-s -w \
            -X github.com/prometheus/common/version.Version=${VERSION} \
            -X github.com/prometheus/common/version.Revision=${REVISION} \
            -X github.com/prometheus/common/version.Branch=docker \
            -X github.com/prometheus/common/version.BuildUser=docker" \
        -o /out/indicator_exporter ./cmd/indicator_exporter \
    && /out/indicator_exporter check config/plan.toml \
    && mkdir -p /out/etc /out/data/db /out/data/inbox /out/data/archive /out/data/rejected \
    && cp config/plan.toml /out/etc/plan.toml

FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/indicator_exporter /bin/indicator_exporter
COPY --from=build --chown=65532:65532 /out/etc /etc/indicator_exporter
COPY --from=build --chown=65532:65532 /out/data /data
USER 65532:65532
EXPOSE 9877
VOLUME ["/etc/indicator_exporter", "/data"]
ENTRYPOINT ["/bin/indicator_exporter"]
CMD ["--config=/etc/indicator_exporter/plan.toml", \
     "--storage.path=/data/db", \
     "--inbox.dir=/data/inbox", \
     "--inbox.archive-dir=/data/archive", \
     "--inbox.rejected-dir=/data/rejected"]
