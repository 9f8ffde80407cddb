/* ident.h - this node's ZooKeeper identity: server id (1..255) and address, resolved in
 * SPEC.md's order (MYID, ZOO_MY_ID, etcd, host-name ordinal, myid file, default 1). */
#ifndef ZKINIT_IDENT_H
#define ZKINIT_IDENT_H

#include <stddef.h>

#include "etcd/ident_reg.h" /* IDENT_ADDR_MAX */

struct identity {
    int id;
    char address[IDENT_ADDR_MAX]; /* canonical (inet_ntop) */
    /* "MYID", "ZOO_MY_ID", "etcd", "hostname", "myid-file", "default", or
     * "myid-file:etcd-unreachable" (etcd configured but not reachable; the myid file's id) */
    const char *source;
    char etcd_key[IDENT_ADDR_MAX];   /* with etcd: the registration key (name or address[:port]) */
    char moved_from[IDENT_ADDR_MAX]; /* with etcd: this node's address before this start, or "" */
};

/* Resolves (and with ETCD_ENDPOINTS allocates) the identity; DATA_DIR holds the myid file.
 * With etcd the registration is keyed by ZOO_NODE_NAME (default: the host name when HOST_IP is
 * unset and it is not a random container id), else by the address and ZOO_CLIENT_PORT.
 * Returns 0, or an exit code (64, 65, 69, 128+N on a stop signal) after logging one line that
 * names the input. */
int ident_resolve(const char *data_dir, struct identity *out);

/* Pure helpers (unit tested). The host name's ordinal: "zk-0" -> 1, "name-N" -> N+1 (N 0..254).
 * The content of a myid file: one number 1..255, blanks and newlines around it allowed.
 * Both return 0, or -1 when the text does not fit. */
int ident_hostname_ordinal(const char *host, int *id);
int ident_parse_myid(const char *text, int *id);
/* Reads DATA_DIR/myid (its path into PATH): 0 with *SET 0 when absent, 0 with *SET 1 and *ID, or
 * 65 after logging a file that cannot be read or holds no id. */
int ident_read_myid(const char *data_dir, char *path, size_t plen, int *id, int *set);

#endif
