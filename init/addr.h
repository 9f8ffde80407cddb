/* addr.h - this node's address: HOST_IP, else the host name's non-loopback address, else the
 * first non-loopback interface address. */
#ifndef ZKINIT_ADDR_H
#define ZKINIT_ADDR_H

#include <stddef.h>

/* 1 if S is a valid IPv4 or IPv6 literal. */
int addr_is_literal(const char *s);
/* Returns 0 with the address in OUT, or an exit code (64 for a bad HOST_IP) after logging. */
int addr_detect(char *out, size_t len);

#endif
