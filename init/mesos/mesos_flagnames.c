/* mesos_flagnames.c - the flag names the daemons load, as data (see mesos_flagnames.h).
 *
 * Taken from the sources, not from documentation:
 *   mesos-master, mesos-agent: apache/mesos 1.7.0 (commit
 * 8419b870c571ac11825c883fa20ea3b7d4348d34): src/master/flags.cpp, src/slave/flags.cpp,
 * src/logging/flags.cpp (every add(&Flags::...), a DeprecatedName as its own entry), booleans from
 * the members' types in the flags.hpp files, and stout's --help. marathon: mesosphere/marathon
 * v1.6.352 (commit 0449391819f28173833b5618b31b91d62ee1bbeb), every opt[...]/toggle(...) under
 * src/main (toggles also as disable_NAME), plus the HTTP flags of its dependency mesosphere/chaos
 * (HttpConf.scala, commit 29357829032f). Sorted case-insensitively: the daemons see lower-cased
 * names (Marathon's start script lower-cases MARATHON_* names, Mesos reads MESOS_NAME as name).
 * Lists (values on several lines of a flag file are joined): the flags whose help text says
 * "comma-separated" (and --isolation), and the agent's ';'-separated --attributes/--resources.
 * tests/unit/data/flags-*.txt hold the lists extracted from those sources by
 * tests/unit/data/extract_flags.py; test_mesos_flagnames.c checks these tables against them. */
#include "mesos/mesos_flagnames.h"

#include <string.h>
#include <strings.h>

static const struct flag_name master_flags[] = {
    {"acls", FLAG_VALUE, NULL},
    {"advertise_ip", FLAG_VALUE, NULL},
    {"advertise_port", FLAG_VALUE, NULL},
    {"agent_ping_timeout", FLAG_VALUE, NULL},
    {"agent_removal_rate_limit", FLAG_VALUE, NULL},
    {"agent_reregister_timeout", FLAG_VALUE, NULL},
    {"allocation_interval", FLAG_VALUE, NULL},
    {"allocator", FLAG_VALUE, NULL},
    {"authenticate", FLAG_BOOL, "authenticate_frameworks"},
    {"authenticate_agents", FLAG_BOOL, NULL},
    {"authenticate_frameworks", FLAG_BOOL, NULL},
    {"authenticate_http", FLAG_BOOL, "authenticate_http_readwrite"},
    {"authenticate_http_frameworks", FLAG_BOOL, NULL},
    {"authenticate_http_readonly", FLAG_BOOL, NULL},
    {"authenticate_http_readwrite", FLAG_BOOL, NULL},
    {"authenticate_slaves", FLAG_BOOL, "authenticate_agents"},
    {"authentication_v0_timeout", FLAG_VALUE, NULL},
    {"authenticators", FLAG_VALUE, NULL},
    {"authorizers", FLAG_VALUE, NULL},
    {"cluster", FLAG_VALUE, NULL},
    {"credentials", FLAG_VALUE, NULL},
    {"domain", FLAG_VALUE, NULL},
    {"external_log_file", FLAG_VALUE, NULL},
    {"fair_sharing_excluded_resource_names", FLAG_LIST_COMMA, NULL},
    {"filter_gpu_resources", FLAG_BOOL, NULL},
    {"firewall_rules", FLAG_VALUE, NULL},
    {"framework_sorter", FLAG_VALUE, NULL},
    {"help", FLAG_BOOL, NULL},
    {"hooks", FLAG_LIST_COMMA, NULL},
    {"hostname", FLAG_VALUE, NULL},
    {"hostname_lookup", FLAG_BOOL, NULL},
    {"http_authenticators", FLAG_VALUE, NULL},
    {"http_framework_authenticators", FLAG_VALUE, NULL},
    {"initialize_driver_logging", FLAG_BOOL, NULL},
    {"ip", FLAG_VALUE, NULL},
    {"ip_discovery_command", FLAG_VALUE, NULL},
    {"log_auto_initialize", FLAG_BOOL, NULL},
    {"log_dir", FLAG_VALUE, NULL},
    {"logbufsecs", FLAG_VALUE, NULL},
    {"logging_level", FLAG_VALUE, NULL},
    {"master_contender", FLAG_VALUE, NULL},
    {"master_detector", FLAG_VALUE, NULL},
    {"max_agent_ping_timeouts", FLAG_VALUE, NULL},
    {"max_completed_frameworks", FLAG_VALUE, NULL},
    {"max_completed_tasks_per_framework", FLAG_VALUE, NULL},
    {"max_executors_per_agent", FLAG_VALUE, NULL},
    {"max_executors_per_slave", FLAG_VALUE, "max_executors_per_agent"},
    {"max_slave_ping_timeouts", FLAG_VALUE, "max_agent_ping_timeouts"},
    {"max_unreachable_tasks_per_framework", FLAG_VALUE, NULL},
    {"memory_profiling", FLAG_BOOL, NULL},
    {"min_allocatable_resources", FLAG_VALUE, NULL},
    {"modules", FLAG_VALUE, NULL},
    {"modules_dir", FLAG_VALUE, NULL},
    {"offer_timeout", FLAG_VALUE, NULL},
    {"port", FLAG_VALUE, NULL},
    {"quiet", FLAG_BOOL, NULL},
    {"quorum", FLAG_VALUE, NULL},
    {"rate_limits", FLAG_VALUE, NULL},
    {"recovery_agent_removal_limit", FLAG_VALUE, NULL},
    {"recovery_slave_removal_limit", FLAG_VALUE, "recovery_agent_removal_limit"},
    {"registry", FLAG_VALUE, NULL},
    {"registry_fetch_timeout", FLAG_VALUE, NULL},
    {"registry_gc_interval", FLAG_VALUE, NULL},
    {"registry_max_agent_age", FLAG_VALUE, NULL},
    {"registry_max_agent_count", FLAG_VALUE, NULL},
    {"registry_store_timeout", FLAG_VALUE, NULL},
    {"registry_strict", FLAG_BOOL, NULL},
    {"require_agent_domain", FLAG_BOOL, NULL},
    {"role_sorter", FLAG_VALUE, NULL},
    {"roles", FLAG_LIST_COMMA, NULL},
    {"root_submissions", FLAG_BOOL, NULL},
    {"slave_ping_timeout", FLAG_VALUE, "agent_ping_timeout"},
    {"slave_removal_rate_limit", FLAG_VALUE, "agent_removal_rate_limit"},
    {"slave_reregister_timeout", FLAG_VALUE, "agent_reregister_timeout"},
    {"user_sorter", FLAG_VALUE, "role_sorter"},
    {"version", FLAG_BOOL, NULL},
    {"webui_dir", FLAG_VALUE, NULL},
    {"weights", FLAG_LIST_COMMA, NULL},
    {"whitelist", FLAG_VALUE, NULL},
    {"work_dir", FLAG_VALUE, NULL},
    {"zk", FLAG_VALUE, NULL},
    {"zk_session_timeout", FLAG_VALUE, NULL},
};

static const struct flag_name agent_flags[] = {
    {"acls", FLAG_VALUE, NULL},
    {"advertise_ip", FLAG_VALUE, NULL},
    {"advertise_port", FLAG_VALUE, NULL},
    {"agent_features", FLAG_VALUE, NULL},
    {"agent_subsystems", FLAG_LIST_COMMA, NULL},
    {"allowed_capabilities", FLAG_VALUE, "effective_capabilities"},
    {"allowed_devices", FLAG_VALUE, NULL},
    {"appc_simple_discovery_uri_prefix", FLAG_VALUE, NULL},
    {"appc_store_dir", FLAG_VALUE, NULL},
    {"attributes", FLAG_LIST_SEMI, NULL},
    {"authenticate_http_executors", FLAG_BOOL, NULL},
    {"authenticate_http_readonly", FLAG_BOOL, NULL},
    {"authenticate_http_readwrite", FLAG_BOOL, NULL},
    {"authenticatee", FLAG_VALUE, NULL},
    {"authentication_backoff_factor", FLAG_VALUE, NULL},
    {"authentication_timeout_max", FLAG_VALUE, NULL},
    {"authentication_timeout_min", FLAG_VALUE, NULL},
    {"authorizer", FLAG_VALUE, NULL},
    {"bounding_capabilities", FLAG_VALUE, NULL},
    {"cgroups_cpu_enable_pids_and_tids_count", FLAG_BOOL, NULL},
    {"cgroups_destroy_timeout", FLAG_VALUE, NULL},
    {"cgroups_enable_cfs", FLAG_BOOL, NULL},
    {"cgroups_hierarchy", FLAG_VALUE, NULL},
    {"cgroups_limit_swap", FLAG_BOOL, NULL},
    {"cgroups_net_cls_primary_handle", FLAG_VALUE, NULL},
    {"cgroups_net_cls_secondary_handles", FLAG_VALUE, NULL},
    {"cgroups_root", FLAG_VALUE, NULL},
    {"check_agent_port_range_only", FLAG_BOOL, NULL},
    {"container_disk_watch_interval", FLAG_VALUE, NULL},
    {"container_logger", FLAG_VALUE, NULL},
    {"container_ports_watch_interval", FLAG_VALUE, NULL},
    {"containerizers", FLAG_LIST_COMMA, NULL},
    {"credential", FLAG_VALUE, NULL},
    {"default_container_dns", FLAG_VALUE, NULL},
    {"default_container_info", FLAG_VALUE, NULL},
    {"default_role", FLAG_VALUE, NULL},
    {"disallow_sharing_agent_pid_namespace", FLAG_BOOL, NULL},
    {"disk_profile_adaptor", FLAG_VALUE, NULL},
    {"disk_watch_interval", FLAG_VALUE, NULL},
    {"docker", FLAG_VALUE, NULL},
    {"docker_config", FLAG_VALUE, NULL},
    {"docker_kill_orphans", FLAG_BOOL, NULL},
    {"docker_mesos_image", FLAG_VALUE, NULL},
    {"docker_registry", FLAG_VALUE, NULL},
    {"docker_remove_delay", FLAG_VALUE, NULL},
    {"docker_socket", FLAG_VALUE, NULL},
    {"docker_stop_timeout", FLAG_VALUE, NULL},
    {"docker_store_dir", FLAG_VALUE, NULL},
    {"docker_volume_checkpoint_dir", FLAG_VALUE, NULL},
    {"domain", FLAG_VALUE, NULL},
    {"effective_capabilities", FLAG_VALUE, NULL},
    {"egress_flow_classifier_parent", FLAG_VALUE, NULL},
    {"egress_rate_limit_per_container", FLAG_VALUE, NULL},
    {"egress_unique_flow_per_container", FLAG_BOOL, NULL},
    {"enforce_container_disk_quota", FLAG_BOOL, NULL},
    {"enforce_container_ports", FLAG_BOOL, NULL},
    {"ephemeral_ports_per_container", FLAG_VALUE, NULL},
    {"eth0_name", FLAG_VALUE, NULL},
    {"executor_environment_variables", FLAG_VALUE, NULL},
    {"executor_registration_timeout", FLAG_VALUE, NULL},
    {"executor_reregistration_retry_interval", FLAG_VALUE, NULL},
    {"executor_reregistration_timeout", FLAG_VALUE, NULL},
    {"executor_secret_key", FLAG_VALUE, "jwt_secret_key"},
    {"executor_shutdown_grace_period", FLAG_VALUE, NULL},
    {"external_log_file", FLAG_VALUE, NULL},
    {"fetcher_cache_dir", FLAG_VALUE, NULL},
    {"fetcher_cache_size", FLAG_VALUE, NULL},
    {"fetcher_stall_timeout", FLAG_VALUE, NULL},
    {"firewall_rules", FLAG_VALUE, NULL},
    {"frameworks_home", FLAG_VALUE, NULL},
    {"gc_delay", FLAG_VALUE, NULL},
    {"gc_disk_headroom", FLAG_VALUE, NULL},
    {"gc_non_executor_container_sandboxes", FLAG_BOOL, NULL},
    {"hadoop_home", FLAG_VALUE, NULL},
    {"help", FLAG_BOOL, NULL},
    {"hooks", FLAG_LIST_COMMA, NULL},
    {"hostname", FLAG_VALUE, NULL},
    {"hostname_lookup", FLAG_BOOL, NULL},
    {"http_authenticators", FLAG_VALUE, NULL},
    {"http_command_executor", FLAG_BOOL, NULL},
    {"http_credentials", FLAG_VALUE, NULL},
    {"http_heartbeat_interval", FLAG_VALUE, NULL},
    {"image_gc_config", FLAG_VALUE, NULL},
    {"image_providers", FLAG_LIST_COMMA, NULL},
    {"image_provisioner_backend", FLAG_VALUE, NULL},
    {"initialize_driver_logging", FLAG_BOOL, NULL},
    {"ip", FLAG_VALUE, NULL},
    {"ip6", FLAG_VALUE, NULL},
    {"ip6_discovery_command", FLAG_VALUE, NULL},
    {"ip_discovery_command", FLAG_VALUE, NULL},
    {"isolation", FLAG_LIST_COMMA, NULL},
    {"jwt_secret_key", FLAG_VALUE, NULL},
    {"launcher", FLAG_VALUE, NULL},
    {"lo_name", FLAG_VALUE, NULL},
    {"log_dir", FLAG_VALUE, NULL},
    {"logbufsecs", FLAG_VALUE, NULL},
    {"logging_level", FLAG_VALUE, NULL},
    {"master", FLAG_VALUE, NULL},
    {"master_detector", FLAG_VALUE, NULL},
    {"max_completed_executors_per_framework", FLAG_VALUE, NULL},
    {"memory_profiling", FLAG_BOOL, NULL},
    {"modules", FLAG_VALUE, NULL},
    {"modules_dir", FLAG_VALUE, NULL},
    {"network_cni_config_dir", FLAG_VALUE, NULL},
    {"network_cni_metrics", FLAG_BOOL, NULL},
    {"network_cni_plugins_dir", FLAG_VALUE, NULL},
    {"network_enable_snmp_statistics", FLAG_BOOL, NULL},
    {"network_enable_socket_statistics_details", FLAG_BOOL, NULL},
    {"network_enable_socket_statistics_summary", FLAG_BOOL, NULL},
    {"nvidia_gpu_devices", FLAG_LIST_COMMA, NULL},
    {"oversubscribed_resources_interval", FLAG_VALUE, NULL},
    {"perf_duration", FLAG_VALUE, NULL},
    {"perf_events", FLAG_VALUE, NULL},
    {"perf_interval", FLAG_VALUE, NULL},
    {"port", FLAG_VALUE, NULL},
    {"qos_controller", FLAG_VALUE, NULL},
    {"qos_correction_interval_min", FLAG_VALUE, NULL},
    {"quiet", FLAG_BOOL, NULL},
    {"reconfiguration_policy", FLAG_VALUE, NULL},
    {"recover", FLAG_VALUE, NULL},
    {"recovery_timeout", FLAG_VALUE, NULL},
    {"registration_backoff_factor", FLAG_VALUE, NULL},
    {"resource_estimator", FLAG_VALUE, NULL},
    {"resource_provider_config_dir", FLAG_VALUE, NULL},
    {"resources", FLAG_LIST_SEMI, NULL},
    {"revocable_cpu_low_priority", FLAG_BOOL, NULL},
    {"runtime_dir", FLAG_VALUE, NULL},
    {"sandbox_directory", FLAG_VALUE, NULL},
    {"secret_resolver", FLAG_VALUE, NULL},
    {"slave_subsystems", FLAG_VALUE, "agent_subsystems"},
    {"strict", FLAG_BOOL, NULL},
    {"switch_user", FLAG_BOOL, NULL},
    {"systemd_enable_support", FLAG_BOOL, NULL},
    {"systemd_runtime_directory", FLAG_VALUE, NULL},
    {"version", FLAG_BOOL, NULL},
    {"work_dir", FLAG_VALUE, NULL},
    {"xfs_kill_containers", FLAG_BOOL, NULL},
    {"xfs_project_range", FLAG_VALUE, NULL},
    {"zk_session_timeout", FLAG_VALUE, NULL},
};

static const struct flag_name marathon_flags[] = {
    {"access_control_allow_origin", FLAG_LIST_COMMA, NULL},
    {"app_info_module_execution_context_size", FLAG_VALUE, NULL},
    {"assets_path", FLAG_VALUE, NULL},
    {"backup_location", FLAG_VALUE, NULL},
    {"checkpoint", FLAG_BOOL, NULL},
    {"decline_offer_duration", FLAG_VALUE, NULL},
    {"default_accepted_resource_roles", FLAG_LIST_COMMA, NULL},
    {"default_info_service_execution_context_size", FLAG_VALUE, NULL},
    {"default_network_name", FLAG_VALUE, NULL},
    {"deployment_manager_request_timeout", FLAG_VALUE, NULL},
    {"disable_checkpoint", FLAG_BOOL, "checkpoint"},
    {"disable_ha", FLAG_BOOL, "ha"},
    {"disable_http", FLAG_BOOL, NULL},
    {"disable_http_compression", FLAG_BOOL, "http_compression"},
    {"disable_internal_version_caching", FLAG_BOOL, "internal_version_caching"},
    {"disable_mesos_authentication", FLAG_BOOL, "mesos_authentication"},
    {"disable_metrics", FLAG_BOOL, "metrics"},
    {"disable_revive_offers_for_new_apps", FLAG_BOOL, "revive_offers_for_new_apps"},
    {"disable_store_cache", FLAG_BOOL, "store_cache"},
    {"disable_zk_compression", FLAG_BOOL, "zk_compression"},
    {"draining_seconds", FLAG_VALUE, NULL},
    {"enable_features", FLAG_LIST_COMMA, NULL},
    {"env_vars_prefix", FLAG_VALUE, NULL},
    {"event_stream_max_outstanding_messages", FLAG_VALUE, NULL},
    {"executor", FLAG_VALUE, NULL},
    {"failover_timeout", FLAG_VALUE, NULL},
    {"feature_akka_http_service_backend", FLAG_BOOL, NULL},
    {"framework_name", FLAG_VALUE, NULL},
    {"gpu_scheduling_behavior", FLAG_VALUE, NULL},
    {"group_manager_execution_context_size", FLAG_VALUE, NULL},
    {"group_manager_request_timeout", FLAG_VALUE, NULL},
    {"ha", FLAG_BOOL, NULL},
    {"help", FLAG_BOOL, NULL},
    {"hostname", FLAG_VALUE, NULL},
    {"http_address", FLAG_VALUE, NULL},
    {"http_compression", FLAG_BOOL, NULL},
    {"http_credentials", FLAG_VALUE, NULL},
    {"http_max_concurrent_requests", FLAG_VALUE, NULL},
    {"http_port", FLAG_VALUE, NULL},
    {"http_realm", FLAG_VALUE, NULL},
    {"https_address", FLAG_VALUE, NULL},
    {"https_port", FLAG_VALUE, NULL},
    {"internal_store_backend", FLAG_VALUE, NULL},
    {"internal_version_caching", FLAG_BOOL, NULL},
    {"kill_chunk_size", FLAG_VALUE, NULL},
    {"kill_retry_timeout", FLAG_VALUE, NULL},
    {"killBatchDuration", FLAG_VALUE, NULL},
    {"killsPerBatch", FLAG_VALUE, NULL},
    {"launch_queue_request_timeout", FLAG_VALUE, NULL},
    {"launch_token_refresh_interval", FLAG_VALUE, NULL},
    {"launch_tokens", FLAG_VALUE, NULL},
    {"leader_election_backend", FLAG_VALUE, NULL},
    {"leader_proxy_connection_timeout", FLAG_VALUE, NULL},
    {"leader_proxy_read_timeout", FLAG_VALUE, NULL},
    {"leader_proxy_ssl_ignore_hostname", FLAG_BOOL, NULL},
    {"local_port_max", FLAG_VALUE, NULL},
    {"local_port_min", FLAG_VALUE, NULL},
    {"logging_level", FLAG_VALUE, NULL},
    {"logstash", FLAG_VALUE, NULL},
    {"master", FLAG_VALUE, NULL},
    {"max_actor_startup_time", FLAG_VALUE, NULL},
    {"max_apps", FLAG_VALUE, NULL},
    {"max_instances_per_offer", FLAG_VALUE, NULL},
    {"max_parallel_offers", FLAG_VALUE, NULL},
    {"max_parallel_status_updates", FLAG_VALUE, NULL},
    {"max_queued_offers", FLAG_VALUE, NULL},
    {"max_queued_root_group_updates", FLAG_VALUE, NULL},
    {"max_queued_status_updates", FLAG_VALUE, NULL},
    {"mesos_authentication", FLAG_BOOL, NULL},
    {"mesos_authentication_principal", FLAG_VALUE, NULL},
    {"mesos_authentication_secret", FLAG_VALUE, NULL},
    {"mesos_authentication_secret_file", FLAG_VALUE, NULL},
    {"mesos_bridge_name", FLAG_VALUE, NULL},
    {"mesos_heartbeat_failure_threshold", FLAG_VALUE, NULL},
    {"mesos_heartbeat_interval", FLAG_VALUE, NULL},
    {"mesos_leader_ui_url", FLAG_VALUE, NULL},
    {"mesos_role", FLAG_VALUE, NULL},
    {"mesos_user", FLAG_VALUE, NULL},
    {"metrics", FLAG_BOOL, NULL},
    {"min_revive_offers_interval", FLAG_VALUE, NULL},
    {"offer_matching_timeout", FLAG_VALUE, NULL},
    {"on_elected_prepare_timeout", FLAG_VALUE, NULL},
    {"plugin_conf", FLAG_VALUE, NULL},
    {"plugin_dir", FLAG_VALUE, NULL},
    {"reconciliation_initial_delay", FLAG_VALUE, NULL},
    {"reconciliation_interval", FLAG_VALUE, NULL},
    {"reporter_datadog", FLAG_VALUE, NULL},
    {"reporter_graphite", FLAG_VALUE, NULL},
    {"revive_offers_for_new_apps", FLAG_BOOL, NULL},
    {"revive_offers_repetitions", FLAG_VALUE, NULL},
    {"save_tasks_to_launch_timeout", FLAG_VALUE, NULL},
    {"scale_apps_initial_delay", FLAG_VALUE, NULL},
    {"scale_apps_interval", FLAG_VALUE, NULL},
    {"scheduler_actions_execution_context_size", FLAG_VALUE, NULL},
    {"sentry", FLAG_VALUE, NULL},
    {"sentry_tags", FLAG_VALUE, NULL},
    {"ssl_keystore_password", FLAG_VALUE, NULL},
    {"ssl_keystore_path", FLAG_VALUE, NULL},
    {"storage_execution_context_size", FLAG_VALUE, NULL},
    {"store_cache", FLAG_BOOL, NULL},
    {"task_launch_confirm_timeout", FLAG_VALUE, NULL},
    {"task_launch_timeout", FLAG_VALUE, NULL},
    {"task_lost_expunge_initial_delay", FLAG_VALUE, NULL},
    {"task_lost_expunge_interval", FLAG_VALUE, NULL},
    {"task_operation_notification_timeout", FLAG_VALUE, NULL},
    {"task_reservation_timeout", FLAG_VALUE, NULL},
    {"task_tracker_request_timeout", FLAG_VALUE, NULL},
    {"task_update_request_timeout", FLAG_VALUE, NULL},
    {"webui_url", FLAG_VALUE, NULL},
    {"zk", FLAG_VALUE, NULL},
    {"zk_compression", FLAG_BOOL, NULL},
    {"zk_compression_threshold", FLAG_VALUE, NULL},
    {"zk_connection_timeout", FLAG_VALUE, NULL},
    {"zk_max_concurrency", FLAG_VALUE, NULL},
    {"zk_max_node_size", FLAG_VALUE, NULL},
    {"zk_max_versions", FLAG_VALUE, NULL},
    {"zk_session_timeout", FLAG_VALUE, NULL},
    {"zk_timeout", FLAG_VALUE, NULL},
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))
#define FLAG_LEN_MAX 128

const struct flag_name *flagnames_table(enum mesos_role role, size_t *n)
{
    switch (role) {
    case ROLE_MESOS_MASTER:
        *n = COUNT(master_flags);
        return master_flags;
    case ROLE_MESOS_AGENT:
        *n = COUNT(agent_flags);
        return agent_flags;
    default:
        *n = COUNT(marathon_flags);
        return marathon_flags;
    }
}

const char *flagnames_source(enum mesos_role role)
{
    return role == ROLE_MARATHON ? "Marathon 1.6.352" : "Mesos 1.7.0";
}

/* FLAG lower-cased with '-' as '_' into OUT; -1 when too long. */
static int normalize(const char *flag, char *out)
{
    size_t n = strlen(flag);
    if (n >= FLAG_LEN_MAX)
        return -1;
    for (size_t i = 0; i <= n; i++) {
        char c = flag[i];
        out[i] = c == '-' ? '_' : (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
    }
    return 0;
}

const struct flag_name *flagnames_find(enum mesos_role role, const char *flag)
{
    char key[FLAG_LEN_MAX] = {0};
    size_t n;
    const struct flag_name *t = flagnames_table(role, &n);
    if (normalize(flag, key) != 0)
        return NULL;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcasecmp(key, t[mid].name);
        if (c == 0)
            return &t[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

/* Levenshtein distance of A and B (both shorter than FLAG_LEN_MAX). */
static size_t edit_distance(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t row[FLAG_LEN_MAX + 1] = {0};
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

const char *flagnames_suggest(enum mesos_role role, const char *flag)
{
    char key[FLAG_LEN_MAX] = {0};
    size_t n;
    const struct flag_name *t = flagnames_table(role, &n);
    if (normalize(flag, key) != 0)
        return NULL;
    size_t limit = strlen(key) / 3 < 2 ? 2 : strlen(key) / 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    for (size_t i = 0; i < n; i++) {
        if (strlen(t[i].name) >= FLAG_LEN_MAX)
            continue;
        size_t d = edit_distance(key, t[i].name);
        if (d < best_d) {
            best_d = d;
            best = t[i].alias_of ? t[i].alias_of : t[i].name;
        }
    }
    return best;
}
