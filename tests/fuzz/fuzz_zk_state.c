/* fuzz_zk_state.c - libFuzzer target for the membership state file parser: any text parses or is
 * refused with a reason; what parses renders to a file that parses back to the same state. */
#include "zookeeper/zk_state.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct zk_state a, b;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    err[0] = '\0';
    if (zk_state_parse(text, &a, err, sizeof err) != 0) {
        if (!err[0])
            abort(); /* every refusal says why */
        free(text);
        return 0;
    }
    char *out = zk_state_render(&a);
    if (!out || zk_state_parse(out, &b, err, sizeof err) != 0 || b.status != a.status ||
        b.id != a.id || b.config.n != a.config.n ||
        strcmp(b.config.version, a.config.version) != 0 ||
        (strcmp(a.note, b.note) != 0 && !strpbrk(a.note, "\r")))
        abort();
    free(out);
    free(text);
    return 0;
}
