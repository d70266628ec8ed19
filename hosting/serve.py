"""Start Streamlit as `streamlit run` does, with a larger limit on an HTTP request's head (deploy/run_replicas.sh,
the Dockerfile and Kubernetes start the dashboard through this; arguments are streamlit's own: `python
-m hosting.serve run app.py --server.port=...`).

Streamlit 1.67 serves HTTP with uvicorn's h11 protocol and does not set h11's limit on a request head that has
not fully arrived (16 KB). A shared link of 70 KB (the link carries the view's state) whose request reaches the
server in more than one read, as it does through nginx on a busy machine, was refused with a bare "400 Bad
Request" (seen in CI; reproduced by sending the request in two parts, tests/test_deploy.py); the same link in one
read was served. uvicorn reads the limit from this module constant each time it opens a connection; nginx in
front allows request heads up to 4 x 128 KB (deploy/nginx.conf.template), and this allows the same here.
"""
from __future__ import annotations

import sys

MAX_REQUEST_HEAD = 4 * 128 * 1024


def main() -> int:
    from uvicorn.protocols.http import h11_impl

    h11_impl.DEFAULT_MAX_INCOMPLETE_EVENT_SIZE = MAX_REQUEST_HEAD
    from streamlit.web.cli import main as streamlit_main

    return streamlit_main()


if __name__ == "__main__":
    sys.exit(main())
