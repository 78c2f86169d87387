"""Kubernetes manifests: schema-valid, the right images and probes, and the scaling rules."""

import subprocess
import sys
from pathlib import Path

import yaml

SERVICES = {
    "gateway": 8000,
    "orchestrator": 8001,
    "krx": 8011,
    "dart": 8012,
    "yahoo": 8013,
    "rag": 8014,
    "llm-router": 8015,
}


def load_all(infra_dir: Path) -> list[dict]:
    kustomization = yaml.safe_load((infra_dir / "k8s" / "kustomization.yaml").read_text())
    docs = []
    for name in kustomization["resources"]:
        docs.extend(d for d in yaml.safe_load_all((infra_dir / "k8s" / name).read_text()) if d)
    return docs


def test_manifests_validate_against_the_kubernetes_schema(infra_dir):
    kustomization = yaml.safe_load((infra_dir / "k8s" / "kustomization.yaml").read_text())
    files = [str(infra_dir / "k8s" / name) for name in kustomization["resources"]]
    tool = str(Path(sys.executable).with_name("kubernetes-validate"))
    result = subprocess.run([tool, "--strict", "--quiet", *files], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_service_has_deployment_service_image_and_probes(infra_dir):
    docs = load_all(infra_dir)
    deployments = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Deployment"}
    services = {d["metadata"]["name"]: d for d in docs if d["kind"] == "Service"}
    assert set(deployments) == set(SERVICES)
    for name, port in SERVICES.items():
        container = deployments[name]["spec"]["template"]["spec"]["containers"][0]
        assert container["image"].startswith(f"finscribe/{name}:") and not container["image"].endswith(":latest")
        assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["ports"][0]["containerPort"] == port
        env = {e["name"]: e.get("value") for e in container["env"]}
        assert env["FINSCRIBE_SERVICE"] == name
        assert services[name]["spec"]["ports"][0]["port"] == port
        assert deployments[name]["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"] is True


def test_every_service_scales_and_the_stateful_stores_do_not(infra_dir):
    docs = load_all(infra_dir)
    hpas = {d["spec"]["scaleTargetRef"]["name"]: d for d in docs if d["kind"] == "HorizontalPodAutoscaler"}
    assert set(hpas) == set(SERVICES)
    assert all(h["spec"]["minReplicas"] >= 2 for h in hpas.values())
    for store in ("chroma", "redis"):
        stateful = next(d for d in docs if d["kind"] == "StatefulSet" and d["metadata"]["name"] == store)
        assert stateful["spec"]["replicas"] == 1, store
    rag = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "rag")
    assert rag["spec"]["replicas"] >= 2 and rag["spec"]["strategy"]["type"] == "RollingUpdate"
    env = {e["name"]: e.get("value") for e in rag["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["CHROMA_URL"] == "http://chroma:8000"
    claims = [v for v in rag["spec"]["template"]["spec"]["volumes"] if "persistentVolumeClaim" in v]
    assert not claims  # rag keeps no state of its own


def test_redis_is_shared_and_persistent(infra_dir):
    docs = load_all(infra_dir)
    config = next(d for d in docs if d["kind"] == "ConfigMap" and d["metadata"]["name"] == "finscribe-config")
    assert config["data"]["REDIS_URL"] == "redis://redis:6379/0"
    redis = next(d for d in docs if d["kind"] == "StatefulSet" and d["metadata"]["name"] == "redis")
    args = " ".join(redis["spec"]["template"]["spec"]["containers"][0]["args"])
    assert "--appendonly yes" in args and "--appendfsync everysec" in args
    assert redis["spec"]["volumeClaimTemplates"][0]["metadata"]["name"] == "redis-data"


def test_gateway_pods_share_the_uploaded_files(infra_dir):
    docs = load_all(infra_dir)
    claim = next(d for d in docs if d["kind"] == "PersistentVolumeClaim" and d["metadata"]["name"] == "gateway-files")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    gateway = next(d for d in docs if d["kind"] == "Deployment" and d["metadata"]["name"] == "gateway")
    mounts = {m["name"]: m["mountPath"] for m in gateway["spec"]["template"]["spec"]["containers"][0]["volumeMounts"]}
    assert mounts["files"] == "/data/files"


def test_only_the_gateway_is_exposed(infra_dir):
    docs = load_all(infra_dir)
    ingress = next(d for d in docs if d["kind"] == "Ingress")
    backends = {p["backend"]["service"]["name"] for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]}
    assert backends == {"gateway"}
    assert all(d["spec"].get("type", "ClusterIP") == "ClusterIP" for d in docs if d["kind"] == "Service")


def test_no_secret_values_in_manifests(infra_dir):
    for doc in load_all(infra_dir):
        assert doc["kind"] != "Secret", "secrets are created out of band, never committed"
