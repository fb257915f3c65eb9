#!/usr/bin/env bash
# local-broker.sh — a private, throw-away RabbitMQ node on 127.0.0.1 for development and CI.
#
# Uses Debian's rabbitmq-server package (installed with apt-get when missing) but never the
# system-wide node: the node gets its own name, base dir, HOME/Erlang cookie, config and ports,
# and is started without systemd. See README.md beside this file.
#
#   local-broker.sh start  [--dir DIR]        start (idempotent); last stdout line = AMQP URI
#   local-broker.sh stop   [--dir DIR]        stop cleanly (exit 0 when not running)
#   local-broker.sh uri    [--dir DIR]        print the AMQP URI when running, else exit 1
#   local-broker.sh status [--dir DIR]        print state; exit 0 when running, else 1
#   local-broker.sh ctl    [--dir DIR] -- ARGS...   rabbitmqctl against this node
#   local-broker.sh diag   [--dir DIR] -- ARGS...   rabbitmq-diagnostics against this node
#   local-broker.sh install                   only install rabbitmq-server (no node started)
set -euo pipefail

readonly DEFAULT_DIR=/tmp/retab-runs-rabbitmq
readonly NODE_BASENAME=retabruns
readonly NODE_HOST=localhost          # short name; resolves via /etc/hosts on any machine
readonly PROG=${0##*/}
# rabbitmqctl & co. pick their own distribution port in 35672..35682 (fixed in 3.10's rabbitmq-env);
# 4369 is epmd. Never hand those out.
readonly RESERVED_PORTS=" 4369 35672 35673 35674 35675 35676 35677 35678 35679 35680 35681 35682 "

log() { printf '[%s] %s\n' "$PROG" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
    cat >&2 <<EOF
usage: $PROG start  [--dir DIR]
       $PROG stop   [--dir DIR]
       $PROG uri    [--dir DIR]
       $PROG status [--dir DIR]
       $PROG ctl    [--dir DIR] -- RABBITMQCTL-ARGS...
       $PROG diag   [--dir DIR] -- RABBITMQ-DIAGNOSTICS-ARGS...
       $PROG install

DIR defaults to \$RETAB_RABBITMQ_DIR or $DEFAULT_DIR.
Environment: RABBITMQ_PORT, RABBITMQ_MANAGEMENT_PORT, RABBITMQ_DIST_PORT, RABBITMQ_NODENAME,
             RABBITMQ_START_TIMEOUT (default 90), RABBITMQ_STOP_TIMEOUT (default 60).
EOF
}

# ---------------------------------------------------------------------------------------------
# arguments
# ---------------------------------------------------------------------------------------------
CMD=${1:-}
[[ $# -gt 0 ]] && shift
DIR=${RETAB_RABBITMQ_DIR:-$DEFAULT_DIR}
EXTRA_ARGS=()
while [[ $# -gt 0 ]]; do
    case $1 in
        --dir)    [[ $# -ge 2 && -n $2 ]] || die "--dir needs a value"; DIR=$2; shift 2 ;;
        --dir=*)  DIR=${1#--dir=}; [[ -n $DIR ]] || die "--dir needs a value"; shift ;;
        --)       shift; EXTRA_ARGS=("$@"); break ;;
        -h|--help) usage; exit 0 ;;
        *)
            if [[ $CMD == ctl || $CMD == diag ]]; then EXTRA_ARGS=("$@"); break; fi
            usage; die "unknown argument: $1" ;;
    esac
done
[[ $DIR == /* ]] || DIR=$PWD/$DIR
while [[ $DIR == */ && $DIR != / ]]; do DIR=${DIR%/}; done

START_TIMEOUT=${RABBITMQ_START_TIMEOUT:-90}
STOP_TIMEOUT=${RABBITMQ_STOP_TIMEOUT:-60}
[[ $START_TIMEOUT =~ ^[0-9]+$ ]] || die "RABBITMQ_START_TIMEOUT must be a number of seconds"
[[ $STOP_TIMEOUT =~ ^[0-9]+$ ]] || die "RABBITMQ_STOP_TIMEOUT must be a number of seconds"

# Files inside DIR
F_PORTS=$DIR/ports               # AMQP_PORT= / MANAGEMENT_PORT= / DIST_PORT= (kept across restarts)
F_NODENAME=$DIR/nodename
F_LAUNCHER_PID=$DIR/server.pid   # the package's rabbitmq-server sh script (session leader, setsid)
F_BEAM_PID=$DIR/rabbitmq.pid     # the Erlang VM, written by the node itself (RABBITMQ_PID_FILE)
F_URI=$DIR/amqp-uri
F_MGMT_URL=$DIR/management-url
F_LAUNCHER_LOG=$DIR/log/launcher.log
# Machine-wide files (not per DIR)
LOCK_DIR=/run/lock
[[ -d $LOCK_DIR && -w $LOCK_DIR ]] || LOCK_DIR=/tmp
F_MACHINE_LOCK=$LOCK_DIR/retab-runs-rabbitmq.lock
F_EPMD_PID=$LOCK_DIR/retab-runs-rabbitmq.epmd.pid   # epmd that a node started by this script brought up

# ---------------------------------------------------------------------------------------------
# cleanup on exit (policy-rc.d restore, lock)
# ---------------------------------------------------------------------------------------------
POLICY_RC=/usr/sbin/policy-rc.d
POLICY_BACKUP=
POLICY_INSTALLED=0
restore_policy_rc() {
    if [[ $POLICY_INSTALLED == 1 ]]; then
        rm -f "$POLICY_RC"
        if [[ -n $POLICY_BACKUP && -e $POLICY_BACKUP ]]; then mv -f "$POLICY_BACKUP" "$POLICY_RC"; fi
        POLICY_INSTALLED=0
    fi
}
trap restore_policy_rc EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# ---------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------
read_kv() { # FILE KEY -> value or empty
    [[ -f $1 ]] || return 0
    awk -F= -v k="$2" '$1 == k { v = substr($0, length(k) + 2) } END { if (v != "") print v }' "$1"
}

read_pid() { # FILE -> pid or empty
    local p=
    [[ -f $1 ]] && read -r p <"$1" 2>/dev/null || true
    [[ $p =~ ^[0-9]+$ ]] && printf '%s\n' "$p" || true
}

# A pid belongs to this DIR's node when its environment carries our marker (guards against pid reuse).
pid_is_ours() {
    local pid=$1
    [[ -n $pid && -r /proc/$pid/environ ]] || return 1
    grep -qzx -- "RETAB_BROKER_DIR=$DIR" "/proc/$pid/environ" 2>/dev/null
}

# Local TCP ports that are in use (any socket but TIME_WAIT), from /proc (no iproute2/procps needed).
port_in_use() {
    local hex files=() f
    hex=$(printf '%04X' "$1")
    for f in /proc/net/tcp /proc/net/tcp6; do [[ -r $f ]] && files+=("$f"); done
    [[ ${#files[@]} -gt 0 ]] || return 1
    awk -v h="$hex" 'FNR > 1 && $4 != "06" { n = split($2, a, ":"); if (a[n] == h) { found = 1; exit } }
                     END { exit !found }' "${files[@]}"
}

tcp_accepts() { # PORT -> 0 if 127.0.0.1:PORT accepts a connection
    timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"' _ "$1" >/dev/null 2>&1
}

valid_port() { [[ $1 =~ ^[0-9]+$ ]] && (( $1 >= 1 && $1 <= 65535 )); }

# pick_port PREFERRED EXCLUDED... -> PREFERRED if free, else a free port in 20000..31999
# (below Linux's ephemeral range, so outgoing connections will not grab it later).
pick_port() {
    local preferred=$1 p i; shift
    local excluded=" $* "
    is_free() { ! port_in_use "$1" && [[ $RESERVED_PORTS != *" $1 "* && $excluded != *" $1 "* ]]; }
    if is_free "$preferred"; then printf '%s\n' "$preferred"; return; fi
    for (( i = 0; i < 1000; i++ )); do
        p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 12000 ))
        if is_free "$p"; then printf '%s\n' "$p"; return; fi
    done
    die "could not find a free TCP port"
}

epmd_pids() { # pids of running epmd processes
    local f comm
    for f in /proc/[0-9]*/comm; do
        comm=$(cat "$f" 2>/dev/null) || continue
        [[ $comm == epmd ]] && { f=${f#/proc/}; printf '%s\n' "${f%/comm}"; }
    done
    return 0
}

# ---------------------------------------------------------------------------------------------
# package: find or install
# ---------------------------------------------------------------------------------------------
RMQ_BIN=

find_rmq_bin() {
    local list p
    if command -v dpkg >/dev/null 2>&1 && list=$(dpkg -L rabbitmq-server 2>/dev/null); then
        p=$(awk '/\/rabbitmq\/bin\/rabbitmq-server$/ { print; exit }' <<<"$list")
        if [[ -n $p && -x $p ]]; then RMQ_BIN=${p%/rabbitmq-server}; return 0; fi
    fi
    if [[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ]]; then RMQ_BIN=/usr/lib/rabbitmq/bin; return 0; fi
    return 1
}

# Debian's postinst runs `invoke-rc.d rabbitmq-server start`, which (without systemd) would run
# /etc/init.d/rabbitmq-server and start a system node on 0.0.0.0:5672. A policy-rc.d that exits 101
# forbids that; any existing policy-rc.d is put back afterwards (also on error, via the EXIT trap).
block_service_starts() {
    if [[ -e $POLICY_RC ]] && ! grep -q "temporary, written by $PROG" "$POLICY_RC" 2>/dev/null; then
        POLICY_BACKUP=$POLICY_RC.retab-runs-backup.$$
        cp -p "$POLICY_RC" "$POLICY_BACKUP"
    fi
    POLICY_INSTALLED=1
    printf '#!/bin/sh\n# temporary, written by %s while installing rabbitmq-server\nexit 101\n' "$PROG" >"$POLICY_RC"
    chmod 0755 "$POLICY_RC"
}

# Stop a system node (rabbit@<hostname>, data in /var/lib/rabbitmq) if the install started one anyway.
stop_system_node_if_any() {
    local f pid cmdline found=
    for f in /proc/[0-9]*/cmdline; do
        cmdline=$(tr '\0' ' ' <"$f" 2>/dev/null) || continue
        [[ $cmdline == *beam* && $cmdline == *rabbit* && $cmdline == */var/lib/rabbitmq* ]] || continue
        pid=${f#/proc/}; pid=${pid%/cmdline}
        found+=" $pid"
    done
    [[ -n $found ]] || return 0
    log "the package install started the system RabbitMQ node (pid$found); stopping it"
    if [[ -x /usr/sbin/rabbitmqctl ]]; then timeout 60 /usr/sbin/rabbitmqctl stop >&2 2>&1 || true; fi
    for pid in $found; do kill -TERM "$pid" 2>/dev/null || true; done
    sleep 2
    # ...and the epmd it brought up (runs as user rabbitmq), once no node is registered with it.
    local names
    names=$(timeout 10 epmd -names 2>/dev/null) || true
    grep -q '^name ' <<<"$names" && return 0
    for pid in $(epmd_pids); do
        [[ $(stat -c %U "/proc/$pid" 2>/dev/null) == rabbitmq ]] || continue
        log "stopping the system epmd (pid $pid) started along with it"
        kill -TERM "$pid" 2>/dev/null || true
    done
}

install_rabbitmq() {
    command -v apt-get >/dev/null 2>&1 || die "rabbitmq-server is not installed and apt-get is not available"
    [[ $EUID -eq 0 ]] || die "rabbitmq-server is not installed; installing it needs root (sudo apt-get install rabbitmq-server)"
    local t0=$SECONDS
    local apt_opts=(-y -q -o DPkg::Lock::Timeout=600
                    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
    export DEBIAN_FRONTEND=noninteractive
    log "rabbitmq-server is not installed; installing it with apt-get (service start blocked)"
    block_service_starts
    local cand
    cand=$(apt-cache policy rabbitmq-server 2>/dev/null | awk '/Candidate:/ { print $2 }')
    if [[ -z $cand || $cand == "(none)" ]]; then
        log "no package list knows rabbitmq-server yet; running apt-get update"
        apt-get -q update >&2
    fi
    if ! apt-get "${apt_opts[@]}" install --no-install-recommends rabbitmq-server >&2; then
        log "apt-get install failed; refreshing package lists and retrying"
        apt-get -q update >&2
        apt-get "${apt_opts[@]}" install --no-install-recommends rabbitmq-server >&2 \
            || die "apt-get install rabbitmq-server failed"
    fi
    restore_policy_rc
    stop_system_node_if_any
    log "rabbitmq-server installed in $(( SECONDS - t0 ))s"
}

ensure_installed() {
    find_rmq_bin && return 0
    install_rabbitmq
    find_rmq_bin || die "rabbitmq-server installed but its scripts (.../rabbitmq/bin/rabbitmq-server) were not found"
}

# Machine-wide lock, held by `start` from the install check until the node's listeners are up:
# one apt-get at a time, and two DIRs starting at once cannot pick the same free ports.
take_machine_lock() {
    exec 8>"$F_MACHINE_LOCK"
    flock -w $(( START_TIMEOUT + 900 )) 8 || die "timed out waiting for another $PROG start/install to finish"
}
release_machine_lock() { flock -u 8 2>/dev/null || true; exec 8>&-; }

# ---------------------------------------------------------------------------------------------
# node state & environment
# ---------------------------------------------------------------------------------------------
NODE=
AMQP_PORT= MGMT_PORT= DIST_PORT=

load_state() { # read what a previous start persisted (no side effects)
    NODE=$(read_kv "$F_NODENAME" NODE)
    AMQP_PORT=$(read_kv "$F_PORTS" AMQP_PORT)
    MGMT_PORT=$(read_kv "$F_PORTS" MANAGEMENT_PORT)
    DIST_PORT=$(read_kv "$F_PORTS" DIST_PORT)
}

default_nodename() {
    if [[ $DIR == "$DEFAULT_DIR" ]]; then
        printf '%s@%s\n' "$NODE_BASENAME" "$NODE_HOST"
    else # distinct DIRs may run side by side: make their names distinct too
        printf '%s-%s@%s\n' "$NODE_BASENAME" "$(printf '%s' "$DIR" | cksum | cut -d' ' -f1)" "$NODE_HOST"
    fi
}

# Everything the package's scripts (server and CLI alike) read. Exported in a subshell only.
export_node_env() {
    # Never inherit listener settings that would add listeners next to ours.
    unset RABBITMQ_NODE_PORT RABBITMQ_NODE_IP_ADDRESS RABBITMQ_USE_LONGNAME RABBITMQ_ALLOW_INPUT || true
    export RETAB_BROKER_DIR=$DIR
    export HOME=$DIR/home                                  # private $HOME/.erlang.cookie
    export RABBITMQ_NODENAME=$NODE
    export RABBITMQ_CONF_ENV_FILE=$DIR/rabbitmq-env.conf   # instead of /etc/rabbitmq/rabbitmq-env.conf
    export RABBITMQ_CONFIG_FILE=$DIR/rabbitmq.conf
    export RABBITMQ_ADVANCED_CONFIG_FILE=$DIR/advanced.config
    export RABBITMQ_ENABLED_PLUGINS_FILE=$DIR/enabled_plugins
    export RABBITMQ_MNESIA_BASE=$DIR/mnesia
    export RABBITMQ_LOG_BASE=$DIR/log
    export RABBITMQ_PID_FILE=$F_BEAM_PID
    export RABBITMQ_DIST_PORT=$DIST_PORT
    # Erlang distribution and (if this node starts it) epmd on loopback only.
    export ERL_EPMD_ADDRESS=127.0.0.1
    export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
}

run_tool() { # TOOL ARGS... : run one of the package's CLI tools against this node
    local tool=$1; shift
    ( export_node_env; cd "$DIR"; exec "$RMQ_BIN/$tool" -n "$NODE" "$@" )
}

ping_ok() {
    ( export_node_env; cd "$DIR"; exec timeout 30 "$RMQ_BIN/rabbitmq-diagnostics" -q -n "$NODE" ping ) >/dev/null 2>&1
}

node_pids() { # alive pids (launcher, beam) that belong to this DIR
    local p
    for p in "$(read_pid "$F_LAUNCHER_PID")" "$(read_pid "$F_BEAM_PID")"; do
        [[ -n $p ]] && kill -0 "$p" 2>/dev/null && pid_is_ours "$p" && printf '%s\n' "$p"
    done
    return 0
}

is_running_quick() { # our process is alive and AMQP accepts connections
    [[ -n $(node_pids) && -n $AMQP_PORT ]] && tcp_accepts "$AMQP_PORT"
}

amqp_uri() { printf 'amqp://guest:guest@127.0.0.1:%s/\n' "$AMQP_PORT"; }

take_lock() {
    mkdir -p "$DIR"
    exec 9>"$DIR/.lock"
    flock -w $(( START_TIMEOUT + STOP_TIMEOUT + 60 )) 9 || die "could not lock $DIR/.lock (another $PROG running?)"
}

release_lock() { flock -u 9 2>/dev/null || true; exec 9>&-; }

print_log_tails() {
    local f
    for f in "$F_LAUNCHER_LOG" "$DIR/log/$NODE.log"; do
        if [[ -s $f ]]; then
            log "---- last 50 lines of $f ----"
            tail -n 50 "$f" >&2 || true
        else
            log "---- $f: missing or empty ----"
        fi
    done
}

# ---------------------------------------------------------------------------------------------
# resolve ports (env > persisted > default-if-free > random free)
# ---------------------------------------------------------------------------------------------
# The AMQP port is sticky: a restarted node must come back where its clients reconnect, so a
# persisted AMQP port that is now taken is an error. Management and distribution ports are only
# preferred: if taken, another free port is chosen (the CLI finds the dist port through epmd).
resolve_port() { # NAME ENVVALUE PERSISTED DEFAULT STICKY(0|1) EXCLUDED...
    local name=$1 env=$2 persisted=$3 def=$4 sticky=$5; shift 5
    if [[ -n $env ]]; then
        valid_port "$env" || die "$name=$env is not a valid port"
        port_in_use "$env" && die "port $env ($name) is already in use on this machine"
        printf '%s\n' "$env"
    elif [[ -n $persisted ]]; then
        if ! port_in_use "$persisted"; then
            printf '%s\n' "$persisted"
        elif [[ $sticky == 1 ]]; then
            die "port $persisted (persisted in $F_PORTS as $name) is now taken by another process; free it, set $name, or delete $F_PORTS"
        else
            log "port $persisted (persisted as $name) is now taken; choosing another one"
            pick_port "$def" "$@"
        fi
    else
        pick_port "$def" "$@"
    fi
}

# ---------------------------------------------------------------------------------------------
# commands
# ---------------------------------------------------------------------------------------------
kill_node_processes() { # stop whatever of our node is still alive, TERM then KILL
    local launcher pids p i
    launcher=$(read_pid "$F_LAUNCHER_PID")
    pids=$(node_pids)
    [[ -n $pids ]] || return 0
    log "sending TERM to $(tr '\n' ' ' <<<"$pids")"
    for p in $pids; do kill -TERM "$p" 2>/dev/null || true; done
    for (( i = 0; i < 20; i++ )); do [[ -z $(node_pids) ]] && return 0; sleep 0.5; done
    pids=$(node_pids)
    log "still alive after TERM, sending KILL to $(tr '\n' ' ' <<<"$pids")"
    # The launcher was started with setsid, so its pid is the process group of the whole node
    # (beam, erl_child_setup, inet_gethost, ...); epmd daemonizes out of it.
    if [[ -n $launcher ]] && pid_is_ours "$launcher"; then kill -KILL -- "-$launcher" 2>/dev/null || true; fi
    for p in $pids; do kill -KILL "$p" 2>/dev/null || true; done
    for (( i = 0; i < 20; i++ )); do [[ -z $(node_pids) ]] && return 0; sleep 0.5; done
    log "WARNING: could not kill $(node_pids | tr '\n' ' ')"
}

# epmd is shared by every Erlang node on the machine. Kill it only when a node started by this
# script brought it up (recorded machine-wide in F_EPMD_PID) and no node is registered with it any
# more; otherwise leave it running (harmless, ~1 MB). Caller holds the machine lock.
stop_epmd_if_ours() {
    local epid names
    epid=$(read_pid "$F_EPMD_PID")
    [[ -n $epid ]] || return 0
    if [[ $(cat "/proc/$epid/comm" 2>/dev/null) != epmd ]]; then rm -f "$F_EPMD_PID"; return 0; fi
    # CLI tools register short-lived nodes (rabbitmqcli-...); give them a moment to go away.
    local i
    for (( i = 0; i < 10; i++ )); do
        names=$(ERL_EPMD_ADDRESS=127.0.0.1 timeout 10 epmd -names 2>/dev/null) || true
        grep -q '^name ' <<<"$names" || break
        sleep 0.5
    done
    if grep -q '^name ' <<<"$names"; then
        log "epmd (pid $epid) still serves other Erlang nodes; leaving it running"
        return 0 # the last stop will take it
    fi
    log "stopping epmd (pid $epid), started by $PROG and now unused"
    rm -f "$F_EPMD_PID"
    kill -TERM "$epid" 2>/dev/null || true
    for (( i = 0; i < 10; i++ )); do [[ -d /proc/$epid ]] || return 0; sleep 0.5; done
    kill -KILL "$epid" 2>/dev/null || true
}

record_epmd_if_started() { # EPMD_PIDS_BEFORE_START
    [[ -z $1 ]] || return 0
    local epids
    epids=$(epmd_pids)
    if [[ -n $epids && $(wc -l <<<"$epids") == 1 ]]; then printf '%s\n' "$epids" >"$F_EPMD_PID"; fi
}

cmd_start() {
    take_machine_lock
    ensure_installed
    take_lock
    load_state
    mkdir -p "$DIR/home" "$DIR/mnesia" "$DIR/log"
    chmod 0700 "$DIR/home"

    # Already running?
    if [[ -n $NODE && -n $(node_pids) ]]; then
        if ping_ok && [[ -n $AMQP_PORT ]] && tcp_accepts "$AMQP_PORT"; then
            log "node $NODE is already running in $DIR"
            release_machine_lock
            amqp_uri
            return 0
        fi
        log "node $NODE in $DIR has a live process but does not answer; restarting it"
        kill_node_processes
    fi
    rm -f "$F_LAUNCHER_PID" "$F_BEAM_PID"

    # Identity, cookie, ports, config
    if [[ -n ${RABBITMQ_NODENAME:-} ]]; then NODE=$RABBITMQ_NODENAME; fi
    [[ -n $NODE ]] || NODE=$(default_nodename)
    [[ $NODE == *@* ]] || NODE=$NODE@$NODE_HOST
    printf 'NODE=%s\n' "$NODE" >"$F_NODENAME"

    if [[ ! -s $DIR/home/.erlang.cookie ]]; then
        ( umask 077; head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n' | tr 'a-f' 'A-F' >"$DIR/home/.erlang.cookie" )
    fi
    chmod 0400 "$DIR/home/.erlang.cookie"

    AMQP_PORT=$(resolve_port RABBITMQ_PORT "${RABBITMQ_PORT:-}" "$AMQP_PORT" 5672 1)
    MGMT_PORT=$(resolve_port RABBITMQ_MANAGEMENT_PORT "${RABBITMQ_MANAGEMENT_PORT:-}" "$MGMT_PORT" 15672 0 "$AMQP_PORT")
    DIST_PORT=$(resolve_port RABBITMQ_DIST_PORT "${RABBITMQ_DIST_PORT:-}" "$DIST_PORT" 25672 0 "$AMQP_PORT" "$MGMT_PORT")
    [[ $AMQP_PORT != "$MGMT_PORT" && $AMQP_PORT != "$DIST_PORT" && $MGMT_PORT != "$DIST_PORT" ]] \
        || die "AMQP ($AMQP_PORT), management ($MGMT_PORT) and distribution ($DIST_PORT) ports must differ"

    cat >"$DIR/rabbitmq.conf" <<EOF
# generated by $PROG — rewritten on every start
listeners.tcp.default = 127.0.0.1:$AMQP_PORT
management.tcp.ip     = 127.0.0.1
management.tcp.port   = $MGMT_PORT
log.file.level        = info
log.console           = false
EOF
    printf '[rabbitmq_management].\n' >"$DIR/enabled_plugins"
    printf '# intentionally empty: shadows /etc/rabbitmq/rabbitmq-env.conf\n' >"$DIR/rabbitmq-env.conf"

    # epmd: remember whether this start is the one that brings it up
    local epmd_before
    epmd_before=$(epmd_pids)

    # Launch the package's own server script, detached (setsid: own session & process group),
    # with stdin/stdout/stderr away from the caller and without our lock fd.
    log "starting node $NODE (AMQP 127.0.0.1:$AMQP_PORT, management 127.0.0.1:$MGMT_PORT, dist $DIST_PORT) in $DIR"
    local t0=$SECONDS launcher
    printf '\n==== %s start %s ====\n' "$(date '+%F %T')" "$NODE" >>"$F_LAUNCHER_LOG"
    (
        export_node_env
        cd "$DIR"
        exec setsid "$RMQ_BIN/rabbitmq-server" </dev/null >>"$F_LAUNCHER_LOG" 2>&1 8>&- 9>&-
    ) &
    launcher=$!
    printf '%s\n' "$launcher" >"$F_LAUNCHER_PID"

    fail_start() {
        log "ERROR: $1"
        print_log_tails
        log "stopping the half-started node"
        kill_node_processes
        rm -f "$F_LAUNCHER_PID" "$F_BEAM_PID" "$F_URI" "$F_MGMT_URL"
        # epmd_before: local of cmd_start (bash dynamic scope); machine lock is held here
        record_epmd_if_started "$epmd_before"
        stop_epmd_if_ours
        exit 1
    }

    local deadline=$(( SECONDS + START_TIMEOUT ))
    until ping_ok; do
        kill -0 "$launcher" 2>/dev/null || fail_start "node process exited during startup (see logs below)"
        (( SECONDS < deadline )) || fail_start "node $NODE did not answer 'rabbitmq-diagnostics ping' within ${START_TIMEOUT}s (RABBITMQ_START_TIMEOUT)"
        sleep 1
    done
    log "node answers ping after $(( SECONDS - t0 ))s; waiting for the AMQP and management listeners"
    until tcp_accepts "$AMQP_PORT" && tcp_accepts "$MGMT_PORT"; do
        kill -0 "$launcher" 2>/dev/null || fail_start "node process exited during startup (see logs below)"
        (( SECONDS < deadline )) || fail_start "AMQP port $AMQP_PORT / management port $MGMT_PORT not accepting connections within ${START_TIMEOUT}s"
        sleep 0.5
    done

    record_epmd_if_started "$epmd_before"

    release_machine_lock
    # Persisted only now: a start that failed (e.g. port clash) must not pin its ports.
    printf 'AMQP_PORT=%s\nMANAGEMENT_PORT=%s\nDIST_PORT=%s\n' "$AMQP_PORT" "$MGMT_PORT" "$DIST_PORT" >"$F_PORTS"
    amqp_uri >"$F_URI"
    printf 'http://127.0.0.1:%s/\n' "$MGMT_PORT" >"$F_MGMT_URL"
    log "node $NODE ready in $(( SECONDS - t0 ))s (launcher pid $launcher, beam pid $(read_pid "$F_BEAM_PID"))"
    log "management UI/API: http://127.0.0.1:$MGMT_PORT/ (guest/guest)"
    amqp_uri
}

cmd_stop() {
    [[ -d $DIR ]] || { log "nothing in $DIR; not running"; return 0; }
    take_lock
    load_state
    if [[ -z $(node_pids) ]]; then
        log "node in $DIR is not running"
        rm -f "$F_LAUNCHER_PID" "$F_BEAM_PID"
        release_lock; take_machine_lock; stop_epmd_if_ours; release_machine_lock
        return 0
    fi
    local t0=$SECONDS launcher i
    launcher=$(read_pid "$F_LAUNCHER_PID")
    if [[ -n $NODE ]] && find_rmq_bin; then
        log "stopping node $NODE (rabbitmqctl stop)"
        # With the pid file, rabbitmqctl returns only once the Erlang VM process has exited.
        local pidfile_arg=()
        [[ -s $F_BEAM_PID ]] && pidfile_arg=("$F_BEAM_PID")
        ( export_node_env; cd "$DIR"
          exec timeout -k 5 "$STOP_TIMEOUT" "$RMQ_BIN/rabbitmqctl" -q -n "$NODE" stop "${pidfile_arg[@]}" ) >&2 \
            || log "rabbitmqctl stop failed or timed out (exit $?)"
        for (( i = 0; i < 10; i++ )); do [[ -z $(node_pids) ]] && break; sleep 0.5; done
    fi
    if [[ -n $(node_pids) ]]; then
        log "node did not stop within ${STOP_TIMEOUT}s; killing it"
        kill_node_processes
    fi
    # The rest of the process group (e.g. a stray erl_child_setup) goes with it.
    if [[ -n $launcher ]]; then kill -KILL -- "-$launcher" 2>/dev/null || true; fi
    rm -f "$F_LAUNCHER_PID" "$F_BEAM_PID"
    release_lock; take_machine_lock; stop_epmd_if_ours; release_machine_lock
    log "node stopped in $(( SECONDS - t0 ))s (data, ports and cookie kept in $DIR)"
}

cmd_uri() {
    load_state
    if is_running_quick; then amqp_uri; return 0; fi
    log "no running node in $DIR"
    return 1
}

cmd_status() {
    load_state
    local state=stopped rc=1
    if [[ -n $(node_pids) ]]; then
        state="process alive, not answering"
        if find_rmq_bin && ping_ok && [[ -n $AMQP_PORT ]] && tcp_accepts "$AMQP_PORT"; then state=running; rc=0; fi
    fi
    printf 'state:      %s\n' "$state"
    printf 'dir:        %s\n' "$DIR"
    printf 'node:       %s\n' "${NODE:-(never started)}"
    printf 'pids:       launcher=%s beam=%s\n' "$(read_pid "$F_LAUNCHER_PID")" "$(read_pid "$F_BEAM_PID")"
    if [[ -n $AMQP_PORT ]]; then
        printf 'amqp:       %s' "$(amqp_uri)"; echo
        printf 'management: http://127.0.0.1:%s/\n' "$MGMT_PORT"
        printf 'dist port:  %s\n' "$DIST_PORT"
    fi
    printf 'node log:   %s\n' "$DIR/log/${NODE:-NODE}.log"
    return $rc
}

cmd_tool() { # TOOL
    load_state
    [[ -n $NODE ]] || die "no node was ever started in $DIR (run: $PROG start --dir $DIR)"
    find_rmq_bin || die "rabbitmq-server is not installed (run: $PROG start)"
    run_tool "$1" "${EXTRA_ARGS[@]}"
}

case $CMD in
    start)   cmd_start ;;
    stop)    cmd_stop ;;
    uri)     cmd_uri ;;
    status)  cmd_status ;;
    ctl)     cmd_tool rabbitmqctl ;;
    diag)    cmd_tool rabbitmq-diagnostics ;;
    install) take_machine_lock; ensure_installed; log "rabbitmq-server scripts: $RMQ_BIN" ;;
    -h|--help|help) usage ;;
    "") usage; exit 2 ;;
    *) usage; die "unknown command: $CMD" ;;
esac
