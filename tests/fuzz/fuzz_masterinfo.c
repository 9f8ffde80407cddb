/* fuzz_masterinfo.c - libFuzzer target for the hand-written protobuf MasterInfo decoder: any
 * bytes must decode or be refused, never crash or overflow; decoded strings are all present and
 * the address choice and JSON form work on whatever was decoded. */
#include "mesos/masterinfo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_str(const char *s)
{
    if (!s)
        abort(); /* a decoded registration has every string, "" when absent */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct master_info mi;
    const char *why = NULL;
    if (masterinfo_decode_pb(data, size, &mi, &why) != 0) {
        if (!why)
            abort();
        return 0;
    }
    check_str(mi.id);
    check_str(mi.pid);
    check_str(mi.hostname);
    check_str(mi.version);
    check_str(mi.address.hostname);
    check_str(mi.address.ip);
    char *host = NULL;
    unsigned port = 0;
    if (masterinfo_best(&mi, &host, &port) == 0 && (port == 0 || port > 65535 || !host))
        abort();
    free(host);
    cJSON_Delete(masterinfo_to_json(&mi));
    masterinfo_free(&mi);
    return 0;
}
