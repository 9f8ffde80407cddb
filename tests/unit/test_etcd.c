/* test_etcd.c - etcd configuration and the pure response parsers (bodies as etcd 3.4 sends). */
#include "unit.h"

#include "etcd/etcd.h"
#include "util/exitcodes.h"

#include <stdlib.h>

#define LEN(s) (s), strlen(s)

TEST(etcd_endpoints)
{
    struct etcd_config cfg;
    char err[256];
    CHECK_INT(etcd_parse_endpoints("http://10.0.0.1:2379, https://e2:2379/,http://[::1]:2379", &cfg,
                                   err, sizeof err),
              0);
    CHECK_INT(cfg.nendpoints, 3);
    CHECK(strcmp(cfg.endpoints[1], "https://e2:2379") == 0);
    CHECK(strcmp(cfg.endpoints_shown, "http://10.0.0.1:2379,https://e2:2379,http://[::1]:2379") ==
          0);
    CHECK_INT(etcd_parse_endpoints("http://u:pw@e1:2379", &cfg, err, sizeof err), 0);
    CHECK(strcmp(cfg.endpoints[0], "http://u:pw@e1:2379") == 0);
    CHECK(strcmp(cfg.endpoints_shown, "http://***@e1:2379") == 0);
    const char *bad[] = {"e1:2379",      "ftp://e1",   "http://",
                         "http:///x",    "http://e1,", "http://e1,,http://e2",
                         "http://e1/v3", "http://e 1", "http://e1?x=1",
                         "not a url"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (etcd_parse_endpoints(bad[i], &cfg, err, sizeof err) != -1)
            unit_fail(__FILE__, __LINE__, bad[i]);
    }
}

TEST(etcd_config_env)
{
    struct etcd_config cfg;
    int on = -1;
    unsetenv("ETCD_ENDPOINTS");
    unsetenv("ETCDCTL_ENDPOINTS");
    unsetenv("ETCD_PREFIX");
    unsetenv("ETCD_API");
    unsetenv("ETCD_TIMEOUT");
    CHECK_INT(etcd_config_from_env(&cfg, &on), 0);
    CHECK_INT(on, 0);
    setenv("ETCDCTL_ENDPOINTS", "http://127.0.0.1:2379", 1);
    CHECK_INT(etcd_config_from_env(&cfg, &on), 0);
    CHECK_INT(on, 1);
    CHECK_STR(cfg.endpoints_var, "ETCDCTL_ENDPOINTS");
    CHECK(strcmp(cfg.prefix, "/zookeeper") == 0);
    CHECK_INT(cfg.api, ETCD_API_AUTO);
    CHECK_INT(cfg.timeout_ms, 30000);
    setenv("ETCD_PREFIX", "/zk/prod/", 1);
    setenv("ETCD_API", "v2", 1);
    setenv("ETCD_TIMEOUT", "2.5", 1);
    CHECK_INT(etcd_config_from_env(&cfg, &on), 0);
    CHECK(strcmp(cfg.prefix, "/zk/prod") == 0);
    CHECK_INT(cfg.api, ETCD_API_V2);
    CHECK_INT(cfg.timeout_ms, 2500);
    const char *bad[][2] = {{"ETCD_PREFIX", "zk"},   {"ETCD_PREFIX", "/"},
                            {"ETCD_PREFIX", "/a b"}, {"ETCD_PREFIX", "/a//b"},
                            {"ETCD_API", "v4"},      {"ETCD_API", "V3"},
                            {"ETCD_TIMEOUT", "0"},   {"ETCD_TIMEOUT", "-1"},
                            {"ETCD_TIMEOUT", "x"},   {"ETCD_ENDPOINTS", "127.0.0.1:2379"}};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *old = getenv(bad[i][0]) ? strdup(getenv(bad[i][0])) : NULL;
        setenv(bad[i][0], bad[i][1], 1);
        if (etcd_config_from_env(&cfg, &on) != EXIT_USAGE)
            unit_fail(__FILE__, __LINE__, bad[i][1]);
        if (old)
            setenv(bad[i][0], old, 1);
        else
            unsetenv(bad[i][0]);
        free(old);
    }
    unsetenv("ETCDCTL_ENDPOINTS");
    unsetenv("ETCD_PREFIX");
    unsetenv("ETCD_API");
    unsetenv("ETCD_TIMEOUT");
}

TEST(etcd_version)
{
    int ma = 0, mi = 0;
    char err[256];
    CHECK_INT(etcd_parse_version(LEN("{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"3.4.0\"}"), &ma,
                                 &mi, err, sizeof err),
              0);
    CHECK_INT(ma, 3);
    CHECK_INT(mi, 4);
    CHECK_INT(etcd_parse_version(LEN("{\"etcdserver\":\"3.3.1\",\"etcdcluster\":\"3.3.0\"}"), &ma,
                                 &mi, err, sizeof err),
              0);
    CHECK_INT(mi, 3);
    CHECK_INT(etcd_parse_version(LEN("{\"etcdserver\":\"3.4.23\",\"etcdcluster\":\"not_decided\"}"),
                                 &ma, &mi, err, sizeof err),
              1);
    CHECK_INT(
        etcd_parse_version(LEN("<html><body>Not Found</body></html>"), &ma, &mi, err, sizeof err),
        -1);
    CHECK_STR(err, "not a JSON answer from etcd: <html><body>Not Found</body></html>");
    CHECK_INT(etcd_parse_version(LEN("{\"etcdserver\":\"3\",\"etcdcluster\":\"x.y\"}"), &ma, &mi,
                                 err, sizeof err),
              -1);
    CHECK_INT(etcd_parse_version(LEN("[]"), &ma, &mi, err, sizeof err), -1);
}

static int collect(const char *key, const char *value, long long rev, void *arg)
{
    char *acc = arg;
    if (rev)
        sprintf(acc + strlen(acc), "@%lld:", rev);
    strcat(acc, key);
    strcat(acc, "=");
    strcat(acc, value);
    strcat(acc, ";");
    return 0;
}

TEST(etcd_v3_range)
{
    char acc[200] = "", err[256];
    const char *found =
        "{\"header\":{\"cluster_id\":\"14841639068965178418\",\"revision\":\"7\"},\"kvs\":[{"
        "\"key\":"
        "\"L3ovaWRzLzE=\",\"create_revision\":\"5\",\"mod_revision\":\"5\",\"version\":\"1\","
        "\"value\":\"MTAuOTkuMC4x\"},{\"key\":\"L3ovaWRzLzI=\",\"value\":\"MTAuOTkuMC4y\"}],"
        "\"count\":\"2\"}";
    CHECK_INT(etcd_v3_parse_range(LEN(found), collect, acc, NULL, err, sizeof err), 2);
    CHECK_STR(acc, "@5:/z/ids/1=10.99.0.1;/z/ids/2=10.99.0.2;");
    CHECK_INT(etcd_v3_parse_range(LEN("{\"header\":{\"revision\":\"7\"}}"), collect, acc, NULL, err,
                                  sizeof err),
              0);
    /* an empty value is omitted by protobuf's JSON */
    acc[0] = '\0';
    CHECK_INT(etcd_v3_parse_range(LEN("{\"header\":{},\"kvs\":[{\"key\":\"YQ==\"}]}"), collect, acc,
                                  NULL, err, sizeof err),
              1);
    CHECK_STR(acc, "a=;");
    CHECK_INT(etcd_v3_parse_range(LEN("{\"error\":\"etcdserver: request timed out\",\"code\":14,"
                                      "\"message\":\"etcdserver: request timed out\"}"),
                                  NULL, NULL, NULL, err, sizeof err),
              -1);
    CHECK_STR(err, "etcd error: etcdserver: request timed out");
    CHECK_INT(etcd_v3_parse_range(LEN("{\"kvs\":[]}"), NULL, NULL, NULL, err, sizeof err), -1);
    CHECK_INT(
        etcd_v3_parse_range(LEN("{\"header\":{},\"kvs\":{}}"), NULL, NULL, NULL, err, sizeof err),
        -1);
    CHECK_INT(etcd_v3_parse_range(LEN("{\"header\":{},\"kvs\":[{\"key\":\"!!\"}]}"), NULL, NULL,
                                  NULL, err, sizeof err),
              -1);
    CHECK_INT(etcd_v3_parse_range(LEN("{\"header\":{},\"kvs\":[{\"key\":5}]}"), NULL, NULL, NULL,
                                  err, sizeof err),
              -1);
    CHECK_INT(etcd_v3_parse_range(LEN("{\"header\""), NULL, NULL, NULL, err, sizeof err), -1);
    CHECK_INT(etcd_v3_parse_range("", 0, NULL, NULL, NULL, err, sizeof err), -1);
    CHECK_STR(err, "not a JSON answer from etcd: (empty)");
}

TEST(etcd_v3_txn)
{
    int ok = -1, has = -1;
    char existing[64], err[256];
    const char *won = "{\"header\":{\"revision\":\"8\"},\"succeeded\":true,\"responses\":[{"
                      "\"response_put\":{\"header\":{\"revision\":\"8\"}}}]}";
    CHECK_INT(etcd_v3_parse_txn(LEN(won), &ok, existing, sizeof existing, &has, err, sizeof err),
              0);
    CHECK_INT(ok, 1);
    CHECK_INT(has, 0);
    /* FACTS.md: a failed compare has no "succeeded" key at all */
    const char *lost = "{\"header\":{\"revision\":\"8\"},\"responses\":[{\"response_range\":{"
                       "\"header\":{},\"kvs\":[{\"key\":\"L3ovaWRzLzE=\",\"value\":"
                       "\"MTAuOTkuMC4x\"}],\"count\":\"1\"}}]}";
    CHECK_INT(etcd_v3_parse_txn(LEN(lost), &ok, existing, sizeof existing, &has, err, sizeof err),
              0);
    CHECK_INT(ok, 0);
    CHECK_INT(has, 1);
    CHECK_STR(existing, "10.99.0.1");
    /* lost, and the key vanished before the range ran */
    CHECK_INT(etcd_v3_parse_txn(LEN("{\"header\":{},\"responses\":[{\"response_range\":{"
                                    "\"header\":{}}}]}"),
                                &ok, existing, sizeof existing, &has, err, sizeof err),
              0);
    CHECK_INT(ok, 0);
    CHECK_INT(has, 0);
    /* a delete-if txn that did not match: no responses */
    CHECK_INT(etcd_v3_parse_txn(LEN("{\"header\":{}}"), &ok, existing, sizeof existing, &has, err,
                                sizeof err),
              0);
    CHECK_INT(ok, 0);
    CHECK_INT(etcd_v3_parse_txn(LEN("{\"header\":{},\"succeeded\":\"yes\"}"), &ok, existing,
                                sizeof existing, &has, err, sizeof err),
              -1);
    CHECK_INT(etcd_v3_parse_txn(LEN("{\"header\":{},\"responses\":{}}"), &ok, existing,
                                sizeof existing, &has, err, sizeof err),
              -1);
    CHECK_INT(etcd_v3_parse_txn(LEN("<html>502 Bad Gateway</html>"), &ok, existing, sizeof existing,
                                &has, err, sizeof err),
              -1);
    /* a long value is cut to the buffer */
    CHECK_INT(etcd_v3_parse_txn(LEN(lost), &ok, existing, 4, &has, err, sizeof err), 0);
    CHECK_STR(existing, "10.");
}

TEST(etcd_v2)
{
    int code = -1;
    char acc[200] = "", err[256];
    const char *got = "{\"action\":\"get\",\"node\":{\"key\":\"/z/nodes/10.99.0.1/id\",\"value\":"
                      "\"1\",\"modifiedIndex\":9,\"createdIndex\":9}}";
    CHECK_INT(etcd_v2_parse(LEN(got), &code, collect, acc, err, sizeof err), 1);
    CHECK_INT(code, 0);
    CHECK_STR(acc, "@9:/z/nodes/10.99.0.1/id=1;");
    const char *tree =
        "{\"action\":\"get\",\"node\":{\"key\":\"/z/nodes\",\"dir\":true,\"nodes\":["
        "{\"key\":\"/z/nodes/10.99.0.1\",\"dir\":true,\"nodes\":[{\"key\":"
        "\"/z/nodes/10.99.0.1/id\",\"value\":\"1\"}]},{\"key\":\"/z/nodes/10.99.0.2\","
        "\"dir\":true,\"nodes\":[{\"key\":\"/z/nodes/10.99.0.2/id\",\"value\":\"2\"}]},"
        "{\"key\":\"/z/nodes/empty\",\"dir\":true}]}}";
    acc[0] = '\0';
    CHECK_INT(etcd_v2_parse(LEN(tree), &code, collect, acc, err, sizeof err), 2);
    CHECK_STR(acc, "/z/nodes/10.99.0.1/id=1;/z/nodes/10.99.0.2/id=2;");
    CHECK_INT(etcd_v2_parse(LEN("{\"errorCode\":105,\"message\":\"Key already exists\",\"cause\":"
                                "\"/z/ids/1\",\"index\":12}"),
                            &code, NULL, NULL, err, sizeof err),
              0);
    CHECK_INT(code, 105);
    CHECK_INT(etcd_v2_parse(LEN("{\"errorCode\":100,\"message\":\"Key not found\"}"), &code, NULL,
                            NULL, err, sizeof err),
              0);
    CHECK_INT(code, 100);
    CHECK_INT(etcd_v2_parse(LEN("404 page not found\n"), &code, NULL, NULL, err, sizeof err), -1);
    CHECK_STR(err, "not a JSON answer from etcd: 404 page not found.");
    CHECK_INT(etcd_v2_parse(LEN("{\"action\":\"get\"}"), &code, NULL, NULL, err, sizeof err), -1);
    CHECK_INT(etcd_v2_parse(LEN("{\"node\":{\"key\":1}}"), &code, NULL, NULL, err, sizeof err), -1);
    CHECK_INT(etcd_v2_parse(LEN("{\"node\":{\"dir\":true,\"nodes\":5}}"), &code, NULL, NULL, err,
                            sizeof err),
              -1);
    CHECK_INT(etcd_v2_parse(LEN("{\"errorCode\":\"105\"}"), &code, NULL, NULL, err, sizeof err),
              -1);
}

TEST(etcd_v2_paths)
{
    char p[64];
    CHECK_INT(etcd_v2_path("/zookeeper/nodes/fd00::1/id", p, sizeof p), 0);
    CHECK_STR(p, "/v2/keys/zookeeper/nodes/fd00::1/id");
    CHECK_INT(etcd_v2_path("/a b/%?#", p, sizeof p), 0);
    CHECK_STR(p, "/v2/keys/a%20b/%25%3F%23");
    CHECK_INT(etcd_v2_path("/zookeeper/nodes/10.99.0.1/id/and/more/and/more", p, 20), -1);
}

TEST(etcd_v3_txn_ranges_and_paging)
{
    char acc[300] = "", err[256];
    int ok = -1;
    /* a put then a range in one txn (the range sees the put), as etcd 3.4 answers */
    const char *put_range =
        "{\"header\":{\"revision\":\"2\"},\"succeeded\":true,\"responses\":[{\"response_put\":{"
        "\"header\":{\"revision\":\"2\"}}},{\"response_range\":{\"header\":{\"revision\":\"2\"},"
        "\"kvs\":[{\"key\":\"L3AvcGVuZGluZy9h\",\"create_revision\":\"2\",\"mod_revision\":\"2\","
        "\"version\":\"1\",\"value\":\"YQ==\",\"lease\":\"5553961107795539718\"}],\"count\":"
        "\"1\"}}]}";
    CHECK_INT(etcd_v3_parse_txn_ranges(LEN(put_range), &ok, collect, acc, err, sizeof err), 1);
    CHECK_INT(ok, 1);
    CHECK_STR(acc, "@2:/p/pending/a=a;");
    /* a failed compare: no "succeeded", the failure branch's ranges */
    acc[0] = '\0';
    const char *lost = "{\"header\":{},\"responses\":[{\"response_range\":{\"kvs\":[{\"key\":"
                       "\"YQ==\",\"value\":\"MQ==\",\"create_revision\":\"3\"}]}},{"
                       "\"response_range\":{\"kvs\":[{\"key\":\"Yg==\",\"value\":\"Mg==\"}]}}]}";
    CHECK_INT(etcd_v3_parse_txn_ranges(LEN(lost), &ok, collect, acc, err, sizeof err), 2);
    CHECK_INT(ok, 0);
    CHECK_STR(acc, "@3:a=1;b=2;");
    CHECK_INT(etcd_v3_parse_txn_ranges(LEN("{\"header\":{},\"responses\":{}}"), &ok, NULL, NULL,
                                       err, sizeof err),
              -1);
    CHECK_INT(etcd_v3_parse_txn_ranges(LEN("<html>"), &ok, NULL, NULL, err, sizeof err), -1);
    /* paging: "more" */
    int more = 0;
    CHECK_INT(etcd_v3_parse_range(LEN("{\"header\":{},\"kvs\":[{\"key\":\"YQ==\"}],\"more\":true}"),
                                  NULL, NULL, &more, err, sizeof err),
              1);
    CHECK_INT(more, 1);
}
