/* fuzz_zk_config.c - libFuzzer target for the ZOO_SERVERS / getconfig parser: any text must parse
 * or be refused with a message; what parses must render to lines that parse back the same. */
#include "zk_config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct zk_ensemble a, b;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
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
