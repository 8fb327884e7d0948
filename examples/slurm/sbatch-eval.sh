#!/usr/bin/env bash
# sbatch-eval.sh: one layernas evaluation as a Slurm batch job (README, "Running on a cluster").
#
#   layernas search runs/nas.db --space my-space.yaml --jobs 8 --eval-timeout 2h \
#       --evaluator 'command:examples/slurm/sbatch-eval.sh --gres=gpu:1 --time=02:00:00 -- python3 train.py'
#
# Arguments before `--` go to sbatch, the rest is the trainer command. The job runs the trainer
# with the request on standard input and layernas's environment (LAYERNAS_*), writing its output
# to slurm-<attempt>.out (errors to .err) in the candidate's working directory: the compute node must see that
# directory (a shared file system at the same path). `sbatch --wait` exits with the job's status,
# and a job that did not end COMPLETED (`scontrol show job`) counts as failed too, so a failed,
# cancelled, preempted or timed-out job is a transient failure, which layernas retries; afterwards the last line of the job's output is printed as the result. When layernas
# stops the attempt (SIGTERM to this process group), the job is cancelled, queued or running.
set -u
here=$(cd "$(dirname "$0")" && pwd)
. "$here/job-name.sh"

sbatch_options=()
while [ $# -gt 0 ] && [ "$1" != "--" ]; do sbatch_options+=("$1"); shift; done
if [ $# -eq 0 ]; then
    echo "sbatch-eval.sh: usage: sbatch-eval.sh [SBATCH OPTION...] -- TRAINER [ARGUMENT...]" >&2
    exit 2
fi
shift
if [ $# -eq 0 ]; then
    echo "sbatch-eval.sh: no trainer command after --" >&2
    exit 2
fi

name=$(layernas_job_name)
job_script="$LAYERNAS_WORKDIR/slurm-job-$LAYERNAS_ATTEMPT.sh"
output="$LAYERNAS_WORKDIR/slurm-$LAYERNAS_ATTEMPT.out"
errors="$LAYERNAS_WORKDIR/slurm-$LAYERNAS_ATTEMPT.err"
job_id_file="$LAYERNAS_WORKDIR/slurm-$LAYERNAS_ATTEMPT.jobid"
{
    echo '#!/usr/bin/env bash'
    printf 'exec'
    printf ' %q' "$@"
    printf ' < %q\n' "$LAYERNAS_REQUEST"
} > "$job_script"
rm -f "$output" "$errors" "$job_id_file"

cancel() {
    job_id=$(cut -d ';' -f 1 "$job_id_file" 2>/dev/null)
    if [ -n "$job_id" ]; then scancel "$job_id" >&2 2>/dev/null; fi
    # A job submitted a moment before the signal may not have printed its id yet.
    scancel --name="$name" --user="$(id -un)" >&2 2>/dev/null
    exit 143
}
trap cancel TERM INT HUP

# --parsable prints the job id at submission, before --wait blocks; the job keeps the working
# directory as its current directory, so relative paths in the trainer command work as locally.
sbatch --wait --parsable --export=ALL --job-name="$name" --output="$output" --error="$errors" --chdir="$PWD" \
    "${sbatch_options[@]}" "$job_script" > "$job_id_file" &
wait $!
status=$?
# A job cancelled behind our back can end with exit code 0 when Slurm records the cancel before
# the job's own exit: only a COMPLETED job is a result, anything else is a transient failure.
job_id=$(cut -d ';' -f 1 "$job_id_file" 2>/dev/null)
if [ "$status" = 0 ] && [ -n "$job_id" ]; then
    state=$(scontrol show job "$job_id" --oneliner 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p')
    if [ -n "$state" ] && [ "$state" != COMPLETED ]; then
        echo "sbatch-eval.sh: job $job_id ended $state" >&2
        status=1
    fi
fi
if [ -f "$output" ]; then tail -n 1 "$output"; fi
exit $status
