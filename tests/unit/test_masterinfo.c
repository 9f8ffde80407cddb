/* test_masterinfo.c - MasterInfo protobuf and JSON decoding, the address choice, the JSON out. */
#include "mesos/masterinfo.h"
#include "unit.h"

#include <stdlib.h>

static char host[4096];

/* masterinfo_best into the static HOST. */
static int best(const struct master_info *mi, unsigned *port)
{
    char *h = NULL;
    int rc = masterinfo_best(mi, &h, port);
    snprintf(host, sizeof host, "%s", h ? h : "");
    free(h);
    return rc;
}

/* Hides buffer sizes from -Wformat-truncation in CHECK_STR's message. */
__attribute__((noipa)) static const char *opaque(const char *s)
{
    return s;
}
#define CHECK_S(a, b) CHECK_STR(opaque(a), b)

#include <stdlib.h>

/* A protobuf writer for the tests (mesos.proto's MasterInfo and Address). */
struct pb {
    unsigned char b[512];
    size_t n;
};

static void varint(struct pb *p, unsigned long long v)
{
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        p->b[p->n++] = (unsigned char)(c | (v ? 0x80 : 0));
    } while (v);
}

static void str(struct pb *p, unsigned field, const char *s)
{
    varint(p, field << 3 | 2);
    varint(p, strlen(s));
    memcpy(p->b + p->n, s, strlen(s));
    p->n += strlen(s);
}

static void num(struct pb *p, unsigned field, unsigned long long v)
{
    varint(p, field << 3);
    varint(p, v);
}

static void sub(struct pb *p, unsigned field, const struct pb *s)
{
    varint(p, field << 3 | 2);
    varint(p, s->n);
    memcpy(p->b + p->n, s->b, s->n);
    p->n += s->n;
}

TEST(masterinfo_pb_ip_only_network_order)
{
    /* Mesos 0.17-0.23: 192.168.1.51 stored as its in_addr read little-endian (MESOS-1201). */
    struct pb p = {.n = 0};
    str(&p, 1, "20150512-1-855746752-5050-1");
    num(&p, 2, 0x3301A8C0u);
    num(&p, 3, 5050);
    struct master_info mi;
    const char *why = NULL;
    CHECK_INT(masterinfo_decode_pb(p.b, p.n, &mi, &why), 0);
    CHECK_S(mi.id, "20150512-1-855746752-5050-1");
    unsigned port = 0;
    CHECK_INT(best(&mi, &port), 0);
    CHECK_S(host, "192.168.1.51");
    CHECK_INT(port, 5050);
    masterinfo_free(&mi);
}

TEST(masterinfo_pb_full_prefers_address)
{
    struct pb a = {.n = 0}, p = {.n = 0};
    str(&a, 1, "gondor");
    str(&a, 2, "192.168.1.51");
    num(&a, 3, 5051);
    str(&p, 1, "id");
    num(&p, 2, 0x3301A8C0u);
    num(&p, 3, 5050);
    str(&p, 4, "master@10.9.9.9:5052");
    str(&p, 5, "rohan");
    str(&p, 6, "0.28.2");
    sub(&p, 7, &a);
    struct master_info mi;
    const char *why = NULL;
    CHECK_INT(masterinfo_decode_pb(p.b, p.n, &mi, &why), 0);
    CHECK_S(mi.version, "0.28.2");
    CHECK_S(mi.pid, "master@10.9.9.9:5052");
    unsigned port = 0;
    CHECK_INT(best(&mi, &port), 0);
    CHECK_S(host, "gondor");
    CHECK_INT(port, 5051);
    mi.address.hostname[0] = '\0'; /* then the address's ip */
    CHECK_INT(best(&mi, &port), 0);
    CHECK_S(host, "192.168.1.51");
    mi.has_address = 0; /* then the hostname with the master's port */
    CHECK_INT(best(&mi, &port), 0);
    CHECK_S(host, "rohan");
    CHECK_INT(port, 5050);
    mi.hostname[0] = '\0'; /* then the pid */
    CHECK_INT(best(&mi, &port), 0);
    CHECK_S(host, "10.9.9.9");
    CHECK_INT(port, 5052);
    mi.pid[0] = '\0'; /* then the ip */
    CHECK_INT(best(&mi, &port), 0);
    CHECK_S(host, "192.168.1.51");
    mi.has_ip = 0;
    CHECK_INT(best(&mi, &port), -1);
    masterinfo_free(&mi);
}

TEST(masterinfo_pb_skips_unknown_fields)
{
    struct pb p = {.n = 0}, cap = {.n = 0};
    str(&p, 1, "id");
    num(&p, 2, 0x0100007Fu);
    num(&p, 3, 5050);
    num(&cap, 1, 1);
    sub(&p, 8, &cap);       /* capabilities */
    varint(&p, 9 << 3 | 1); /* unknown fixed64 */
    memset(p.b + p.n, 0xff, 8);
    p.n += 8;
    varint(&p, 10 << 3 | 5); /* unknown fixed32 */
    memset(p.b + p.n, 0xff, 4);
    p.n += 4;
    num(&p, 11, 0xffffffffffffffffull); /* unknown 10-byte varint */
    varint(&p, 1 << 3);                 /* field 1 with a wrong wire type: skipped */
    varint(&p, 7);
    struct master_info mi;
    const char *why = NULL;
    CHECK_INT(masterinfo_decode_pb(p.b, p.n, &mi, &why), 0);
    CHECK_S(mi.id, "id");
    unsigned port = 0;
    CHECK_INT(best(&mi, &port), 0);
    CHECK_S(host, "127.0.0.1");
    masterinfo_free(&mi);
}

TEST(masterinfo_pb_rejects_malformed)
{
    struct master_info mi;
    const char *why = NULL;
    static const unsigned char truncated_str[] = {0x0a, 0x05, 'a', 'b'};
    static const unsigned char truncated_varint[] = {0x10, 0xff, 0xff};
    static const unsigned char group[] = {0x1b, 0x1c};
    static const unsigned char field0[] = {0x00, 0x01};
    static const unsigned char bad_wire[] = {0x0f, 0x01};
    static const unsigned char nul[] = {0x0a, 0x02, 'a', 0};
    static const unsigned char overlong[] = {0x10, 0xff, 0xff, 0xff, 0xff, 0xff,
                                             0xff, 0xff, 0xff, 0xff, 0x7f};
    static const unsigned char addr_trunc[] = {0x3a, 0x03, 0x0a, 0x05, 'x'};
    CHECK_INT(masterinfo_decode_pb(truncated_str, sizeof truncated_str, &mi, &why), -1);
    CHECK_INT(masterinfo_decode_pb(truncated_varint, sizeof truncated_varint, &mi, &why), -1);
    CHECK_INT(masterinfo_decode_pb(group, sizeof group, &mi, &why), -1);
    CHECK_INT(masterinfo_decode_pb(field0, sizeof field0, &mi, &why), -1);
    CHECK_INT(masterinfo_decode_pb(bad_wire, sizeof bad_wire, &mi, &why), -1);
    CHECK_INT(masterinfo_decode_pb(nul, sizeof nul, &mi, &why), -1);
    CHECK_INT(masterinfo_decode_pb(overlong, sizeof overlong, &mi, &why), -1);
    CHECK_INT(masterinfo_decode_pb(addr_trunc, sizeof addr_trunc, &mi, &why), -1);
    CHECK_INT(masterinfo_decode_pb(group, 0, &mi, &why), -1);
}

TEST(masterinfo_json_facts_example)
{
    const char *j =
        "{\"id\":\"x\",\"ip\":855746752,\"port\":5051,\"pid\":\"master@192.168.1.51:5051\","
        "\"hostname\":\"gondor\",\"version\":\"0.24.0\",\"address\":{\"ip\":"
        "\"192.168.1.51\",\"hostname\":\"gondor\",\"port\":5051},\"capabilities\":[]}";
    struct master_info mi;
    const char *why = NULL;
    CHECK_INT(masterinfo_decode_json(j, strlen(j), &mi, &why), 0);
    char ip[16];
    masterinfo_ip_string(mi.ip, ip, sizeof ip);
    CHECK_S(ip, "192.168.1.51");
    unsigned port = 0;
    CHECK_INT(best(&mi, &port), 0);
    CHECK_S(host, "gondor");
    CHECK_INT(port, 5051);
    cJSON *o = masterinfo_to_json(&mi);
    char *s = cJSON_PrintUnformatted(o);
    CHECK_S(s, "{\"host\":\"gondor\",\"port\":5051,\"id\":\"x\",\"hostname\":\"gondor\",\"ip\":"
               "\"192.168.1.51\",\"pid\":\"master@192.168.1.51:5051\",\"version\":\"0.24.0\","
               "\"address\":{\"hostname\":\"gondor\",\"ip\":\"192.168.1.51\",\"port\":5051}}");
    free(s);
    cJSON_Delete(o);
    masterinfo_free(&mi);
}

TEST(masterinfo_json_rejects_bad_types)
{
    static const char *const bad[] = {
        "",
        "[]",
        "{\"ip\":-1}",
        "{\"ip\":4294967296}",
        "{\"ip\":1.5}",
        "{\"port\":\"5050\"}",
        "{\"hostname\":7}",
        "{\"address\":[]}",
        "{\"address\":{\"port\":2147483648}}",
        "{\"id\":\"x\"",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct master_info mi;
        const char *why = NULL;
        CHECK_INT(masterinfo_decode_json(bad[i], strlen(bad[i]), &mi, &why), -1);
    }
}

TEST(masterinfo_ipv6_and_bad_ports)
{
    struct master_info mi;
    memset(&mi, 0, sizeof mi);
    mi.has_address = 1;
    mi.address.ip = strdup("fd00::1");
    mi.address.has_port = 1;
    mi.address.port = 5050;
    unsigned port = 0;
    CHECK_INT(best(&mi, &port), 0);
    CHECK_S(host, "[fd00::1]");
    mi.address.port = 70000; /* unusable: falls through to nothing */
    CHECK_INT(best(&mi, &port), -1);
    mi.pid = strdup("master@h:99999");
    CHECK_INT(best(&mi, &port), -1);
    free(mi.pid);
    mi.pid = strdup("master@h:5050");
    CHECK_INT(best(&mi, &port), 0);
    CHECK_S(host, "h");
    masterinfo_free(&mi);
}

/* Issue 13, defect 7: what Mesos reads, zkinit reads: long strings, control characters, a
 * negative Address.port (an int32: -1 is a 10-byte varint in protobuf). */
TEST(masterinfo_decodes_what_mesos_decodes)
{
    static struct pb p, a;
    char big[70001];
    memset(big, 'h', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    p.n = a.n = 0;
    str(&p, 1, big + 70000 - 300); /* a 300-byte id */
    num(&p, 2, 0x0100007Fu);
    num(&p, 3, 5050);
    str(&p, 5, "tab\there");
    str(&a, 2, "10.0.0.1");
    num(&a, 3, 0xffffffffffffffffull); /* port -1 */
    sub(&p, 7, &a);
    struct master_info mi;
    const char *why = NULL;
    unsigned port = 0;
    CHECK_INT(masterinfo_decode_pb(p.b, p.n, &mi, &why), 0);
    CHECK_INT(strlen(mi.id), 300);
    CHECK_S(mi.hostname, "tab\there");
    CHECK_INT(mi.address.port, -1);
    CHECK_INT(best(&mi, &port), 0); /* the address is unusable: the hostname */
    CHECK_S(host, "tab\there");
    CHECK_INT(port, 5050);
    masterinfo_free(&mi);
    static char j[80000];
    snprintf(j, sizeof j,
             "{\"id\":\"%s\",\"hostname\":\"m\\u0001x\",\"port\":5050,"
             "\"address\":{\"ip\":\"10.0.0.2\",\"port\":-1}}",
             big);
    CHECK_INT(masterinfo_decode_json(j, strlen(j), &mi, &why), 0);
    CHECK_INT(strlen(mi.id), 70000);
    CHECK_S(mi.hostname, "m\001x");
    CHECK_INT(mi.address.port, -1);
    CHECK_INT(best(&mi, &port), 0);
    CHECK_S(host, "m\001x");
    masterinfo_free(&mi);
}
