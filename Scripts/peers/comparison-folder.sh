# Sourced by Scripts/peers/ab-onnxruntime and ab-onnxruntime-network.
#
# claim_comparison_folder DIR FORCE: make DIR ready for a comparison's round folders. Their
# tables read every <tool>-<round> folder in DIR, so the folders and table of an earlier
# comparison would join this one's: when DIR holds any, they are removed if FORCE is 1, and
# otherwise the function says so on stderr and returns 2 (DIR left as it was).
claim_comparison_folder() {
  local out=$1 force=$2 earlier=()
  shopt -s nullglob
  earlier=("$out"/sepbench-* "$out"/onnxruntime-*)
  shopt -u nullglob
  [ ! -e "$out/table.md" ] || earlier+=("$out/table.md")
  if [ ${#earlier[@]} -gt 0 ]; then
    if [ "$force" != 1 ]; then
      echo "error: --out '$out' already holds a comparison; give --force to replace it, or another folder" >&2
      return 2
    fi
    rm -rf -- "${earlier[@]}"
  fi
  mkdir -p "$out"
}
