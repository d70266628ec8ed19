"""Start Streamlit as `streamlit run` does, with a larger limit on an HTTP request's head (deploy/run_replicas.sh,
the Dockerfile and Kubernetes start the dashboard through this; arguments are streamlit's own: `python
-m hosting.serve run app.py --server.port=...`).

Streamlit serves HTTP with uvicorn's h11 protocol, whose limit on a request head that has not fully arrived
(16 KB) refused shared links of 70 KB (the link carries the view's state) arriving in several reads, as they do
through nginx. nginx in front allows request heads up to 4 x 128 KB (deploy/nginx.conf.template); the launcher
allows the same here, through compat.raise_request_head_limit (a workaround on uvicorn's internals).
"""
from __future__ import annotations

import sys

MAX_REQUEST_HEAD = 4 * 128 * 1024


def main() -> int:
    import compat

    compat.raise_request_head_limit(MAX_REQUEST_HEAD)
    from streamlit.web.cli import main as streamlit_main

    return streamlit_main()


if __name__ == "__main__":
    sys.exit(main())
