/* masterinfo.h - a Mesos master's registration in ZooKeeper: the protobuf MasterInfo (Mesos
 * 0.17-0.23, `info_N`) or its JSON form (>= 0.24, `json.info_N`), decoded by pure functions. */
#ifndef ZKINIT_MASTERINFO_H
#define ZKINIT_MASTERINFO_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

/* Strings are malloc'd, "" when absent, of any length and content but NUL (as Mesos reads them:
 * no limit, control characters kept); masterinfo_free releases them. */
struct master_info {
    char *id;
    int has_ip;
    uint32_t ip; /* as Mesos stores it: the in_addr's bytes read as a little-endian uint32
                  * (MESOS-1201), so 192.168.1.51 is 0x3301A8C0 */
    int has_port;
    uint32_t port;
    char *pid; /* "master@192.168.1.51:5050" */
    char *hostname;
    char *version;
    int has_address;
    struct {
        char *hostname;
        char *ip;
        int has_port;
        int32_t port; /* Address.port is an int32: a negative one is read, and unusable */
    } address;
};

/* Frees MI's strings (a decoded or zeroed struct; decoders free what they decoded on failure). */
void masterinfo_free(struct master_info *mi);

/* Decodes a protobuf MasterInfo (fields 1-7; unknown fields skipped). 0, or -1 with *WHY set
 * (MI then holds nothing to free). */
int masterinfo_decode_pb(const unsigned char *buf, size_t len, struct master_info *out,
                         const char **why);
/* Decodes the JSON form. 0, or -1 with *WHY set. */
int masterinfo_decode_json(const char *buf, size_t len, struct master_info *out, const char **why);

/* Dotted quad of Mesos's ip field ("192.168.1.51" for 0x3301A8C0). */
void masterinfo_ip_string(uint32_t ip, char *out, size_t len);

/* The address to reach the master: address (hostname, else ip), then hostname, then pid's
 * host:port, then ip. Returns 0 with *HOST (malloc'd, an IPv6 literal in brackets) and *PORT
 * (1..65535), or -1 when none is usable (or out of memory). */
int masterinfo_best(const struct master_info *mi, char **host, unsigned *port);

/* A JSON object describing MI ("host", "port" and every field present, ip as dotted quad), or
 * NULL when out of memory. The caller frees it with cJSON_Delete. */
cJSON *masterinfo_to_json(const struct master_info *mi);

#endif
