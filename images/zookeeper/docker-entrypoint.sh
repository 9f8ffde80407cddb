#!/bin/sh
# docker-entrypoint.sh - for manifests that name the official image's entrypoint
# (command: ["/docker-entrypoint.sh"], args: ["zkServer.sh", "start-foreground"]): the same as the
# image's ENTRYPOINT, zkinit's zookeeper role, with the arguments as its COMMAND (none: zkinit's
# default, zkServer.sh start-foreground). Started by zkinit itself (the image's ENTRYPOINT with
# this script as COMMAND), the configuration is written already: run the arguments.
if [ -n "${ZKINIT_ZOOKEEPER_PREPARED:-}" ]; then
    if [ "$#" -eq 0 ]; then
        set -- zkServer.sh start-foreground
    fi
    exec "$@"
fi
if [ "$#" -eq 0 ]; then
    exec /sbin/zkinit zookeeper
fi
exec /sbin/zkinit zookeeper -- "$@"
