"""The zookeeper role's configuration with real ZooKeeper 3.8: a static 3-node ensemble from
ZOO_SERVERS with ZOO_RECONFIG=off (the official image's files, no reconfig on stop), a
docker-compose style first boot with ZOO_SERVERS and membership on, `zkinit health` and
`zkinit members`, digest auth (right and wrong super password), and the start-up errors
(unresolvable ZOO_JOIN host, mounted zoo.cfg, disagreeing myid, bad ZOO_SERVERS)."""
import os
import signal
import time

import pytest

from conftest import ZKINIT, base_env, run, wait_for
from zk_support import ensemble, get_config, hosts_of, mode, try_config, wait_members

STATIC_IPS = ["127.0.0.24", "127.0.0.25", "127.0.0.26"]
SEED_IPS = ["127.0.0.27", "127.0.0.28", "127.0.0.29"]


def servers_var(ips):
    return " ".join(f"server.{i + 1}={ip}:2888:3888;{ip}:2181" for i, ip in enumerate(ips))


def official_zoo_cfg(node, servers, whitelist):
    """What docker-library's docker-entrypoint.sh writes for the same variables."""
    lines = [f"dataDir={node.data}", f"dataLogDir={os.path.join(node.dir, 'datalog')}",
             "tickTime=200", "initLimit=5", "syncLimit=2", "autopurge.snapRetainCount=3",
             "autopurge.purgeInterval=0", "maxClientCnxns=60", "standaloneEnabled=true",
             "admin.enableServer=false"]
    lines += servers.split()
    lines.append(f"4lw.commands.whitelist={whitelist}")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def static(tmp_path_factory):
    for nodes in ensemble(tmp_path_factory, "zk-static", STATIC_IPS):
        for n in nodes:
            n.start(ZOO_RECONFIG="off", ZOO_SERVERS=servers_var(STATIC_IPS),
                    ZOO_4LW_COMMANDS_WHITELIST="srvr,ruok,conf")
        yield nodes


def test_static_ensemble_files_equal_the_official_images(static):
    for n in static:
        n.wait_serving()
    assert sorted(mode(n.ip) for n in static) == ["follower", "follower", "leader"]
    for n in static:
        with open(os.path.join(n.conf, "zoo.cfg")) as f:
            assert f.read() == official_zoo_cfg(n, servers_var(STATIC_IPS), "srvr,ruok,conf")
        with open(os.path.join(n.data, "myid")) as f:
            assert f.read().strip() == str(n.id)
        assert os.stat(os.path.join(n.conf, "zoo.cfg")).st_mode & 0o777 == 0o644


def test_health_and_members_tools(static):
    n = static[0]
    r = run(["health"], env=base_env(ZOO_CLIENT_ADDRESS=n.ip))
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("zookeeper ok mode=")
    r = run(["members", "--zk", hosts_of(static)])
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("server.") == 3 and "version=" in r.stdout
    r = run(["health"], env=base_env(ZOO_CLIENT_ADDRESS="127.0.0.39"))  # nobody there
    assert r.returncode == 1
    r = run(["members", "--zk", "127.0.0.39:2181", "--timeout", "1"])
    assert r.returncode == 69


def test_reconfig_off_stop_does_not_leave(static):
    n = static[2]
    n.stop()
    servers, _ = get_config(hosts_of(static[:2]))
    assert sorted(servers) == [1, 2, 3]
    assert "left the ensemble" not in n.zk_log() and "hook" not in n.zk_log()
    r = run(["health"], env=base_env(ZOO_CLIENT_ADDRESS=n.ip))
    assert r.returncode == 1
    for m in static:
        m.kill()


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    yield from ensemble(tmp_path_factory, "zk-seeded", SEED_IPS)


def test_compose_first_boot_from_seed_list_then_leave_and_rejoin(seeded):
    seeds = servers_var(SEED_IPS)
    for n in seeded:
        n.start(ZOO_SERVERS=seeds, ZOO_SUPER_PASSWORD="s3cret")
    wait_members(seeded, [1, 2, 3])
    for n in seeded:
        n.wait_serving()
        assert "action=seeds" in n.zk_log() or "already a member" in n.zk_log()
    n = seeded[1]
    n.stop()
    servers, _ = get_config(hosts_of([seeded[0], seeded[2]]))
    assert sorted(servers) == [1, 3]
    # Restart with the same variables: its stale data dir is regenerated from the live ensemble.
    n.start(ZOO_SERVERS=seeds, ZOO_SUPER_PASSWORD="s3cret")
    wait_members(seeded, [1, 2, 3])
    # the hook logs once getconfig confirms the add, which may be just after we saw it
    wait_for(lambda: "joined the ensemble" in n.zk_log(), 30, interval=0.1, what="join logged")


def test_wrong_super_password_is_reported_as_znoauth(seeded, tmp_path):
    seeded[1].stop()
    wait_members([seeded[0], seeded[2]], [1, 3])
    n = seeded[1]
    pw = tmp_path / "pw"
    pw.write_text("wrong\n")
    n.start(ZOO_SERVERS=servers_var(SEED_IPS), ZOO_SUPER_PASSWORD_FILE=str(pw))
    wait_for(lambda: "ZNOAUTH" in n.zk_log(), 60, interval=0.2, what="ZNOAUTH reported")
    assert "ZOO_SUPER_PASSWORD" in n.zk_log()
    assert sorted(try_config(hosts_of([seeded[0], seeded[2]]))) == [1, 3]
    assert "wrong" not in n.stderr()


def base(tmp_path, **extra):
    env = dict(MYID=3, HOST_IP="127.0.0.30", ZOO_CLIENT_ADDRESS="127.0.0.30", ZOO_USER="root",
               ZOO_SKIP_ACL="yes",
               ZOO_CONF_DIR=str(tmp_path / "conf"), ZOO_DATA_DIR=str(tmp_path / "data"),
               ZOO_DATA_LOG_DIR=str(tmp_path / "datalog"), ZOO_LOG_DIR=str(tmp_path / "logs"))
    env.update(extra)
    return base_env(**env)


SERVER_CMD = ["--", "java", "-version"]  # a server command: membership applies


def test_unresolvable_join_host(tmp_path):
    r = run(["zookeeper"] + SERVER_CMD, timeout=60,
            env=base(tmp_path, ZOO_JOIN="no-such-host.invalid:2181", ZOO_JOIN_TIMEOUT=1))
    assert r.returncode == 69
    assert "no-such-host.invalid:2181" in r.stderr and "ZOO_JOIN" in r.stderr


def test_client_command_writes_config_without_membership(tmp_path):
    """`docker run image zkCli.sh`: files as usual, no ensemble lookup, no hooks."""
    r = run(["zookeeper", "--", "/bin/cat", str(tmp_path / "data" / "zkinit" / "zoo.cfg.dynamic")],
            timeout=60, env=base(tmp_path, ZOO_JOIN="no-such-host.invalid:2181",
                                 ZOO_SERVERS="server.1=127.0.0.29:2888:3888;2181"))
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("server.1=127.0.0.29:2888:3888:participant;2181\n"
                        "server.3=127.0.0.30:2888:3888:participant;127.0.0.30:2181\n")
    assert "no-such-host" not in r.stderr


def test_client_command_leaves_a_servers_membership_files_alone(tmp_path):
    """`docker run -v zk1-data:/data image zkCli.sh` on a server's volume: ZooKeeper's newest
    dynamic file (newer than zkinit's state file after a reconfig) must survive it."""
    seeds = "server.1=127.0.0.29:2888:3888;2181"
    r = run(["zookeeper", "--", "/bin/true"], env=base(tmp_path, ZOO_SERVERS=seeds))
    assert r.returncode == 0, r.stderr
    state = tmp_path / "data" / "zkinit"
    newer = state / "zoo.cfg.dynamic.100000005"  # as ZooKeeper writes it after a reconfig
    newer.write_text("server.3=127.0.0.30:2888:3888:participant;127.0.0.30:2181\n")
    cfg = state / "zoo.cfg"
    text = "".join(l if not l.startswith("dynamicConfigFile=") else f"dynamicConfigFile={newer}\n"
                   for l in cfg.read_text().splitlines(True))
    cfg.write_text(text)
    r = run(["zookeeper", "--", "/bin/true"],
            env=base(tmp_path, ZOO_SERVERS=seeds + " server.2=127.0.0.28:2888:3888;2181"))
    assert r.returncode == 0, r.stderr
    assert cfg.read_text() == text
    assert newer.exists()
    assert os.readlink(tmp_path / "conf" / "zoo.cfg") == str(cfg)
    assert "not a server command: the membership files stay as they are" in r.stderr


def test_bad_join_and_servers_values(tmp_path):
    r = run(["zookeeper"] + SERVER_CMD, env=base(tmp_path, ZOO_JOIN="zk1"))
    assert r.returncode == 64 and "variable=ZOO_JOIN" in r.stderr
    r = run(["zookeeper"] + SERVER_CMD, env=base(tmp_path, ZOO_SERVERS="server.1=zk1:2888"))
    assert r.returncode == 64 and "ZOO_SERVERS" in r.stderr


def test_mounted_zoo_cfg_is_kept_as_is(tmp_path):
    conf = tmp_path / "conf"
    conf.mkdir()
    text = "# mounted by the operator\ntickTime=1234\nserver.3=127.0.0.30:2888:3888;2181\n"
    (conf / "zoo.cfg").write_text(text)
    r = run(["zookeeper", "--", "/bin/cat", str(conf / "zoo.cfg")], env=base(tmp_path))
    assert r.returncode == 0, r.stderr
    assert r.stdout == text
    assert (conf / "zoo.cfg").read_text() == text
    assert (tmp_path / "data" / "myid").read_text() == "3\n"
    assert "keeping the operator's zoo.cfg" in r.stderr


def test_generated_zoo_cfg_is_regenerated_on_restart(tmp_path):
    r = run(["zookeeper", "--", "/bin/true"], env=base(tmp_path, ZOO_RECONFIG="off"))
    assert r.returncode == 0, r.stderr
    r = run(["zookeeper", "--", "/bin/true"],
            env=base(tmp_path, ZOO_RECONFIG="off", ZOO_TICK_TIME="300"))
    assert r.returncode == 0, r.stderr
    assert "tickTime=300\n" in (tmp_path / "conf" / "zoo.cfg").read_text()


def test_myid_file_that_disagrees_stops_the_start(tmp_path):
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "myid").write_text("5\n")
    r = run(["zookeeper", "--", "/bin/true"], env=base(tmp_path))
    assert r.returncode == 65
    assert "myid" in r.stderr
    assert (tmp_path / "data" / "myid").read_text() == "5\n"
    assert not (tmp_path / "conf" / "zoo.cfg").exists()


def test_runs_as_the_zookeeper_user_with_its_directories_chowned(tmp_path):
    import pwd
    try:
        zk = pwd.getpwnam("zookeeper")
    except KeyError:
        pytest.skip("no zookeeper user on this machine")
    env = base(tmp_path, ZOO_RECONFIG="off")
    del env["ZOO_USER"]
    r = run(["zookeeper", "--", "/usr/bin/id", "-un"], env=env)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "zookeeper"
    for d in ("data", "datalog", "logs"):
        assert os.stat(tmp_path / d).st_uid == zk.pw_uid
    assert os.stat(tmp_path / "data" / "myid").st_uid == zk.pw_uid
    env["ZOO_USER"] = "root"
    r = run(["zookeeper", "--", "/usr/bin/id", "-un"], env=env)
    assert r.stdout.strip() == "root"


def test_whole_seeded_ensemble_stopped_together_comes_back(seeded):
    """docker compose stop/start: every node gets SIGTERM at once, then all start again."""
    import threading
    seeds = servers_var(SEED_IPS)
    seeded[1].stop()  # the node with the wrong password from the test before
    seeded[1].start(ZOO_SERVERS=seeds, ZOO_SUPER_PASSWORD="s3cret")
    wait_members(seeded, [1, 2, 3])
    threads = [threading.Thread(target=n.stop) for n in seeded]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(n.running() for n in seeded)
    for n in seeded:
        n.start(ZOO_SERVERS=seeds, ZOO_SUPER_PASSWORD="s3cret")
    wait_members(seeded, [1, 2, 3], timeout=90)
    for n in seeded:
        n.wait_serving()


def test_sigquit_is_a_thread_dump_not_a_stop(procs, tmp_path):
    """A JVM answers SIGQUIT with a thread dump and runs on: the role forwards it without
    starting a stop (no leave, no grace-period SIGKILL); SIGTERM still stops."""
    from test_init import CATCHER, signals_seen, wait_ready
    out = tmp_path / "sigs"
    env = base(tmp_path, ZKINIT_GRACE="0.3")
    p = procs.start(["unshare", "--pid", "--fork", "--mount-proc", ZKINIT, "zookeeper", "--",
                     *CATCHER, str(out), str(int(signal.SIGTERM))], env=env)
    pid = p.pid1()
    wait_ready(out)
    os.kill(pid, signal.SIGQUIT)
    wait_for(lambda: signal.SIGQUIT in signals_seen(out), what="SIGQUIT forwarded")
    time.sleep(1.0)  # well past the grace period: nothing may have been killed
    assert p.p.poll() is None
    os.kill(pid, signal.SIGTERM)
    assert p.wait(30) == 0
    assert signals_seen(out) == [signal.SIGQUIT, signal.SIGTERM]


def test_self_managing_settings_are_checked(tmp_path):
    for var, value in (("ZOO_REMOVE_STALE_AFTER", "soon"), ("ZOO_REMOVE_STALE_AFTER", "0.5s"),
                       ("ZOO_MAX_PARTICIPANTS", "0"), ("ZOO_MAX_PARTICIPANTS", "three")):
        r = run(["zookeeper"] + SERVER_CMD, env=base(tmp_path, **{var: value}))
        assert r.returncode == 64 and f"variable={var}" in r.stderr, (var, value, r.stderr)
    r = run(["zookeeper"] + SERVER_CMD,
            env=base(tmp_path, ZOO_REMOVE_STALE_AFTER="10m", ZOO_4LW_COMMANDS_WHITELIST="ruok"))
    assert r.returncode == 64 and "needs the srvr four-letter word" in r.stderr, r.stderr
