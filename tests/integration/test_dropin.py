"""zkinit as a drop-in for the official `zookeeper` image: a differential test against the files
that image's docker-entrypoint.sh writes, and a live server for the cases whose text differs.

OFFICIAL below is data, not code: the zoo.cfg key/value pairs, server entries and myid that the
official entrypoint (github.com/31z4/zookeeper-docker, 3.8.6/docker-entrypoint.sh; the 3.9.4 script
is byte-identical) wrote on 2026-12-01 when run unmodified as `docker-entrypoint.sh /bin/true` with
the image's ENV defaults (ZOO_TICK_TIME=2000 ZOO_INIT_LIMIT=5 ZOO_SYNC_LIMIT=2
ZOO_AUTOPURGE_PURGEINTERVAL=0 ZOO_AUTOPURGE_SNAPRETAINCOUNT=3 ZOO_MAX_CLIENT_CNXNS=60
ZOO_STANDALONE_ENABLED=true ZOO_ADMINSERVER_ENABLED=true) plus the case's variables.

zkinit must write the same files in its default configuration without a super password (the
official image's static behaviour) and the documented differences in membership mode (README,
"Compatibility with the official image"). Addresses: 127.0.0.51-59 (this area)."""
import os
import re

import pytest
from kazoo.client import KazooClient

from conftest import base_env, run, wait_for
from zk_support import ZkNode

S3 = "server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 server.3=zoo3:2888:3888;2181"
PROMETHEUS = "org.apache.zookeeper.metrics.prometheus.PrometheusMetricsProvider"

CASES = {
    "defaults": {},
    "compose_example": dict(ZOO_MY_ID="2", ZOO_SERVERS=S3),
    "cfg_extra_newlines": dict(
        ZOO_CFG_EXTRA=f"metricsProvider.className={PROMETHEUS}\nmetricsProvider.httpPort=7000\n"),
    "empty_my_id": dict(ZOO_MY_ID=""),
    "lenient_values": dict(ZOO_AUTOPURGE_SNAPRETAINCOUNT="1", ZOO_AUTOPURGE_PURGEINTERVAL="-1",
                           ZOO_INIT_LIMIT="0"),
    "form34_client_port": dict(ZOO_MY_ID="1",
                               ZOO_SERVERS="server.1=zk1:2888:3888 server.2=zk2:2888:3888",
                               ZOO_CFG_EXTRA="clientPort=2182"),
    "observer": dict(ZOO_MY_ID="3", ZOO_SERVERS=S3.replace("zoo3:2888:3888;", "zoo3:2888:3888:observer;"),
                     ZOO_CFG_EXTRA="peerType=observer"),
    "self_wildcard": dict(ZOO_MY_ID="1", ZOO_SERVERS=S3.replace("zoo1", "0.0.0.0")),
    "whitelist_and_flags": dict(ZOO_4LW_COMMANDS_WHITELIST="stat,ruok,conf",
                                ZOO_STANDALONE_ENABLED="false", ZOO_ADMINSERVER_ENABLED="false",
                                ZOO_TICK_TIME="500"),
    # from Kubernetes manifests (`value: |`), OpenShift pods, Kafka-style and 3.4-era compose files
    "servers_newline_list": dict(ZOO_MY_ID="3", ZOO_SERVERS="".join(
        f"server.{i + 1}=zk-{i}.zk-hs:2888:3888;2181\n" for i in range(3))),
    "listen_all_ips_extra": dict(ZOO_MY_ID="2", ZOO_SERVERS=S3,
                                 ZOO_CFG_EXTRA="quorumListenOnAllIPs=true"),
    "whitelist_star_purge": dict(ZOO_4LW_COMMANDS_WHITELIST="*", ZOO_AUTOPURGE_PURGEINTERVAL="24",
                                 ZOO_AUTOPURGE_SNAPRETAINCOUNT="10", ZOO_MAX_CLIENT_CNXNS="0"),
    "kafka_style_single": dict(ZOO_MY_ID="1", ZOO_SERVERS="server.1=zookeeper:2888:3888;2181",
                               ZOO_INIT_LIMIT="10", ZOO_SYNC_LIMIT="5"),
    "client_addr_in_line": dict(ZOO_MY_ID="1", ZOO_SERVERS="server.1=zoo1:2888:3888;0.0.0.0:2181 "
                                                           "server.2=zoo2:2888:3888;0.0.0.0:2181"),
    "form34_three": dict(ZOO_MY_ID="2", ZOO_SERVERS="server.1=zoo1:2888:3888 "
                                                    "server.2=zoo2:2888:3888 server.3=zoo3:2888:3888"),
}

_BASE = {"dataDir": "D/data", "dataLogDir": "D/datalog", "tickTime": "2000", "initLimit": "5",
         "syncLimit": "2", "autopurge.snapRetainCount": "3", "autopurge.purgeInterval": "0",
         "maxClientCnxns": "60", "standaloneEnabled": "true", "admin.enableServer": "true"}


def _official(servers, myid="1", **keys):
    return dict(keys=dict(_BASE, **keys), servers=servers, myid=myid)


_LOCAL = {1: "localhost:2888:3888;2181"}
_ZOO3 = {1: "zoo1:2888:3888;2181", 2: "zoo2:2888:3888;2181", 3: "zoo3:2888:3888;2181"}
OFFICIAL = {
    "defaults": _official(_LOCAL),
    "compose_example": _official(_ZOO3, myid="2"),
    "cfg_extra_newlines": _official(_LOCAL, **{"metricsProvider.className": PROMETHEUS,
                                               "metricsProvider.httpPort": "7000"}),
    "empty_my_id": _official(_LOCAL),
    "lenient_values": _official(_LOCAL, **{"initLimit": "0", "autopurge.snapRetainCount": "1",
                                           "autopurge.purgeInterval": "-1"}),
    "form34_client_port": _official({1: "zk1:2888:3888", 2: "zk2:2888:3888"}, clientPort="2182"),
    "observer": _official({**_ZOO3, 3: "zoo3:2888:3888:observer;2181"}, myid="3",
                          peerType="observer"),
    "self_wildcard": _official({**_ZOO3, 1: "0.0.0.0:2888:3888;2181"}),
    "whitelist_and_flags": _official(_LOCAL, **{"tickTime": "500", "standaloneEnabled": "false",
                                                "admin.enableServer": "false",
                                                "4lw.commands.whitelist": "stat,ruok,conf"}),
    "servers_newline_list": _official({i + 1: f"zk-{i}.zk-hs:2888:3888;2181" for i in range(3)},
                                      myid="3"),
    "listen_all_ips_extra": _official(_ZOO3, myid="2", quorumListenOnAllIPs="true"),
    "whitelist_star_purge": _official(_LOCAL, **{"4lw.commands.whitelist": "*",
                                                 "autopurge.purgeInterval": "24",
                                                 "autopurge.snapRetainCount": "10",
                                                 "maxClientCnxns": "0"}),
    "kafka_style_single": _official({1: "zookeeper:2888:3888;2181"}, initLimit="10",
                                    syncLimit="5"),
    "client_addr_in_line": _official({1: "zoo1:2888:3888;0.0.0.0:2181",
                                      2: "zoo2:2888:3888;0.0.0.0:2181"}),
    "form34_three": _official({1: "zoo1:2888:3888", 2: "zoo2:2888:3888", 3: "zoo3:2888:3888"},
                              myid="2"),
}

HOST_IP = "127.0.0.57"


def parse_cfg(text, root):
    """zoo.cfg text -> ({key: value} without server lines, {id: server value})."""
    keys, servers = {}, {}
    for line in text.replace(root, "D").splitlines():
        if not line.strip():
            continue
        k, v = line.split("=", 1)
        if k.startswith("server."):
            servers[int(k[7:])] = v
        else:
            keys[k] = v
    return keys, servers


def canonical(entry):
    """A server entry in one form: role spelled out, a client port without address as 0.0.0.0."""
    m = re.fullmatch(r"(.+?):(\d+):(\d+)(?::(participant|observer))?(?:;(?:(.+):)?(\d+))?", entry)
    host, q, e, role, caddr, cport = m.groups()
    client = f"{caddr or '0.0.0.0'}:{cport}" if cport else ""
    return (host, q, e, role or "participant", client)


def zkinit_files(tmp_path, case, **extra):
    env = dict(HOST_IP=HOST_IP, ZOO_USER="root", ZOO_CONF_DIR=str(tmp_path / "conf"),
               ZOO_DATA_DIR=str(tmp_path / "data"), ZOO_DATA_LOG_DIR=str(tmp_path / "datalog"),
               ZOO_LOG_DIR=str(tmp_path / "logs"), ZOO_TICK_TIME="2000", ZOO_INIT_LIMIT="5",
               ZOO_SYNC_LIMIT="2", ZOO_AUTOPURGE_PURGEINTERVAL="0",
               ZOO_AUTOPURGE_SNAPRETAINCOUNT="3", ZOO_MAX_CLIENT_CNXNS="60")
    env.update(CASES[case])
    env.update(extra)
    r = run(["zookeeper", "--", "/bin/true"], env=base_env(**env))
    assert r.returncode == 0, r.stderr
    keys, servers = parse_cfg((tmp_path / "conf" / "zoo.cfg").read_text(), str(tmp_path))
    dyn = tmp_path / "data" / "zkinit" / "zoo.cfg.dynamic"  # the membership state's directory
    if "dynamicConfigFile" in keys:
        servers = parse_cfg(dyn.read_text(), str(tmp_path))[1]
    myid = (tmp_path / "data" / "myid").read_text().strip()
    return keys, servers, myid, r.stderr


# The official image's static behaviour: the default without a super password, and ZOO_RECONFIG=off
# (with or without one).
STATIC_MODES = {"no-password": {}, "reconfig-off": dict(ZOO_RECONFIG="off", ZOO_SUPER_PASSWORD="pw")}


@pytest.mark.parametrize("mode", sorted(STATIC_MODES))
@pytest.mark.parametrize("case", sorted(CASES))
def test_static_modes_write_the_official_files(tmp_path, case, mode):
    keys, servers, myid, _ = zkinit_files(tmp_path, case, **STATIC_MODES[mode])
    want = OFFICIAL[case]
    assert keys == want["keys"]
    assert {i: canonical(v) for i, v in servers.items()} == \
        {i: canonical(v) for i, v in want["servers"].items()}
    assert myid == want["myid"]


def membership_expected(case, tmp_path):
    """The official files plus the documented differences of membership mode."""
    want = OFFICIAL[case]
    keys = dict(want["keys"])
    keys["reconfigEnabled"] = "true"
    keys["dynamicConfigFile"] = "D/data/zkinit/zoo.cfg.dynamic"
    if "ZOO_STANDALONE_ENABLED" not in CASES[case]:
        keys["standaloneEnabled"] = "false"  # a one-member ensemble must accept joiners
    keys.setdefault("4lw.commands.whitelist", "srvr,ruok")
    myid = int(want["myid"])
    servers = {i: canonical(v) for i, v in want["servers"].items()}
    if "ZOO_SERVERS" not in CASES[case]:  # this server alone, at its address
        servers = {1: (HOST_IP, "2888", "3888", "participant", "0.0.0.0:2181")}
    if case == "self_wildcard":
        keys["quorumListenOnAllIPs"] = "true"
        servers[1] = (HOST_IP,) + servers[1][1:]
    if not servers[myid][4]:  # a 3.4-form self entry gets the client port (clientPort's, or 2181)
        servers[myid] = servers[myid][:4] + (f"0.0.0.0:{keys.get('clientPort', '2181')}",)
    return keys, servers, str(myid)


@pytest.mark.parametrize("case", sorted(CASES))
def test_membership_mode_differs_only_as_documented(tmp_path, case):
    keys, servers, myid, _ = zkinit_files(tmp_path, case, ZOO_SUPER_PASSWORD="pw")
    want_keys, want_servers, want_myid = membership_expected(case, tmp_path)
    assert keys == want_keys
    assert {i: canonical(v) for i, v in servers.items()} == want_servers
    assert myid == want_myid


def test_bitnami_names_give_the_official_equivalents_files(tmp_path):
    official = zkinit_files(tmp_path / "a", "compose_example",
                            ZOO_CLIENT_PORT="2191", ZOO_AUTOPURGE_PURGEINTERVAL="4",
                            ZOO_AUTOPURGE_SNAPRETAINCOUNT="7",
                            ZOO_SERVERS=S3.replace(";2181", ";2191"))
    bitnami = zkinit_files(tmp_path / "b", "compose_example", ZOO_MY_ID=None, ZOO_SERVER_ID="2",
                           ZOO_PORT_NUMBER="2191", ZOO_AUTOPURGE_PURGEINTERVAL=None,
                           ZOO_AUTOPURGE_INTERVAL="4", ZOO_AUTOPURGE_SNAPRETAINCOUNT=None,
                           ZOO_AUTOPURGE_RETAIN_COUNT="7",
                           ZOO_SERVERS="zoo1:2888:3888,zoo2:2888:3888;zoo3:2888:3888")
    assert official[:3] == bitnami[:3]
    extra = zkinit_files(tmp_path / "c", "defaults", ZOO_MAX_CNXNS="9",
                         ZOO_LISTEN_ALLIPS_ENABLED="yes", ZOO_CFG_snapCount="5000",
                         ZOO_CFG_QUORUM__AUTH__ENABLE_SASL="false")
    assert {k: extra[0][k] for k in ("maxCnxns", "quorumListenOnAllIPs", "snapCount",
                                     "quorum.auth.enableSasl")} == \
        {"maxCnxns": "9", "quorumListenOnAllIPs": "true", "snapCount": "5000",
         "quorum.auth.enableSasl": "false"}


def test_values_zookeeper_accepts_warn_and_injection_is_refused(tmp_path):
    *_, err = zkinit_files(tmp_path / "a", "lenient_values")
    assert err.count("level=warn") >= 3 and "ZOO_AUTOPURGE_SNAPRETAINCOUNT" in err
    r = run(["zookeeper", "--", "/bin/true"],
            env=base_env(HOST_IP=HOST_IP, ZOO_USER="root", ZOO_CONF_DIR=str(tmp_path / "b"),
                         ZOO_DATA_DIR=str(tmp_path / "bd"), ZOO_CFG_EXTRA="snapCount=\n1000"))
    assert r.returncode == 64 and "ZOO_CFG_EXTRA" in r.stderr


# ---- live: the cases whose text differs, and the image's command and health check ----------

LIVE_IP = "127.0.0.56"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """Membership mode from a 3.4-form seed list with clientPort in ZOO_CFG_EXTRA (the official
    entrypoint's text for this case made ZooKeeper exit 2 under earlier zkinit), ZooKeeper's own
    zkServer.sh as the command, a 4lw whitelist without srvr/ruok and no AdminServer."""
    n = ZkNode(tmp_path_factory.mktemp("zk-dropin"), 1, LIVE_IP)
    n.start(ZOO_SUPER_PASSWORD="pw", ZOO_SKIP_ACL=None, ZOO_CLIENT_ADDRESS=None,
            ZOO_SERVERS=f"server.1={LIVE_IP}:2888:3888",
            ZOO_CFG_EXTRA=f"clientPort=2182\nclientPortAddress={LIVE_IP}",
            ZOO_4LW_COMMANDS_WHITELIST="conf", SERVER_JVMFLAGS="-Dzkinit.dropin.test=1",
            ZK_HOME="/usr/share/zookeeper")  # the start script, as in the image
    try:
        def session():
            zk = KazooClient(hosts=f"{LIVE_IP}:2182", timeout=2)
            try:
                zk.start(timeout=2)
                return zk.exists("/") is not None
            except Exception:  # pylint: disable=broad-except
                assert n.running(), n.stderr()
                return False
            finally:
                zk.stop()
                zk.close()
        wait_for(session, 60, interval=0.3, what="client session on :2182")
        yield n
    finally:
        n.kill()


def test_live_form34_seed_with_client_port_from_cfg_extra_serves(live):
    assert (open(os.path.join(live.data, "zkinit", "zoo.cfg.dynamic")).read() ==
            f"server.1={LIVE_IP}:2888:3888:participant;{LIVE_IP}:2182\n")


def test_live_default_command_is_zookeepers_start_script(live):
    jvm = None
    for pid in live.proc.descendants():
        try:
            argv = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
        except OSError:
            continue
        if b"org.apache.zookeeper.server.quorum.QuorumPeerMain" in argv:
            jvm = argv
    assert jvm is not None
    assert b"-Dzkinit.dropin.test=1" in jvm  # SERVER_JVMFLAGS reached the JVM
    assert b"-XX:+HeapDumpOnOutOfMemoryError" in jvm  # only zkServer.sh adds it


def test_live_health_falls_back_to_a_client_session_at_the_configured_address(live):
    r = run(["health"], env=base_env(ZOO_CONF_DIR=live.conf))
    assert r.returncode == 0, r.stderr
    assert "via=session" in r.stdout
    other = os.path.join(os.path.dirname(live.conf), "none")
    r = run(["health"], env=base_env(ZOO_CONF_DIR=other, ZOO_CLIENT_ADDRESS="127.0.0.58",
                                     ZKINIT_HEALTH_TIMEOUT="1"))
    assert r.returncode == 1


ENTRYPOINT_SH = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))), "images", "zookeeper", "docker-entrypoint.sh")


def test_image_docker_entrypoint_under_zkinit_runs_its_arguments(tmp_path):
    """The image's ENTRYPOINT (zkinit) with /docker-entrypoint.sh ARGS as COMMAND, as manifests
    written for the official image do: the files are written once, then ARGS run."""
    cfg = tmp_path / "conf" / "zoo.cfg"
    r = run(["zookeeper", "--", ENTRYPOINT_SH, "/bin/cat", str(cfg)],
            env=base_env(HOST_IP=HOST_IP, ZOO_USER="root", ZOO_CONF_DIR=str(tmp_path / "conf"),
                         ZOO_DATA_DIR=str(tmp_path / "data"),
                         ZOO_DATA_LOG_DIR=str(tmp_path / "datalog"),
                         ZOO_LOG_DIR=str(tmp_path / "logs")))
    assert r.returncode == 0, r.stderr
    assert r.stdout == cfg.read_text() and "server.1=localhost:2888:3888;2181\n" in r.stdout
