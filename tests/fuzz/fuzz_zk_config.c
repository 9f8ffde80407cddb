/* fuzz_zk_config.c - libFuzzer target for the ZOO_SERVERS / getconfig parser: any text must parse
 * or be refused with a message; what parses must render to lines that parse back the same. The
 * same text also goes through the compatibility forms (Bitnami's ZOO_SERVERS, ZOO_CFG_EXTRA, the
 * self entry rewrite): each is refused with a message or gives official entries that parse. */
#include "zookeeper/zk_compat.h"
#include "zookeeper/zk_config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct zk_ensemble a, b;
static char conv[16384];

static void compat_forms(const char *text)
{
    char err[256], role[ZK_ROLE_MAX], val[64];
    err[0] = '\0';
    int rc = zk_bitnami_servers(text, 2181, conv, sizeof conv, err, sizeof err);
    if (rc < 0 && !err[0])
        abort();
    if (rc > 0 && zk_parse_config(conv, &b, err, sizeof err) != 0 && !strstr(err, "listed twice") &&
        !strstr(err, "more than"))
        abort(); /* converted entries are official entries */
    err[0] = '\0';
    if (zk_extra_check(text, err, sizeof err) != 0 && !err[0])
        abort();
    zk_extra_get(text, "clientPort", val, sizeof val);
    zk_servers_role(text, 1, role, sizeof role);
    if (zk_servers_fix_self(text, 1, "10.0.0.1", conv, sizeof conv) == 1 &&
        !strstr(conv, "10.0.0.1"))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    compat_forms(text);
    err[0] = '\0';
    if (zk_parse_config(text, &a, err, sizeof err) != 0) {
        if (!err[0])
            abort(); /* every refusal says why */
        free(text);
        return 0;
    }
    char *dyn = zk_render_dynamic(&a);
    if (!dyn || zk_parse_config(dyn, &b, err, sizeof err) != 0 || b.n != a.n)
        abort();
    for (int i = 0; i < a.n; i++) {
        if (!zk_same_endpoint(&a.s[i], &b.s[i]) || strcmp(a.s[i].role, b.s[i].role) != 0 ||
            strcmp(a.s[i].client_addr, b.s[i].client_addr) != 0)
            abort();
    }
    char hosts[4096];
    zk_connect_string(&a, 0, hosts, sizeof hosts);
    free(dyn);
    free(text);
    return 0;
}
