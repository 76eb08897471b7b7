#!/usr/bin/env bash
# A Slurm job array over the shards of a suite, then one merge in a job that waits for it.
#
#   Scripts/fleet/slurm-array.sh --shards N --out DIR [--sbatch-args "..."] [-- run options]
#
# Submits N array tasks; task I runs `sepbench run --shard I/N --out DIR/shard-I` with the
# run options after `--` (default: the mobilenet-v1 suite at 1 and 2 threads). A second job,
# started only after every task succeeded (afterok), runs `sepbench merge DIR/shard-* --out
# DIR/merged`. Give --sbatch-args for the partition, constraint (one node type per
# submission) or time limit. SEPBENCH names the binary (default: .build/release/sepbench,
# built by `swift build -c release` on a shared file system). Prints the two job ids.
set -euo pipefail
cd "$(dirname "$0")/../.."

shards=""
out=""
sbatch_args=""
run_args=()
while [ $# -gt 0 ]; do
  case $1 in
    --shards) shards=${2:?}; shift 2 ;;
    --out) out=${2:?}; shift 2 ;;
    --sbatch-args) sbatch_args=${2:?}; shift 2 ;;
    --) shift; run_args=("$@"); break ;;
    *)
      echo "error: '$1' is not allowed; use --shards N, --out DIR, --sbatch-args ARGS, then -- run options" >&2
      exit 2
      ;;
  esac
done
if ! [[ $shards =~ ^[1-9][0-9]*$ ]]; then
  echo "error: --shards '$shards' is not allowed; use a count of 1 or more" >&2
  exit 2
fi
if [ -z "$out" ]; then
  echo "error: --out is required: the folder that gets shard-1 … shard-N and merged" >&2
  exit 2
fi
[ ${#run_args[@]} -gt 0 ] || run_args=(--suite mobilenet-v1 --threads 1,2)
sepbench=$(realpath "${SEPBENCH:-.build/release/sepbench}")
mkdir -p "$out"
out=$(realpath "$out")

quoted=$(printf ' %q' "${run_args[@]}")
# shellcheck disable=SC2086 # sbatch_args is a list of options
array=$(sbatch --parsable $sbatch_args --job-name=sepbench-shards --array="1-$shards" \
  --output="$out/shard-%a.log" \
  --wrap "$sepbench run$quoted --shard \$SLURM_ARRAY_TASK_ID/$shards --out $out/shard-\$SLURM_ARRAY_TASK_ID")
array=${array%%;*}
folders=$(for i in $(seq 1 "$shards"); do printf ' %q' "$out/shard-$i"; done)
# shellcheck disable=SC2086
merge=$(sbatch --parsable $sbatch_args --job-name=sepbench-merge --dependency="afterok:$array" \
  --output="$out/merge.log" --wrap "$sepbench merge$folders --out $out/merged")
echo "shards: job $array ($shards tasks); merge: job ${merge%%;*} -> $out/merged"
