#!/usr/bin/env bash
# A real single-node Slurm cluster for the cluster tests (`make test-slurm`, README "Running on a
# cluster"): munged, slurmctld and slurmd on this machine, configured from its own CPUs and memory.
#
#   scripts/slurm-test-cluster.sh start   # installs slurm-wlm and munge when missing, starts the
#                                         # daemons, waits until the node is idle, prints SLURM_CONF=...
#   scripts/slurm-test-cluster.sh stop    # cancels every job, stops what `start` started
#   scripts/slurm-test-cluster.sh run COMMAND...
#                                         # start, run COMMAND with SLURM_CONF set, stop (always);
#                                         # when the cluster cannot start, COMMAND runs with
#                                         # LAYERNAS_SLURM_UNAVAILABLE saying why (tests skip)
#
# Everything lives in $LAYERNAS_SLURM_DIR (default /tmp/layernas-slurm); nothing under /etc is
# changed (the tools find the configuration through SLURM_CONF). The daemons run as root, as on a
# cluster's nodes; without root (or sudo) `start` fails, saying why, and the tests are skipped.
set -euo pipefail
dir=${LAYERNAS_SLURM_DIR:-/tmp/layernas-slurm}
conf="$dir/slurm.conf"
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
        echo "slurm-test-cluster: needs root (or password-less sudo) to run slurmctld and slurmd" >&2
        exit 1
    fi
fi

install_missing() {
    missing=""
    for package in slurm-wlm munge; do
        dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
    done
    if [ -n "$missing" ]; then
        echo "installing Debian packages:$missing" >&2
        $SUDO apt-get update -q >&2
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends $missing >&2
    fi
}

start_munge() {
    if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then return; fi
    if [ ! -s /etc/munge/munge.key ]; then
        $SUDO mungekey --create --keyfile=/etc/munge/munge.key >&2
        $SUDO chown munge:munge /etc/munge/munge.key
        $SUDO chmod 600 /etc/munge/munge.key
    fi
    $SUDO mkdir -p /run/munge /var/log/munge /var/lib/munge
    $SUDO chown munge:munge /run/munge /var/log/munge /var/lib/munge
    $SUDO runuser -u munge -- /usr/sbin/munged
    touch "$dir/started-munged"
    for _ in $(seq 50); do
        if munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then return; fi
        sleep 0.1
    done
    echo "slurm-test-cluster: munged does not answer" >&2
    exit 1
}

write_config() {
    host=$(hostname -s)
    cpus=$(nproc)
    memory=$(awk '/MemTotal/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
    mkdir -p "$dir/state" "$dir/spool" "$dir/log"
    cat > "$conf" <<CONF
# Written by scripts/slurm-test-cluster.sh for this machine: one node, every CPU, no accounting.
ClusterName=layernas-test
SlurmctldHost=$host
AuthType=auth/munge
SlurmUser=root
SlurmdUser=root
SlurmctldPort=${LAYERNAS_SLURMCTLD_PORT:-16817}
SlurmdPort=${LAYERNAS_SLURMD_PORT:-16818}
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
# Time limits are enforced within seconds, not the default minute, and killed jobs go at once.
OverTimeLimit=0
KillWait=2
InactiveLimit=0
MinJobAge=30
NodeName=$host CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
}

stop_daemons() {
    if [ -f "$conf" ] && [ -f "$dir/slurmctld.pid" ]; then
        SLURM_CONF="$conf" scancel --user="$(id -un)" 2>/dev/null || true
    fi
    for daemon in slurmd slurmctld; do
        if [ -f "$dir/$daemon.pid" ]; then
            pid=$(cat "$dir/$daemon.pid")
            $SUDO kill "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            $SUDO kill -9 "$pid" 2>/dev/null || true
            rm -f "$dir/$daemon.pid"
        fi
    done
    if [ -f "$dir/started-munged" ]; then
        $SUDO pkill -x munged 2>/dev/null || true
        rm -f "$dir/started-munged"
    fi
}

case "${1:-}" in
start)
    install_missing
    mkdir -p "$dir"
    stop_daemons
    rm -rf "$dir/state" "$dir/spool"
    start_munge
    write_config
    $SUDO /usr/sbin/slurmctld -f "$conf"
    $SUDO /usr/sbin/slurmd -f "$conf"
    for _ in $(seq 150); do
        state=$(SLURM_CONF="$conf" sinfo -h -o '%T' 2>/dev/null || true)
        if [ "$state" = idle ]; then
            echo "SLURM_CONF=$conf"
            exit 0
        fi
        sleep 0.2
    done
    echo "slurm-test-cluster: the node did not become idle within 30 s (state '${state:-none}'); see $dir/log" >&2
    stop_daemons
    exit 1
    ;;
stop)
    stop_daemons
    ;;
run)
    shift
    if started=$("$0" start); then
        export "$started"
        trap '"$0" stop' EXIT
        "$@"
    else
        export LAYERNAS_SLURM_UNAVAILABLE="the single-node test cluster did not start (scripts/slurm-test-cluster.sh printed why)"
        "$@"
    fi
    ;;
*)
    echo "usage: scripts/slurm-test-cluster.sh start|stop|run COMMAND..." >&2
    exit 2
    ;;
esac
