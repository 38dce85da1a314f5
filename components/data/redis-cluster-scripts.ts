/**
 * The POSIX sh scripts a redis-cluster pod runs, as ConfigMap data. Small on purpose: the guard
 * logic lives in `cluster.sh`, which the tests source and run against a fake `valkey-cli`, and
 * the whole lifecycle runs against real valkey-server processes in
 * `test/components/data/redis-cluster.real.test.ts`.
 *
 * Formation is in-pod (pod 0 forms the cluster) rather than a Job, so nothing waits on readiness:
 * pods become Ready once `cluster_state:ok`, and formation only needs the peers' DNS names
 * (headless Service with `publishNotReadyAddresses`) and their PING. The membership loop runs
 * for the pod's whole life, so a late peer, a replaced pod or a refused join heal without a human.
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
  /** Writable (emptyDir) file holding the time this node was last a healthy cluster member. */
  readonly healthFile: string;
  /** Liveness fails once the node has not been a healthy member for this many seconds. */
  readonly unhealthySeconds: number;
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
HEALTH_FILE=${p.healthFile}
# seconds between two passes of the membership loop.
: "\${FORMATION_INTERVAL:=5}"

log() { echo "${p.statefulSet}: $*" >&2; }
# logs what changed since the last pass only, so a waiting pod does not flood its log.
note() { [ "$*" = "\${last_note:-}" ] || log "$*"; last_note="$*"; }
member() { echo "${p.statefulSet}-$1.${p.headlessService}.$POD_NAMESPACE.svc.cluster.local"; }
members() { i=0; while [ "$i" -lt "$NODES" ]; do member "$i"; i=$((i + 1)); done; }
# every call is bounded: a peer that accepts but never answers must not hang the loop.
cli() { host=$1; shift; timeout 5 valkey-cli -h "$host" -p "$PORT" "$@"; }
resolve() { getent hosts "$1" | awk '{ print $1; exit }'; }
info_field() { cli "$1" cluster info 2>/dev/null | tr -d '\\r' | sed -n "s/^$2://p"; }
nodes_view() { cli "$1" cluster nodes 2>/dev/null | tr -d '\\r'; }
# alive.sh fails liveness once this file is older than its limit.
mark_alive() { date +%s > "$HEALTH_FILE"; }

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

# 0 when every member resolves by DNS and answers PING.
members_up() {
  for host in $(members); do
    [ -n "$(resolve "$host")" ] || return 1
    [ "$(cli "$host" ping 2>/dev/null)" = PONG ] || return 1
  done
}

# CLUSTER MEET takes IP addresses, so formation and joins resolve the stable names first.
endpoints() { for host in $(members); do echo "$(resolve "$host"):$PORT"; done; }

# A blank node (new or replaced pod, empty volume) joins a formed cluster. With replicas: as a
# replica of the master with the fewest replicas; valkey-cli refuses while a lost master's slots
# are not yet taken over ("Not all 16384 slots are covered": clusterManagerCommandAddNode checks
# the cluster first, src/valkey-cli.c), so the next pass tries again. Without replicas that check
# cannot pass until the lost slots are claimed, so the node meets the cluster directly.
join_cluster() {
  if [ "$REPLICAS_PER_MASTER" -gt 0 ]; then
    timeout 60 valkey-cli --cluster add-node "$(resolve "$1"):$PORT" "$(resolve "$2"):$PORT" --cluster-slave
  else
    cli "$1" cluster meet "$(resolve "$2")" "$PORT"
  fi
}

# Forgets dead node ids on every member: a node flagged fail (or without address) whose pod, by
# its announced hostname, runs now as another, live node. With replicas only once it serves no
# slots (its replica took over, or it was a replica): forgetting a failing master unassigns its
# slots (clusterDelNode, src/cluster_legacy.c) and would undo the failover. CLUSTER FORGET bans
# the id for 60 s on the node that runs it, so every member forgets it in the same pass.
# @see https://valkey.io/commands/cluster-forget/
forget_ghosts() {
  ghosts=$(nodes_view "$1" | awk -v replicas="$REPLICAS_PER_MASTER" '
    { split($2, addr, ","); host = addr[2]; gone = ($3 ~ /(^|,)(fail|noaddr)(,|$)/) }
    gone && host != "" && (replicas == 0 || NF == 8) { ghost[$1] = host }
    !gone && host != "" { live[host] = 1 }
    END { for (id in ghost) if (live[ghost[id]]) print id }')
  for id in $ghosts; do
    log "forgetting $id: its pod runs now as a new node"
    for host in $(members); do cli "$host" cluster forget "$id" >/dev/null 2>&1 || true; done
  done
}

# A node marks a peer noaddr when a stale address answers with another node id ("PONG contains
# mismatching sender ID", src/cluster_legacy.c): pods that restart together may swap IPs. A
# noaddr peer is never pinged again, so it would never be failed over either; meeting it again at
# the address its name resolves to, once that address answers with the same id, restores it.
heal_addresses() {
  nodes_view "$1" | awk '$3 ~ /noaddr/ && $3 !~ /myself/ { split($2, addr, ","); if (addr[2] != "") print $1, addr[2] }' |
    while read -r id host; do
      ip=$(resolve "$host")
      [ -n "$ip" ] && [ "$(cli "$ip" cluster myid 2>/dev/null | tr -d '\\r')" = "$id" ] || continue
      log "meeting $host again at $ip"
      cli "$1" cluster meet "$ip" "$PORT" >/dev/null || true
    done
}

# Without replicas a lost node's slots have no other copy: the blank node that replaced it (a
# master serving nothing) claims the slots no member serves once the dead id is forgotten. A slot
# counts as lost only when neither this node nor a long-standing member sees an owner, so a node
# that has not yet heard of every master claims nothing. The data of those slots is gone.
claim_lost_slots() {
  [ "$REPLICAS_PER_MASTER" -eq 0 ] || return 0
  nodes_view "$1" | awk '$3 ~ /myself/ && $3 ~ /master/ && NF == 8 { found = 1 } END { exit !found }' || return 0
  peer=$(formed_peer) || return 0
  ranges=$({ nodes_view "$1"; nodes_view "$peer"; } | awk '
    { for (i = 9; i <= NF; i++) if ($i !~ /^\\[/) { n = split($i, r, "-"); for (s = r[1] + 0; s <= r[n] + 0; s++) covered[s] = 1 } }
    END {
      start = -1
      for (s = 0; s <= 16384; s++) {
        if (s < 16384 && !(s in covered)) { if (start < 0) start = s }
        else if (start >= 0) { printf "%d %d ", start, s - 1; start = -1 }
      }
    }')
  [ -n "$ranges" ] || return 0
  log "claiming the slots no member serves: $ranges(their data was lost with the old node)"
  # shellcheck disable=SC2086 # one argument per range bound
  cli "$1" cluster addslotsrange $ranges >/dev/null && cli "$1" cluster bumpepoch >/dev/null
}

# One pass: pod 0 forms the cluster once every member answers and none belongs to one yet; a
# blank node joins a formed cluster; a member forgets dead ids and, when its cluster is healthy,
# marks itself alive. 0 when this node is a member of a healthy cluster.
ensure_cluster() {
  self=$(member "$ORDINAL")
  case "$(cli "$self" ping 2>&1)" in
    *PONG*) ;;
    # loading a large data set is progress, not a stuck pod.
    *LOADING*) mark_alive; return 1 ;;
    *) note "this node does not answer yet"; return 1 ;;
  esac
  if in_cluster "$self"; then
    heal_addresses "$self"
    forget_ghosts "$self"
    claim_lost_slots "$self"
    state=$(info_field "$self" cluster_state)
    [ "$state" = ok ] || { note "cluster state: \${state:-unknown}"; return 1; }
    note "a healthy cluster member"
    mark_alive
    return 0
  fi
  if peer=$(formed_peer); then note "joining the cluster through $peer"; join_cluster "$self" "$peer"; return 1; fi
  if [ "$ORDINAL" != 0 ]; then note "no cluster yet; ${p.statefulSet}-0 forms it"; return 1; fi
  members_up || { note "not every member resolves and answers yet"; return 1; }
  # another pod may have formed or joined a cluster while we waited: never create twice.
  if peer=$(formed_peer); then note "a cluster formed meanwhile; joining through $peer"; join_cluster "$self" "$peer"; return 1; fi
  log "forming the cluster: $NODES nodes, $REPLICAS_PER_MASTER replica(s) per master"
  # shellcheck disable=SC2046 # one argument per endpoint
  timeout 120 valkey-cli --cluster create $(endpoints) --cluster-replicas "$REPLICAS_PER_MASTER" --cluster-yes
  return 1
}

# The pod's whole life: one pass every FORMATION_INTERVAL seconds, never giving up.
membership_loop() {
  while :; do
    ensure_cluster || true
    sleep "$FORMATION_INTERVAL"
  done
}

# Any byte as \\xHH inside double quotes, which Valkey's config parser decodes (sdssplitargs,
# src/sds.c): a password with quotes, backslashes, spaces or newlines needs no other escaping.
config_string() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \\n' | sed 's/../\\\\x&/g'; }

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
# Entrypoint of every ${p.statefulSet} pod: per-pod settings, fresh peer addresses, then the
# server and the membership loop as children of this shell, which stays PID 1: it forwards the
# kubelet's SIGTERM to the server and reaps both, so no process is left a zombie.
set -eu
. ${p.scriptsDir}/cluster.sh
ORDINAL=\${POD_NAME##*-}
umask 077
secret=$(config_string "$REDISCLI_AUTH")
{
  echo "include ${p.configFile}"
  # the password reaches the server from the Secret through the environment, never a ConfigMap.
  printf 'requirepass "%s"\\nmasterauth "%s"\\n' "$secret" "$secret"
  # Under the Istio sidecar peers connect from 127.0.0.6, so a node records a peer, and a master
  # its replica, at the pod IP only when the peer announces it (src/config.c, valkey 8.x).
  echo "cluster-announce-ip $POD_IP"
  echo "replica-announce-ip $POD_IP"
  # clients and peers get this stable name in MOVED/ASK replies and CLUSTER SHARDS, not the pod IP.
  echo "cluster-announce-hostname $(member "$ORDINAL")"
} > ${p.runtimeConfigFile}
if [ -s ${p.nodesFile} ]; then
  refresh_node_addresses < ${p.nodesFile} > ${p.nodesFile}.refreshed
  mv ${p.nodesFile}.refreshed ${p.nodesFile}
fi
# liveness counts the time without a healthy cluster from this start.
mark_alive
valkey-server ${p.runtimeConfigFile} &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true' TERM INT
membership_loop &
loop=$!
status=0
wait "$server" || status=$?
# a trapped signal interrupts wait: wait again until the server has really exited.
while kill -0 "$server" 2>/dev/null; do status=0; wait "$server" || status=$?; done
kill "$loop" 2>/dev/null || true
wait "$loop" 2>/dev/null || true
exit "$status"
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

/** `alive.sh`: alive while the server answers and has been a healthy member recently. */
export function livenessScript(p: RedisClusterScriptProps): string {
  return `#!/bin/sh
# Alive while the server answers, also while it loads its data set or its master is down, and
# while it has been a healthy cluster member within UNHEALTHY_SECONDS (the membership loop
# writes the time to ${p.healthFile}; start.sh at each start). A pod stuck outside a healthy
# cluster for longer is restarted, which retries everything from a clean start.
case "$(timeout 3 valkey-cli -h 127.0.0.1 -p ${p.port} ping 2>&1)" in
  *LOADING*) exit 0 ;;
  *PONG*|*MASTERDOWN*) ;;
  *) exit 1 ;;
esac
last=$(cat ${p.healthFile} 2>/dev/null || true)
case "$last" in ''|*[!0-9]*) last=0 ;; esac
age=$(($(date +%s) - last))
[ "$age" -le "\${UNHEALTHY_SECONDS:-${p.unhealthySeconds}}" ] && exit 0
echo "not a healthy cluster member for \${age}s (limit \${UNHEALTHY_SECONDS:-${p.unhealthySeconds}}s)"
exit 1
`;
}
