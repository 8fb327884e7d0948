# Sourced by srun-eval.sh and sbatch-eval.sh: the Slurm job name of this attempt.
# "layernas-<search>-<candidate>-<attempt>-<checksum of the working directory>": readable in
# squeue, and unique per database, candidate and attempt, so a cancel by name never hits another
# search's job (two databases may hold searches of the same name and candidate ids).
layernas_job_name() {
    workdir_sum=$(printf '%s' "$LAYERNAS_WORKDIR" | cksum | cut -d ' ' -f 1)
    printf 'layernas-%s-%s-%s-%s' "$LAYERNAS_SEARCH" "$LAYERNAS_CANDIDATE_ID" "$LAYERNAS_ATTEMPT" "$workdir_sum" | tr -c 'A-Za-z0-9._-' '_'
}
