"""compose/docker-compose.yml itself, with tests/containers/compose-override.yml (the test image;
the Mesos services left out): healthchecks, stop/start of one server, restart, down then up with the
volumes kept, and a zk4 added with ZOO_JOIN."""
import os
import subprocess


import engine as eng
import ensemble as ens

FILES = ("compose/docker-compose.yml", "tests/containers/compose-override.yml")
SERVICES = ("zk1", "zk2", "zk3")
SETTLE = 180  # a hang guard: a settling ensemble serves in seconds here


def container(scope, service):
    return "%s_%s_1" % (scope.prefix, service)


def addresses(scope, network):
    return [scope.engine.ip(container(scope, s), network) for s in SERVICES]


def healthcheck_turns_healthy(scope, service):
    """Without systemd, podman schedules no healthcheck timer: run the image's HEALTHCHECK once
    (after the server serves) the way the timer would, and read the status docker shows."""
    name = container(scope, service)
    assert scope.engine.state(name, "Health.Status") == "starting"
    r = subprocess.run(["podman", "healthcheck", "run", name], capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert scope.engine.state(name, "Health.Status") == "healthy"


def myid_in_volume(scope, service):
    mount = subprocess.run(["podman", "volume", "inspect", "--format", "{{.Mountpoint}}",
                            "%s_%s-data" % (scope.prefix, service)], check=True,
                           capture_output=True, text=True).stdout.strip()
    with open(os.path.join(mount, "myid")) as f:
        return f.read().strip()


def write(ip, path, data):
    zk = ens.client("%s:2181" % ip)
    try:
        zk.create(path, data)
    finally:
        zk.stop()
        zk.close()


def read(ip, path):
    zk = ens.client("%s:2181" % ip)
    try:
        zk.sync(path)
        return zk.get(path)[0]
    finally:
        zk.stop()
        zk.close()


def up(scope):
    eng.compose_secret()
    out = scope.compose("up", "-d", files=FILES)
    assert "mesos" not in out and "marathon" not in out
    running = scope.engine.docker("ps", "--format", "{{.Names}}").split()
    assert sorted(n for n in running if n.startswith(scope.prefix)) == [
        container(scope, s) for s in SERVICES]
    ips = addresses(scope, scope.prefix + "_zknet")
    ens.healthy_ensemble(ips, [1, 2, 3])
    write(ips[0], "/compose", b"kept")
    return ips


def test_compose_up_healthy_stop_start_and_a_fourth_server(engine, scope):
    net = scope.prefix + "_zknet"
    up(scope)
    for s in SERVICES:
        healthcheck_turns_healthy(scope, s)

    # stop/start of one server: it leaves (exit 143 after SIGTERM), then rejoins
    scope.compose("stop", "zk2")
    assert engine.exit_code(container(scope, "zk2")) == 143
    ips = addresses(scope, net)
    assert ens.participants(ens.config_of(ips[0])) == [1, 3]
    scope.compose("start", "zk2")
    ips = addresses(scope, net)
    ens.healthy_ensemble(ips, [1, 2, 3])
    assert read(ips[1], "/compose") == b"kept"

    # a fourth server added to the running ensemble with ZOO_JOIN
    zk4 = scope.run("zk4", "--net", net, "--network-alias", "zk4", "--hostname", "zk4",
                    "-e", "MYID=4", "-e", "ZOO_JOIN=zk1:2181,zk2:2181,zk3:2181", *eng.SUPER)
    ips.append(engine.ip(zk4, net))
    config = ens.healthy_ensemble(ips, [1, 2, 3, 4])
    assert config[0][4].startswith("%s:2888:3888:participant" % ips[3])  # its detected address
    assert read(ips[3], "/compose") == b"kept"


def test_compose_restart_and_down_up_keep_ids_and_data(engine, scope):
    net = scope.prefix + "_zknet"
    up(scope)

    scope.compose("restart", "-t", "30")
    ips = addresses(scope, net)
    ens.healthy_ensemble(ips, [1, 2, 3], timeout=SETTLE)
    assert read(ips[1], "/compose") == b"kept"

    # down (volumes kept) then up: new containers on the same volumes, same ids, same data
    scope.compose("down", "-t", "30")
    assert [myid_in_volume(scope, s) for s in SERVICES] == ["1", "2", "3"]
    scope.compose("up", "-d")
    ips = addresses(scope, net)
    ens.healthy_ensemble(ips, [1, 2, 3], timeout=SETTLE)
    assert [myid_in_volume(scope, s) for s in SERVICES] == ["1", "2", "3"]
    assert read(ips[2], "/compose") == b"kept"
