"""Membership under the engine, with a writer running throughout (from the host, to the containers'
bridge addresses): docker stop -t, docker kill -s KILL, docker restart of the leader, docker network
disconnect of a member for a while, docker pause of the leader, a new container on a fresh volume.
At the end: 0 acknowledged writes lost, one leader, one config. Then the whole ensemble stopped one by
one and started cold."""
import time


import engine as eng
import ensemble as ens

IDS = (1, 2, 3)
# A hang guard: a settling ensemble serves in seconds here.
SETTLE = 180


class Trio:
    """Three servers started like the seed (docker run -e MYID=n --net=NET, ZOO_SERVERS by name)."""

    def __init__(self, scope):
        self.scope, self.engine = scope, scope.engine
        self.net = scope.network()
        self.names = {i: scope.name("zk%d" % i) for i in IDS}
        self.servers = " ".join("server.%d=%s:2888:3888;2181" % (i, self.names[i]) for i in IDS)
        for i in IDS:
            self.run(i, scope.volume("data%d" % i))

    def run(self, i, data_volume):
        self.scope.run("zk%d" % i, "--net", self.net, "-e", "MYID=%d" % i,
                       "-e", "ZOO_SERVERS=" + self.servers, "-e", "JVMFLAGS=-Xmx128m", *eng.SUPER,
                       "-v", "%s:/data" % data_volume)

    def ip(self, i):
        return self.engine.ip(self.names[i], self.net)

    def ips(self, ids=IDS):
        return [self.ip(i) for i in ids]

    def hosts(self):
        """The writer's connect string: whoever has an address now."""
        out = []
        for i in IDS:
            try:
                ip = self.ip(i)
            except eng.EngineError:
                continue
            if ip:
                out.append("%s:2181" % ip)
        return ",".join(out)

    def settled(self, ids=IDS, timeout=120):
        return ens.healthy_ensemble(self.ips(ids), list(ids), timeout=timeout)

    def leader(self):
        for i in IDS:
            if eng.mode(self.ip(i)) == "leader":
                return i
        raise AssertionError("no leader")

    def follower(self):
        return next(i for i in IDS if i != self.leader())

    def final_check(self, writer, timeout=120):
        config = self.settled(timeout=timeout)
        ips = self.ips()
        assert ens.modes(ips).count("leader") == 1
        assert len(set(str(ens.config_of(ip)) for ip in ips)) == 1
        for ip in ips:
            assert writer.lost(ip) == [], "acknowledged writes lost on %s" % ip
        return config


def test_membership_changes_under_the_engine_lose_no_write(engine, scope):
    """stop -t and start of a follower, kill -s KILL, a partition, pause of the leader, a new
    container on a fresh volume (the leader's restart: the next test)."""
    trio = Trio(scope)
    trio.settled()
    writer = ens.Writer(trio.hosts)
    writer.start()
    try:
        # docker stop -t of a follower: it leaves, exits 143; docker start: it rejoins
        f = trio.follower()
        engine.docker("stop", "-t", "20", trio.names[f])
        assert engine.exit_code(trio.names[f]) == 143
        rest = [i for i in IDS if i != f]
        assert ens.participants(ens.config_of(trio.ip(rest[0]))) == rest
        engine.docker("start", trio.names[f])
        trio.settled()

        # docker kill -s KILL: no leave (still listed), the ensemble goes on; start: it serves again
        f = trio.follower()
        engine.docker("kill", "-s", "KILL", trio.names[f])
        eng.wait_for("the killed container to exit", lambda: engine.state(
            trio.names[f], "Running") == "false")
        assert engine.exit_code(trio.names[f]) == 137
        rest = [i for i in IDS if i != f]
        assert ens.participants(ens.config_of(trio.ip(rest[0]))) == list(IDS)
        engine.docker("start", trio.names[f])
        trio.settled()

        # docker network disconnect of a member for a while (a partition), then connect again
        # with its address: a new one would leave ZooKeeper's election connections half open on
        # both sides (no read timeout there) until TCP gives up, many minutes later
        f = trio.follower()
        address = trio.ip(f)
        engine.docker("network", "disconnect", trio.net, trio.names[f])
        time.sleep(10)
        engine.docker("network", "connect", "--ip", address, trio.net, trio.names[f])
        assert trio.ip(f) == address
        trio.settled()

        # docker pause of the leader for longer than the followers wait for it
        leader = trio.leader()
        engine.docker("pause", trio.names[leader])
        others = [i for i in IDS if i != leader]
        eng.wait_for("a new leader among %s" % others, lambda: "leader" in ens.modes(
            trio.ips(others)), timeout=120)
        engine.docker("unpause", trio.names[leader])
        trio.settled()

        # a new container on a fresh volume in place of a member that left
        f = trio.follower()
        engine.docker("stop", "-t", "20", trio.names[f])
        engine.docker("rm", "-v", trio.names[f])
        trio.scope.containers.remove(trio.names[f])
        trio.run(f, scope.volume("fresh%d" % f))
        trio.settled()
        time.sleep(2)
    finally:
        writer.stop()
    assert len(writer.acked) > 50
    trio.final_check(writer)



def test_docker_restart_of_the_leader_loses_no_write(engine, scope):
    trio = Trio(scope)
    trio.settled()
    writer = ens.Writer(trio.hosts)
    writer.start()
    try:
        engine.docker("restart", "-t", "20", trio.names[trio.leader()])
        trio.settled(timeout=SETTLE)
        time.sleep(2)
    finally:
        writer.stop()
    trio.final_check(writer, timeout=SETTLE)


def test_whole_ensemble_stopped_one_by_one_and_started_cold_loses_no_write(engine, scope):
    trio = Trio(scope)
    trio.settled()
    writer = ens.Writer(trio.hosts)
    writer.start()
    try:
        for i in IDS:
            engine.docker("stop", "-t", "20", trio.names[i])
            assert engine.exit_code(trio.names[i]) == 143
            time.sleep(2)  # the remaining servers acknowledge writes alone
    finally:
        writer.stop()
    for i in IDS:
        engine.docker("start", trio.names[i])
    trio.final_check(writer, timeout=SETTLE)
