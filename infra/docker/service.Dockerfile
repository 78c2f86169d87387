# syntax=docker/dockerfile:1.7
# One recipe, one image per service: build with `--build-arg SERVICE=<name>` (the compose
# file does). Each image installs only the shared kit and that service's own package, so
# the krx image carries pykrx but not chromadb, and so on. Multi-stage: compilers and pip
# caches stay in the builder; the runtime runs as an unprivileged user.

ARG PYTHON_IMAGE=python:3.11.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS builder
ARG SERVICE_DIR
RUN test -n "${SERVICE_DIR}" || (echo "pass --build-arg SERVICE_DIR=services/krx (or gateway, ...)" >&2; exit 1)
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends build-essential \
 && rm -rf /var/lib/apt/lists/*
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY common/ /src/common/
COPY ${SERVICE_DIR}/ /src/service/
# gunicorn + uvicorn workers run every service in production
RUN pip install "gunicorn>=22" "uvicorn-worker>=0.2" /src/common /src/service

FROM ${PYTHON_IMAGE} AS runtime
ARG SERVICE
ARG PORT=8000
ARG APT_PACKAGES=""
RUN if [ -n "${APT_PACKAGES}" ]; then \
      apt-get update && apt-get install -y --no-install-recommends ${APT_PACKAGES} && rm -rf /var/lib/apt/lists/*; \
    fi \
 && groupadd --system --gid 10001 finscribe \
 && useradd --system --uid 10001 --gid finscribe --home-dir /home/finscribe --create-home finscribe \
 && mkdir -p /data && chown finscribe:finscribe /data
COPY --from=builder /opt/venv /opt/venv
COPY infra/gunicorn.conf.py /etc/finscribe/gunicorn.conf.py
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    FINSCRIBE_SERVICE=${SERVICE} \
    PORT=${PORT} \
    FINSCRIBE_BIND_HOST=0.0.0.0 \
    FINSCRIBE_DATA_DIR=/data \
    MPLCONFIGDIR=/tmp/matplotlib \
    ANONYMIZED_TELEMETRY=False
USER 10001:10001
WORKDIR /home/finscribe
EXPOSE ${PORT}
HEALTHCHECK --interval=15s --timeout=5s --start-period=40s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ['PORT'], timeout=4)"]
CMD ["gunicorn", "--config", "/etc/finscribe/gunicorn.conf.py"]
