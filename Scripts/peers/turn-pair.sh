# Sourced by Scripts/peers/ab-onnxruntime, ab-onnxruntime-network and Scripts/ab-network.
#
# wait_for_pair ALLOWED PID PID: waits for the two processes of a turn pair (two tools or two
# builds taking turns through FIFOs). A process that fails before it opens the FIFOs would
# leave the other blocked in its open, so the first exit status above ALLOWED kills the other
# and is returned; 0 when both end within ALLOWED. The killed process is reaped here, so the
# shell prints no notice of it.
wait_for_pair() {
  local allowed=$1 status
  shift
  for _ in 1 2; do
    status=0
    wait -n || status=$?
    if [ "$status" -gt "$allowed" ]; then
      { kill -KILL "$@"; wait "$@"; } 2>/dev/null || true
      return "$status"
    fi
  done
}
