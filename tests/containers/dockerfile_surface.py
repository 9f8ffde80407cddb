#!/usr/bin/env python3
"""The runtime surface of a shipped Dockerfile, and a test Dockerfile generated from it.

The container tests cannot build the shipped images (no registry: no alpine, no Apache download),
so they run a test image on a Debian base instead. Its runtime lines (ENV names, USER, WORKDIR,
VOLUME, EXPOSE, HEALTHCHECK, ENTRYPOINT, CMD, STOPSIGNAL) are generated from the shipped
Dockerfile's final stage, so the two cannot drift; only the ENV values that name the install
layout (LAYOUT_ENV) are Debian's. `compare` checks a pair of Dockerfiles line by line.

    dockerfile_surface.py generate ROOT ROLE BASE_IMAGE CONTEXT_DIR   # writes CONTEXT_DIR/Dockerfile
    dockerfile_surface.py compare SHIPPED TEST                        # exit 1 on any difference
"""
import json
import os
import re
import shlex
import shutil
import sys

# Instructions that shape the running container (what `docker inspect` shows of an image).
RUNTIME = ("ENV", "USER", "WORKDIR", "VOLUME", "EXPOSE", "HEALTHCHECK", "ENTRYPOINT", "CMD",
           "STOPSIGNAL", "SHELL")

# ENV values that name the install layout: Debian's packages instead of the Alpine JRE and the
# Apache release tarball. `None` keeps the shipped value; a str starting with ':' is appended.
LAYOUT_ENV = {
    "JAVA_HOME": "/usr/lib/jvm/default-java",
    "ZK_HOME": "/usr/share/zookeeper",
    "PATH": ":/usr/share/zookeeper/bin",
    "ZOO_CLASSPATH": "/etc/zookeeper/conf:/usr/share/java/zookeeper.jar"
                     ":/usr/share/java/slf4j-log4j12.jar:/usr/share/java/log4j-1.2.jar",
}

# The static binary the shipped images copy from their build stage.
STATIC_NAME = "zkinit-static"


class SurfaceError(Exception):
    pass


def logical_lines(text):
    """Dockerfile lines with continuations joined and comments dropped."""
    lines, cur = [], ""
    for raw in text.splitlines():
        s = raw.strip()
        if s.startswith("#") or (not s and not cur):
            continue
        if s.endswith("\\"):
            cur += s[:-1] + " "
            continue
        cur += s
        if cur.strip():
            lines.append(cur.strip())
        cur = ""
    if cur.strip():
        lines.append(cur.strip())
    return lines


def instructions(text):
    """[(INSTRUCTION, args)] of every logical line."""
    out = []
    for line in logical_lines(text):
        word, _, rest = line.partition(" ")
        out.append((word.upper(), rest.strip()))
    return out


def final_stage(text):
    """(global ARGs, instructions after the last FROM)."""
    ins = instructions(text)
    froms = [i for i, (w, _) in enumerate(ins) if w == "FROM"]
    if not froms:
        raise SurfaceError("no FROM line")
    first, last = froms[0], froms[-1]
    global_args = [a for w, a in ins[:first] if w == "ARG"]
    return global_args, ins[last + 1:]


def expand(value, stage):
    """value with the stage's ARG defaults substituted (${NAME} and $NAME)."""
    args = dict(a.split("=", 1) for w, a in stage if w == "ARG" and "=" in a)
    return re.sub(r"\$\{?(\w+)\}?", lambda m: args.get(m.group(1), m.group(0)), value)


def env_pairs(args):
    """[(NAME, value)] of an ENV line, both forms (`ENV A=1 B=2`, `ENV A 1`)."""
    words = shlex.split(args, posix=True)
    if words and "=" not in words[0]:
        return [(words[0], args.partition(" ")[2].strip())]
    return [tuple(w.split("=", 1)) for w in words]


def normalize(word, args):
    """A comparable form of one runtime instruction."""
    if word == "ENV":
        return ("ENV", tuple(env_pairs(args)))
    if args.startswith("["):
        return (word, tuple(json.loads(args)))
    if word == "HEALTHCHECK":
        opts, _, cmd = args.partition(" CMD ")
        cmd = cmd.strip()
        cmd = tuple(json.loads(cmd)) if cmd.startswith("[") else cmd
        return (word, tuple(sorted(opts.split())), cmd)
    return (word, tuple(args.split()))


def runtime_surface(text):
    """Normalized runtime instructions of the final stage, in order."""
    _, stage = final_stage(text)
    return [normalize(w, a) for w, a in stage if w in RUNTIME]


def quote_env(name, value):
    return "%s=\"%s\"" % (name, value.replace("\\", "\\\\").replace("\"", "\\\""))


def layout_value(name, shipped):
    new = LAYOUT_ENV.get(name)
    if new is None:
        return shipped
    return shipped + new if new.startswith(":") else new


def env_line(args):
    return "ENV " + " \\\n    ".join(quote_env(n, layout_value(n, v)) for n, v in env_pairs(args))


def shipped_ids(stage):
    """uid and gid that the shipped final stage gives its user (adduser -u N, addgroup -g N)."""
    text = " ".join(a for w, a in stage if w == "RUN")
    uid = re.search(r"adduser\b[^;&]*?-u\s+(\d+)", text)
    gid = re.search(r"addgroup\b[^;&]*?-g\s+(\d+)", text)
    return (uid.group(1) if uid else None), (gid.group(1) if gid else None)


def layout_dirs(stage):
    """Directories the container writes: the VOLUMEs and the *DIR variables' absolute values."""
    dirs = []
    for w, a in stage:
        if w == "VOLUME":
            dirs += json.loads(a) if a.startswith("[") else a.split()
        elif w == "ENV":
            dirs += [v for n, v in env_pairs(a) if n.endswith("DIR") and v.startswith("/")]
    return sorted(set(d for d in dirs if "$" not in d))


def workdirs(stage):
    """The WORKDIRs, expanded: Docker creates them in the image; podman's play kube needs them."""
    return [expand(a, stage) for w, a in stage if w == "WORKDIR" and a.startswith("/")]


def prelude(stage):
    """The Debian equivalent of the shipped image's setup RUN: its user ids and writable dirs."""
    uid, gid = shipped_ids(stage)
    dirs = " ".join(layout_dirs(stage))
    steps = ["set -eux"]
    if workdirs(stage):
        steps.append("mkdir -p " + " ".join(workdirs(stage)))
    if gid:
        steps.append("groupmod -g %s zookeeper" % gid)
    if uid:
        steps.append("usermod -u %s zookeeper" % uid)
    if dirs:
        steps += ["mkdir -p " + dirs, "chown -R zookeeper:0 " + dirs, "chmod -R g=u " + dirs]
    return "RUN " + "; \\\n    ".join(steps)


def copy_line(word, args, root, ctx):
    """The test image's form of a final-stage COPY/ADD; copies context files into ctx."""
    words = args.split()
    flags = [w for w in words if w.startswith("--")]
    paths = [w for w in words if not w.startswith("--")]
    srcs, dest = paths[:-1], paths[-1]
    keep = [f for f in flags if not f.startswith("--from=")]
    if any(f.startswith("--from=") for f in flags):
        if [os.path.basename(s) for s in srcs] == [STATIC_NAME]:
            return " ".join(["COPY"] + keep + [STATIC_NAME, dest])
        # anything else a build stage made (the Apache release) is Debian's package here
        return "# instead of the build stage's %s: the base's Debian packages" % " ".join(srcs)
    for s in srcs:
        if "://" in s:
            raise SurfaceError("%s %s: downloads cannot be reproduced offline" % (word, args))
        target = os.path.join(ctx, s)
        os.makedirs(os.path.dirname(target) or ctx, exist_ok=True)
        src = os.path.join(root, s)
        if os.path.isdir(src):
            shutil.copytree(src, target, dirs_exist_ok=True)
        else:
            shutil.copy2(src, target)
    return " ".join([word] + keep + srcs + [dest])


def generate(root, role, base, ctx):
    """Writes ctx/Dockerfile (and the files it copies) for the test image of role."""
    shipped = os.path.join(root, "images", role, "Dockerfile")
    with open(shipped) as f:
        text = f.read()
    global_args, stage = final_stage(text)
    out = ["# Generated by tests/containers/dockerfile_surface.py from images/%s/Dockerfile:" % role,
           "# do not edit; the runtime lines are the shipped image's (LAYOUT_ENV values: Debian's).",
           "FROM " + base]
    out += ["ARG " + a for a in global_args]
    out.append(prelude(stage))
    for word, args in stage:
        if word == "ARG":
            out.append("ARG " + args)
        elif word in ("COPY", "ADD"):
            out.append(copy_line(word, args, root, ctx))
        elif word == "ENV":
            out.append(env_line(args))
        elif word in RUNTIME:
            out.append("%s %s" % (word, args))
    with open(os.path.join(ctx, "Dockerfile"), "w") as f:
        f.write("\n".join(out) + "\n")


def differences(shipped_text, test_text):
    """Human-readable differences between the two runtime surfaces ([] when they agree)."""
    a, b = runtime_surface(shipped_text), runtime_surface(test_text)
    diffs = []
    if len(a) != len(b):
        diffs.append("%d runtime lines shipped, %d in the test image" % (len(a), len(b)))
    for x, y in zip(a, b):
        if x[0] == "ENV" and y[0] == "ENV":
            xn, yn = [n for n, _ in x[1]], [n for n, _ in y[1]]
            if xn != yn:
                diffs.append("ENV names %s shipped, %s in the test image" % (xn, yn))
                continue
            for (n, v), (_, w) in zip(x[1], y[1]):
                if w != layout_value(n, v):
                    diffs.append("ENV %s=%r shipped, %r in the test image" % (n, v, w))
        elif x != y:
            diffs.append("%s shipped, %s in the test image" % (x, y))
    return diffs


def main(argv):
    try:
        if len(argv) == 6 and argv[1] == "generate":
            generate(*argv[2:])
            return 0
        if len(argv) == 4 and argv[1] == "compare":
            with open(argv[2]) as f, open(argv[3]) as g:
                diffs = differences(f.read(), g.read())
            for d in diffs:
                print("dockerfile_surface: %s" % d, file=sys.stderr)
            return 1 if diffs else 0
    except (SurfaceError, OSError, ValueError) as e:
        print("dockerfile_surface: error: %s" % e, file=sys.stderr)
        return 1
    print(__doc__, file=sys.stderr)
    return 64


if __name__ == "__main__":
    sys.exit(main(sys.argv))
