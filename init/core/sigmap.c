/* sigmap.c - signal names and numbers, and the --rewrite map. */
#include "core/sigmap.h"

#include "util/parse.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

static const struct {
    int sig;
    const char *name;
} names[] = {
    {SIGHUP, "HUP"},   {SIGINT, "INT"},       {SIGQUIT, "QUIT"}, {SIGILL, "ILL"},
    {SIGTRAP, "TRAP"}, {SIGABRT, "ABRT"},     {SIGBUS, "BUS"},   {SIGFPE, "FPE"},
    {SIGKILL, "KILL"}, {SIGUSR1, "USR1"},     {SIGSEGV, "SEGV"}, {SIGUSR2, "USR2"},
    {SIGPIPE, "PIPE"}, {SIGALRM, "ALRM"},     {SIGTERM, "TERM"}, {SIGSTKFLT, "STKFLT"},
    {SIGCHLD, "CHLD"}, {SIGCONT, "CONT"},     {SIGSTOP, "STOP"}, {SIGTSTP, "TSTP"},
    {SIGTTIN, "TTIN"}, {SIGTTOU, "TTOU"},     {SIGURG, "URG"},   {SIGXCPU, "XCPU"},
    {SIGXFSZ, "XFSZ"}, {SIGVTALRM, "VTALRM"}, {SIGPROF, "PROF"}, {SIGWINCH, "WINCH"},
    {SIGIO, "IO"},     {SIGPWR, "PWR"},       {SIGSYS, "SYS"},   {SIGABRT, "IOT"},
    {SIGIO, "POLL"},   {SIGCHLD, "CLD"},
};

/* "RTMIN+N" / "RTMAX-N" / "RTMIN" / "RTMAX" -> number, or -1. */
static int rt_from_name(const char *s)
{
    long off = 0;
    int base, sign;
    if (strncasecmp(s, "RTMIN", 5) == 0) {
        base = SIG_RTMIN;
        sign = 1;
    } else if (strncasecmp(s, "RTMAX", 5) == 0) {
        base = SIG_RTMAX;
        sign = -1;
    } else {
        return -1;
    }
    s += 5;
    if (*s) {
        if (*s != (sign > 0 ? '+' : '-') || parse_long(s + 1, 0, SIG_RTMAX - SIG_RTMIN, &off) != 0)
            return -1;
    }
    return base + sign * (int)off;
}

int sig_from_name(const char *s)
{
    long n;
    if (!s || !*s)
        return -1;
    if (parse_long(s, 1, SIG_RTMAX, &n) == 0)
        return (int)n;
    if (strncasecmp(s, "SIG", 3) == 0)
        s += 3;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (strcasecmp(s, names[i].name) == 0)
            return names[i].sig;
    }
    return rt_from_name(s);
}

const char *sig_name(int sig, char *buf, unsigned len)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (names[i].sig == sig) {
            snprintf(buf, len, "%s", names[i].name);
            return buf;
        }
    }
    if (sig >= SIG_RTMIN && sig <= SIG_RTMAX)
        snprintf(buf, len, "RTMIN+%d", sig - SIG_RTMIN);
    else
        snprintf(buf, len, "%d", sig);
    return buf;
}

void sigmap_init(struct sigmap *m)
{
    for (int i = 0; i < SIGMAP_SIZE; i++)
        m->to[i] = i;
}

static int parse_pair(struct sigmap *m, const char *pair, char *err, unsigned errlen)
{
    char from_s[32], to_s[32];
    const char *colon = strchr(pair, ':');
    size_t flen = colon ? (size_t)(colon - pair) : 0;
    if (!colon || flen == 0 || flen >= sizeof from_s || strlen(colon + 1) >= sizeof to_s) {
        snprintf(err, errlen, "\"%s\" is not FROM:TO (e.g. TERM:INT, or HUP:0 to drop)", pair);
        return -1;
    }
    memcpy(from_s, pair, flen);
    from_s[flen] = '\0';
    snprintf(to_s, sizeof to_s, "%s", colon + 1);
    int from = sig_from_name(from_s);
    int to = strcmp(to_s, "0") == 0 ? 0 : sig_from_name(to_s);
    if (from <= 0 || from >= SIGMAP_SIZE || from == SIGKILL || from == SIGSTOP || from == SIGCHLD) {
        snprintf(err, errlen, "\"%s\" is not a signal that can be rewritten", from_s);
        return -1;
    }
    if (to < 0 || to >= SIGMAP_SIZE) {
        snprintf(err, errlen, "\"%s\" is not a signal (use a name such as INT, a number, or 0)",
                 to_s);
        return -1;
    }
    m->to[from] = to;
    return 0;
}

int sigmap_parse(struct sigmap *m, const char *spec, char *err, unsigned errlen)
{
    char buf[256];
    if (strlen(spec) >= sizeof buf) {
        snprintf(err, errlen, "rewrite list too long");
        return -1;
    }
    snprintf(buf, sizeof buf, "%s", spec);
    char *save = NULL;
    int n = 0;
    for (char *tok = strtok_r(buf, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save), n++) {
        if (parse_pair(m, tok, err, errlen) != 0)
            return -1;
    }
    if (n == 0) {
        snprintf(err, errlen, "empty rewrite (use FROM:TO, e.g. TERM:INT)");
        return -1;
    }
    return 0;
}
