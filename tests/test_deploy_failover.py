"""Short form of `python -m bench.failover` for CI: nginx + 2 replicas (deploy/run_replicas.sh) of a small page
that uses the dashboard's download helpers (tests/fixtures/bench/reconnect_app.py), 8 readers through nginx on
their own ?year=, one replica killed with SIGKILL: readers on the other replica see no error, the killed one's
readers are back on their view within 10 s, every reader's CSV download works afterwards, no view is lost, no
plain request through nginx fails, supervisord restarts the replica."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from bench import failover

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


@pytest.mark.skipif(not Path(NGINX).exists(), reason="nginx is not installed")
def test_readers_survive_a_killed_replica(tmp_path):
    out = tmp_path / "failover.json"
    rc = failover.main(["--app", "tests/fixtures/bench/reconnect_app.py", "--readers", "8", "--watch", "8",
                        "--think-min", "1", "--think-max", "2", "--json", str(out)])
    res = json.loads(out.read_text())
    assert res["cut_off"] >= 1 and res["readers"] - res["cut_off"] >= 1, res  # readers on both replicas
    assert res["errors_readers_not_cut_off"] == 0, [r["errors"] for r in res["per_reader"] if not r["cut_off"]]
    assert res["recovered"] == res["cut_off"] and res["recovery_s_max"] <= 10, res
    assert res["downloads_failed"] == [] and res["downloads_ok"] == res["readers"]
    assert res["lost_views"] == 0 and res["http_failed"] == 0
    assert res["victim_health_ok_after_s"] is not None  # supervisord restarted it
    assert rc == 0
