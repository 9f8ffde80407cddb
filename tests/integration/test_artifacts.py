"""Static checks of the shipped artifacts (issue 6): Dockerfiles, compose file, OpenShift manifests,
fleet units, shell scripts and the static binary. No container engine runs here, so the images are
checked by reading them; the compose file, units and scripts by the tools that validate them."""
import glob
import json
import os
import re
import shutil
import stat
import subprocess

import pytest
import yaml

from conftest import ROOT, run

DOCKERFILES = sorted(glob.glob(os.path.join(ROOT, "images", "*", "Dockerfile")))
ROLES = {"zookeeper": "zookeeper", "mesos-master": "mesos-master", "mesos-agent": "mesos-agent",
         "marathon": "marathon"}
FLEET = os.path.join(ROOT, "compose", "fleet")
FLEET_UNITS = sorted(glob.glob(os.path.join(FLEET, "*.service")))
OPENSHIFT = os.path.join(ROOT, "compose", "openshift")
COMPOSE = os.path.join(ROOT, "compose", "docker-compose.yml")
STATIC = os.environ.get("ZKINIT_STATIC", os.path.join(ROOT, "build", "zkinit-static"))
ONE_MB = 1024 * 1024


def need_tool(name):
    """The tool's path; make deps installs every one of them, so in CI a missing tool fails."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed (make deps installs it)")
        pytest.skip(f"{name} is not installed (make deps installs it)")
    return path


# ---------------------------------------------------------------- Dockerfiles

def instructions(path):
    """(INSTRUCTION, arguments) pairs of a Dockerfile: continuations joined, comments dropped."""
    out, cur = [], ""
    with open(path) as f:
        for line in f:
            s = line.rstrip("\n")
            if not cur and (not s.strip() or s.lstrip().startswith("#")):
                continue
            if cur and s.lstrip().startswith("#"):
                continue
            if s.endswith("\\"):
                cur += s[:-1] + " "
                continue
            cur += s
            word, _, rest = cur.strip().partition(" ")
            out.append((word.upper(), rest.strip()))
            cur = ""
    return out


def stages(ins):
    """Names of the build stages (FROM ... AS name)."""
    return {m.group(1) for k, a in ins if k == "FROM"
            for m in [re.search(r"\s+AS\s+(\S+)", a, re.I)] if m}


def test_images_exist():
    names = sorted(os.path.basename(os.path.dirname(p)) for p in DOCKERFILES)
    assert names == sorted(ROLES), names


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.split(os.sep)[-2])
def test_dockerfile_copies_existing_files(path):
    """Every COPY/ADD source outside another stage exists in the build context (the repository)."""
    ins = instructions(path)
    checked = 0
    for k, a in ins:
        if k not in ("COPY", "ADD") or "--from=" in a:
            continue
        words = [w for w in a.split() if not w.startswith("--")]
        if words and words[0].startswith("["):
            words = json.loads(" ".join(words))
        for src in words[:-1]:
            assert not re.match(r"https?://", src), f"{path}: ADD of a URL is not verified: {src}"
            assert glob.glob(os.path.join(ROOT, src)), f"{path}: {src} does not exist in the repository"
            checked += 1
    assert checked, f"{path}: copies nothing from the repository"


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.split(os.sep)[-2])
def test_dockerfile_pins_versions(path):
    ins = instructions(path)
    text = open(path).read()
    assert not re.search(r"\blatest\b", text), f"{path} mentions latest"
    names = stages(ins)
    froms = [a.split()[0] for k, a in ins if k == "FROM"]
    assert len(froms) >= 2, f"{path}: not multi-stage"
    for image in froms:
        if image in names:
            continue
        assert "$" not in image, f"{path}: FROM {image} is not a literal pinned tag"
        assert ":" in image or "@sha256:" in image, f"{path}: FROM {image} has no tag"
        tag = image.rsplit(":", 1)[1]
        assert re.search(r"\d", tag), f"{path}: FROM {image}: the tag pins no version"
    # Every download is checked against a pinned checksum.
    for k, a in ins:
        if k == "RUN" and re.search(r"\b(wget|curl)\b", a):
            assert re.search(r"sha(256|512)sum -c", a), f"{path}: a download without a checksum check"
    for k, a in ins:
        if k == "ARG" and re.match(r"\w*(SHA256|SHA512)\w*=", a):
            name, value = a.split("=", 1)
            assert re.fullmatch(r"[0-9a-f]{64}|[0-9a-f]{128}", value), f"{path}: {name} is no checksum"


@pytest.mark.parametrize("path", DOCKERFILES, ids=lambda p: p.split(os.sep)[-2])
def test_dockerfile_ships_the_static_build(path):
    """A Debian builder stage runs `make static`; the final stage copies that binary to /sbin/zkinit
    and makes it the ENTRYPOINT with the image's role."""
    ins = instructions(path)
    role = ROLES[path.split(os.sep)[-2]]
    assert re.match(r"debian:bookworm-\d{8}", ins[0][1]), f"{path}: builder is not a pinned bookworm"
    assert any(k == "RUN" and "make static" in a for k, a in ins), f"{path}: no make static"
    copy = [a for k, a in ins if k == "COPY" and "--from=" in a]
    assert any(a.split()[-2:] == ["/src/build/zkinit-static", "/sbin/zkinit"] for a in copy), copy
    entry = [json.loads(a) for k, a in ins if k == "ENTRYPOINT"]
    assert entry and entry[-1] == ["/sbin/zkinit", role], entry
    health = [a for k, a in ins if k == "HEALTHCHECK"]
    assert health and "CMD" in health[-1], f"{path}: no HEALTHCHECK"
    cmd = json.loads(health[-1].split("CMD", 1)[1])
    assert cmd[:2] == ["/sbin/zkinit", "health"], cmd


def test_zookeeper_image_contract():
    path = os.path.join(ROOT, "images", "zookeeper", "Dockerfile")
    ins = instructions(path)
    final = ins[max(i for i, (k, _) in enumerate(ins) if k == "FROM"):]
    get = lambda key: [a for k, a in final if k == key]  # noqa: E731
    assert re.fullmatch(r"alpine:\d+\.\d+\.\d+", get("FROM")[0]), get("FROM")
    assert any("openjdk17-jre-headless" in a for a in get("RUN"))
    assert get("USER") == []  # starts as root, zkinit drops to zookeeper (as the official image)
    assert json.loads(get("VOLUME")[0]) == ["/data", "/datalog", "/logs"]
    assert get("EXPOSE")[0].split() == ["2181", "2888", "3888", "8080"]
    assert json.loads(get("HEALTHCHECK")[0].split("CMD", 1)[1]) == ["/sbin/zkinit", "health"]
    env = " ".join(get("ENV"))
    # no ZOO_CLASSPATH: the default command is the release's zkServer.sh start-foreground
    assert "ZOO_CLASSPATH" not in env and re.search(r"ZOOCFGDIR=/conf\b", env), env
    assert re.search(r"ZK_HOME=/apache-zookeeper-", " ".join(get("ENV") + get("ARG") + [env]))
    assert any(a.split()[-1] == "/docker-entrypoint.sh" for a in get("COPY"))
    assert re.search(r"ZOO_CONF_DIR=/conf\b", env) and re.search(r"ZOO_DATA_DIR=/data\b", env)


@pytest.mark.parametrize("role", sorted(set(ROLES.values())))
def test_entrypoint_role_exists_in_zkinit(role):
    r = run([role, "--help"], timeout=20)
    assert r.returncode == 0, (r.returncode, r.stderr)
    assert r.stdout.strip() or r.stderr.strip(), f"{role} --help printed nothing"


# ---------------------------------------------------------------- shell

def shell_scripts():
    out = subprocess.run(["git", "-C", ROOT, "ls-files", "*.sh"], capture_output=True, text=True,
                         check=True).stdout.split()
    files = [os.path.join(ROOT, f) for f in out]
    ci = os.path.join(ROOT, ".ci", "run")
    if os.path.exists(ci):
        files.append(ci)
    return files


def test_shell_scripts_pass_shellcheck():
    shellcheck = need_tool("shellcheck")
    files = [f for f in shell_scripts() if os.path.exists(f)]
    assert files, "no shell script found"
    r = subprocess.run([shellcheck, "--format=gcc"] + files, capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stdout + r.stderr


# ---------------------------------------------------------------- compose

def load_compose():
    with open(COMPOSE) as f:
        return yaml.safe_load(f)


def test_compose_validates():
    dc = need_tool("docker-compose")
    r = subprocess.run([dc, "-f", COMPOSE, "config", "-q"], capture_output=True, text=True,
                       timeout=60, cwd=ROOT)
    assert r.returncode == 0, r.stdout + r.stderr


def test_compose_services():
    c = load_compose()
    svc = c["services"]
    nets = c.get("networks") or {}
    assert nets and all((n or {}).get("external") is not True for n in nets.values()), nets
    servers = " ".join(f"server.{n}=zk{n}:2888:3888;2181" for n in (1, 2, 3))
    for n in (1, 2, 3):
        s = svc[f"zk{n}"]
        assert str(s["environment"]["MYID"]) == str(n)
        assert s["environment"]["ZOO_SERVERS"] == servers
        assert set(s["networks"]) <= set(nets)
        assert s["build"]["dockerfile"] == "images/zookeeper/Dockerfile"
    masters = [k for k in svc if k.startswith("mesos-master")]
    assert len(masters) in (1, 3), masters
    for name, image in (("mesos-agent", "mesos-agent"), ("marathon", "marathon")):
        assert svc[name]["build"]["dockerfile"] == f"images/{image}/Dockerfile"
    for name, s in svc.items():
        assert ":" in s["image"] and not s["image"].endswith(":latest"), (name, s["image"])
        ctx = os.path.normpath(os.path.join(os.path.dirname(COMPOSE), s["build"]["context"]))
        assert os.path.exists(os.path.join(ctx, s["build"]["dockerfile"])), name


# ---------------------------------------------------------------- OpenShift / Kubernetes

def load_docs(name):
    with open(os.path.join(OPENSHIFT, name)) as f:
        return [d for d in yaml.safe_load_all(f) if d]


def env_of(container):
    return {e["name"]: e.get("value") for e in container.get("env", [])}


def check_container(c):
    assert re.search(r":\d[\w.-]*$", c["image"]), c["image"]
    for probe in ("readinessProbe", "livenessProbe"):
        assert c[probe]["exec"]["command"][:2] == ["/sbin/zkinit", "health"], probe
    ports = {p["containerPort"] for p in c["ports"]}
    assert {2181, 2888, 3888} <= ports


def test_openshift_manifests_parse():
    files = sorted(glob.glob(os.path.join(OPENSHIFT, "*.yaml")))
    assert len(files) >= 3, files
    for f in files:
        for d in load_docs(os.path.basename(f)):
            assert d["apiVersion"] and d["kind"] and d["metadata"]["name"], (f, d)


def test_openshift_raw_pods_and_services():
    services = {d["metadata"]["name"]: d for d in load_docs("zookeeper-services.yaml")}
    pods = {d["metadata"]["name"]: d for d in load_docs("zookeeper-pods.yaml")}
    assert all(d["kind"] == "Service" for d in services.values())
    assert all(d["kind"] == "Pod" for d in pods.values())
    servers = " ".join(f"server.{n}=zk{n}:2888:3888;2181" for n in (1, 2, 3))
    for n in (1, 2, 3):
        pod, svc = pods[f"zk{n}"], services[f"zk{n}"]
        labels = pod["metadata"]["labels"]
        assert all(labels.get(k) == v for k, v in svc["spec"]["selector"].items()), (labels, svc)
        assert {p["port"] for p in svc["spec"]["ports"]} == {2181, 2888, 3888}
        c = pod["spec"]["containers"][0]
        check_container(c)
        env = env_of(c)
        assert env["MYID"] == str(n) and env["ZOO_SERVERS"] == servers, env
    # Exactly one service selects every server: the client service.
    clients = [s for s in services.values() if "zkid" not in s["spec"]["selector"]]
    assert len(clients) == 1 and [p["port"] for p in clients[0]["spec"]["ports"]] == [2181]


def test_openshift_statefulset():
    docs = load_docs("zookeeper-statefulset.yaml")
    sts = [d for d in docs if d["kind"] == "StatefulSet"]
    assert len(sts) == 1
    s = sts[0]
    headless = [d for d in docs if d["kind"] == "Service" and d["spec"].get("clusterIP") == "None"]
    assert [h["metadata"]["name"] for h in headless] == [s["spec"]["serviceName"]]
    assert headless[0]["spec"].get("publishNotReadyAddresses") is True
    labels = s["spec"]["template"]["metadata"]["labels"]
    assert s["spec"]["selector"]["matchLabels"].items() <= labels.items()
    c = s["spec"]["template"]["spec"]["containers"][0]
    check_container(c)
    env = env_of(c)
    assert env["ZOO_ID_FROM_HOSTNAME"] == "1" and "MYID" not in env
    name, svc, replicas = s["metadata"]["name"], s["spec"]["serviceName"], s["spec"]["replicas"]
    expected = " ".join(f"server.{i + 1}={name}-{i}.{svc}:2888:3888;2181" for i in range(replicas))
    assert env["ZOO_SERVERS"] == expected, env["ZOO_SERVERS"]
    mounts = {m["name"] for m in c["volumeMounts"]}
    assert mounts <= {v["metadata"]["name"] for v in s["spec"]["volumeClaimTemplates"]}


# ---------------------------------------------------------------- fleet units

FLEET_KEYS = {"MachineID", "MachineOf", "MachineMetadata", "Conflicts", "Global", "Replaces"}


def parse_unit(path):
    """{section: [(key, value)]} of a systemd unit (continuations joined, repeated keys kept)."""
    sections, cur, buf = {}, None, ""
    with open(path) as f:
        for line in f:
            s = line.rstrip("\n")
            if not buf and (not s.strip() or s.lstrip()[:1] in "#;"):
                continue
            if s.endswith("\\"):
                buf += s[:-1] + " "
                continue
            s, buf = buf + s, ""
            if s.startswith("["):
                assert s.endswith("]"), f"{path}: bad section line {s!r}"
                cur = s[1:-1]
                sections.setdefault(cur, [])
                continue
            assert cur and "=" in s, f"{path}: bad line {s!r}"
            k, v = s.split("=", 1)
            sections[cur].append((k.strip(), " ".join(v.split())))
    return sections


def test_fleet_units_present():
    names = sorted(os.path.basename(p) for p in FLEET_UNITS)
    assert names == ["marathon.service", "mesos-agent.service", "mesos-master@.service",
                     "zookeeper@.service"], names


def test_fleet_units_systemd_verify(tmp_path):
    """systemd-analyze verify on an instance of each unit. This machine has no docker, so the check
    runs on copies whose /usr/bin/docker is a stub script and beside a stub docker.service; every
    other line is verified as written. Any warning (unknown key or section, bad value) fails."""
    sa = need_tool("systemd-analyze")
    stub = tmp_path / "docker"
    stub.write_text("#!/bin/sh\nexit 0\n")
    stub.chmod(stub.stat().st_mode | stat.S_IXUSR)
    (tmp_path / "docker.service").write_text("[Unit]\nDescription=stub\n[Service]\nExecStart=/bin/true\n")
    copies = []
    for p in FLEET_UNITS:
        name = os.path.basename(p).replace("@.", "@1.")
        text = open(p).read().replace("/usr/bin/docker", str(stub))
        (tmp_path / name).write_text(text)
        copies.append(str(tmp_path / name))
    r = subprocess.run([sa, "verify", "--man=no"] + copies, capture_output=True, text=True,
                       timeout=60, cwd=tmp_path)
    assert r.returncode == 0 and not r.stderr.strip() and not r.stdout.strip(), r.stdout + r.stderr


@pytest.mark.parametrize("path", FLEET_UNITS, ids=os.path.basename)
def test_fleet_unit_contents(path):
    """What systemd ignores and fleet reads: the X-Fleet section; and the docker run wrapping."""
    u = parse_unit(path)
    name = os.path.basename(path)
    svc = u["Service"]
    get = lambda key: [v for k, v in svc if k == key]  # noqa: E731
    assert get("EnvironmentFile") == ["/etc/environment"]
    run_line = get("ExecStart")[0]
    assert run_line.startswith("/usr/bin/docker run ")
    assert "-e HOST_IP=${COREOS_PRIVATE_IPV4}" in run_line
    assert re.search(r"-e ETCD_ENDPOINTS=http://\S+:2379", run_line)
    assert "--net=host" in run_line
    image = [v.split("=", 1)[1] for v in get("Environment") if v.startswith("IMAGE=")]
    assert image and re.search(r":v?\d[\w.]*$", image[0]), image
    role = image[0].split("/")[-1].split(":")[0]
    assert os.path.exists(os.path.join(ROOT, "images", role, "Dockerfile")), role
    container = re.search(r"--name (\S+)", run_line).group(1)
    assert get("ExecStop") and get("ExecStop")[0].startswith("/usr/bin/docker stop")
    assert get("ExecStop")[0].split()[-1] == container
    fleet = dict(u.get("X-Fleet", []))
    assert set(fleet) <= FLEET_KEYS, fleet
    if name == "zookeeper@.service":
        assert fleet.get("MachineMetadata") == "zookeeper=true"
        assert fleet.get("Conflicts") == "zookeeper@*.service"
        assert "%i" in container
    if name == "mesos-master@.service":
        assert fleet.get("Conflicts") == "mesos-master@*.service"
    if name == "mesos-agent.service":
        assert fleet.get("Global") == "true"


# ---------------------------------------------------------------- static binary

@pytest.mark.skipif(not os.path.exists(STATIC), reason=f"no static build at {STATIC} (make static)")
def test_static_binary_is_static_and_small(tmp_path):
    r = subprocess.run(["readelf", "-l", "-d", STATIC], capture_output=True, text=True, check=True)
    assert "INTERP" not in r.stdout and "NEEDED" not in r.stdout, r.stdout
    f = subprocess.run(["file", "-b", STATIC], capture_output=True, text=True, check=True).stdout
    assert "statically linked" in f or "static-pie linked" in f, f
    stripped = tmp_path / "zkinit-stripped"
    subprocess.run(["strip", "-o", str(stripped), STATIC], check=True)
    size = stripped.stat().st_size
    assert size < ONE_MB, f"stripped static binary is {size} bytes"
    v = subprocess.run([STATIC, "--version"], capture_output=True, text=True, timeout=10)
    assert v.returncode == 0 and v.stdout.startswith("zkinit "), (v.stdout, v.stderr)
