#!/usr/bin/env bash
# srun-eval.sh: one layernas evaluation as a Slurm job step (README, "Running on a cluster").
#
#   layernas search runs/nas.db --space my-space.yaml --jobs 8 --eval-timeout 2h \
#       --evaluator 'command:examples/slurm/srun-eval.sh --gres=gpu:1 --time=120 -- python3 train.py'
#
# Arguments before `--` go to srun, the rest is the trainer command. The trainer runs with the
# request on standard input and layernas's environment (LAYERNAS_*); its output comes back through
# srun, so its last line is the result layernas reads. A failed, cancelled, preempted or timed-out
# job makes srun exit non-zero: a transient failure, which layernas retries. When layernas stops
# the attempt (SIGTERM to this process group: Ctrl-C, --eval-timeout, or a resume after a
# SIGKILL), the job is cancelled by name, queued or running.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/job-name.sh"

srun_options=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do srun_options+=("$1"); shift; done
if [ $# -eq 0 ]; then
    echo "srun-eval.sh: usage: srun-eval.sh [SRUN OPTION...] -- TRAINER [ARGUMENT...]" >&2
    exit 2
fi
shift
if [ $# -eq 0 ]; then
    echo "srun-eval.sh: no trainer command after --" >&2
    exit 2
fi

name=$(layernas_job_name)
cancel() {
    scancel --name="$name" --user="$(id -un)" >&2 2>/dev/null
    exit 143
}
trap cancel TERM INT HUP

# In the background and waited for, so that the trap runs as soon as a signal arrives.
srun --job-name="$name" --ntasks=1 --export=ALL --quiet "${srun_options[@]}" "$@" < "$LAYERNAS_REQUEST" &
wait $!
