"""The seed's own sequence, for real: `docker network create mynet`, three `docker run -e MYID=n
--net=mynet`, then a client container that creates /zk_test with my_data and reads it back."""
from kazoo.client import KazooClient

import engine as eng


def seed_servers(scope, net, ids=(1, 2, 3), extra=()):
    names = {i: scope.name("server%d" % i) for i in ids}
    servers = " ".join("server.%d=%s:2888:3888;2181" % (i, names[i]) for i in ids)
    for i in ids:
        scope.run("server%d" % i, "-e", "MYID=%d" % i, "--net=%s" % net,
                  "-e", "ZOO_SERVERS=" + servers, "-e", "JVMFLAGS=-Xmx128m", *extra)
    return names


def client(scope, net, *args):
    """zkCli.sh in a client container of the same image; its output."""
    name = scope.name("client%d" % len(scope.containers))
    scope.containers.append(name)
    r = scope.engine.try_docker("run", "--name", name, "--net=%s" % net, eng.IMAGE,
                                "zkCli.sh", *args)
    assert r.returncode == 0, r.stdout + r.stderr
    return r.stdout + r.stderr


def test_seed_docker_run_sequence_writes_and_reads(engine, scope):
    net = scope.network("mynet")
    names = seed_servers(scope, net)
    ips = [engine.ip(names[i], net) for i in (1, 2, 3)]
    modes = eng.wait_for("three servers serving", lambda: (
        all(eng.mode(ip) for ip in ips) and [eng.mode(ip) for ip in ips]))
    assert sorted(modes) == ["follower", "follower", "leader"]

    hosts = ",".join("%s:2181" % names[i] for i in (1, 2, 3))
    out = client(scope, net, "-server", hosts, "create", "/zk_test", "my_data")
    assert "Created /zk_test" in out
    out = client(scope, net, "-server", hosts, "get", "/zk_test")
    assert "my_data" in out.splitlines()

    # and every server has it, read from the host at its bridge address
    for ip in ips:
        zk = KazooClient(hosts="%s:2181" % ip, read_only=False)
        zk.start(timeout=30)
        try:
            zk.sync("/zk_test")
            assert zk.get("/zk_test")[0] == b"my_data"
        finally:
            zk.stop()
            zk.close()
