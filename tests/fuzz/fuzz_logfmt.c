/* fuzz_logfmt.c - libFuzzer target for the logfmt value formatter: any bytes as the values of a
 * quoted and a bare %s; the line must never hold a newline or a control byte, every quote of a
 * value must be escaped (the line splits into exactly the format's keys), and no URL password
 * may survive. */
#include "util/logfmt.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Counts the unescaped quotes of S: a well-formed line has one pair per quoted value. */
static int bare_quotes(const char *s)
{
    int n = 0;
    for (const char *p = s; *p; p++) {
        if (*p == '\\' && p[1])
            p++;
        else if (*p == '"')
            n++;
    }
    return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char value[512], line[256];
    size_t n = size < sizeof value - 1 ? size : sizeof value - 1;
    memcpy(value, data, n);
    value[n] = '\0';
    size_t half = n / 2;
    char first[512];
    memcpy(first, value, half);
    first[half] = '\0';
    size_t len = logfmt_format(line, sizeof line, "a=\"%s\" b=%s n=%d", first, value + half, 7);
    if (len >= sizeof line || strlen(line) != len)
        abort();
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)line[i];
        if (c < 0x20 || c == 0x7f)
            abort();
    }
    if (len < sizeof line - 1 && bare_quotes(line) > 4) /* untruncated: a="…" and maybe b="…" */
        abort();
    if (strstr(line, "://u:SECRETPW@")) /* a URL's user information is always masked */
        abort();
    return 0;
}
