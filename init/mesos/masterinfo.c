/* masterinfo.c - decodes Mesos MasterInfo registrations (see masterinfo.h). */
#include "mesos/masterinfo.h"

#include "util/hostport.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { WT_VARINT = 0, WT_FIXED64 = 1, WT_LEN = 2, WT_FIXED32 = 5 };

struct pbuf {
    const unsigned char *p, *end;
};

static int read_varint(struct pbuf *b, uint64_t *v)
{
    uint64_t r = 0;
    for (int shift = 0; shift < 70; shift += 7) {
        if (b->p >= b->end)
            return -1;
        unsigned char c = *b->p++;
        if (shift == 63 && (c & 0x7e))
            return -1; /* more than 64 bits */
        r |= (uint64_t)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = r;
            return 0;
        }
    }
    return -1;
}

/* A length-delimited field's bytes. */
static int read_bytes(struct pbuf *b, const unsigned char **start, size_t *n)
{
    uint64_t len;
    if (read_varint(b, &len) != 0 || len > (uint64_t)(b->end - b->p))
        return -1;
    *start = b->p;
    *n = (size_t)len;
    b->p += len;
    return 0;
}

static int skip_field(struct pbuf *b, unsigned wt)
{
    uint64_t v;
    const unsigned char *s;
    size_t n;
    switch (wt) {
    case WT_VARINT:
        return read_varint(b, &v);
    case WT_FIXED64:
    case WT_FIXED32: {
        size_t need = wt == WT_FIXED64 ? 8 : 4;
        if ((size_t)(b->end - b->p) < need)
            return -1;
        b->p += need;
        return 0;
    }
    case WT_LEN:
        return read_bytes(b, &s, &n);
    default:
        return -1; /* groups (3, 4) and invalid wire types */
    }
}

/* *OUT = a copy of the N bytes at S (replacing what it held). Any byte but NUL. */
static int copy_str(const unsigned char *s, size_t n, char **out)
{
    if (memchr(s, '\0', n))
        return -1;
    char *c = malloc(n + 1);
    if (!c)
        return -1;
    memcpy(c, s, n);
    c[n] = '\0';
    free(*out);
    *out = c;
    return 0;
}

#define MI_STRINGS 6

/* The addresses of MI's string fields. */
static void string_slots(struct master_info *mi, char **slots[MI_STRINGS])
{
    slots[0] = &mi->id;
    slots[1] = &mi->pid;
    slots[2] = &mi->hostname;
    slots[3] = &mi->version;
    slots[4] = &mi->address.hostname;
    slots[5] = &mi->address.ip;
}

void masterinfo_free(struct master_info *mi)
{
    char **owned[MI_STRINGS];
    string_slots(mi, owned);
    for (int i = 0; i < MI_STRINGS; i++) {
        free(owned[i][0]);
        *owned[i] = NULL;
    }
}

/* Absent strings become "" (so that every field can be read). -1 when out of memory. */
static int fill_absent(struct master_info *mi)
{
    char **fields[MI_STRINGS];
    string_slots(mi, fields);
    for (int i = 0; i < MI_STRINGS; i++) {
        if (!*fields[i] && !(*fields[i] = calloc(1, 1)))
            return -1;
    }
    return 0;
}

/* The end of a decode: fills absent strings, or frees everything on failure. */
static int finish(struct master_info *mi, int rc, const char **why)
{
    if (rc == 0 && fill_absent(mi) != 0) {
        *why = "out of memory";
        rc = -1;
    }
    if (rc != 0)
        masterinfo_free(mi);
    return rc;
}

static int decode_address(const unsigned char *s, size_t n, struct master_info *out,
                          const char **why)
{
    struct pbuf b = {s, s + n};
    out->has_address = 1;
    while (b.p < b.end) {
        uint64_t key, v;
        const unsigned char *fs;
        size_t fn;
        if (read_varint(&b, &key) != 0 || (key >> 3) == 0) {
            *why = "bad field key in address";
            return -1;
        }
        unsigned field = (unsigned)(key >> 3), wt = (unsigned)(key & 7);
        if ((field == 1 || field == 2) && wt == WT_LEN) {
            char **dst = field == 1 ? &out->address.hostname : &out->address.ip;
            if (read_bytes(&b, &fs, &fn) != 0 || copy_str(fs, fn, dst) != 0) {
                *why = "bad string in address";
                return -1;
            }
        } else if (field == 3 && wt == WT_VARINT) {
            if (read_varint(&b, &v) != 0) {
                *why = "truncated address port";
                return -1;
            }
            out->address.has_port = 1;
            out->address.port = (int32_t)(uint32_t)v; /* int32: negatives are 10-byte varints */
        } else if (skip_field(&b, wt) != 0) {
            *why = "truncated or unsupported field in address";
            return -1;
        }
    }
    return 0;
}

static char **string_field(struct master_info *out, unsigned field)
{
    switch (field) {
    case 1:
        return &out->id;
    case 4:
        return &out->pid;
    case 5:
        return &out->hostname;
    case 6:
        return &out->version;
    default:
        return NULL;
    }
}

static int decode_field(struct pbuf *b, unsigned field, unsigned wt, struct master_info *out,
                        const char **why)
{
    char **dst = string_field(out, field);
    const unsigned char *s;
    size_t n;
    uint64_t v;
    if (dst && wt == WT_LEN) {
        if (read_bytes(b, &s, &n) != 0 || copy_str(s, n, dst) != 0) {
            *why = "bad string field";
            return -1;
        }
    } else if ((field == 2 || field == 3) && wt == WT_VARINT) {
        if (read_varint(b, &v) != 0) {
            *why = "truncated number";
            return -1;
        }
        if (field == 2) {
            out->has_ip = 1;
            out->ip = (uint32_t)v;
        } else {
            out->has_port = 1;
            out->port = (uint32_t)v;
        }
    } else if (field == 7 && wt == WT_LEN) {
        if (read_bytes(b, &s, &n) != 0) {
            *why = "truncated address";
            return -1;
        }
        return decode_address(s, n, out, why);
    } else if (skip_field(b, wt) != 0) {
        *why = "truncated or unsupported field";
        return -1;
    }
    return 0;
}

int masterinfo_decode_pb(const unsigned char *buf, size_t len, struct master_info *out,
                         const char **why)
{
    struct pbuf b = {buf, buf + len};
    memset(out, 0, sizeof *out);
    if (len == 0) {
        *why = "empty registration";
        return -1;
    }
    int rc = 0;
    while (rc == 0 && b.p < b.end) {
        uint64_t key;
        if (read_varint(&b, &key) != 0 || (key >> 3) == 0 || (key >> 3) > 536870911u) {
            *why = "bad field key";
            rc = -1;
        } else {
            rc = decode_field(&b, (unsigned)(key >> 3), (unsigned)(key & 7), out, why);
        }
    }
    return finish(out, rc, why);
}

static int json_string(const cJSON *obj, const char *name, char **out, const char **why)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!it)
        return 0;
    const char *s = cJSON_GetStringValue(it);
    if (!s || copy_str((const unsigned char *)s, strlen(s), out) != 0) {
        *why = "a string field is not a string";
        return -1;
    }
    return 0;
}

/* Address.port: an int32 (Mesos reads a negative one; it is unusable as an address). */
static int json_int32(const cJSON *obj, const char *name, int *has, int32_t *out, const char **why)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!it)
        return 0;
    double d = cJSON_IsNumber(it) ? it->valuedouble : 0.5;
    if (!(d >= -2147483648.0 && d <= 2147483647.0) || (double)(int32_t)d != d) {
        *why = "a number field is not a 32-bit integer";
        return -1;
    }
    *has = 1;
    *out = (int32_t)d;
    return 0;
}

static int json_uint32(const cJSON *obj, const char *name, int *has, uint32_t *out,
                       const char **why)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, name);
    if (!it)
        return 0;
    double d = cJSON_IsNumber(it) ? it->valuedouble : -1;
    if (!(d >= 0 && d <= 4294967295.0) || (double)(uint32_t)d != d) {
        *why = "a number field is not an unsigned 32-bit integer";
        return -1;
    }
    *has = 1;
    *out = (uint32_t)d;
    return 0;
}

static int decode_json_object(const cJSON *root, struct master_info *out, const char **why)
{
    if (!cJSON_IsObject(root)) {
        *why = "not a JSON object";
        return -1;
    }
    if (json_string(root, "id", &out->id, why) || json_string(root, "pid", &out->pid, why) ||
        json_string(root, "hostname", &out->hostname, why) ||
        json_string(root, "version", &out->version, why) ||
        json_uint32(root, "ip", &out->has_ip, &out->ip, why) ||
        json_uint32(root, "port", &out->has_port, &out->port, why))
        return -1;
    const cJSON *a = cJSON_GetObjectItemCaseSensitive(root, "address");
    if (!a)
        return 0;
    if (!cJSON_IsObject(a)) {
        *why = "address is not an object";
        return -1;
    }
    out->has_address = 1;
    if (json_string(a, "hostname", &out->address.hostname, why) ||
        json_string(a, "ip", &out->address.ip, why) ||
        json_int32(a, "port", &out->address.has_port, &out->address.port, why))
        return -1;
    return 0;
}

int masterinfo_decode_json(const char *buf, size_t len, struct master_info *out, const char **why)
{
    memset(out, 0, sizeof *out);
    cJSON *root = cJSON_ParseWithLength(buf, len);
    if (!root) {
        *why = "not valid JSON";
        return -1;
    }
    int rc = decode_json_object(root, out, why);
    cJSON_Delete(root);
    return finish(out, rc, why);
}

void masterinfo_ip_string(uint32_t ip, char *out, size_t len)
{
    snprintf(out, len, "%u.%u.%u.%u", ip & 0xff, (ip >> 8) & 0xff, (ip >> 16) & 0xff, ip >> 24);
}

static int set_host(const char *h, size_t n, long port, char **host, unsigned *pp)
{
    if (n == 0 || port <= 0 || port > 65535)
        return -1;
    char *out = malloc(n + 3);
    if (!out)
        return -1;
    host_bracket(h, n, out, n + 3);
    *host = out;
    *pp = (unsigned)port;
    return 0;
}

/* "master@host:port" -> host, port. */
static int from_pid(const char *pid, char **host, unsigned *port)
{
    const char *at = strchr(pid, '@');
    const char *h = at ? at + 1 : pid;
    const char *colon = strrchr(h, ':');
    if (!colon || colon == h || colon[1] == '\0' || strlen(colon + 1) > 5)
        return -1;
    long p = 0;
    for (const char *c = colon + 1; *c; c++) {
        if (*c < '0' || *c > '9')
            return -1;
        p = p * 10 + (*c - '0');
    }
    return set_host(h, (size_t)(colon - h), p, host, port);
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

int masterinfo_best(const struct master_info *mi, char **host, unsigned *port)
{
    long mport = mi->has_port ? (long)mi->port : 5050;
    if (mi->has_address) {
        long aport = mi->address.has_port ? (long)mi->address.port : mport;
        const char *h =
            or_empty(mi->address.hostname)[0] ? mi->address.hostname : or_empty(mi->address.ip);
        if (set_host(h, strlen(h), aport, host, port) == 0)
            return 0;
    }
    const char *hn = or_empty(mi->hostname);
    if (set_host(hn, strlen(hn), mport, host, port) == 0)
        return 0;
    if (or_empty(mi->pid)[0] && from_pid(mi->pid, host, port) == 0)
        return 0;
    if (mi->has_ip) {
        char ip[16];
        masterinfo_ip_string(mi->ip, ip, sizeof ip);
        return set_host(ip, strlen(ip), mport, host, port);
    }
    return -1;
}

static void add_str(cJSON *o, const char *name, const char *v)
{
    if (v && v[0])
        cJSON_AddStringToObject(o, name, v);
}

cJSON *masterinfo_to_json(const struct master_info *mi)
{
    cJSON *o = cJSON_CreateObject();
    if (!o)
        return NULL;
    char *host = NULL;
    unsigned port;
    if (masterinfo_best(mi, &host, &port) == 0) {
        cJSON_AddStringToObject(o, "host", host);
        cJSON_AddNumberToObject(o, "port", port);
        free(host);
    }
    add_str(o, "id", mi->id);
    add_str(o, "hostname", mi->hostname);
    if (mi->has_ip) {
        char ip[16];
        masterinfo_ip_string(mi->ip, ip, sizeof ip);
        cJSON_AddStringToObject(o, "ip", ip);
    }
    add_str(o, "pid", mi->pid);
    add_str(o, "version", mi->version);
    if (mi->has_address) {
        cJSON *a = cJSON_AddObjectToObject(o, "address");
        if (a) {
            add_str(a, "hostname", mi->address.hostname);
            add_str(a, "ip", mi->address.ip);
            if (mi->address.has_port)
                cJSON_AddNumberToObject(a, "port", mi->address.port);
        }
    }
    return o;
}
