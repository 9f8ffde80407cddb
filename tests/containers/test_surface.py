"""The test image cannot drift from the shipped one: its runtime lines are generated from
images/zookeeper/Dockerfile, and the built image's configuration is the one those lines give."""
import json
import os
import subprocess

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


def drifted(word, args):
    """One runtime line changed the way a hand edit would change it."""
    if word == "ENV":
        (name, value), rest = surface.env_pairs(args)[0], surface.env_pairs(args)[1:]
        pairs = [(name + "X", value)] + rest
        return "ENV " + " ".join(surface.quote_env(n, v) for n, v in pairs)
    if args.startswith("["):
        return "%s %s" % (word, json.dumps(json.loads(args) + ["drift"]))
    if word == "HEALTHCHECK":
        return "HEALTHCHECK --retries=99 " + args
    return "%s %s drift" % (word, args)


def runtime_lines(text):
    return [(i, w, a) for i, (w, a) in enumerate(surface.instructions(text))
            if w in surface.RUNTIME]


def test_every_drifted_runtime_line_is_refused(tmp_path):
    surface.generate(eng.ROOT, "zookeeper", "BASE", str(tmp_path))
    ins = surface.instructions(read(tmp_path / "Dockerfile"))
    lines = runtime_lines(read(tmp_path / "Dockerfile"))
    assert lines
    for i, word, args in lines:
        text = "\n".join(drifted(w, a) if j == i else "%s %s" % (w, a)
                         for j, (w, a) in enumerate(ins))
        assert surface.differences(read(SHIPPED), text) != [], "%s %s" % (word, args)
    # and a line left out, or one added
    text = "\n".join("%s %s" % (w, a) for j, (w, a) in enumerate(ins) if j != lines[-1][0])
    assert surface.differences(read(SHIPPED), text) != []
    text = "\n".join("%s %s" % (w, a) for w, a in ins) + "\nUSER nobody"
    assert surface.differences(read(SHIPPED), text) != []


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
