"""The source tree's folders are its layers (ARCHITECTURE.md): every project include names its
folder, a layer includes only the layers below it, the roles never include each other, and no two
modules depend on each other. Pure: reads init/, starts nothing."""
import os
import re

import pytest

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "init")

# What each folder may include (besides itself). "commands.h" is the dispatch table's header at
# init/'s root: the entry points the roles and tools define and main.c calls.
ALLOWED = {
    "util": set(),
    "core": {"util"},
    "etcd": {"util"},
    "zkclient": {"util"},
    "zookeeper": {"util", "core", "etcd", "zkclient", "commands.h"},
    "mesos": {"util", "core", "etcd", "zkclient", "commands.h"},
    "tools": {"util", "core", "etcd", "zkclient", "zookeeper", "mesos", "commands.h"},
}
ROOT_FILES = {"main.c", "commands.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)


def sources(root):
    for d, _, files in os.walk(root):
        for f in sorted(files):
            if f.endswith((".c", ".h")):
                yield os.path.relpath(os.path.join(d, f), root)


def includes(root, rel):
    with open(os.path.join(root, rel), encoding="utf-8") as f:
        return INCLUDE.findall(f.read())


def layer_violations(root):
    """Lines "FILE includes TARGET: why" for every include that breaks a rule."""
    bad = []
    for rel in sources(root):
        parts = rel.split(os.sep)
        if len(parts) == 1:
            if rel not in ROOT_FILES:
                bad.append(f"{rel}: a file at init/'s root; it belongs in a layer's folder")
            continue
        if len(parts) > 2 or parts[0] not in ALLOWED:
            bad.append(f"{rel}: not in one of the layers {sorted(ALLOWED)}")
            continue
        layer = parts[0]
        for inc in includes(root, rel):
            target = inc.split("/")[0] if "/" in inc else inc
            if "/" not in inc and inc != "commands.h":
                bad.append(f"{rel} includes {inc}: name the folder (\"layer/{inc}\")")
            elif not os.path.exists(os.path.join(root, inc)):
                bad.append(f"{rel} includes {inc}: no such file")
            elif target != layer and target not in ALLOWED[layer]:
                bad.append(f"{rel} includes {inc}: {layer} may include only "
                           f"{sorted(ALLOWED[layer] | {layer})}")
    return bad


def module_cycles(root):
    """Pairs of modules (X.c/X.h) where each includes the other's header."""
    deps = {}
    for rel in sources(root):
        mod = os.path.splitext(rel)[0]
        deps.setdefault(mod, set()).update(
            os.path.splitext(i)[0] for i in includes(root, rel) if "/" in i)
    return sorted(f"{a} <-> {b}" for a in deps for b in deps[a]
                  if a < b and a in deps.get(b, set()))


def test_every_include_respects_the_layers():
    assert layer_violations(ROOT) == []


def test_no_two_modules_depend_on_each_other():
    assert module_cycles(ROOT) == []


def test_every_header_says_what_it_is_for():
    for rel in sources(ROOT):
        with open(os.path.join(ROOT, rel), encoding="utf-8") as f:
            first = f.readline()
        name = os.path.basename(rel)
        assert first.startswith(f"/* {name} - "), f"{rel}: first line should be '/* {name} - ...'"


@pytest.mark.parametrize("layer,inc,ok", [
    ("core", "util/log.h", True),
    ("core", "zookeeper/zk_role.h", False),
    ("util", "core/supervise.h", False),
    ("etcd", "zkclient/zk_client.h", False),
    ("mesos", "zookeeper/zk_config.h", False),
    ("zookeeper", "mesos/zkurl.h", False),
    ("tools", "mesos/zkurl.h", True),
])
def test_the_checker_refuses_what_the_rule_forbids(tmp_path, layer, inc, ok):
    src = tmp_path / "init"
    for rel in (layer + "/a.c", inc):
        p = src / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        if not p.exists():
            p.write_text("/* x */\n")
    (src / layer / "a.c").write_text(f'#include "{inc}"\n')
    assert (layer_violations(str(src)) == []) == ok


def test_the_checker_finds_a_cycle(tmp_path):
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "a.c").write_text('#include "m/b.h"\n')
    (tmp_path / "m" / "b.c").write_text('#include "m/a.h"\n')
    (tmp_path / "m" / "a.h").write_text("")
    (tmp_path / "m" / "b.h").write_text("")
    assert module_cycles(str(tmp_path)) == ["m/a <-> m/b"]
