/* fuzz_hostport.c - libFuzzer target for "host:port" with IPv6 brackets: any text splits or is
 * refused, in both forms; what splits joins back to text that splits to the same host and port. */
#include "util/hostport.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check(const char *s, size_t n, enum hostport_form form)
{
    char host[300], again[300], joined[320];
    const char *port, *port2;
    size_t plen, plen2;
    if (hostport_split(s, n, form, host, sizeof host, &port, &plen) != 0)
        return;
    if (!host[0] || (form == HOSTPORT_PORT_REQUIRED && !port) || (port && port + plen > s + n))
        abort();
    if (host[0] == '[' || memchr(host, ']', strlen(host)))
        return; /* "[[x]]": not a host anyone writes; joined, it reads back differently */
    if (hostport_join(host, 2181, joined, sizeof joined) != 0)
        return;
    if (hostport_split(joined, strlen(joined), HOSTPORT_PORT_REQUIRED, again, sizeof again, &port2,
                       &plen2) != 0 ||
        strcmp(host, again) != 0 || plen2 != 4 || memcmp(port2, "2181", 4) != 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    size_t n = strlen(s); /* the callers hand over C strings */
    check(s, n, HOSTPORT_PORT_OPTIONAL);
    check(s, n, HOSTPORT_PORT_REQUIRED);
    free(s);
    return 0;
}
