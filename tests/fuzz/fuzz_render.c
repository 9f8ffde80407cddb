/* fuzz_render.c - libFuzzer target for the template renderer: any bytes, a fixed environment;
 * success must give a NUL-terminated result of the reported length, failure a message. */
#include "tools/render.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *lookup(const char *name, void *ctx)
{
    (void)ctx;
    if (strcmp(name, "A") == 0)
        return "alpha";
    if (strcmp(name, "EMPTY") == 0)
        return "";
    if (strcmp(name, "NL") == 0)
        return "a\nb";
    if (strcmp(name, "DOLLAR") == 0)
        return "${A}$$";
    return NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *out = NULL, err[256];
    size_t len = 0;
    int rc = render_template((const char *)data, size, "fuzz.tmpl", lookup, NULL, &out, &len, err,
                             sizeof err);
    if (rc == 0) {
        if (!out || out[len] != '\0')
            abort();
        free(out);
    } else if (out || strncmp(err, "fuzz.tmpl:", 10) != 0) {
        abort();
    }
    return 0;
}
