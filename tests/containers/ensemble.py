"""What a user of the ensemble sees, observed from the host: each server's mode (`srvr` over TCP to
its bridge address), the committed config through kazoo, and a writer that keeps writing through
every change and remembers what was acknowledged."""
import logging
import threading
import time

from kazoo.client import KazooClient
from kazoo.exceptions import KazooException
from kazoo.handlers.threading import KazooTimeoutError

import engine as eng

logging.getLogger("kazoo").setLevel(logging.CRITICAL)


def client(hosts, timeout=30):
    zk = KazooClient(hosts=hosts, timeout=10)
    zk.start(timeout=timeout)
    return zk


def config_of(ip, timeout=15):
    """{id: 'server line'} and version of the config that the server at ip serves, or None."""
    try:
        zk = client("%s:2181" % ip, timeout=timeout)
    except (KazooException, KazooTimeoutError):
        return None
    try:
        zk.sync("/zookeeper/config")
        text = zk.get("/zookeeper/config")[0].decode()
    except KazooException:
        return None
    finally:
        zk.stop()
        zk.close()
    servers, version = {}, None
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key.startswith("server."):
            servers[int(key[7:])] = value
        elif key == "version":
            version = value
    return servers, version


def participants(config):
    return sorted(i for i, v in config[0].items() if ":participant" in v)


def modes(ips):
    return [eng.mode(ip) for ip in ips]


def healthy_ensemble(ips, ids, timeout=120):
    """Waits until every server serves, exactly one leads and all serve one config whose
    participants are `ids`; returns that config."""
    def settled():
        ms = modes(ips)
        if None in ms or ms.count("leader") != 1:
            return None
        configs = [config_of(ip) for ip in ips]
        if None in configs or any(c != configs[0] for c in configs):
            return None
        return configs[0] if participants(configs[0]) == sorted(ids) else None
    return eng.wait_for("servers %s serving one config with participants %s" % (ips, ids),
                        settled, timeout=timeout, interval=1)


class Writer:
    """Creates sequential znodes under /writer from a thread until stopped; `acked` holds the paths
    the ensemble acknowledged. `hosts` is a function (addresses change when containers restart)."""

    def __init__(self, hosts):
        self.hosts = hosts
        self.acked, self.errors = [], 0
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def start(self):
        self.thread.start()
        eng.wait_for("a first acknowledged write", lambda: self.acked, timeout=60)

    def run(self):
        zk = None
        while not self.stopping.is_set():
            try:
                if zk is None:
                    zk = client(self.hosts(), timeout=10)
                    zk.ensure_path("/writer")
                self.acked.append(zk.create("/writer/w-", b"x", sequence=True))
                time.sleep(0.05)
            except Exception:  # noqa: BLE001 - any failure: count it, reconnect, go on
                self.errors += 1
                if zk is not None:
                    try:
                        zk.stop()
                        zk.close()
                    except Exception:  # noqa: BLE001
                        pass
                zk = None
                time.sleep(0.5)
        if zk is not None:
            zk.stop()
            zk.close()

    def stop(self):
        self.stopping.set()
        self.thread.join(timeout=60)

    def lost(self, ip):
        """Acknowledged writes that the server at ip does not have."""
        zk = client("%s:2181" % ip)
        try:
            zk.sync("/writer")
            have = set("/writer/" + c for c in zk.get_children("/writer"))
        finally:
            zk.stop()
            zk.close()
        return [p for p in self.acked if p not in have]
