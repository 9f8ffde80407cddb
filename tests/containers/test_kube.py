"""`podman play kube compose/openshift/zookeeper-pods.yaml`: the raw pods of the OpenShift example
serve as one ensemble, and their probe (`/sbin/zkinit health`) passes. What podman 4.3 cannot take
as written is changed in a copy, each for a stated reason:
- the image: the pods name a registry pull spec, and nothing can be pulled here;
- `ports`: podman 4.3 publishes every containerPort on the host (hostPort = containerPort), so three
  pods cannot all have 2181, and the tests never listen on the host's addresses;
- the emptyDir volumes: podman 4.3 turns `emptyDir` named `data` into ONE named volume `data` shared
  by every pod (Kubernetes gives each pod its own), so the second pod would find the first one's
  myid: each pod's volumes get its own name;
- the super password: the pods read it from the Secret `zk-super-password` (`secretKeyRef`), which
  podman 4.3 looks up among its own secrets in another format: the copy gives the value directly.
The StatefulSet and Service documents are refused by podman 4.3 altogether."""
import subprocess

import yaml

import engine as eng
import ensemble as ens

PODS = "compose/openshift/zookeeper-pods.yaml"
REFUSED = ("compose/openshift/zookeeper-statefulset.yaml", "compose/openshift/zookeeper-services.yaml")


def podman(*args, check=True):
    r = subprocess.run(["podman", *args], capture_output=True, text=True, timeout=eng.CMD_TIMEOUT)
    if check and r.returncode != 0:
        raise eng.EngineError("podman %s: %s" % (" ".join(args), r.stderr.strip()))
    return r


def pods_for_podman(prefix):
    with open("%s/%s" % (eng.ROOT, PODS)) as f:
        docs = [d for d in yaml.safe_load_all(f) if d]
    for d in docs:
        pod = d["metadata"]["name"]
        for c in d["spec"]["containers"]:
            c["image"] = eng.IMAGE
            c.pop("ports", None)
            for e in c.get("env", []):
                if "secretKeyRef" in e.get("valueFrom", {}):
                    e.pop("valueFrom")
                    e["value"] = eng.SUPER_PASSWORD
            for m in c.get("volumeMounts", []):
                m["name"] = "%s-%s-%s" % (prefix, pod, m["name"])
        for v in d["spec"].get("volumes", []):
            v["name"] = "%s-%s-%s" % (prefix, pod, v["name"])
    return docs


def test_play_kube_refuses_the_statefulset_and_services(engine):
    for path in REFUSED:
        # --network none: without it podman creates its default kube network first
        r = podman("play", "kube", "--network", "none", "%s/%s" % (eng.ROOT, path), check=False)
        assert r.returncode != 0
        assert "does not contain any supported kube kind" in r.stderr


def test_play_kube_raw_pods_serve_and_probes_pass(engine, scope, tmp_path):
    docs = pods_for_podman(scope.prefix)
    names = [d["metadata"]["name"] for d in docs]
    assert names == ["zk1", "zk2", "zk3"]
    spec = tmp_path / "pods.yaml"
    spec.write_text(yaml.safe_dump_all(docs))
    net = scope.network()
    for n in names:  # a run that died half-way on this machine
        podman("pod", "rm", "-f", n, check=False)
    try:
        podman("play", "kube", "--network", net, str(spec))
        ctrs = ["%s-zookeeper" % n for n in names]
        ips = [engine.ip(c, net) for c in ctrs]
        ens.healthy_ensemble(ips, [1, 2, 3])
        probe = docs[0]["spec"]["containers"][0]["livenessProbe"]["exec"]["command"]
        for c in ctrs:
            # podman turns the liveness probe into the container's healthcheck; with no systemd
            # here nothing schedules it, so it is run once, as its timer would
            test = podman("inspect", "--format", "{{json .Config.Healthcheck.Test}}", c).stdout
            assert all(word in test for word in probe)
            podman("healthcheck", "run", c)
            assert podman("inspect", "--format", "{{.State.Health.Status}}", c).stdout.strip() \
                == "healthy"
    finally:
        r = podman("play", "kube", "--down", str(spec), check=False)
        for d in docs:
            for v in d["spec"].get("volumes", []):
                podman("volume", "rm", "-f", v["name"], check=False)
        assert r.returncode == 0, r.stderr
