/* test_zk_4lw.c - the readers of a srvr answer: the zxid, the mode, a refusal by the whitelist,
 * and which modes serve. */
#include "unit.h"

#include "zkclient/zk_4lw.h"

#include <stdint.h>

TEST(srvr_zxid)
{
    uint64_t z = 0;
    CHECK_INT(zk_4lw_zxid("Zookeeper version: 3.8.0-debian\nLatency min/avg/max: 0/0.0/0\n"
                          "Zxid: 0x200000449\nMode: follower\nNode count: 5\n",
                          &z),
              0);
    CHECK(z == 0x200000449);
    CHECK_INT(zk_4lw_zxid("Zxid: 0x1a\r\nMode: standalone\r\n", &z), 0);
    CHECK(z == 0x1a);
    CHECK_INT(zk_4lw_zxid("This ZooKeeper instance is not currently serving requests\n", &z), -1);
    CHECK_INT(zk_4lw_zxid("Zxid: 0xzz\n", &z), -1);
    CHECK_INT(zk_4lw_zxid("Zxid: 0x11111111111111111\n", &z), -1);
}

TEST(srvr_mode_and_refusal)
{
    char mode[32];
    zk_4lw_mode("Zxid: 0x1a\r\nMode: leader\r\nNode count: 5\n", mode, sizeof mode);
    CHECK_STR(mode, "leader");
    zk_4lw_mode("This ZooKeeper instance is not currently serving requests\n", mode, sizeof mode);
    CHECK_STR(mode, "");
    CHECK(zk_4lw_refused("srvr is not executed because it is not in the whitelist.\n"));
    CHECK(!zk_4lw_refused("Mode: follower\n"));
    CHECK(zk_4lw_serving("observer") && zk_4lw_serving("standalone"));
    CHECK(!zk_4lw_serving("") && !zk_4lw_serving("looking"));
}
