"""The container engine for the container tests: podman's Docker API service, the docker and
docker-compose clients pointed at it, and observation from the host (container addresses from
`docker inspect`, `srvr` over TCP, kazoo). Nothing here polls with `docker exec`: podman 4.3 keeps a
conmon and a cleanup process for 300 s after every exec.
"""
import os
import shutil
import signal
import socket
import subprocess
import time
import uuid

IMAGE = os.environ.get("ZKINIT_TEST_IMAGE", "localhost/zkinit-test/zookeeper:test")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
# Generous hang guard for one engine command (a loaded 2-core machine), not a performance limit.
CMD_TIMEOUT = 180


def unusable_reason():
    """Why the container tests cannot run here, or None when they can."""
    for tool in ("podman", "docker", "docker-compose"):
        if not shutil.which(tool):
            return "%s is not installed (make deps)" % tool
    if os.geteuid() != 0:
        return "not root: the tests run rootful podman (bridge networks, play kube)"
    try:
        subprocess.run(["podman", "info"], check=True, capture_output=True, timeout=60)
    except (subprocess.SubprocessError, OSError) as e:
        return "podman info fails: %s" % e
    r = subprocess.run(["podman", "image", "exists", IMAGE], capture_output=True)
    if r.returncode != 0:
        return "the test image %s is missing (make images-test builds it)" % IMAGE
    return None


class EngineError(Exception):
    pass


class Engine:
    """podman's Docker API on a private socket, started by the tests and stopped by its pid."""

    def __init__(self, rundir):
        self.sock = os.path.join(rundir, "podman.sock")
        self.log = open(os.path.join(rundir, "podman-service.log"), "w")
        self.env = dict(os.environ, DOCKER_HOST="unix://" + self.sock,
                        COMPOSE_INTERACTIVE_NO_CLI="1")
        self.proc = subprocess.Popen(
            ["podman", "system", "service", "--time=0", "unix://" + self.sock],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise EngineError("podman system service exited %s" % self.proc.returncode)
            if os.path.exists(self.sock) and self.try_docker("version").returncode == 0:
                return
            time.sleep(0.2)
        self.stop()
        raise EngineError("podman system service did not answer on %s" % self.sock)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()

    def try_docker(self, *args, timeout=CMD_TIMEOUT, input=None):
        return subprocess.run(["docker", *args], env=self.env, capture_output=True, text=True,
                              timeout=timeout, input=input)

    def docker(self, *args, timeout=CMD_TIMEOUT):
        """stdout of a docker command; raises with its stderr when it fails."""
        r = self.try_docker(*args, timeout=timeout)
        if r.returncode != 0:
            raise EngineError("docker %s: exit %d: %s" % (" ".join(args), r.returncode,
                                                          r.stderr.strip()))
        return r.stdout.strip()

    def compose(self, *args, timeout=CMD_TIMEOUT):
        r = subprocess.run(["docker-compose", *args], env=self.env, capture_output=True,
                           text=True, timeout=timeout, cwd=ROOT)
        if r.returncode != 0:
            raise EngineError("docker-compose %s: exit %d: %s" % (" ".join(args), r.returncode,
                                                                  r.stderr.strip()[-3000:]))
        return r.stdout.strip()

    def ip(self, container, network):
        return self.docker("inspect", "-f",
                           '{{(index .NetworkSettings.Networks "%s").IPAddress}}' % network,
                           container)

    def state(self, container, field):
        return self.docker("inspect", "-f", "{{.State.%s}}" % field, container)

    def exit_code(self, container):
        return int(self.state(container, "ExitCode"))


# The super password of the test ensembles (membership needs one: ACLs stay on). Given through
# the environment here; zkinit removes it from the server's environment.
SUPER_PASSWORD = "zkinit-container-tests"
SUPER = ("-e", "ZOO_SUPER_PASSWORD=" + SUPER_PASSWORD)


def compose_secret():
    """compose/secrets/zk_super_password, as the compose file's one-liner creates it."""
    d = os.path.join(ROOT, "compose", "secrets")
    os.makedirs(d, exist_ok=True)
    path = os.path.join(d, "zk_super_password")
    with open(path, "w") as f:
        f.write(SUPER_PASSWORD + "\n")
    return path


class Scope:
    """Names for one test's containers, networks and volumes, removed at the end."""

    def __init__(self, engine):
        self.engine = engine
        self.prefix = "zkct" + uuid.uuid4().hex[:6]
        self.containers, self.networks, self.volumes, self.projects = [], [], [], []

    def name(self, what):
        return "%s-%s" % (self.prefix, what)

    def network(self, what="net"):
        name = self.name(what)
        self.engine.docker("network", "create", name)
        self.networks.append(name)
        return name

    def volume(self, what):
        name = self.name(what)
        self.volumes.append(name)
        return name

    def run(self, what, *args, image=IMAGE, command=()):
        """docker run -d --name PREFIX-what ARGS IMAGE COMMAND; returns the container name."""
        name = self.name(what)
        self.containers.append(name)
        self.engine.docker("run", "-d", "--name", name, *args, image, *command)
        return name

    def compose(self, *args, files=(), timeout=CMD_TIMEOUT):
        """docker-compose -p PREFIX -f FILE... ARGS (the project is taken down with its volumes)."""
        if not self.projects:
            self.projects.append([a for f in files for a in ("-f", f)])
        return self.engine.compose("-p", self.prefix, *self.projects[0], *args, timeout=timeout)

    def save_logs(self):
        """Every container's log of this scope, in build/container-logs/PREFIX/ (for a failure)."""
        out = subprocess.run(["podman", "ps", "-a", "--format", "{{.Names}}"],
                             capture_output=True, text=True).stdout.split()
        logdir = os.path.join(ROOT, "build", "container-logs", self.prefix)
        for name in (n for n in out if n.startswith(self.prefix)):
            os.makedirs(logdir, exist_ok=True)
            r = self.engine.try_docker("logs", "-t", name)
            with open(os.path.join(logdir, name + ".log"), "w") as f:
                f.write(r.stdout + r.stderr)

    def cleanup(self):
        """Removes what the test created (containers with their anonymous volumes, named volumes,
        networks); raises when anything named with this scope's prefix is left."""
        self.save_logs()
        for c in reversed(self.containers):
            self.engine.try_docker("rm", "-f", "-v", c)
        for files in self.projects:
            try:
                self.engine.compose("-p", self.prefix, *files, "down", "-v", "-t", "30")
            except EngineError:
                pass
        for v in self.volumes:
            self.engine.try_docker("volume", "rm", "-f", v)
        for n in self.networks:
            self.engine.try_docker("network", "rm", "-f", n)
        left = []
        for listing in (["ps", "-a", "--format", "{{.Names}}"],
                        ["volume", "ls", "--format", "{{.Name}}"],
                        ["network", "ls", "--format", "{{.Name}}"]):
            out = subprocess.run(["podman", *listing], capture_output=True, text=True).stdout
            left += [n for n in out.split() if n.startswith(self.prefix)]
        if left:
            raise EngineError("left behind: %s" % ", ".join(left))


def four_letter(ip, cmd="srvr", port=2181, timeout=3.0):
    """The answer to a four-letter command, or '' when the server does not answer."""
    try:
        with socket.create_connection((ip, port), timeout=timeout) as s:
            s.sendall(cmd.encode())
            chunks = []
            while True:
                c = s.recv(4096)
                if not c:
                    break
                chunks.append(c)
        return b"".join(chunks).decode(errors="replace")
    except OSError:
        return ""


def mode(ip):
    """leader / follower / observer / standalone, or None when not serving."""
    for line in four_letter(ip).splitlines():
        if line.startswith("Mode: "):
            return line[6:].strip()
    return None


def wait_for(what, predicate, timeout=120, interval=0.5):
    """predicate()'s first truthy value; AssertionError naming `what` after timeout (hang guard)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError("timed out after %ds waiting for %s" % (timeout, what))
        time.sleep(interval)
