#!/bin/bash
# Web fleet instance (Amazon Linux 2023), one file for three jobs:
#   web-fleet.sh [setup]            first boot (cloud-init user data): install the app and the units below
#   web-fleet.sh render-page        every start of web-fleet.service: write the page (instance id, zone)
#   web-fleet.sh complete-lifecycle every boot (web-fleet-lifecycle.service): finish the launch lifecycle hook
# User data runs only on an instance's first boot; an instance started from a
# Stopped warm pool boots again without it. So the app is an enabled systemd
# service (it comes back by itself) and the hook is completed by a unit that
# runs on every boot: once for Warmed:Pending:Wait (on the way into the pool)
# and once for Pending:Wait (on the way into service).
# Heartbeats: while the first-boot setup runs (the PyTorch install can take
# longer than the hook's timeout), a background loop calls
# record-lifecycle-action-heartbeat every HEARTBEAT_SECONDS, which starts the
# hook's timeout again; the loop is killed when the setup ends (also on failure)
# and gives up after HEARTBEAT_MAX_SECONDS, so a hung setup is still abandoned.
# Variables (exported above this comment by the stack): APP_PORT, ASG_NAME,
# LIFECYCLE_HOOK_NAME (empty: no hook, no AWS call at all), SETUP (none |
# pytorch-cpu), GROUP_ROLE, HEARTBEAT_SECONDS (a third of the hook's timeout).
# WEB_FLEET_DIR, WEB_FLEET_LOG and WEB_FLEET_UNIT_DIR move the files (tests only).
# Idempotent: safe to run again by hand (sudo bash /opt/web-fleet/web-fleet.sh).
set -euo pipefail

APP_PORT="${APP_PORT:-8080}"
ASG_NAME="${ASG_NAME:-}"
LIFECYCLE_HOOK_NAME="${LIFECYCLE_HOOK_NAME:-}"
SETUP="${SETUP:-none}"
GROUP_ROLE="${GROUP_ROLE:-base}"
HEARTBEAT_SECONDS="${HEARTBEAT_SECONDS:-120}"
HEARTBEAT_MAX_SECONDS="${HEARTBEAT_MAX_SECONDS:-3600}"

APP_DIR="${WEB_FLEET_DIR:-/opt/web-fleet}"
SELF="$APP_DIR/web-fleet.sh"
IMDS=http://169.254.169.254/latest
LOG="${WEB_FLEET_LOG:-/var/log/web-fleet-setup.log}"
UNIT_DIR="${WEB_FLEET_UNIT_DIR:-/etc/systemd/system}"
HEARTBEAT_PID=""

log() { echo "$(date -u +%FT%TZ) web-fleet: $*"; }

# IMDSv2: a session token first, then the metadata path ($1). Fails on 404.
imds_token() {
  curl -sS -f -X PUT "$IMDS/api/token" -H "X-aws-ec2-metadata-token-ttl-seconds: 300"
}
imds() {
  local token
  token="$(imds_token)"
  curl -sS -f -H "X-aws-ec2-metadata-token: $token" "$IMDS/meta-data/$1"
}

# The slow part of the warm-pool blog: CPU-only PyTorch from pip (~1 GB).
install_extras() {
  case "$SETUP" in
    none) ;;
    pytorch-cpu)
      if [[ ! -f "$APP_DIR/.pytorch-installed" ]]; then
        log "installing CPU PyTorch (slow: this is what the warm pool hides)"
        dnf install -y python3-pip
        python3 -m venv "$APP_DIR/venv"
        "$APP_DIR/venv/bin/pip" install --no-cache-dir torch --index-url https://download.pytorch.org/whl/cpu
        "$APP_DIR/venv/bin/python" -c 'import torch; print("torch", torch.__version__)' > "$APP_DIR/torch-version.txt"
        touch "$APP_DIR/.pytorch-installed"
      fi
      ;;
    *)
      echo "SETUP ('$SETUP') must be none or pytorch-cpu" >&2
      exit 1
      ;;
  esac
}

install_units() {
  cat > "$UNIT_DIR/web-fleet.service" <<UNIT
[Unit]
Description=Web fleet demo app (port ${APP_PORT})
After=network-online.target
Wants=network-online.target

[Service]
ExecStartPre=+${SELF} render-page
ExecStart=/usr/bin/python3 -m http.server ${APP_PORT} --bind 0.0.0.0 --directory ${APP_DIR}/www
DynamicUser=yes
ProtectSystem=strict
ProtectHome=yes
NoNewPrivileges=yes
Restart=always
RestartSec=2

[Install]
WantedBy=multi-user.target
UNIT

  cat > "$UNIT_DIR/web-fleet-lifecycle.service" <<UNIT
[Unit]
Description=Complete the Auto Scaling launch lifecycle hook once the app answers
After=web-fleet.service network-online.target
Wants=network-online.target

[Service]
Type=oneshot
ExecStart=${SELF} complete-lifecycle
StandardOutput=append:${LOG}
StandardError=append:${LOG}

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable web-fleet.service web-fleet-lifecycle.service
}

has_hook() {
  [[ -n "$ASG_NAME" && -n "$LIFECYCLE_HOOK_NAME" ]]
}

# Runs in the background: one heartbeat every HEARTBEAT_SECONDS until killed
# (TERM ends the pending sleep too), at most HEARTBEAT_MAX_SECONDS in all.
# A failed heartbeat is logged, not fatal.
heartbeat_loop() {
  local instance_id="$1" region="$2" sleeper="" output sent=0
  trap 'if [[ -n "$sleeper" ]]; then kill "$sleeper" 2>/dev/null || true; fi; exit 0' TERM
  while (( (sent + 1) * HEARTBEAT_SECONDS <= HEARTBEAT_MAX_SECONDS )); do
    sleep "$HEARTBEAT_SECONDS" &
    sleeper=$!
    wait "$sleeper" || true
    sleeper=""
    if output="$(aws autoscaling record-lifecycle-action-heartbeat --region "$region" \
      --auto-scaling-group-name "$ASG_NAME" --lifecycle-hook-name "$LIFECYCLE_HOOK_NAME" \
      --instance-id "$instance_id" 2>&1)"; then
      log "lifecycle hook ${LIFECYCLE_HOOK_NAME} heartbeat sent (its timeout starts again)"
    else
      log "lifecycle hook heartbeat failed: ${output}"
    fi
    sent=$((sent + 1))
  done
  log "no more heartbeats after ${HEARTBEAT_MAX_SECONDS} s: a setup still running now ends with the hook's timeout"
}

start_heartbeats() {
  has_hook || return 0
  local instance_id region
  if ! instance_id="$(imds instance-id)" || ! region="$(imds placement/region)"; then
    log "instance metadata unavailable: no lifecycle hook heartbeats"
    return 0
  fi
  heartbeat_loop "$instance_id" "$region" &
  HEARTBEAT_PID=$!
  log "lifecycle hook heartbeats every ${HEARTBEAT_SECONDS} s while the setup runs"
}

stop_heartbeats() {
  [[ -n "$HEARTBEAT_PID" ]] || return 0
  kill "$HEARTBEAT_PID" 2>/dev/null || true
  wait "$HEARTBEAT_PID" 2>/dev/null || true
  HEARTBEAT_PID=""
  log "lifecycle hook heartbeats stopped"
}

setup() {
  exec > >(tee -a "$LOG") 2>&1
  log "setup started (group role ${GROUP_ROLE}, port ${APP_PORT})"
  local value
  for value in "$HEARTBEAT_SECONDS" "$HEARTBEAT_MAX_SECONDS"; do
    if [[ ! "$value" =~ ^[1-9][0-9]*$ ]]; then
      echo "HEARTBEAT_SECONDS ('$HEARTBEAT_SECONDS') and HEARTBEAT_MAX_SECONDS ('$HEARTBEAT_MAX_SECONDS') must be whole numbers of seconds > 0" >&2
      exit 1
    fi
  done
  mkdir -p "$APP_DIR/www"
  # Keep a copy of this script (with the stack's variables) for the units.
  if [[ "$(readlink -f "$0")" != "$(readlink -f "$SELF")" ]]; then install -m 0755 "$0" "$SELF"; fi
  # Heartbeats until the hook is completed below, or the setup fails.
  trap stop_heartbeats EXIT
  start_heartbeats
  install_extras
  install_units
  systemctl restart web-fleet.service
  # The lifecycle unit is enabled for the next boots; run it now for this one.
  systemctl start web-fleet-lifecycle.service || log "lifecycle unit failed: see above; the hook times out with its default result"
  stop_heartbeats
  log "setup finished"
}

render_page() {
  local instance_id zone
  instance_id="$(imds instance-id || echo unknown)"
  zone="$(imds placement/availability-zone || echo unknown)"
  mkdir -p "$APP_DIR/www"
  cat > "$APP_DIR/www/index.html" <<HTML
<!doctype html>
<html><head><title>web fleet</title></head>
<body><h1>Hello from ${instance_id}</h1>
<p>zone ${zone}, ${GROUP_ROLE} group, started $(date -u +%FT%TZ)</p></body></html>
HTML
}

# Waits until the app answers on localhost (up to ~5 minutes).
wait_for_app() {
  local attempt
  for attempt in $(seq 1 60); do
    if curl -sS -f -o /dev/null "http://127.0.0.1:${APP_PORT}/"; then return 0; fi
    log "app not answering yet (attempt ${attempt})"
    sleep 5
  done
  return 1
}

# CompleteLifecycleAction with retries: the role's policy may still be
# propagating on the first instances. "No active Lifecycle Action" means
# there is nothing to complete (a reboot in service, a group without a
# pending hook, or a second run): success, so the unit is idempotent.
complete_action() {
  local result="$1" instance_id="$2" region="$3" attempt output delay=5
  for attempt in $(seq 1 8); do
    if output="$(aws autoscaling complete-lifecycle-action --region "$region" \
      --auto-scaling-group-name "$ASG_NAME" --lifecycle-hook-name "$LIFECYCLE_HOOK_NAME" \
      --instance-id "$instance_id" --lifecycle-action-result "$result" 2>&1)"; then
      log "lifecycle hook ${LIFECYCLE_HOOK_NAME} completed with ${result}"
      return 0
    fi
    if [[ "$output" == *"No active Lifecycle Action"* ]]; then
      log "no pending lifecycle action for ${instance_id}: nothing to do"
      return 0
    fi
    log "complete-lifecycle-action failed (attempt ${attempt}): ${output}"
    sleep "$delay"
    delay=$((delay * 2 > 60 ? 60 : delay * 2))
  done
  return 1
}

complete_lifecycle() {
  if ! has_hook; then
    log "no launch lifecycle hook on this group: nothing to complete"
    return 0
  fi
  local instance_id region target="" attempt
  instance_id="$(imds instance-id)"
  region="$(imds placement/region)"
  # Where the group is taking the instance: InService (it is in Pending:Wait)
  # or Warmed:Stopped/Running/Hibernated (Warmed:Pending:Wait). It can lag
  # behind the boot for a few seconds.
  for attempt in $(seq 1 30); do
    target="$(imds autoscaling/target-lifecycle-state 2>/dev/null || true)"
    [[ -n "$target" ]] && break
    log "target lifecycle state not available yet (attempt ${attempt})"
    sleep 2
  done
  log "instance ${instance_id} target lifecycle state: ${target:-unknown}"
  case "$target" in
    Warmed:* | InService | "")
      # Warmed:*: Warmed:Pending:Wait, on the way into the pool (setup done once the app answered).
      # InService: Pending:Wait, a new launch or a start from the pool (only when the app answers).
      if wait_for_app; then
        complete_action CONTINUE "$instance_id" "$region"
      else
        complete_action ABANDON "$instance_id" "$region"
      fi
      ;;
    *)
      log "target state ${target}: not a launch, nothing to complete"
      ;;
  esac
}

case "${1:-setup}" in
  setup) setup ;;
  render-page) render_page ;;
  complete-lifecycle) complete_lifecycle ;;
  *)
    echo "usage: $0 [setup|render-page|complete-lifecycle]" >&2
    exit 2
    ;;
esac
