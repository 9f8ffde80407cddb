/* sigmap.h - signal names and numbers, and the --rewrite map (pure parsers). */
#ifndef ZKINIT_SIGMAP_H
#define ZKINIT_SIGMAP_H

#define SIGMAP_SIZE 65 /* signals 1..64 */

/* Real-time signal names count from 34 as glibc, bash and procps do, in the musl build too
 * (musl's own SIGRTMIN is 35), so RTMIN+N means the same number for every zkinit binary. */
#define SIG_RTMIN 34
#define SIG_RTMAX 64

struct sigmap {
    int to[SIGMAP_SIZE]; /* to[received] = forwarded signal, 0 = dropped */
};

/* "TERM", "SIGTERM", "term", "15", "RTMIN+2", "SIGRTMAX-1" -> number; -1 if not a signal. */
int sig_from_name(const char *s);
/* Writes a name such as "TERM" or "RTMIN+2" for SIG into BUF. */
const char *sig_name(int sig, char *buf, unsigned len);
/* Identity map. */
void sigmap_init(struct sigmap *m);
/* Adds "FROM:TO[,FROM:TO...]" (TO may be 0 to drop). Returns 0, or -1 with ERR naming the part. */
int sigmap_parse(struct sigmap *m, const char *spec, char *err, unsigned errlen);

#endif
