/* base64.c - standard base64 (RFC 4648, padded). */
#include "util/base64.h"

#include <string.h>

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

int base64_encode(const void *in, size_t len, char *out, size_t outlen)
{
    const unsigned char *p = in;
    size_t need = (len + 2) / 3 * 4;
    if (need + 1 > outlen)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 3) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < len)
            v |= (unsigned)p[i + 1] << 8;
        if (i + 2 < len)
            v |= p[i + 2];
        out[o++] = b64chars[(v >> 18) & 63];
        out[o++] = b64chars[(v >> 12) & 63];
        out[o++] = i + 1 < len ? b64chars[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? b64chars[v & 63] : '=';
    }
    out[o] = '\0';
    return (int)o;
}

static int b64val(char c)
{
    const char *p = c ? strchr(b64chars, c) : NULL;
    return p ? (int)(p - b64chars) : -1;
}

int base64_decode(const char *in, size_t len, char *out, size_t outlen)
{
    if (len % 4 != 0)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < len; i += 4) {
        int pad = 0;
        unsigned v = 0;
        for (size_t j = 0; j < 4; j++) {
            int d;
            if (in[i + j] == '=' && i + 4 == len && j >= 2) {
                d = 0;
                pad++;
            } else if (pad || (d = b64val(in[i + j])) < 0) {
                return -1;
            }
            v = v << 6 | (unsigned)d;
        }
        size_t n = 3 - (size_t)pad;
        if (o + n + 1 > outlen)
            return -1;
        out[o++] = (char)(v >> 16);
        if (n > 1)
            out[o++] = (char)(v >> 8);
        if (n > 2)
            out[o++] = (char)v;
    }
    if (o + 1 > outlen)
        return -1;
    out[o] = '\0';
    return (int)o;
}
