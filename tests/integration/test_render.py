"""`zkinit render TEMPLATE [-o OUT] [--mode MODE]`: expansion from the environment and *_FILE
secrets, atomic output with an explicit mode, and errors that name file:line and the variable
while leaving the output untouched."""
import os
import stat
import subprocess

import pytest

from conftest import ZKINIT, base_env


def render(args, env, input=None):
    return subprocess.run([ZKINIT, "render"] + list(args), env=env, capture_output=True,
                          text=True, input=input, timeout=30)


def errors(stderr):
    return [line for line in stderr.splitlines() if "level=error" in line]


TEMPLATE = """tickTime=${ZOO_TICK_TIME:-2000}
dataDir=${ZOO_DATA_DIR}
clientPort=${ZOO_CLIENT_PORT:-2181}
# a literal $$ and an unused ${UNSET_OPTIONAL:-}
"""


def test_render_to_stdout(tmp_path):
    t = tmp_path / "zoo.cfg.tmpl"
    t.write_text(TEMPLATE)
    r = render([str(t)], base_env(ZOO_DATA_DIR="/data", ZOO_TICK_TIME="200"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == "tickTime=200\ndataDir=/data\nclientPort=2181\n# a literal $ and an unused \n"


def test_render_to_file_atomically_with_mode(tmp_path):
    t = tmp_path / "t"
    t.write_text("a=${A}\n")
    out = tmp_path / "out.cfg"
    r = render([str(t), "-o", str(out)], base_env(A="1"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == ""
    assert out.read_text() == "a=1\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o644
    r = render([str(t), "-o", str(out), "--mode", "0600"], base_env(A="2"))
    assert r.returncode == 0, r.stderr
    assert out.read_text() == "a=2\n"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert sorted(os.listdir(tmp_path)) == ["out.cfg", "t"], "no temp file left behind"


def test_render_from_stdin(tmp_path):
    r = render(["-"], base_env(A="x"), input="${A}${B:-y}")
    assert (r.returncode, r.stdout) == (0, "xy")


def test_secret_from_file(tmp_path):
    secret = tmp_path / "pw"
    secret.write_text("s3cret\n")
    t = tmp_path / "t"
    t.write_text("password=${ZOO_SUPER_PASSWORD}\n")
    r = render([str(t)], base_env(ZOO_SUPER_PASSWORD_FILE=str(secret)))
    assert (r.returncode, r.stdout) == (0, "password=s3cret\n"), r.stderr
    assert "s3cret" not in r.stderr
    r = render([str(t)], base_env(ZOO_SUPER_PASSWORD_FILE=str(tmp_path / "missing")))
    assert r.returncode == 64
    assert len(errors(r.stderr)) == 1 and "ZOO_SUPER_PASSWORD_FILE" in r.stderr


@pytest.mark.parametrize("text,env,needles", [
    ("a=1\nb=${UNDEFINED_VAR}\n", {}, [":2:", "UNDEFINED_VAR"]),
    ("a=${NEEDED:?set NEEDED to the port}\n", {}, [":1:", "NEEDED", "set NEEDED to the port"]),
    ("x\ny\nport=${PORT\n", {}, [":3:", "unterminated ${"]),
    ("key=${V}\n", {"V": "1\nserver.9=evil:2888:3888"}, [":1:", "V", "newline"]),
    ("${1BAD}\n", {}, [":1:", "bad variable name"]),
])
def test_template_errors_name_file_line_and_leave_output(tmp_path, text, env, needles):
    t = tmp_path / "bad.tmpl"
    t.write_text(text)
    out = tmp_path / "out.cfg"
    out.write_text("previous\n")
    r = render([str(t), "-o", str(out)], base_env(**env))
    assert r.returncode == 65
    errs = errors(r.stderr)
    assert len(errs) == 1, r.stderr
    for n in [str(t)] + needles:
        assert n in errs[0], (n, r.stderr)
    assert out.read_text() == "previous\n"
    assert "evil" not in r.stderr, "values are not echoed"


@pytest.mark.parametrize("args,code,needle", [
    ([], 64, "missing TEMPLATE"),
    (["/nonexistent/t"], 65, "/nonexistent/t"),
    (["T", "--mode", "9"], 64, "--mode"),
    (["T", "--bogus"], 64, "--bogus"),
    (["T", "-o", "/nonexistent/dir/out"], 65, "/nonexistent/dir/out"),
])
def test_bad_command_lines(tmp_path, args, code, needle):
    t = tmp_path / "T"
    t.write_text("x\n")
    args = [str(t) if a == "T" else a for a in args]
    r = render(args, base_env())
    assert r.returncode == code, r.stderr
    errs = errors(r.stderr)
    assert len(errs) == 1 and needle in errs[0], r.stderr


def test_help():
    r = render(["--help"], base_env())
    assert r.returncode == 0 and "usage: zkinit render" in r.stdout
