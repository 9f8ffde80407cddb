/* fuzz_zkurl.c - libFuzzer target for Mesos-style zk:// URLs: any text parses or is refused with
 * a reason; what parses formats back to a URL that parses to the same credentials, hosts (already
 * normal: they normalize to themselves) and path; a mask never shows ":password@" (unless the
 * path holds that text). */
#include "mesos/zkurl.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct zkurl a, b;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char url[ZKURL_AUTH_MAX + ZKURL_HOSTS_MAX + ZKURL_PATH_MAX + 16];
    static char hosts[ZKURL_HOSTS_MAX], masked[sizeof url];
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    const char *why = NULL;
    if (zkurl_parse(text, &a, &why) != 0) {
        if (!why)
            abort();
    } else if (zkurl_format(a.auth, a.hosts, a.path, url, sizeof url) == 0) {
        if (zkurl_parse(url, &b, &why) != 0 || strcmp(a.auth, b.auth) != 0 ||
            strcmp(a.hosts, b.hosts) != 0 || strcmp(a.path, b.path) != 0)
            abort();
        if (zkurl_hosts(a.hosts, hosts, sizeof hosts, &why) != 0 || strcmp(hosts, a.hosts) != 0)
            abort();
        char leak[ZKURL_AUTH_MAX + 2] = "";
        const char *colon = strchr(a.auth, ':');
        if (colon)
            snprintf(leak, sizeof leak, "%s@", colon); /* ":password@" */
        if (zkurl_mask(url, masked, sizeof masked) != 0 ||
            (colon && strcmp(colon, ":***") != 0 && strstr(masked, leak) && !strstr(a.path, leak)))
            abort();
    }
    free(text);
    return 0;
}
