/* fuzz_etcd.c - libFuzzer target for the etcd response parsers (v3 range and txn, v2 keys,
 * txn ranges, /version), the registry built from their keys, and base64: any body must parse or be
 * refused, never crash or overflow. */
#include "etcd/etcd.h"
#include "etcd/ident_reg.h"
#include "util/base64.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int count_kv(const char *key, const char *value, long long rev, void *arg)
{
    if (rev < 0)
        abort();
    if (!key || !value || strlen(value) >= ETCD_VALUE_MAX)
        abort();
    (*(int *)arg)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    char err[256], existing[ETCD_VALUE_MAX], small[4], b64[64];
    int n = 0, ok, has, code, ma, mi, more;
    int r = etcd_v3_parse_range(body, size, count_kv, &n, &more, err, sizeof err);
    if (r >= 0 && r != n)
        abort();
    n = 0;
    r = etcd_v3_parse_txn_ranges(body, size, &ok, count_kv, &n, err, sizeof err);
    if (r >= 0 && r != n)
        abort();
    etcd_v3_parse_txn(body, size, &ok, existing, sizeof existing, &has, err, sizeof err);
    etcd_v3_parse_txn(body, size, &ok, small, sizeof small, &has, err, sizeof err);
    n = 0;
    r = etcd_v2_parse(body, size, &code, count_kv, &n, err, sizeof err);
    if (r >= 0 && r != n)
        abort();
    /* every key and value an etcd answer can hold, filed into the registry */
    static struct ident_registry reg;
    ident_reg_init(&reg, "/z", 100000);
    etcd_v2_parse(body, size, &code, ident_reg_add, &reg, err, sizeof err);
    etcd_v3_parse_range(body, size, ident_reg_add, &reg, &more, err, sizeof err);
    if (reg.nregs > IDENT_REG_MAX || reg.npending > IDENT_PENDING_MAX)
        abort();
    ident_reg_rank(&reg, "10.0.0.1");
    if (ident_reg_pick(&reg, 3) < 0 || ident_reg_pick(&reg, 3) > IDENT_ID_MAX)
        abort();
    etcd_parse_version(body, size, &ma, &mi, err, sizeof err);
    int d = base64_decode(body, size, b64, sizeof b64);
    if (d >= (int)sizeof b64)
        abort();
    return 0;
}
