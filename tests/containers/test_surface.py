"""The test image cannot drift from the shipped one: its runtime lines are generated from
images/zookeeper/Dockerfile, and the built image's configuration is the one those lines give."""
import json
import os
import subprocess

import pytest

import dockerfile_surface as surface
import engine as eng

SHIPPED = os.path.join(eng.ROOT, "images", "zookeeper", "Dockerfile")
GENERATED = os.path.join(eng.ROOT, "build", "images", "zookeeper", "Dockerfile")


def read(path):
    with open(path) as f:
        return f.read()


def inspect(fmt):
    out = subprocess.run(["podman", "image", "inspect", "--format", fmt, eng.IMAGE],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


def test_generated_dockerfile_agrees_with_the_shipped_one(tmp_path):
    surface.generate(eng.ROOT, "zookeeper", "BASE", str(tmp_path))
    assert surface.differences(read(SHIPPED), read(tmp_path / "Dockerfile")) == []


def test_every_shipped_runtime_line_is_generated(tmp_path):
    surface.generate(eng.ROOT, "zookeeper", "BASE", str(tmp_path))
    words = [w for w, _ in surface.final_stage(read(SHIPPED))[1] if w in surface.RUNTIME]
    generated = [w for w, _ in surface.final_stage(read(tmp_path / "Dockerfile"))[1]
                 if w in surface.RUNTIME]
    assert words == generated
    for needed in ("ENV", "VOLUME", "EXPOSE", "HEALTHCHECK", "ENTRYPOINT"):
        assert needed in words, "the shipped Dockerfile has no %s line" % needed


@pytest.mark.parametrize("edit", [
    ("USER zookeeper", "USER root"),
    ('VOLUME ["/data", "/datalog", "/logs"]', 'VOLUME ["/data", "/logs"]'),
    ("EXPOSE 2181 2888 3888 8080", "EXPOSE 2181"),
    ("--retries=3", "--retries=4"),
    ('ENTRYPOINT ["/sbin/zkinit", "zookeeper"]', 'ENTRYPOINT ["/sbin/zkinit"]'),
    ("ZOO_DATA_DIR=", "ZOO_DATADIR="),
    ("ZOO_LOG_DIR=/logs", "ZOO_LOG_DIR=/var/log"),
])
def test_a_drifted_test_dockerfile_is_refused(tmp_path, edit):
    surface.generate(eng.ROOT, "zookeeper", "BASE", str(tmp_path))
    text = read(tmp_path / "Dockerfile")
    old, new = edit
    old_q = old.replace("ZOO_LOG_DIR=/logs", 'ZOO_LOG_DIR="/logs"')
    new_q = new.replace("ZOO_LOG_DIR=/var/log", 'ZOO_LOG_DIR="/var/log"')
    assert old_q in text
    assert surface.differences(read(SHIPPED), text.replace(old_q, new_q)) != []


def test_the_built_test_image_has_the_generated_surface(engine):
    assert surface.differences(read(SHIPPED), read(GENERATED)) == []
    config = inspect("{{json .Config}}")
    stage = surface.final_stage(read(SHIPPED))[1]
    env_names = [n for w, a in stage if w == "ENV" for n, _ in surface.env_pairs(a)]
    image_env = [e.split("=", 1)[0] for e in config.get("Env", [])]
    assert set(env_names) <= set(image_env)
    lines = dict((w, a) for w, a in stage if w in surface.RUNTIME and w != "ENV")
    assert config.get("User", "") == lines.get("USER", "")
    assert config.get("Entrypoint") == json.loads(lines["ENTRYPOINT"])
    assert sorted(config.get("Volumes", {})) == sorted(json.loads(lines["VOLUME"]))
    assert sorted(config.get("ExposedPorts", {})) == sorted(
        p if "/" in p else p + "/tcp" for p in lines["EXPOSE"].split())
    assert config.get("WorkingDir", "") == surface.expand(lines.get("WORKDIR", ""), stage)
    health = inspect("{{json .HealthCheck}}")
    assert health.get("Test") == ["CMD"] + json.loads(lines["HEALTHCHECK"].partition(" CMD ")[2])
