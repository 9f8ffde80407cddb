/* exitcodes.h - the exit codes of zkinit itself (SPEC.md "Exit codes"). */
#ifndef ZKINIT_EXITCODES_H
#define ZKINIT_EXITCODES_H

enum {
    EXIT_USAGE = 64,       /* bad command line or environment value */
    EXIT_CONFIG = 65,      /* bad configuration file or template */
    EXIT_UNAVAILABLE = 69, /* a needed service (etcd, ZooKeeper) unreachable */
    EXIT_INTERNAL = 70,    /* internal error */
    EXIT_NOEXEC = 126,     /* COMMAND not executable */
    EXIT_NOTFOUND = 127,   /* COMMAND not found */
};

#endif
