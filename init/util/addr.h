/* addr.h - this node's address: HOST_IP, else the host name's non-loopback address, else the
 * first non-loopback interface address. */
#ifndef ZKINIT_ADDR_H
#define ZKINIT_ADDR_H

#include <stddef.h>

/* 1 if S is a valid IPv4 or IPv6 literal. */
int addr_is_literal(const char *s);
/* Pure: the canonical text of an IPv4/IPv6 literal (inet_pton then inet_ntop: "FD00:0::1" ->
 * "fd00::1"). 0, or -1 when S is not a literal or OUT is too small. */
int addr_canonical(const char *s, char *out, size_t len);
/* Returns 0 with the (canonical) address in OUT, or an exit code (64 for a bad HOST_IP) after
 * logging. */
int addr_detect(char *out, size_t len);

#endif
