#!/usr/bin/env python3
"""Extracts the flag names of mesos-master, mesos-agent and Marathon from their sources, as data
for tests/unit/data/flags-*.txt (checked against init/mesos/mesos_flagnames.c by test_mesos_flagnames.c).

    extract_flags.py mesos GITDIR TAG     > tests/unit/data/flags-mesos-TAG.txt
    extract_flags.py marathon GITDIR TAG CHAOSDIR CHAOSTAG > tests/unit/data/flags-marathon-TAG.txt

GITDIR is a clone of github.com/apache/mesos (or mesosphere/marathon, whose HTTP flags live in
its dependency mesosphere/chaos: CHAOSDIR); files are read with
`git show TAG:path`, nothing is built. Output lines: `ROLE NAME bool|value [alias-of]`, sorted.
"""
import re
import subprocess
import sys

MESOS_FILES = {  # role: (flags.cpp files, flags.hpp files) whose Flags classes the daemon loads
    "master": (["src/master/flags.cpp", "src/logging/flags.cpp"],
               ["src/master/flags.hpp", "src/logging/flags.hpp"]),
    "agent": (["src/slave/flags.cpp", "src/logging/flags.cpp"],
              ["src/slave/flags.hpp", "src/logging/flags.hpp"]),
}
ADD = re.compile(r'\badd\(\s*&Flags::(\w+)\s*,\s*"(\w+)"\s*,\s*'
                 r'(?:flags::DeprecatedName\(\s*"(\w+)"\s*\)\s*,)?')
MEMBER = re.compile(r'^\s*([A-Za-z_][\w:<>, ]*?)\s+(\w+)\s*;', re.M)


def show(gitdir, tag, path):
    return subprocess.run(["git", "-C", gitdir, "show", f"{tag}:{path}"], check=True,
                          capture_output=True, text=True).stdout


def mesos(gitdir, tag):
    out = set()
    for role, (cpps, hpps) in MESOS_FILES.items():
        types = {}
        for h in hpps:
            for t, m in MEMBER.findall(show(gitdir, tag, h)):
                types[m] = t.replace(" ", "")
        out.add((role, "help", "bool", ""))  # stout's FlagsBase adds --help
        for c in cpps:
            for member, name, old in ADD.findall(show(gitdir, tag, c)):
                kind = "bool" if types.get(member) in ("bool", "Option<bool>") else "value"
                out.add((role, name, kind, ""))
                if old:
                    out.add((role, old, kind, name))
    return out


SCALLOP = re.compile(r'\b(opt\[(\w+(?:\[\w+\])?)\]|toggle)\s*\(\s*(?:name\s*=\s*)?"(\w+)"')


def marathon(gitdir, tag, out):
    files = subprocess.run(["git", "-C", gitdir, "ls-tree", "-r", "--name-only", tag, "src/main/"],
                           check=True, capture_output=True, text=True).stdout.split()
    out.add(("marathon", "help", "bool", ""))
    for f in files:
        if not f.endswith(".scala"):
            continue
        for call, typ, name in SCALLOP.findall(show(gitdir, tag, f)):
            if call == "toggle":  # scallop: --NAME and --disable_NAME
                out.add(("marathon", name, "bool", ""))
                out.add(("marathon", "disable_" + name, "bool", name))
            else:
                out.add(("marathon", name, "bool" if typ == "Boolean" else "value", ""))
    return out


def commit_of(gitdir, tag):
    return subprocess.run(["git", "-C", gitdir, "rev-parse", tag + "^{commit}"], check=True,
                          capture_output=True, text=True).stdout.strip()


def main():
    kind, pairs = sys.argv[1], list(zip(sys.argv[2::2], sys.argv[3::2]))
    rows = set()
    for gitdir, tag in pairs:
        if kind == "mesos":
            rows |= mesos(gitdir, tag)
        else:
            marathon(gitdir, tag, rows)
    names = " ".join(f"{tag} {commit_of(g, tag)}" for g, tag in pairs)
    print(f"# {kind} {names} (tests/unit/data/extract_flags.py)")
    for r in sorted(rows):
        print(" ".join(x for x in r if x))


if __name__ == "__main__":
    main()
