/* test_zk_state.c - the membership state file, ZooKeeper's dynamic files as the source of the last
 * committed config (and the places zkinit refuses to follow), host lists for zk_reach. */
#include "unit.h"

#include "zkclient/zk_reach.h"
#include "zookeeper/zk_selfaddr.h"
#include "zookeeper/zk_state.h"
#include "zookeeper/zk_vote.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char line1[] = "server.1=127.0.0.81:2888:3888:participant;127.0.0.81:2181";
static const char line2[] = "server.2=127.0.0.82:2888:3888:participant;127.0.0.82:2181";

TEST(state_round_trip)
{
    struct zk_state st, back;
    char err[160], text[512];
    snprintf(text, sizeof text, "status=left\nid=2\nnote=left on stop\n%s\nversion=20000001a\n",
             line1);
    CHECK_INT(zk_state_parse(text, &st, err, sizeof err), 0);
    CHECK_INT(st.status, ZK_STATUS_LEFT);
    CHECK_INT(st.id, 2);
    CHECK_STR(st.note, "left on stop");
    CHECK_INT(st.config.n, 1);
    CHECK_STR(st.config.version, "20000001a");
    char *out = zk_state_render(&st);
    CHECK(out != NULL);
    CHECK_INT(zk_state_parse(out, &back, err, sizeof err), 0);
    CHECK_INT(back.status, ZK_STATUS_LEFT);
    CHECK_INT(back.config.n, 1);
    CHECK_STR(back.config.version, "20000001a");
    CHECK(strstr(out, line1) != NULL);
    free(out);
}

TEST(state_refuses_what_it_cannot_trust)
{
    struct zk_state st;
    char err[160];
    CHECK_INT(zk_state_parse("id=2\n", &st, err, sizeof err), -1); /* no status */
    CHECK(strstr(err, "status") != NULL);
    CHECK_INT(zk_state_parse("status=maybe\n", &st, err, sizeof err), -1);
    CHECK_INT(zk_state_parse("status=member\nid=300\n", &st, err, sizeof err), -1);
    CHECK_INT(zk_state_parse("status=member\nserver.1=nonsense\n", &st, err, sizeof err), -1);
    CHECK_INT(zk_state_parse("status=member\nhello=1\n", &st, err, sizeof err), -1);
    CHECK_INT(zk_state_parse("# c\r\nstatus=member\r\n\r\n", &st, err, sizeof err), 0);
}

TEST(version_order_is_numeric_hex)
{
    CHECK(zk_version_cmp("100000009", "ffffffff") > 0);
    CHECK(zk_version_cmp("", "1") < 0);
    CHECK(zk_version_cmp("2a", "2a") == 0);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

TEST(last_config_follows_zookeepers_rewritten_zoo_cfg)
{
    char dir[] = "/tmp/zkinit-unit-XXXXXX", cfg[128], dyn[128], text[512];
    struct zk_settings st;
    struct zk_ensemble e;
    CHECK(mkdtemp(dir) != NULL);
    memset(&st, 0, sizeof st);
    st.conf_dir = dir;
    st.data_dir = dir;
    snprintf(cfg, sizeof cfg, "%s/zoo.cfg", dir);
    snprintf(dyn, sizeof dyn, "%s/zoo.cfg.dynamic.10000001c", dir);
    CHECK_INT(zk_config_from_files(&st, cfg, &e), 0); /* no file */
    CHECK_INT(e.n, 0);
    snprintf(text, sizeof text, "%s\n%s\n", line1, line2); /* as ZooKeeper: no version line */
    write_text(dyn, text);
    snprintf(text, sizeof text, "dataDir=/d\nreconfigEnabled=true\ndynamicConfigFile=%s\n", dyn);
    write_text(cfg, text);
    CHECK_INT(zk_config_from_files(&st, cfg, &e), 0);
    CHECK_INT(e.n, 2);
    CHECK_STR(e.version, "10000001c"); /* from the file's name */
    write_text(dyn, "garbage\n");
    CHECK_INT(zk_config_from_files(&st, cfg, &e), 0);
    CHECK_INT(e.n, 0);
    remove(dyn);
    CHECK(mkfifo(dyn, 0600) == 0); /* a FIFO would block the start: never opened for reading */
    CHECK_INT(zk_config_from_files(&st, cfg, &e), 0);
    CHECK_INT(e.n, 0);
    remove(dyn);
    write_text(cfg, "dynamicConfigFile=/etc/passwd\n"); /* outside the conf and data dirs */
    CHECK_INT(zk_config_from_files(&st, cfg, &e), 0);
    CHECK_INT(e.n, 0);
    remove(cfg);
    rmdir(dir);
}

TEST(state_file_survives_save_and_load)
{
    char dir[] = "/tmp/zkinit-unit-XXXXXX";
    struct zk_settings st;
    struct zk_state s, back;
    char err[160], text[256];
    CHECK(mkdtemp(dir) != NULL);
    memset(&st, 0, sizeof st);
    st.data_dir = dir;
    CHECK_INT(zk_state_load(&st, &back), 0);
    CHECK_INT(back.status, ZK_STATUS_NONE);
    snprintf(text, sizeof text, "status=member\n%s\nversion=5\n", line2);
    CHECK_INT(zk_state_parse(text, &s, err, sizeof err), 0);
    CHECK_INT(zk_state_save(&st, &s), 0);
    CHECK_INT(zk_state_load(&st, &back), 0);
    CHECK_INT(back.status, ZK_STATUS_MEMBER);
    CHECK_STR(back.config.version, "5");
    char path[128];
    snprintf(path, sizeof path, "%s/zkinit/membership", dir);
    write_text(path, "status=??\n");
    CHECK_INT(zk_state_load(&st, &back), -1); /* corrupt: the caller stops, never guesses */
    remove(path);
    snprintf(path, sizeof path, "%s/zkinit", dir);
    rmdir(path);
    rmdir(dir);
}

TEST(reach_splits_host_lists)
{
    char host[4][128];
    int port[4];
    int n = zk_reach_split("a:1,,[::1]:2181,b:x,127.0.0.1:2182", host, port, 4);
    CHECK_INT(n, 3);
    CHECK_STR(host[0], "a");
    CHECK_INT(port[0], 1);
    CHECK_STR(host[1], "::1");
    CHECK_INT(port[1], 2181);
    CHECK_STR(host[2], "127.0.0.1");
    CHECK_INT(zk_reach_split("", host, port, 4), 0);
}

static int resolve_calls;

/* Fails twice (a transient NXDOMAIN, as musl's resolver answers with two nameservers), then
 * resolves. */
static int flaky_resolver(const char *node, const char *service, const struct addrinfo *hints,
                          struct addrinfo **res)
{
    (void)node;
    if (++resolve_calls <= 2)
        return EAI_NONAME;
    return getaddrinfo("127.0.0.1", service, hints, res);
}

TEST(reach_retries_a_name_that_fails_to_resolve)
{
    char out[64];
    resolve_calls = 0;
    zk_reach_set_resolver(flaky_resolver);
    CHECK_INT(zk_reach_resolve("zk2", 3, 1, out, sizeof out), 0);
    CHECK_STR(out, "127.0.0.1");
    CHECK_INT(resolve_calls, 3);
    resolve_calls = 0;
    CHECK_INT(zk_reach_resolve("zk2", 2, 1, out, sizeof out), -1); /* then: "unresolved" */
    zk_reach_set_resolver(NULL);
}

TEST(listeners_of_a_port_from_proc_net_tcp)
{
    char out[4][64];
    const char *tcp =
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n"
        "   0: 0600590A:0F30 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0\n"
        "   1: 0600590A:0F30 0700590A:9C40 01 00000000:00000000 00:00000000 00000000     0\n"
        "   2: 00000000:0885 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0\n";
    CHECK_INT(zk_listeners_parse(tcp, 0, 3888, out, 4), 1);
    CHECK_STR(out[0], "10.89.0.6");
    CHECK_INT(zk_listeners_parse(tcp, 0, 2181, out, 4), 1);
    CHECK_STR(out[0], "0.0.0.0");
    const char *tcp6 = "   0: 0000000000000000FFFF00000600590A:0F30 "
                       "00000000000000000000000000000000:0000 0A 0\n";
    CHECK_INT(zk_listeners_parse(tcp6, 1, 3888, out, 4), 1);
    CHECK_STR(out[0], "::ffff:10.89.0.6");
    CHECK_INT(zk_address_is_local("127.0.0.1"), 1);
    CHECK_INT(zk_address_is_local("192.0.2.1"), 0);
}

TEST(vote_request_and_answer_frames)
{
    unsigned char buf[256], ans[64];
    size_t n = zk_vote_request(buf, sizeof buf, 0x7ffffffffffff001LL, "127.0.0.1:1");
    CHECK_INT(n, 20 + 11 + 44);
    CHECK(buf[0] == 0xff && buf[5] == 0xff && buf[6] == 0x00 && buf[7] == 0x00); /* -65536 */
    CHECK_INT(buf[19], 11);
    CHECK_INT(buf[20 + 11 + 3], 40); /* the notification's length */
    CHECK_INT(zk_vote_request(buf, 10, 1, "x:1"), 0);
    /* an answer: FOLLOWING, leader 3, zxid 0x100000008, epochs 1, version 2, empty config */
    memset(ans, 0, sizeof ans);
    ans[3] = 44;
    ans[7] = 1;
    ans[15] = 3;
    ans[19] = 1;
    ans[23] = 8;
    ans[31] = 1;
    ans[39] = 1;
    ans[43] = 2;
    struct zk_vote v;
    CHECK_INT(zk_vote_parse(ans, 20, &v), 0); /* not complete yet */
    CHECK_INT(zk_vote_parse(ans, 48, &v), 48);
    CHECK_INT(v.state, 1);
    CHECK_INT(v.leader, 3);
    CHECK_INT(v.zxid, 0x100000008LL);
    CHECK_INT(v.peer_epoch, 1);
    ans[3] = 7; /* too short to be a notification */
    CHECK_INT(zk_vote_parse(ans, 48, &v), -1);
}
