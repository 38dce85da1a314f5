/**
 * The POSIX sh scripts a redis-cluster pod runs, as ConfigMap data. Small on purpose: the guard
 * logic lives in `cluster.sh`, which the tests source and run against a fake `valkey-cli`.
 *
 * Formation is in-pod (pod 0 forms the cluster) rather than a Job, so nothing waits on readiness:
 * pods become Ready once `cluster_state:ok`, and formation only needs the peers' DNS names
 * (headless Service with `publishNotReadyAddresses`) and their PING.
 *
 * @see https://valkey.io/topics/cluster-tutorial/
 * @see https://valkey.io/topics/cluster-spec/
 */
export interface RedisClusterScriptProps {
  /** StatefulSet name; pods are `<statefulSet>-<ordinal>`. */
  readonly statefulSet: string;
  /** Headless Service that gives each pod `<pod>.<headless>.<ns>.svc.cluster.local`. */
  readonly headlessService: string;
  readonly nodes: number;
  readonly replicasPerMaster: number;
  readonly port: number;
  /** Where the server config from the ConfigMap is mounted. */
  readonly configFile: string;
  /** Writable (emptyDir) file the start script writes the per-pod and secret settings to. */
  readonly runtimeConfigFile: string;
  /** `nodes.conf` on the data volume. */
  readonly nodesFile: string;
  /** Where these scripts are mounted. */
  readonly scriptsDir: string;
}

/** `cluster.sh`: membership functions, sourced by `start.sh` (and by the tests). */
export function clusterLibrary(p: RedisClusterScriptProps): string {
  return `#!/bin/sh
# Cluster membership for ${p.statefulSet} pods. Every function is safe to repeat: nothing here
# resets, re-creates or re-slots a formed cluster, and valkey-cli itself refuses to create or
# add a node that already knows other nodes or holds keys.
NODES=${p.nodes}
REPLICAS_PER_MASTER=${p.replicasPerMaster}
PORT=${p.port}
: "\${FORMATION_ATTEMPTS:=120}" "\${FORMATION_INTERVAL:=5}"

log() { echo "${p.statefulSet}: $*" >&2; }
member() { echo "${p.statefulSet}-$1.${p.headlessService}.$POD_NAMESPACE.svc.cluster.local"; }
members() { i=0; while [ "$i" -lt "$NODES" ]; do member "$i"; i=$((i + 1)); done; }
# every call is bounded: a peer that accepts but never answers must not hang formation.
cli() { host=$1; shift; timeout 5 valkey-cli -h "$host" -p "$PORT" "$@"; }
resolve() { getent hosts "$1" | awk '{ print $1; exit }'; }
info_field() { cli "$1" cluster info 2>/dev/null | tr -d '\\r' | sed -n "s/^$2://p"; }

# 0 when the node knows other nodes or serves slots: it belongs to a formed cluster.
in_cluster() {
  known=$(info_field "$1" cluster_known_nodes)
  slots=$(info_field "$1" cluster_slots_assigned)
  [ "\${known:-1}" -gt 1 ] || [ "\${slots:-0}" -gt 0 ]
}

# Prints a member, other than this pod, that belongs to a formed cluster.
formed_peer() {
  for host in $(members); do
    [ "$host" = "$(member "$ORDINAL")" ] && continue
    if in_cluster "$host"; then echo "$host"; return 0; fi
  done
  return 1
}

# 0 when every member resolves by DNS and answers PING (one pass).
members_up() {
  for host in $(members); do
    [ -n "$(resolve "$host")" ] || return 1
    [ "$(cli "$host" ping 2>/dev/null)" = PONG ] || return 1
  done
}

# Retries \`$@\` every FORMATION_INTERVAL seconds, FORMATION_ATTEMPTS times at most.
retry() {
  n=1
  until "$@"; do
    [ "$n" -lt "$FORMATION_ATTEMPTS" ] || return 1
    n=$((n + 1))
    sleep "$FORMATION_INTERVAL"
  done
}

self_up() { [ "$(cli "$(member "$ORDINAL")" ping 2>/dev/null)" = PONG ]; }

# CLUSTER MEET takes IP addresses, so formation and joins resolve the stable names first.
endpoints() { for host in $(members); do echo "$(resolve "$host"):$PORT"; done; }

# A blank node (new or replaced pod, empty volume) joins a formed cluster: as a replica of the
# master with the fewest replicas, or as an empty master when the cluster runs without replicas.
join_cluster() {
  if [ "$REPLICAS_PER_MASTER" -gt 0 ]; then
    timeout 60 valkey-cli --cluster add-node "$(resolve "$1"):$PORT" "$(resolve "$2"):$PORT" --cluster-slave
  else
    timeout 60 valkey-cli --cluster add-node "$(resolve "$1"):$PORT" "$(resolve "$2"):$PORT"
    log "joined as a master without slots; run valkey-cli --cluster fix to reassign lost slots"
  fi
}

# Forms the cluster once, from pod 0, when no member belongs to one yet; joins a blank node to
# a formed cluster; otherwise does nothing.
ensure_cluster() {
  self=$(member "$ORDINAL")
  retry self_up || { log "this node does not answer; nothing to do"; return 1; }
  if in_cluster "$self"; then log "already a cluster member"; return 0; fi
  if peer=$(formed_peer); then log "joining the cluster through $peer"; join_cluster "$self" "$peer"; return; fi
  if [ "$ORDINAL" != 0 ]; then log "no cluster yet; ${p.statefulSet}-0 forms it"; return 0; fi
  retry members_up || { log "not every member resolves and answers; formation retried at the next start"; return 1; }
  # another pod may have formed or joined a cluster while we waited: never create twice.
  if peer=$(formed_peer); then log "a cluster formed meanwhile; joining through $peer"; join_cluster "$self" "$peer"; return; fi
  log "forming the cluster: $NODES nodes, $REPLICAS_PER_MASTER replica(s) per master"
  # shellcheck disable=SC2046 # one argument per endpoint
  timeout 120 valkey-cli --cluster create $(endpoints) --cluster-replicas "$REPLICAS_PER_MASTER" --cluster-yes
}

# Pod IPs change on restart; nodes.conf keeps each peer's announced hostname next to its last IP
# (field 2: ip:port@cport,hostname[,aux]). Rewriting the IPs from DNS before the server starts
# lets a cluster whose pods all restarted at once find itself again. Names that do not resolve
# (pod not scheduled yet) keep their old IP; the node updates it from gossip once the peer is back.
# Reads nodes.conf on stdin, writes the refreshed file on stdout.
refresh_node_addresses() {
  awk '
    split($2, parts, ",") >= 2 && parts[2] ~ /^[a-z0-9][-a-z0-9.]*$/ {
      ip = ""
      cmd = "getent hosts " parts[2]
      if ((cmd | getline answer) > 0) { split(answer, words, " "); ip = words[1] }
      close(cmd)
      if (ip != "") { port = parts[1]; sub(/^.*:/, "", port); $2 = ip ":" port substr($2, length(parts[1]) + 1) }
    }
    { print }
  '
}
`;
}

/** `start.sh`: the container's entrypoint. */
export function startScript(p: RedisClusterScriptProps): string {
  return `#!/bin/sh
# Entrypoint of every ${p.statefulSet} pod: per-pod settings, fresh peer addresses, formation in
# the background, then the server in the foreground (PID 1, so it receives SIGTERM).
set -eu
. ${p.scriptsDir}/cluster.sh
ORDINAL=\${POD_NAME##*-}
umask 077
{
  echo "include ${p.configFile}"
  # the password reaches the server from the Secret through the environment, never a ConfigMap.
  printf 'requirepass "%s"\\nmasterauth "%s"\\n' "$REDISCLI_AUTH" "$REDISCLI_AUTH"
  # clients and peers get this stable name in MOVED/ASK replies and CLUSTER SHARDS, not the pod IP.
  echo "cluster-announce-hostname $(member "$ORDINAL")"
} > ${p.runtimeConfigFile}
if [ -s ${p.nodesFile} ]; then
  refresh_node_addresses < ${p.nodesFile} > ${p.nodesFile}.refreshed
  mv ${p.nodesFile}.refreshed ${p.nodesFile}
fi
ensure_cluster &
exec valkey-server ${p.runtimeConfigFile}
`;
}

/** `ready.sh`: Ready once the node answers and its cluster covers every slot. */
export function readinessScript(p: RedisClusterScriptProps): string {
  return `#!/bin/sh
# Ready once this node answers and its cluster serves every slot (cluster_state:ok).
[ "$(timeout 3 valkey-cli -h 127.0.0.1 -p ${p.port} ping 2>/dev/null)" = PONG ] || exit 1
timeout 3 valkey-cli -h 127.0.0.1 -p ${p.port} cluster info | grep -q '^cluster_state:ok'
`;
}

/** `alive.sh`: alive while the server answers, also while it loads data or its master is down. */
export function livenessScript(p: RedisClusterScriptProps): string {
  return `#!/bin/sh
# Alive while the server answers, also while it loads its data set or its master is down:
# restarting a node for either would only make the cluster's recovery slower.
case "$(timeout 3 valkey-cli -h 127.0.0.1 -p ${p.port} ping 2>&1)" in
  *PONG*|*LOADING*|*MASTERDOWN*) exit 0 ;;
  *) exit 1 ;;
esac
`;
}
