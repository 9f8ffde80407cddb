/* fuzz_zk_sightings.c - libFuzzer target for the steward's sightings table: any text parses or is
 * refused; what parses renders to text that parses back to the same table; the decision on it
 * never names this server and always says why. */
#include "zookeeper/zk_stale.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static struct zk_sightings a, b;

static const char cfg_text[] = "server.1=127.0.0.1:2888:3888:participant;127.0.0.1:2181 "
                               "server.2=127.0.0.2:2888:3888:participant;127.0.0.2:2181 "
                               "server.3=127.0.0.3:2888:3888:observer;127.0.0.3:2181";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char out[8192];
    char err[200];
    struct zk_ensemble cfg;
    struct zk_tend d;
    enum zk_answer ans[3] = {ZK_ANSWER_SERVING, ZK_ANSWER_NONE, ZK_ANSWER_SERVING};
    char *text = malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    if (zk_sightings_parse(text, &a) == 0) {
        if (zk_sightings_render(&a, out, sizeof out) != 0 || zk_sightings_parse(out, &b) != 0 ||
            memcmp(&a, &b, sizeof a) != 0)
            abort();
        if (zk_parse_config(cfg_text, &cfg, err, sizeof err) != 0)
            abort();
        struct zk_policy p = {1, 1000, 2};
        zk_tend_decide(&p, &cfg, ans, &a, a.epoch + 5000, &d);
        if (!d.why || (d.action != ZK_TEND_NONE && d.id == 1))
            abort();
    }
    free(text);
    return 0;
}
