# Footprint in a container: the README's install step (pip install -r requirements.txt) on Python 3.11, the
# repository (code, data/, static/, .streamlit/config.toml, hosting/ for the launcher and the health check), and
# Debian's Chromium headless shell for the "Download image" menu (kaleido renders chart images in it), run as a
# non-root user.
#
#   docker build -t footprint .
#   docker run -p 8501:8501 -e STREAMLIT_SERVER_COOKIE_SECRET="$(openssl rand -hex 32)" footprint
#
# Linted with hadolint in tests/test_deploy_k8s.py; never built on the project's machines (no Docker engine there).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    HOME=/tmp

WORKDIR /app

# Chart images: kaleido drives Debian's chromium-headless-shell (compat/kaleido.py: the engine without the browser's
# sign-in and update services, so it makes no request outside the machine), never a browser downloaded at run time.
# About 224 MB of the image; without it the "Download image" menu says images are unavailable (docs/deploy.md). Versions
# follow the base image's Debian release, which the FROM line pins.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends chromium-headless-shell \
    && rm -rf /var/lib/apt/lists/*

# Dependencies first, so a code change does not reinstall them.
COPY requirements.txt ./
RUN python -m pip install --no-cache-dir -r requirements.txt

COPY . .
RUN useradd --system --no-log-init --uid 10001 --user-group --no-create-home --home-dir /tmp footprint

USER 10001
EXPOSE 8501

# Healthy = every page renders (hosting/healthcheck.py runs each page's script over the websocket).
HEALTHCHECK --interval=60s --timeout=60s --start-period=60s --retries=3 \
    CMD ["python", "-m", "hosting.healthcheck", "http://127.0.0.1:8501/"]

CMD ["python", "-m", "hosting.serve", "run", "app.py", \
     "--server.address=0.0.0.0", "--server.port=8501", "--server.headless=true", \
     "--server.fileWatcherType=none", "--browser.gatherUsageStats=false"]
