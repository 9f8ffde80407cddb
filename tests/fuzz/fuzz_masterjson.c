/* fuzz_masterjson.c - libFuzzer target for the JSON MasterInfo path (json.info_N nodes): any
 * bytes must decode or be refused; what decodes must print back as JSON. */
#include "mesos/masterinfo.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct master_info mi;
    const char *why = NULL;
    if (masterinfo_decode_json((const char *)data, size, &mi, &why) != 0) {
        if (!why)
            abort();
        return 0;
    }
    char *host = NULL;
    unsigned port = 0;
    if (masterinfo_best(&mi, &host, &port) == 0 &&
        (port == 0 || port > 65535 || !host || strlen(host) == 0))
        abort();
    free(host);
    cJSON *o = masterinfo_to_json(&mi);
    char *s = o ? cJSON_PrintUnformatted(o) : NULL;
    if (!s)
        abort();
    cJSON *back = cJSON_Parse(s);
    if (!back)
        abort();
    cJSON_Delete(back);
    free(s);
    cJSON_Delete(o);
    masterinfo_free(&mi);
    return 0;
}
