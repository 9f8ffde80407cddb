"""`zkinit id`: identity order, myid file rules, race-free etcd allocation (v3 and v2) against
Debian's etcd on loopback, failover/deadline, and every bad input of issue #3.

HOST_IP values are fake literals (10.99.x.y, fd00:99::x): strings stored in etcd, never contacted.
"""
import base64
import http.server
import json
import os
import socket
import subprocess
import threading
import time
import urllib.error
import urllib.request

import pytest

from conftest import ZKINIT, base_env
from etcd_support import Etcd, etcd_server, free_port  # noqa: F401  (etcd_server is a fixture)


def zkid(env, data_dir="/nonexistent-zkinit-test", timeout=90, argv_prefix=()):
    """Runs `zkinit id`; returns (exit code, parsed JSON or None, stderr)."""
    r = subprocess.run(list(argv_prefix) + [ZKINIT, "id", "--data-dir", str(data_dir)], env=env,
                       capture_output=True, text=True, timeout=timeout)
    out = json.loads(r.stdout) if r.returncode == 0 else None
    return r.returncode, out, r.stderr


def error_lines(stderr):
    return [line for line in stderr.splitlines() if "level=error" in line]


def one_error(stderr, *needles):
    """Asserts exactly one error line that contains every needle; returns it."""
    errs = error_lines(stderr)
    assert len(errs) == 1, stderr
    for n in needles:
        assert n in errs[0], (n, stderr)
    return errs[0]


def start_many(envs, data_dir="/nonexistent-zkinit-test"):
    return [subprocess.Popen([ZKINIT, "id", "--data-dir", data_dir], env=e, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True) for e in envs]


def finish_many(procs, timeout=120):
    results = []
    for p in procs:
        out, err = p.communicate(timeout=timeout)
        results.append((p.returncode, json.loads(out) if p.returncode == 0 else None, err))
    return results


def etcd_env(etcd, prefix, ip, api="v3", **extra):
    env = dict(ETCD_ENDPOINTS=etcd.url, ETCD_PREFIX=prefix, ETCD_API=api, HOST_IP=ip,
               ETCD_TIMEOUT=60)
    env.update(extra)
    return base_env(**env)


# ------------------------------------------------------------------------------ no etcd

def test_default_and_env_order(tmp_path):
    rc, out, err = zkid(base_env(HOST_IP="10.99.0.1"), tmp_path)
    assert rc == 0, err
    assert out == {"id": 1, "address": "10.99.0.1", "source": "default"}
    rc, out, _ = zkid(base_env(HOST_IP="10.99.0.1", ZOO_MY_ID="4"), tmp_path)
    assert (out["id"], out["source"]) == (4, "ZOO_MY_ID")
    rc, out, _ = zkid(base_env(HOST_IP="10.99.0.1", ZOO_MY_ID="4", MYID="5"), tmp_path)
    assert (out["id"], out["source"]) == (5, "MYID")
    rc, out, _ = zkid(base_env(HOST_IP="fd00:99::1", MYID="255"), tmp_path)
    assert out == {"id": 255, "address": "fd00:99::1", "source": "MYID"}
    assert not os.path.exists(tmp_path / "myid"), "zkinit id must not write the myid file"


def test_address_detected_without_host_ip(tmp_path):
    rc, out, err = zkid(base_env(MYID="2"), tmp_path)
    assert rc == 0, err
    assert out["address"] and out["address"] != ""


def test_myid_file_reused_and_disagreement_refused(tmp_path):
    (tmp_path / "myid").write_text("3\n")
    rc, out, err = zkid(base_env(HOST_IP="10.99.0.1"), tmp_path)
    assert rc == 0, err
    assert (out["id"], out["source"]) == (3, "myid-file")
    rc, out, err = zkid(base_env(HOST_IP="10.99.0.1", MYID="3"), tmp_path)
    assert (rc, out["source"]) == (0, "MYID")
    rc, _, err = zkid(base_env(HOST_IP="10.99.0.1", MYID="4"), tmp_path)
    assert rc == 65
    one_error(err, str(tmp_path / "myid"), "file_id=3", "id=4")
    (tmp_path / "myid").write_text("zero\n")
    rc, _, err = zkid(base_env(HOST_IP="10.99.0.1"), tmp_path)
    assert rc == 65
    one_error(err, "bad myid file", str(tmp_path / "myid"))


@pytest.mark.parametrize("host,want", [("zk-0", 1), ("zookeeper-set-4", 5)])
def test_hostname_ordinal(tmp_path, host, want):
    env = base_env(HOST_IP="10.99.0.1", ZOO_ID_FROM_HOSTNAME="1")
    rc, out, err = zkid(env, tmp_path, argv_prefix=(
        "unshare", "--uts", "sh", "-c", f"hostname {host} && exec \"$0\" \"$@\""))
    assert rc == 0, err
    assert (out["id"], out["source"]) == (want, "hostname")
    # Without ZOO_ID_FROM_HOSTNAME the host name is not used.
    rc, out, err = zkid(base_env(HOST_IP="10.99.0.1"), tmp_path, argv_prefix=(
        "unshare", "--uts", "sh", "-c", f"hostname {host} && exec \"$0\" \"$@\""))
    assert (rc, out["source"]) == (0, "default")


def test_hostname_without_ordinal_refused(tmp_path):
    env = base_env(HOST_IP="10.99.0.1", ZOO_ID_FROM_HOSTNAME="1")
    rc, _, err = zkid(env, tmp_path, argv_prefix=(
        "unshare", "--uts", "sh", "-c", "hostname zookeeper && exec \"$0\" \"$@\""))
    assert rc == 64
    one_error(err, "zookeeper", "ZOO_ID_FROM_HOSTNAME")


@pytest.mark.parametrize("var", ["MYID", "ZOO_MY_ID"])
@pytest.mark.parametrize("value", ["0", "256", "-1", "abc", "1x", "", " ", "12345678901234567890"])
def test_bad_id_values(tmp_path, var, value):
    rc, _, err = zkid(base_env(HOST_IP="10.99.0.1", **{var: value}), tmp_path)
    assert rc == 64
    one_error(err, f"variable={var}")


@pytest.mark.parametrize("var,value", [
    ("HOST_IP", "300.1.1.1"), ("HOST_IP", "zk1"), ("ETCD_ENDPOINTS", "etcd1:2379"),
    ("ETCD_ENDPOINTS", "not a url"), ("ETCD_ENDPOINTS", "ftp://127.0.0.1:2379"),
    ("ETCDCTL_ENDPOINTS", "127.0.0.1:2379"), ("ZOO_ID_FROM_HOSTNAME", "maybe"),
])
def test_bad_environment(tmp_path, var, value):
    rc, _, err = zkid(base_env(**{"HOST_IP": "10.99.0.1", var: value}), tmp_path)
    assert rc == 64
    one_error(err, var)


@pytest.mark.parametrize("var,value", [
    ("ETCD_PREFIX", "zookeeper"), ("ETCD_PREFIX", "/a b"), ("ETCD_API", "v4"),
    ("ETCD_TIMEOUT", "0"), ("ETCD_TIMEOUT", "soon"),
])
def test_bad_etcd_settings(tmp_path, var, value):
    env = base_env(HOST_IP="10.99.0.1", ETCD_ENDPOINTS="http://127.0.0.1:9", **{var: value})
    rc, _, err = zkid(env, tmp_path)
    assert rc == 64
    one_error(err, f"variable={var}")


# ------------------------------------------------------------------------------ etcd unreachable

def test_unreachable_etcd_exits_69_naming_endpoints(tmp_path):
    eps = f"http://127.0.0.1:{free_port()},http://127.0.0.1:{free_port()}"
    t0 = time.monotonic()
    rc, _, err = zkid(base_env(HOST_IP="10.99.0.1", ETCD_ENDPOINTS=eps, ETCD_TIMEOUT="1.5"),
                      tmp_path, timeout=60)
    elapsed = time.monotonic() - t0
    assert rc == 69, err
    line = one_error(err, "etcd unreachable", eps)
    assert "ETCD_ENDPOINTS" in line
    assert elapsed < 30, "hang guard: the deadline must end the attempt"


def test_explicit_id_does_not_need_etcd(tmp_path):
    env = base_env(HOST_IP="10.99.0.1", MYID="2", ETCD_ENDPOINTS=f"http://127.0.0.1:{free_port()}")
    rc, out, err = zkid(env, tmp_path)
    assert (rc, out["source"]) == (0, "MYID"), err


class _Garbage(http.server.BaseHTTPRequestHandler):
    def _answer(self):
        if self.path.startswith("/v2/"):
            body, ctype, code = b"404 page not found\n", "text/plain", 404
        else:
            body, ctype, code = (b"<html><head><title>Welcome to nginx!</title></head></html>",
                                 "text/html", 200)
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = _answer

    def log_message(self, *a):
        pass


@pytest.fixture(scope="module")
def garbage_server():
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Garbage)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


@pytest.mark.parametrize("api,needle", [("auto", "<html>"), ("v3", "<html>"),
                                        ("v2", "--enable-v2")])
def test_garbage_answer_is_a_clear_error(tmp_path, garbage_server, api, needle):
    env = base_env(HOST_IP="10.99.0.1", ETCD_ENDPOINTS=garbage_server, ETCD_API=api,
                   ETCD_TIMEOUT="20")
    t0 = time.monotonic()
    rc, _, err = zkid(env, tmp_path)
    assert rc == 64, err
    one_error(err, "not etcd", garbage_server, needle)
    assert time.monotonic() - t0 < 15, "a wrong URL must not wait for the whole deadline"


def test_failover_past_garbage_and_dead_endpoints(tmp_path, etcd_server, garbage_server):
    eps = f"http://127.0.0.1:{free_port()},{garbage_server},{etcd_server.url}"
    for _ in range(3):  # the first endpoint tried is random
        rc, out, err = zkid(etcd_env(etcd_server, "/failover", "10.99.9.1", "v3",
                                     ETCD_ENDPOINTS=eps), tmp_path)
        assert rc == 0, err
        assert out == {"id": 1, "address": "10.99.9.1", "source": "etcd"}


# ------------------------------------------------------------------------------ etcd allocation

@pytest.mark.parametrize("api", ["v3", "v2"])
def test_20_concurrent_starts_get_distinct_ids_and_keep_them(etcd_server, api):
    prefix = f"/conc-{api}"
    ips = [f"10.99.{1 if api == 'v3' else 2}.{i}" for i in range(1, 21)]
    results = finish_many(start_many([etcd_env(etcd_server, prefix, ip, api) for ip in ips]))
    for rc, _, err in results:
        assert rc == 0, err
    ids = {out["address"]: out["id"] for _, out, _ in results}
    assert all(out["source"] == "etcd" for _, out, _ in results)
    assert sorted(ids.values()) == list(range(1, 21)), ids
    assert etcd_server.nodes(prefix, api) == ids
    assert etcd_server.claims(prefix, api) == {i: ip for ip, i in ids.items()}
    # Restart of every node (concurrently again): the same ids.
    again = finish_many(start_many([etcd_env(etcd_server, prefix, ip, api) for ip in ips]))
    assert {out["address"]: out["id"] for _, out, _ in again} == ids
    # And a new node gets the next id.
    rc, out, err = zkid(etcd_env(etcd_server, prefix, "fd00:99::21", api))
    assert (rc, out["id"]) == (0, 21), err


def test_auto_picks_v3_and_the_same_address_keeps_its_id(etcd_server):
    env = etcd_env(etcd_server, "/auto", "10.99.3.1", "auto")
    rc, out, err = zkid(env)
    assert rc == 0, err
    assert etcd_server.nodes("/auto", "v3") == {"10.99.3.1": out["id"]}
    assert etcd_server.nodes("/auto", "v2") == {}
    rc, again, err = zkid(env)
    assert again == out


def test_same_address_started_twice_at_once_shares_one_id(etcd_server):
    envs = [etcd_env(etcd_server, "/same", "10.99.4.1")] * 6 + \
           [etcd_env(etcd_server, "/same", f"10.99.4.{i}") for i in range(2, 6)]
    results = finish_many(start_many(envs))
    for rc, _, err in results:
        assert rc == 0, err
    first = {out["id"] for _, out, _ in results if out["address"] == "10.99.4.1"}
    assert len(first) == 1
    nodes = etcd_server.nodes("/same")
    assert sorted(nodes.values()) == list(range(1, 6))
    # No claim leaked: every claim is the registered id of its address.
    assert etcd_server.claims("/same") == {i: ip for ip, i in nodes.items()}


@pytest.mark.parametrize("api", ["v3", "v2"])
def test_crash_between_claim_and_registration_is_recovered(etcd_server, api):
    p = f"/crash-{api}"
    etcd_server.register_node("10.99.5.1", 1, p, api)
    etcd_server.put(f"{p}/ids/2", "10.99.5.2", api)  # claimed, never registered
    rc, out, err = zkid(etcd_env(etcd_server, p, "10.99.5.3", api))
    assert (rc, out["id"]) == (0, 3), err
    rc, out, err = zkid(etcd_env(etcd_server, p, "10.99.5.2", api))
    assert (rc, out["id"]) == (0, 2), err
    assert etcd_server.nodes(p, api) == {"10.99.5.1": 1, "10.99.5.2": 2, "10.99.5.3": 3}


def test_seed_layout_without_claims_is_adopted(etcd_server):
    # coreos-mesos-zookeeper kept only /zookeeper/nodes/<ip>/id.
    etcd_server.put("/seed/nodes/10.99.6.1/id", "2")
    rc, out, err = zkid(etcd_env(etcd_server, "/seed", "10.99.6.1"))
    assert (rc, out["id"]) == (0, 2), err
    assert etcd_server.claims("/seed") == {2: "10.99.6.1"}
    rc, out, err = zkid(etcd_env(etcd_server, "/seed", "10.99.6.2"))
    assert (rc, out["id"]) == (0, 1), err


def test_conflicting_or_bad_keys_are_refused(etcd_server):
    etcd_server.put("/conflict/nodes/10.99.7.1/id", "3")
    etcd_server.put("/conflict/ids/3", "10.99.7.9")
    rc, _, err = zkid(etcd_env(etcd_server, "/conflict", "10.99.7.1"))
    assert rc == 65
    one_error(err, "/conflict/ids/3", "10.99.7.9")
    etcd_server.put("/badval/nodes/10.99.7.2/id", "three")
    rc, _, err = zkid(etcd_env(etcd_server, "/badval", "10.99.7.2"))
    assert rc == 65
    one_error(err, "/badval/nodes/10.99.7.2/id", "three")


def test_myid_file_with_etcd(etcd_server, tmp_path):
    (tmp_path / "myid").write_text("7\n")
    # A fresh registration keeps the id the data already has.
    rc, out, err = zkid(etcd_env(etcd_server, "/withfile", "10.99.8.1"), tmp_path)
    assert (rc, out["id"], out["source"]) == (0, 7, "etcd"), err
    # etcd says 7 for this address, the file says 6: refused, naming both and the file.
    (tmp_path / "myid").write_text("6\n")
    rc, _, err = zkid(etcd_env(etcd_server, "/withfile", "10.99.8.1"), tmp_path)
    assert rc == 65
    one_error(err, str(tmp_path / "myid"), "file_id=6", "id=7")
    # The file's id belongs to another address in etcd: the data proves ownership (the node
    # moved), so the registration moves to the new address (issue 14).
    (tmp_path / "myid").write_text("7\n")
    rc, out, err = zkid(etcd_env(etcd_server, "/withfile", "10.99.8.3"), tmp_path)
    assert (rc, out["id"]) == (0, 7), err
    assert etcd_server.nodes("/withfile") == {"10.99.8.3": 7}
    assert etcd_server.claims("/withfile") == {7: "10.99.8.3"}
    # ... but a named node's id is never taken over by an address.
    etcd_server.register_node("zk-named", 9, "/withfile")
    (tmp_path / "myid").write_text("9\n")
    rc, _, err = zkid(etcd_env(etcd_server, "/withfile", "10.99.8.4"), tmp_path)
    assert rc == 65
    one_error(err, "/withfile/ids/9", "zk-named", "ZOO_NODE_NAME")


@pytest.mark.parametrize("api", ["v3", "v2"])
def test_etcd_killed_and_restarted_during_allocations(tmp_path, api):
    e = Etcd(tmp_path / "etcd")
    e.start()
    try:
        ips = [f"10.99.1{0 if api == 'v3' else 1}.{i}" for i in range(1, 21)]
        envs = [etcd_env(e, "/chaos", ip, api, ZKINIT_LOG_LEVEL="debug") for ip in ips]
        # Wave 1: killed as soon as the first node is registered (others are mid-way).
        procs = start_many(envs[:10])
        deadline = time.monotonic() + 30
        while not e.nodes("/chaos", api) and time.monotonic() < deadline:
            time.sleep(0.002)
        e.kill()
        unfinished = sum(p.poll() is None for p in procs)
        # Wave 2 starts while etcd is down and retries until it is back.
        procs += start_many(envs[10:])
        time.sleep(1.0)
        e.start()
        results = finish_many(procs)
        for rc, _, err in results:
            assert rc == 0, err
        retried = sum("etcd request failed" in err for _, _, err in results)
        assert retried >= 10, "wave 2 must have met the stopped etcd"
        print(f"wave 1 unfinished at the kill: {unfinished}/10; processes that retried: {retried}")
        ids = {out["address"]: out["id"] for _, out, _ in results}
        assert len(set(ids.values())) == 20, ids
        assert e.nodes("/chaos", api) == ids
        claims = e.claims("/chaos", api)
        assert all(claims[i] == ip for ip, i in ids.items())
    finally:
        e.stop()


@pytest.mark.parametrize("api", ["v3", "v2"])
def test_nodes_listing(etcd_server, api):
    p = f"/list-{api}"
    etcd_server.register_node("10.99.12.2", 2, p, api)
    etcd_server.register_node("fd00:99::5", 1, p, api)
    etcd_server.register_node("10.99.12.9", 3, p, api)
    etcd_server.put(f"{p}/nodes/10.99.12.7/id", "junk", api)  # skipped with a warning
    r = subprocess.run([ZKINIT, "id", "--nodes"], env=etcd_env(etcd_server, p, "10.99.12.2", api),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert [json.loads(x) for x in r.stdout.splitlines()] == [
        {"id": 1, "address": "fd00:99::5", "node": "fd00:99::5"},
        {"id": 2, "address": "10.99.12.2", "node": "10.99.12.2"},
        {"id": 3, "address": "10.99.12.9", "node": "10.99.12.9"}]
    assert "10.99.12.7" in r.stderr and "level=warn" in r.stderr
    r = subprocess.run([ZKINIT, "id", "--nodes"], env=base_env(), capture_output=True, text=True,
                       timeout=60)
    assert (r.returncode, r.stdout) == (0, "")


def forward(handler, url, body):
    """Sends HANDLER's request (method, body, Content-Type) to URL; returns (status, body)."""
    req = urllib.request.Request(url, data=body, method=handler.command)
    if handler.headers.get("Content-Type"):
        req.add_header("Content-Type", handler.headers["Content-Type"])
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()


def reply(handler, code, data):
    handler.send_response(code)
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def _version_proxy(etcd, cluster_version, routes, fail_first=0):
    """An HTTP server that claims CLUSTER_VERSION on /version and forwards the paths mapped in
    ROUTES (our prefix -> the real etcd's prefix) to ETCD; anything else answers 404. The first
    FAIL_FIRST forwarded requests answer 503 with an HTML page instead."""
    failures = [fail_first]

    class Proxy(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else None
            if self.path == "/version":
                code, data = 200, json.dumps({"etcdserver": cluster_version,
                                              "etcdcluster": cluster_version}).encode()
            else:
                target = next((real + self.path[len(ours):] for ours, real in routes.items()
                               if self.path.startswith(ours + "/")), None)
                if target is None:
                    code, data = 404, b"404 page not found\n"
                elif failures[0] > 0:
                    failures[0] -= 1
                    code, data = 503, b"<html><body>503 Service Unavailable</body></html>"
                else:
                    code, data = forward(self, etcd.url + target, body)
            reply(self, code, data)

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv, f"http://127.0.0.1:{srv.server_address[1]}"


@pytest.mark.parametrize("version,routes,api,space", [
    ("3.3.0", {"/v3beta": "/v3"}, "auto", "v3"),   # etcd 3.3: only /v3beta
    ("3.3.0", {"/v3beta": "/v3"}, "v3", "v3"),
    ("2.3.7", {"/v2": "/v2"}, "auto", "v2"),       # etcd 2: only v2
])
def test_older_etcd_apis(etcd_server, version, routes, api, space):
    srv, url = _version_proxy(etcd_server, version, routes)
    try:
        p = f"/old-{version}-{api}"
        env = etcd_env(etcd_server, p, "10.99.13.1", api, ETCD_ENDPOINTS=url)
        rc, out, err = zkid(env)
        assert rc == 0, err
        assert etcd_server.nodes(p, space) == {"10.99.13.1": out["id"]}
        rc, again, err = zkid(env)
        assert again == out, err
    finally:
        srv.shutdown()
        srv.server_close()


def test_v3_requested_from_etcd2_is_refused(etcd_server):
    srv, url = _version_proxy(etcd_server, "2.3.7", {"/v2": "/v2"})
    try:
        rc, _, err = zkid(etcd_env(etcd_server, "/old-refused", "10.99.13.2", "v3",
                                   ETCD_ENDPOINTS=url))
        assert rc == 64
        one_error(err, "ETCD_API")
    finally:
        srv.shutdown()
        srv.server_close()


def test_failover_past_an_endpoint_that_never_answers(tmp_path, etcd_server):
    hung = socket.socket()
    hung.bind(("127.0.0.1", 0))
    hung.listen(16)  # accepts connections (kernel backlog), never answers
    try:
        eps = f"http://127.0.0.1:{hung.getsockname()[1]},{etcd_server.url}"
        rc, out, err = zkid(etcd_env(etcd_server, "/hung", "10.99.14.1", "v3",
                                     ETCD_ENDPOINTS=eps, ETCD_TIMEOUT="60"), tmp_path)
        assert rc == 0, err
        assert out["id"] == 1
    finally:
        hung.close()


def test_server_errors_are_retried(etcd_server):
    srv, url = _version_proxy(etcd_server, "3.4.0", {"/v3": "/v3"}, fail_first=3)
    try:
        rc, out, err = zkid(etcd_env(etcd_server, "/flaky", "10.99.15.1", "v3",
                                     ETCD_ENDPOINTS=url, ZKINIT_LOG_LEVEL="debug"))
        assert rc == 0, err
        assert out["id"] == 1
        assert err.count("HTTP 503") == 3, err
    finally:
        srv.shutdown()
        srv.server_close()


@pytest.mark.parametrize("api", ["v3", "v2"])
def test_lost_registration_race_releases_the_claim(etcd_server, api):
    """Another start registers this address between our claim and our registration: we must use
    its id and delete our own claim (only while it still holds our address)."""
    p, ip = f"/race-{api}", "10.99.16.1"
    node_key = f"{p}/nodes/{ip}/id"
    fired = []

    class Injector(http.server.BaseHTTPRequestHandler):
        def _answer(self):
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(n) if n else None
            is_register = (
                (api == "v3" and self.path.endswith("/kv/txn") and body is not None
                 and base64.b64encode(node_key.encode()) in body and b"request_put" in body)
                or (api == "v2" and self.command == "PUT" and node_key in self.path))
            if is_register and not fired:
                fired.append(1)
                etcd_server.register_node(ip, 7, p, api)  # the other start wins
            reply(self, *forward(self, etcd_server.url + self.path, body))

        do_GET = do_POST = do_PUT = do_DELETE = _answer

        def log_message(self, *a):
            pass

    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Injector)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{srv.server_address[1]}"
        rc, out, err = zkid(etcd_env(etcd_server, p, ip, api, ETCD_ENDPOINTS=url))
        assert rc == 0, err
        assert fired, "the race was not injected"
        assert out["id"] == 7
        assert etcd_server.nodes(p, api) == {ip: 7}
        assert etcd_server.claims(p, api) == {7: ip}, "our claim of id 1 must be released"
    finally:
        srv.shutdown()
        srv.server_close()


# ------------------------------------------------------------------------------ issue 14

def nodes_listing(env):
    r = subprocess.run([ZKINIT, "id", "--nodes"], env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 0, r.stderr
    return [json.loads(x) for x in r.stdout.splitlines()]


@pytest.mark.parametrize("api", ["v3", "v2"])
def test_legacy_only_registration_is_never_reused(etcd_server, api):
    """A CoreOS-era node (nodes/<ip>/id only, no claim) keeps its id: newcomers, one by one and
    all at once, never get it."""
    p = f"/legacy-{api}"
    etcd_server.put(f"{p}/nodes/10.99.20.1/id", "1", api)
    etcd_server.put(f"{p}/nodes/10.99.20.2/id", "3", api)
    rc, out, err = zkid(etcd_env(etcd_server, p, "10.99.20.10", api))
    assert (rc, out["id"]) == (0, 2), err
    results = finish_many(start_many([etcd_env(etcd_server, p, f"10.99.20.{i}", api)
                                      for i in range(11, 19)]))
    ids = sorted(out["id"] for rc, out, err in results if rc == 0)
    assert len(ids) == 8, results
    assert ids == list(range(4, 12)), ids
    # The legacy node itself restarts with its id (and gets a claim now).
    rc, out, err = zkid(etcd_env(etcd_server, p, "10.99.20.2", api))
    assert (rc, out["id"]) == (0, 3), err
    assert etcd_server.claims(p, api)[3] == "10.99.20.2"


@pytest.mark.parametrize("api", ["v3", "v2"])
def test_two_spellings_of_one_ipv6_address_get_one_id(etcd_server, api):
    p = f"/spell-{api}"
    rc, first, err = zkid(etcd_env(etcd_server, p, "FD00:99::1", api))
    assert rc == 0, err
    assert first["address"] == "fd00:99::1"
    rc, again, err = zkid(etcd_env(etcd_server, p, "fd00:99:0:0:0:0:0:1", api))
    assert (rc, again) == (0, first), err
    assert etcd_server.nodes(p, api) == {"fd00:99::1": first["id"]}
    # A registration written by an older zkinit in upper case is the same node.
    etcd_server.register_node("FD00:99::2", 5, p, api)
    rc, out, err = zkid(etcd_env(etcd_server, p, "fd00:99::2", api))
    assert (rc, out["id"]) == (0, 5), err


@pytest.mark.parametrize("api", ["v3", "v2"])
def test_one_address_two_client_ports_get_two_ids(etcd_server, api):
    """Host networking: two servers behind one HOST_IP with distinct client ports."""
    p = f"/ports-{api}"
    rc, a, err = zkid(etcd_env(etcd_server, p, "10.99.21.1", api))
    assert rc == 0, err
    rc, b, err = zkid(etcd_env(etcd_server, p, "10.99.21.1", api, ZOO_CLIENT_PORT=2182))
    assert rc == 0, err
    assert a["id"] != b["id"]
    assert etcd_server.nodes(p, api) == {"10.99.21.1": a["id"], "10.99.21.1:2182": b["id"]}
    rc, again, err = zkid(etcd_env(etcd_server, p, "10.99.21.1", api, ZOO_CLIENT_PORT=2182))
    assert (rc, again["id"]) == (0, b["id"]), err


@pytest.mark.parametrize("api", ["v3", "v2"])
def test_address_change_with_kept_myid_keeps_the_id(etcd_server, tmp_path, api):
    p = f"/moved-{api}"
    etcd_server.register_node("10.99.22.1", 1, p, api)
    rc, out, err = zkid(etcd_env(etcd_server, p, "10.99.22.2", api))
    assert (rc, out["id"]) == (0, 2), err
    (tmp_path / "myid").write_text("2\n")  # the data directory survives, the address changes
    rc, out, err = zkid(etcd_env(etcd_server, p, "10.99.22.9", api), tmp_path)
    assert (rc, out["id"], out["address"]) == (0, 2, "10.99.22.9"), err
    assert "moving a registration" in err
    assert etcd_server.nodes(p, api) == {"10.99.22.1": 1, "10.99.22.9": 2}
    assert etcd_server.claims(p, api) == {1: "10.99.22.1", 2: "10.99.22.9"}
    # A newcomer does not get the moved node's old id back.
    rc, out, err = zkid(etcd_env(etcd_server, p, "10.99.22.2", api))
    assert (rc, out["id"]) == (0, 3), err


@pytest.mark.parametrize("api", ["v3", "v2"])
def test_named_node_keeps_its_id_at_a_new_address(etcd_server, api):
    p = f"/named-{api}"
    rc, out, err = zkid(etcd_env(etcd_server, p, "10.99.23.1", api, ZOO_NODE_NAME="zk-a"))
    assert (rc, out["id"]) == (0, 1), err
    rc, out, err = zkid(etcd_env(etcd_server, p, "10.99.23.2", api, ZOO_NODE_NAME="zk-b"))
    assert (rc, out["id"]) == (0, 2), err
    # zk-a re-created elsewhere, without its data: the name keeps the id, the address follows.
    rc, out, err = zkid(etcd_env(etcd_server, p, "10.99.23.7", api, ZOO_NODE_NAME="zk-a"))
    assert (rc, out["id"], out["address"]) == (0, 1, "10.99.23.7"), err
    items = etcd_server.items(f"{p}/nodes/", api)
    assert items[f"{p}/nodes/zk-a/address"] == "10.99.23.7"
    assert items[f"{p}/nodes/zk-a/id"] == "1"
    assert etcd_server.claims(p, api) == {1: "zk-a", 2: "zk-b"}
    assert nodes_listing(etcd_env(etcd_server, p, "10.99.23.7", api)) == [
        {"id": 1, "address": "10.99.23.7", "node": "zk-a"},
        {"id": 2, "address": "10.99.23.2", "node": "zk-b"}]
    # A node that was registered by its address before it had a name is adopted.
    etcd_server.register_node("10.99.23.3", 3, p, api)
    rc, out, err = zkid(etcd_env(etcd_server, p, "10.99.23.3", api, ZOO_NODE_NAME="zk-c"))
    assert (rc, out["id"]) == (0, 3), err
    assert etcd_server.claims(p, api)[3] == "zk-c"


@pytest.mark.parametrize("value", ["10.0.0.1", "-zk", "zk/a", "a" * 64])
def test_bad_node_name(etcd_server, value):
    rc, _, err = zkid(etcd_env(etcd_server, "/badname", "10.99.24.1", ZOO_NODE_NAME=value))
    assert rc == 64
    one_error(err, "variable=ZOO_NODE_NAME")


def test_bad_allocation_mode(etcd_server):
    rc, _, err = zkid(etcd_env(etcd_server, "/badalloc", "10.99.24.1", ZKINIT_ETCD_ALLOC="fast"))
    assert rc == 64
    one_error(err, "variable=ZKINIT_ETCD_ALLOC")


@pytest.mark.parametrize("api", ["v3", "v2"])
def test_70_registrations_are_all_read(etcd_server, api):
    p = f"/seventy-{api}"
    for i in range(1, 71):  # written in an order whose key order is not the id order
        etcd_server.register_node(f"10.99.25.{71 - i}", i, p, api)
    listing = nodes_listing(etcd_env(etcd_server, p, "10.99.25.200", api))
    assert [n["id"] for n in listing] == list(range(1, 71))
    assert all("mark" not in n for n in listing)
    rc, out, err = zkid(etcd_env(etcd_server, p, "10.99.25.200", api))
    assert (rc, out["id"]) == (0, 71), err


@pytest.mark.parametrize("api", ["v3", "v2"])
def test_nodes_marks_claims_and_registrations_without_each_other(etcd_server, api):
    p = f"/marks-{api}"
    etcd_server.register_node("10.99.26.1", 1, p, api)
    etcd_server.put(f"{p}/ids/2", "10.99.26.2", api)           # claim, no registration
    etcd_server.put(f"{p}/nodes/10.99.26.3/id", "3", api)      # registration, no claim
    etcd_server.put(f"{p}/ids/4", "zk-x", api)                 # a named claim
    etcd_server.put(f"{p}/nodes/10.99.26.5/id", "4", api)      # a registration it contradicts
    assert nodes_listing(etcd_env(etcd_server, p, "10.99.26.1", api)) == [
        {"id": 1, "address": "10.99.26.1", "node": "10.99.26.1"},
        {"id": 2, "address": "10.99.26.2", "node": "10.99.26.2", "mark": "claimed-unregistered"},
        {"id": 3, "address": "10.99.26.3", "node": "10.99.26.3", "mark": "registered-unclaimed"},
        {"id": 4, "address": "10.99.26.5", "node": "10.99.26.5", "mark": "conflict",
         "claimed_by": "zk-x"}]


def release(etcd, prefix, node_id, *args, api="v3"):
    r = subprocess.run([ZKINIT, "id", "--release", str(node_id)] + list(args),
                       env=etcd_env(etcd, prefix, "10.99.27.100", api), capture_output=True,
                       text=True, timeout=90)
    return r.returncode, r.stdout, r.stderr


@pytest.mark.parametrize("api", ["v3", "v2"])
def test_release_a_stale_claim(etcd_server, api):
    p = f"/release-{api}"
    etcd_server.register_node("10.99.27.1", 1, p, api)
    etcd_server.register_node("10.99.27.2", 2, p, api)  # its node is gone for good
    dead = f"127.0.0.62:{free_port()}"  # no ZooKeeper answers here
    rc, _, err = release(etcd_server, p, 2, "--zk", dead, api=api)
    assert rc == 69, err
    one_error(err, "live ZooKeeper config", "--force")
    assert etcd_server.claims(p, api) == {1: "10.99.27.1", 2: "10.99.27.2"}
    rc, out, err = release(etcd_server, p, 2, "--zk", dead, "--force", api=api)
    assert rc == 0, err
    assert json.loads(out) == {"id": 2, "released": True}
    assert etcd_server.claims(p, api) == {1: "10.99.27.1"}
    assert etcd_server.nodes(p, api) == {"10.99.27.1": 1}
    rc, out, err = zkid(etcd_env(etcd_server, p, "10.99.27.3", api))
    assert (rc, out["id"]) == (0, 2), err
    rc, _, err = release(etcd_server, p, 0, api=api)
    assert rc == 64
    r = subprocess.run([ZKINIT, "id", "--release", "2", "--force"], env=base_env(),
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 64
    one_error(r.stderr, "variable=ETCD_ENDPOINTS")


def test_release_is_refused_while_the_id_is_live(etcd_server, tmp_path):
    from zk_support import ZkNode  # a real ZooKeeper on this area's address
    node = ZkNode(tmp_path, 1, "127.0.0.61")
    node.start()
    try:
        node.wait_serving(timeout=90)
        p = "/release-live"
        etcd_server.register_node("127.0.0.61", 1, p)
        etcd_server.put(f"{p}/ids/2", "10.99.28.2")
        rc, _, err = release(etcd_server, p, 1, "--zk", node.hostport)
        assert rc == 65, err
        one_error(err, "live ZooKeeper config", "id=1")
        assert etcd_server.claims(p) == {1: "127.0.0.61", 2: "10.99.28.2"}
        rc, out, err = release(etcd_server, p, 2, "--zk", node.hostport)  # not in the config
        assert (rc, json.loads(out)) == (0, {"id": 2, "released": True}), err
        rc, out, err = release(etcd_server, p, 1, "--zk", node.hostport, "--force")
        assert rc == 0, err
        assert etcd_server.claims(p) == {}
    finally:
        node.stop()
        node.kill()


def test_etcd_down_with_a_myid_file_resolves_from_it(tmp_path):
    (tmp_path / "myid").write_text("4\n")
    env = base_env(HOST_IP="10.99.29.1", ETCD_ENDPOINTS=f"http://127.0.0.1:{free_port()}",
                   ETCD_TIMEOUT="1")
    rc, out, err = zkid(env, tmp_path)
    assert rc == 0, err
    assert out == {"id": 4, "address": "10.99.29.1", "source": "myid-file:etcd-unreachable"}
    assert error_lines(err) == [], err
    warns = [line for line in err.splitlines() if "level=warn" in line]
    assert len(warns) == 1 and "etcd unreachable" in warns[0], err
    # Without local state it still fails (exit 69).
    rc, _, err = zkid(env, tmp_path / "empty")
    assert rc == 69
    one_error(err, "etcd unreachable")


def test_bench_prints_both_algorithms():
    bench = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "etcd_alloc.py")
    r = subprocess.run(["/usr/bin/python3", bench], env=base_env(ZKINIT_BIN=ZKINIT,
                                                                   ETCD_BENCH_N="3"),
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    rows = [line.split("|")[1:4] for line in r.stdout.splitlines() if line.startswith("| v")]
    got = {(a.strip(), m.strip(), g.strip()) for a, m, g in rows}
    assert got == {(a, m, g) for a in ("v3", "v2") for m in ("sequential", "concurrent", "restart")
                   for g in ("linear", "ranked")}, r.stdout


def test_sigterm_ends_the_wait_for_an_unreachable_etcd(tmp_path, procs):
    """The zookeeper role resolving its id waits for etcd with backoff; a SIGTERM to PID 1 during
    that wait ends it at once (exit 143) instead of after ETCD_TIMEOUT."""
    from conftest import pid1_argv
    from zk_support import ZkNode
    node = ZkNode(tmp_path, 1, "127.0.0.63")
    env = node.env(MYID=None, ETCD_ENDPOINTS=f"http://127.0.0.1:{free_port()}",
                   ETCD_TIMEOUT="120", ZKINIT_LOG_LEVEL="debug")
    p = procs.start(pid1_argv(["zookeeper"]), env=env, name="sigterm")
    pid1 = p.pid1()
    deadline = time.monotonic() + 30
    while "etcd request failed" not in p.stderr() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "etcd request failed" in p.stderr(), p.stderr()
    t0 = time.monotonic()
    os.kill(pid1, 15)
    rc = p.wait(timeout=60)
    assert rc == 143, p.stderr()
    assert time.monotonic() - t0 < 30, "hang guard: the stop must not wait for ETCD_TIMEOUT"
    assert "stop signal while waiting for etcd" in p.stderr()


def test_the_host_name_is_the_default_node_name(etcd_server, tmp_path):
    """Without HOST_IP the host name keys the registration, unless it is a container id. The
    name resolves through a private /etc/hosts (no DNS query leaves the machine)."""
    hosts = tmp_path / "hosts"
    hosts.write_text("127.0.0.1 localhost\n10.99.30.1 zk-host-a\n10.99.30.2 0123456789ab\n")

    def start(host):
        script = (f"mount --bind {hosts} /etc/hosts && hostname {host} && "
                  f"exec \"$0\" id --data-dir /nonexistent-zkinit-test")
        env = etcd_env(etcd_server, "/hostname", "unused")
        del env["HOST_IP"]
        r = subprocess.run(["unshare", "--uts", "--mount", "sh", "-c", script, ZKINIT], env=env,
                           capture_output=True, text=True, timeout=90)
        assert r.returncode == 0, r.stderr
        return json.loads(r.stdout)

    a = start("zk-host-a")
    assert a["address"] == "10.99.30.1"
    b = start("0123456789ab")
    assert b["address"] == "10.99.30.2"
    assert etcd_server.claims("/hostname") == {a["id"]: "zk-host-a", b["id"]: "10.99.30.2"}
