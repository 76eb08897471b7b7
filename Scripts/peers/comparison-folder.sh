# Sourced by Scripts/peers/ab-onnxruntime and ab-onnxruntime-network.
#
# A comparison's table reads every <tool>-<round> folder in its DIR, so the folders and table
# of an earlier comparison would join the new one's. The scripts call check_comparison_folder
# before they set anything up and clear_comparison_folder once the build has succeeded, so an
# earlier comparison is lost only to a run that can start.

# The earlier comparison's entries in DIR, one per line (none: no output).
comparison_entries() {
  local out=$1 restore entry
  restore=$(shopt -p nullglob || true)
  shopt -s nullglob
  for entry in "$out"/sepbench-* "$out"/onnxruntime-*; do printf '%s\n' "$entry"; done
  eval "$restore"
  [ ! -e "$out/table.md" ] || printf '%s\n' "$out/table.md"
}

# check_comparison_folder DIR FORCE: returns 2 with one line on stderr when DIR holds an
# earlier comparison and FORCE is not 1; DIR is left as it was.
check_comparison_folder() {
  local out=$1 force=$2
  if [ "$force" != 1 ] && [ -n "$(comparison_entries "$out")" ]; then
    echo "error: --out '$out' already holds a comparison; give --force to replace it, or another folder" >&2
    return 2
  fi
}

# clear_comparison_folder DIR: removes the earlier comparison's entries and creates DIR;
# returns 2 with one line on stderr when it cannot.
clear_comparison_folder() {
  local out=$1 entry
  while IFS= read -r entry; do
    rm -rf -- "$entry" || { echo "error: cannot remove $entry" >&2; return 2; }
  done < <(comparison_entries "$out")
  mkdir -p -- "$out" || { echo "error: cannot create $out" >&2; return 2; }
}
