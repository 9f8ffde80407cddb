/* mesos_masterurl.h - a Mesos master URL as Mesos's MasterDetector::create reads it (blanks
 * around it ignored, `file:///path` replaced by the content of that file), for the values
 * zkinit itself uses: the wait for a leader and Marathon's derived --zk. */
#ifndef ZKINIT_MESOS_MASTERURL_H
#define ZKINIT_MESOS_MASTERURL_H

#include <stddef.h>

/* VALUE without the blanks around it into OUT; for `file://PATH`, the trimmed content of PATH
 * (followed once more if that is file:// again). OUT may be zk://... or host:port. Returns 0, or
 * -1 with *WHY set (unreadable file, too long, a file:// loop). */
int mesos_master_url(const char *value, char *out, size_t len, const char **why);

#endif
