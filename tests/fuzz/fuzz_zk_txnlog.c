/* fuzz_zk_txnlog.c - libFuzzer target for the transaction log reader: any bytes are read or
 * refused with a reason, never past their end; what it reports is consistent (records end where
 * it says, a last zxid only with records), and the bytes after the end never change the answer. */
#include "zookeeper/zk_txnlog.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct zk_txnlog_info a, b;
    char err[160];
    /* an exact-size copy: AddressSanitizer catches a read past the end */
    unsigned char *copy = malloc(size ? size : 1);
    if (!copy)
        return 0;
    memcpy(copy, data, size);
    err[0] = '\0';
    if (zk_txnlog_scan(copy, size, &a, err, sizeof err) != 0) {
        if (!err[0] || (size >= ZK_TXNLOG_HEADER_LEN && memcmp(copy, "ZKLG", 4) == 0))
            abort(); /* every refusal says why; a log with its magic is never refused */
        free(copy);
        return 0;
    }
    if (a.end_offset > size || a.end_offset < ZK_TXNLOG_HEADER_LEN ||
        (a.records == 0 && (a.last_zxid || a.first_zxid)))
        abort();
    /* the records alone read the same (ending at EOF or on the zero tail) */
    if (zk_txnlog_scan(copy, a.end_offset, &b, err, sizeof err) != 0 || b.records != a.records ||
        b.last_zxid != a.last_zxid || b.end != ZK_TXNLOG_END_EOF)
        abort();
    (void)zk_txnlog_end_name(a.end);
    free(copy);
    return 0;
}
