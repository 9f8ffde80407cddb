/* test_zk_config.c - zoo.cfg as the official image writes it, server lines, getconfig parsing,
 * SHA-1/base64 and the super digest. */
#include "unit.h"

#include "util/sha1.h"
#include "zookeeper/zk_compat.h"
#include "zookeeper/zk_config.h"
#include "zookeeper/zk_health.h"
#include "zookeeper/zk_jaas.h"

#include <stdlib.h>
#include <unistd.h>

static void hex(const unsigned char *d, char *out)
{
    for (int i = 0; i < SHA1_LEN; i++)
        sprintf(out + 2 * i, "%02x", d[i]);
}

TEST(sha1_known_vectors)
{
    unsigned char d[SHA1_LEN];
    char h[41];
    sha1("", 0, d);
    hex(d, h);
    CHECK_STR(h, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    sha1("abc", 3, d);
    hex(d, h);
    CHECK_STR(h, "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *m = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    sha1(m, strlen(m), d);
    hex(d, h);
    CHECK_STR(h, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    static char million[1000000];
    memset(million, 'a', sizeof million);
    sha1(million, sizeof million, d);
    hex(d, h);
    CHECK_STR(h, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST(super_digest_matches_zookeepers_tool)
{
    /* java ... DigestAuthenticationProvider super:secret -> super:lK75jTNcA+U9vtVEw5vB51mj/w4= */
    char d[64];
    zk_super_digest("secret", d, sizeof d);
    CHECK_STR(d, "super:lK75jTNcA+U9vtVEw5vB51mj/w4=");
}

/* Long texts: CHECK_STR's message buffer is too small for them. */
static void check_text(const char *got, const char *want)
{
    if (got && strcmp(got, want) == 0)
        return;
    printf("--- got:\n%s--- want:\n%s---\n", got ? got : "(null)", want);
    unit_fail(__FILE__, __LINE__, "generated text differs");
}

TEST(parse_server_forms)
{
    struct zk_server s;
    char err[256], line[300];
    CHECK_INT(zk_parse_server("server.1=zk1:2888:3888;2181", &s, err, sizeof err), 0);
    CHECK_INT(s.id, 1);
    CHECK_STR(s.host, "zk1");
    CHECK_INT(s.quorum_port, 2888);
    CHECK_INT(s.election_port, 3888);
    CHECK_STR(s.role, "participant");
    CHECK_STR(s.client_addr, "");
    CHECK_INT(s.client_port, 2181);
    zk_server_line(&s, line, sizeof line);
    CHECK_STR(line, "server.1=zk1:2888:3888:participant;2181");
    CHECK_INT(zk_parse_server("server.12=127.0.0.21:2889:3889:observer;127.0.0.21:2182", &s, err,
                              sizeof err),
              0);
    CHECK_INT(s.id, 12);
    CHECK_STR(s.role, "observer");
    CHECK_STR(s.client_addr, "127.0.0.21");
    CHECK_INT(s.client_port, 2182);
    zk_server_line(&s, line, sizeof line);
    CHECK_STR(line, "server.12=127.0.0.21:2889:3889:observer;127.0.0.21:2182");
    CHECK_INT(zk_parse_server("server.3=zk3:2888:3888", &s, err, sizeof err), 0); /* 3.4 form */
    CHECK_INT(s.client_port, 0);
    CHECK_INT(
        zk_parse_server("server.4=[::1]:2888:3888:participant;[::1]:2181", &s, err, sizeof err), 0);
    CHECK_STR(s.host, "::1");
    CHECK_STR(s.client_addr, "::1");
    zk_server_line(&s, line, sizeof line);
    CHECK_STR(line, "server.4=[::1]:2888:3888:participant;[::1]:2181");
}

TEST(parse_server_rejects)
{
    struct zk_server s;
    char err[256];
    const char *bad[] = {"server.0=a:1:2",  "server.256=a:1:2",  "server.x=a:1:2",
                         "srv.1=a:1:2",     "server.1=a:1",      "server.1=a:1:99999",
                         "server.1=a:1:2;", "server.1=:1:2",     "server.1=a:1:2:leader;2181",
                         "server.1",        "server.1=a:1:2;b:x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        CHECK(zk_parse_server(bad[i], &s, err, sizeof err) == -1);
        CHECK(strstr(err, "server") != NULL);
    }
}

TEST(parse_getconfig_answer)
{
    struct zk_ensemble e;
    char err[256], cs[256];
    const char *txt = "server.3=127.0.0.23:2888:3888:participant;127.0.0.23:2181\n"
                      "server.1=127.0.0.21:2888:3888:participant;127.0.0.21:2181\n"
                      "server.2=127.0.0.22:2888:3888:observer;0.0.0.0:2181\n"
                      "version=100000003";
    CHECK_INT(zk_parse_config(txt, &e, err, sizeof err), 0);
    CHECK_INT(e.n, 3);
    CHECK_INT(e.s[0].id, 1);
    CHECK_INT(e.s[2].id, 3);
    CHECK_STR(e.version, "100000003");
    CHECK_INT(zk_other_participants(&e, 1), 1);
    CHECK_INT(zk_other_participants(&e, 9), 2);
    zk_connect_string(&e, 1, cs, sizeof cs);
    CHECK_STR(cs, "127.0.0.22:2181,127.0.0.23:2181");
    zk_ensemble_remove(&e, 2);
    CHECK_INT(e.n, 2);
    CHECK_INT(zk_ensemble_find(&e, 3), 1);
    char *dyn = zk_render_dynamic(&e);
    check_text(dyn, "server.1=127.0.0.21:2888:3888:participant;127.0.0.21:2181\n"
                    "server.3=127.0.0.23:2888:3888:participant;127.0.0.23:2181\n");
    free(dyn);
    CHECK_INT(zk_parse_config("server.1=a:1:2 server.1=b:1:2", &e, err, sizeof err), -1);
    CHECK(strstr(err, "twice") != NULL);
    CHECK_INT(zk_parse_config("server.1=a:1:2 clientPort=2181", &e, err, sizeof err), -1);
    CHECK_INT(zk_parse_config("version=xyz", &e, err, sizeof err), -1);
    CHECK_INT(zk_parse_config("  \n", &e, err, sizeof err), 0);
    CHECK_INT(e.n, 0);
}

TEST(same_endpoint_wildcard_client)
{
    struct zk_server a, b;
    char err[128];
    zk_parse_server("server.2=h:1:2;2181", &a, err, sizeof err);
    zk_parse_server("server.2=h:1:2:observer;0.0.0.0:2181", &b, err, sizeof err);
    CHECK(zk_same_endpoint(&a, &b));
    zk_parse_server("server.2=h2:1:2;2181", &b, err, sizeof err);
    CHECK(!zk_same_endpoint(&a, &b));
}

static void clear_env(void)
{
    const char *vars[] = {"ZOO_CONF_DIR",
                          "ZOO_DATA_DIR",
                          "ZOO_DATA_LOG_DIR",
                          "ZOO_LOG_DIR",
                          "ZOO_TICK_TIME",
                          "ZOO_INIT_LIMIT",
                          "ZOO_SYNC_LIMIT",
                          "ZOO_MAX_CLIENT_CNXNS",
                          "ZOO_AUTOPURGE_PURGEINTERVAL",
                          "ZOO_AUTOPURGE_SNAPRETAINCOUNT",
                          "ZOO_STANDALONE_ENABLED",
                          "ZOO_ADMINSERVER_ENABLED",
                          "ZOO_4LW_COMMANDS_WHITELIST",
                          "ZOO_CFG_EXTRA",
                          "ZOO_SERVERS",
                          "ZOO_RECONFIG",
                          "ZOO_CLIENT_PORT",
                          "ZOO_CLIENT_ADDRESS",
                          "ZOO_QUORUM_PORT",
                          "ZOO_ELECTION_PORT",
                          "ZOO_PEER_TYPE",
                          "ZOO_MY_ID",
                          "ZOO_PORT_NUMBER",
                          "ZOO_AUTOPURGE_INTERVAL",
                          "ZOO_AUTOPURGE_RETAIN_COUNT",
                          "ZOO_LISTEN_ALLIPS_ENABLED",
                          "ZOO_MAX_CNXNS",
                          "ZOO_CFG_globalOutstandingLimit",
                          "ZOO_CFG_bad-key"};
    for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
        unsetenv(vars[i]);
}

/* What docker-library's docker-entrypoint.sh (3.8) writes for the same variables. */
TEST(static_zoo_cfg_equals_official_image)
{
    struct zk_settings st;
    clear_env();
    setenv("ZOO_RECONFIG", "off", 1);
    setenv("ZOO_SERVERS",
           "server.1=zk1:2888:3888;2181 server.2=zk2:2888:3888;2181\n"
           "  server.3=zk3:2888:3888;2181",
           1);
    setenv("ZOO_4LW_COMMANDS_WHITELIST", "*", 1);
    setenv("ZOO_CFG_EXTRA", "metricsProvider.httpPort=7000 quorumListenOnAllIPs=true", 1);
    CHECK_INT(zk_settings_from_env(&st), 0);
    char *cfg = zk_render_static(&st, NULL);
    check_text(cfg, "dataDir=/data\n"
                    "dataLogDir=/datalog\n"
                    "tickTime=2000\n"
                    "initLimit=5\n"
                    "syncLimit=2\n"
                    "autopurge.snapRetainCount=3\n"
                    "autopurge.purgeInterval=0\n"
                    "maxClientCnxns=60\n"
                    "standaloneEnabled=true\n"
                    "admin.enableServer=true\n"
                    "server.1=zk1:2888:3888;2181\n"
                    "server.2=zk2:2888:3888;2181\n"
                    "server.3=zk3:2888:3888;2181\n"
                    "4lw.commands.whitelist=*\n"
                    "metricsProvider.httpPort=7000\n"
                    "quorumListenOnAllIPs=true\n");
    free(cfg);
    clear_env();
}

TEST(static_zoo_cfg_variables_and_defaults)
{
    struct zk_settings st;
    struct zk_server self;
    clear_env();
    setenv("ZOO_RECONFIG", "off", 1);
    setenv("ZOO_DATA_DIR", "/d", 1);
    setenv("ZOO_TICK_TIME", "200", 1);
    setenv("ZOO_STANDALONE_ENABLED", "false", 1);
    setenv("ZOO_ADMINSERVER_ENABLED", "false", 1);
    setenv("ZOO_CLIENT_ADDRESS", "127.0.0.21", 1);
    CHECK_INT(zk_settings_from_env(&st), 0);
    zk_self_server(&st, 7, "127.0.0.21", "participant", &self);
    char *cfg = zk_render_static(&st, &self);
    CHECK(strstr(cfg, "dataDir=/d\ndataLogDir=/datalog\ntickTime=200\n") == cfg);
    /* As the official image: localhost in the line, no whitelist line when it is unset. */
    CHECK(strstr(cfg, "standaloneEnabled=false\nadmin.enableServer=false\n"
                      "server.7=localhost:2888:3888;127.0.0.21:2181\n") != NULL);
    CHECK(strstr(cfg, "skipACL") == NULL);
    CHECK(strstr(cfg, "4lw") == NULL);
    free(cfg);
    clear_env();
}

TEST(reconfig_zoo_cfg)
{
    struct zk_settings st;
    clear_env();
    setenv("ZOO_CONF_DIR", "/c", 1);
    setenv("ZOO_DATA_DIR", "/d", 1);
    CHECK_INT(zk_settings_from_env(&st), 0);
    CHECK_INT(st.reconfig, 1);
    CHECK_INT(st.standalone_enabled, 0);
    st.skip_acl = 1;
    char *cfg = zk_render_static(&st, NULL);
    CHECK(strstr(cfg, "standaloneEnabled=false\nadmin.enableServer=true\n"
                      "reconfigEnabled=true\ndynamicConfigFile=/d/zkinit/zoo.cfg.dynamic\n"
                      "4lw.commands.whitelist=srvr,ruok\nskipACL=yes\n") != NULL);
    CHECK(strstr(cfg, "server.") == NULL);
    free(cfg);
    clear_env();
}

TEST(settings_reject_bad_values)
{
    struct zk_settings st;
    const char *cases[][2] = {{"ZOO_TICK_TIME", "2s"},
                              {"ZOO_CLIENT_PORT", "70000"},
                              {"ZOO_RECONFIG", "maybe"},
                              {"ZOO_PEER_TYPE", "leader"},
                              {"ZOO_CFG_EXTRA", "a=\n1"},
                              {"ZOO_DATA_DIR", "/d\nx=1"},
                              {"ZOO_AUTOPURGE_SNAPRETAINCOUNT", "-1"},
                              {"ZOO_INIT_LIMIT", "-1"},
                              {"ZOO_CFG_bad-key", "1"},
                              {"ZOO_SERVERS", "zk1:2888"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        clear_env();
        setenv(cases[i][0], cases[i][1], 1);
        CHECK_INT(zk_settings_from_env(&st), -1);
    }
    clear_env();
}

/* ---- compatibility forms (zk_compat.c) ------------------------------------------------------ */

TEST(cfg_extra_is_a_list_of_key_value_words)
{
    char err[128], v[32];
    CHECK_INT(zk_extra_check("a=1 b=2", err, sizeof err), 0);
    CHECK_INT(zk_extra_check("a=1\nb=2\n\tc=3\n", err, sizeof err), 0); /* Kubernetes `value: |` */
    CHECK_INT(zk_extra_check(NULL, err, sizeof err), 0);
    CHECK_INT(zk_extra_check("a=\n1", err, sizeof err), -1); /* a newline inside key=value */
    CHECK(strstr(err, "\"1\"") != NULL);
    CHECK_INT(zk_extra_check("=1", err, sizeof err), -1);
    CHECK_INT(zk_extra_get("clientPort=2182 x=1\nclientPort=2183", "clientPort", v, sizeof v), 1);
    CHECK_STR(v, "2183");
    CHECK_INT(zk_extra_get("clientPortAddress=1.2.3.4", "clientPort", v, sizeof v), 0);
}

TEST(bitnami_servers_become_official_entries)
{
    char out[160], err[128];
    CHECK_INT(
        zk_bitnami_servers("server.1=a:2888:3888;2181", 2181, out, sizeof out, err, sizeof err), 0);
    CHECK_INT(zk_bitnami_servers("zoo1:2888:3888,zoo2:2888:3888;zoo3:2888:3888:observer", 2181, out,
                                 sizeof out, err, sizeof err),
              1);
    CHECK_STR(out, "server.1=zoo1:2888:3888;2181 server.2=zoo2:2888:3888;2181 "
                   "server.3=zoo3:2888:3888:observer;2181");
    CHECK_INT(zk_bitnami_servers("zoo1:2888:3888::4 zoo2:2888:3888:participant::9", 2182, out,
                                 sizeof out, err, sizeof err),
              1);
    CHECK_STR(out, "server.4=zoo1:2888:3888;2182 server.9=zoo2:2888:3888:participant;2182");
    CHECK_INT(zk_bitnami_servers("zoo1:2888", 2181, out, sizeof out, err, sizeof err), -1);
    CHECK_INT(zk_bitnami_servers("zoo1:2888:3888::0", 2181, out, sizeof out, err, sizeof err), -1);
}

TEST(cfg_key_names)
{
    char k[64];
    CHECK_INT(zk_cfg_key("maxCnxns", k, sizeof k), 0);
    CHECK_STR(k, "maxCnxns");
    CHECK_INT(zk_cfg_key("MAX_CNXNS", k, sizeof k), 0);
    CHECK_STR(k, "maxCnxns");
    CHECK_INT(zk_cfg_key("QUORUM__AUTH__ENABLE_SASL", k, sizeof k), 0);
    CHECK_STR(k, "quorum.auth.enableSasl");
    CHECK_INT(zk_cfg_key("bad-key", k, sizeof k), -1);
    CHECK_INT(zk_cfg_key("", k, sizeof k), -1);
}

TEST(seed_list_self_entry)
{
    const char *servers = "server.1=0.0.0.0:2888:3888;2181 server.2=b:2888:3888:observer;2181";
    char role[16], out[160];
    CHECK_INT(zk_servers_role(servers, 2, role, sizeof role), 1);
    CHECK_STR(role, "observer");
    CHECK_INT(zk_servers_role(servers, 1, role, sizeof role), 1);
    CHECK_STR(role, "participant");
    CHECK_INT(zk_servers_role(servers, 3, role, sizeof role), 0);
    CHECK_INT(zk_servers_fix_self(servers, 1, "10.0.0.1", out, sizeof out), 1);
    CHECK_STR(out, "server.1=10.0.0.1:2888:3888:participant;2181 "
                   "server.2=b:2888:3888:observer;2181");
    CHECK_INT(zk_servers_fix_self(servers, 2, "10.0.0.2", out, sizeof out), 0);
    CHECK_STR(out, servers);
}

TEST(settings_accept_what_zookeeper_accepts)
{
    struct zk_settings st;
    clear_env();
    setenv("ZOO_INIT_LIMIT", "0", 1);
    setenv("ZOO_AUTOPURGE_SNAPRETAINCOUNT", "1", 1);
    setenv("ZOO_AUTOPURGE_PURGEINTERVAL", "-1", 1);
    setenv("ZOO_CFG_EXTRA", "clientPort=2182\npeerType=observer", 1);
    setenv("ZOO_MY_ID", "", 1);
    CHECK_INT(zk_settings_from_env(&st), 0);
    CHECK_INT(st.init_limit, 0);
    CHECK_INT(st.snap_retain_count, 1);
    CHECK_INT(st.purge_interval, -1);
    CHECK_INT(st.client_port, 2182);
    CHECK_STR(st.peer_type, "observer");
    CHECK(getenv("ZOO_MY_ID") == NULL); /* empty: as unset, the official image's default 1 */
    clear_env();
}

TEST(bitnami_aliases_and_official_names)
{
    struct zk_settings st;
    clear_env();
    setenv("ZOO_PORT_NUMBER", "2191", 1);
    setenv("ZOO_AUTOPURGE_INTERVAL", "4", 1);
    setenv("ZOO_AUTOPURGE_RETAIN_COUNT", "7", 1);
    setenv("ZOO_AUTOPURGE_PURGEINTERVAL", "5", 1); /* the official name wins */
    setenv("ZOO_LISTEN_ALLIPS_ENABLED", "yes", 1);
    setenv("ZOO_MAX_CNXNS", "9", 1);
    setenv("ZOO_CFG_globalOutstandingLimit", "100", 1);
    setenv("ZOO_SERVERS", "a:2888:3888,b:2888:3888", 1);
    CHECK_INT(zk_settings_from_env(&st), 0);
    CHECK_INT(st.client_port, 2191);
    CHECK_INT(st.purge_interval, 5);
    CHECK_INT(st.snap_retain_count, 7);
    CHECK_INT(st.listen_all_ips, 1);
    CHECK_STR(st.extra_lines, "maxCnxns=9\nglobalOutstandingLimit=100\n");
    CHECK_STR(st.servers, "server.1=a:2888:3888;2191 server.2=b:2888:3888;2191");
    clear_env();
}

TEST(health_finds_the_listen_address_in_the_generated_config)
{
    char host[64] = "127.0.0.1";
    long port = 2181;
    const char *cfg = "dataDir=/d\nreconfigEnabled=true\ndynamicConfigFile=/c/zoo.cfg.dynamic\n";
    const char *dyn = "server.1=a:2888:3888:participant;10.0.0.1:2191\n"
                      "server.2=b:2888:3888:participant;0.0.0.0:2192\n";
    CHECK_INT(health_listen_address(cfg, dyn, 1, host, sizeof host, &port), 1);
    CHECK_STR(host, "10.0.0.1");
    CHECK_INT(port, 2191);
    CHECK_INT(health_listen_address(cfg, dyn, 2, host, sizeof host, &port), 1);
    CHECK_STR(host, "127.0.0.1");
    CHECK_INT(port, 2192);
    snprintf(host, sizeof host, "127.0.0.1");
    port = 2181;
    CHECK_INT(health_listen_address("clientPort=2200\nclientPortAddress=10.1.1.1\n", NULL, 0, host,
                                    sizeof host, &port),
              1);
    CHECK_STR(host, "10.1.1.1");
    CHECK_INT(port, 2200);
    CHECK_INT(health_listen_address("server.1=localhost:2888:3888;2181\n", NULL, 1, host,
                                    sizeof host, &port),
              1);
    CHECK_INT(health_listen_address("tickTime=2\n", NULL, 1, host, sizeof host, &port), 0);
}

TEST(jaas_file_for_bitnami_auth)
{
    char out[1024], err[128];
    CHECK_INT(zk_jaas_render("alice,bob", "pa;pb", "alice", "pa", out, sizeof out, err, sizeof err),
              0);
    CHECK(strcmp(out, "Server {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n"
                      "  user_alice=\"pa\"\n  user_bob=\"pb\";\n};\n"
                      "Client {\n  org.apache.zookeeper.server.auth.DigestLoginModule required\n"
                      "  username=\"alice\"\n  password=\"pa\";\n};\n") == 0);
    CHECK_INT(zk_jaas_render("alice bob", "Zq9x", NULL, NULL, out, sizeof out, err, sizeof err),
              -1);
    CHECK(strstr(err, "Zq9x") == NULL); /* never quotes a password */
    CHECK_INT(zk_jaas_render("alice", "p\"a", NULL, NULL, out, sizeof out, err, sizeof err), -1);
    CHECK_INT(zk_jaas_render("", "", NULL, NULL, out, sizeof out, err, sizeof err), -1);
    CHECK_INT(zk_jaas_render("alice", "pa", "alice", NULL, out, sizeof out, err, sizeof err), -1);
}
