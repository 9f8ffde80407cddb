/* redact.c - mask the user:password@ of URLs in text that is logged (see redact.h). */
#include "util/redact.h"

#include <string.h>

/* Whether C ends a URL's authority (RFC 3986: '/', '?', '#'), or the URL itself in running text. */
static int ends_authority(char c)
{
    return c == '/' || c == '?' || c == '#' || c == ' ' || c == '\t' || c == '\n' || c == '\r' ||
           c == ',' || c == '"' || c == '\'' || c == ';' || c == '<' || c == '>' || c == '\0';
}

/* Length of the user information (up to and without the last '@') of the authority at S, or 0. */
static size_t userinfo_len(const char *s, size_t n)
{
    size_t at = 0;
    int found = 0;
    for (size_t i = 0; i < n && !ends_authority(s[i]); i++) {
        if (s[i] == '@') {
            at = i;
            found = 1;
        }
    }
    return found ? at : 0;
}

static size_t put(char *out, size_t pos, size_t len, const char *s, size_t n)
{
    size_t room = len - 1 - pos;
    if (n > room)
        n = room;
    memcpy(out + pos, s, n);
    return pos + n;
}

size_t redact_urls(const char *in, size_t n, char *out, size_t len)
{
    size_t pos = 0, i = 0;
    if (len == 0)
        return 0;
    while (i < n && pos + 1 < len) {
        if (i + 3 <= n && memcmp(in + i, "://", 3) == 0) {
            pos = put(out, pos, len, "://", 3);
            i += 3;
            size_t u = userinfo_len(in + i, n - i);
            if (u > 0 || (i < n && in[i] == '@')) {
                pos = put(out, pos, len, "***", 3);
                i += u;
            }
            continue;
        }
        out[pos++] = in[i++];
    }
    out[pos] = '\0';
    return pos;
}
