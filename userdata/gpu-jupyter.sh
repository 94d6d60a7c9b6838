#!/bin/bash
# GPU deep-learning workstation (stack gpu-jupyter): Jupyter as a systemd
# service in the Deep Learning AMI's PyTorch environment, bound to
# 127.0.0.1 only (reach it through an SSH tunnel or Session Manager port
# forwarding), plus the course notebooks in the home directory.
# Idempotent: safe to run again by hand
#   sudo bash /var/lib/cloud/instance/user-data.txt
# Variables set by the stack at synth time (exported above this line):
#   NOTEBOOKS    space-separated "name.ipynb:<base64 of gzip>" entries
#   JUPYTER_PORT port on 127.0.0.1 (8888)
#   LOCAL_PORT   local end of the tunnel, used in the printed URL (8931)
set -euo pipefail
LOG=/var/log/gpu-jupyter-setup.log
exec > >(tee -a "$LOG") 2>&1
echo "setup started $(date -u +%FT%TZ)"

NOTEBOOKS="${NOTEBOOKS:-}"
JUPYTER_PORT="${JUPYTER_PORT:-8888}"
LOCAL_PORT="${LOCAL_PORT:-8931}"
RUN_USER=ec2-user
HOME_DIR="/home/${RUN_USER}"
CONF_DIR=/etc/gpu-jupyter
UNIT=/etc/systemd/system/jupyter.service

# 1. The PyTorch environment. The PyTorch DLAMI on Amazon Linux 2023 keeps it
#    in the /opt/pytorch virtual environment (release notes: python_location
#    /opt/pytorch/bin/python); older and conda-based images used
#    /opt/conda/envs/pytorch. Take the first interpreter that imports torch.
find_python() {
  local candidate
  for candidate in /opt/pytorch/bin/python3 /opt/pytorch/bin/python \
    /opt/conda/envs/pytorch/bin/python /opt/conda/bin/python; do
    if [ -x "$candidate" ] && "$candidate" -c 'import torch' >/dev/null 2>&1; then
      echo "$candidate"
      return 0
    fi
  done
  return 1
}
if ! PYTHON="$(find_python)"; then
  echo "ERROR: no Python environment with PyTorch found (looked in /opt/pytorch and /opt/conda);" \
    "is this the PyTorch Deep Learning AMI?" >&2
  exit 1
fi
echo "PyTorch environment: ${PYTHON} ($("$PYTHON" -c 'import torch; print(torch.__version__)'))"

# 2. Jupyter and matplotlib (the MNIST notebook plots its loss); the DLAMI
#    usually ships both, install into the same environment only when missing.
if ! "$PYTHON" -m jupyter lab --version >/dev/null 2>&1; then
  "$PYTHON" -m pip install --quiet jupyterlab
fi
if ! "$PYTHON" -c 'import matplotlib' >/dev/null 2>&1; then
  "$PYTHON" -m pip install --quiet matplotlib
fi

# 3. The access token: made once, kept across runs, stop/start and reboots.
install -d -m 0700 -o root -g root "$CONF_DIR"
if [ ! -s "$CONF_DIR/token" ]; then
  (umask 077 && "$PYTHON" -c 'import secrets; print(secrets.token_hex(24))' > "$CONF_DIR/token")
fi
TOKEN="$(cat "$CONF_DIR/token")"
(umask 077 && printf 'JUPYTER_TOKEN=%s\n' "$TOKEN" > "$CONF_DIR/env")
(umask 077 && printf 'http://localhost:%s/lab?token=%s\n' "$LOCAL_PORT" "$TOKEN" > "$CONF_DIR/url")

# 4. The course notebooks, never overwriting a copy the user has edited.
NOTEBOOK_DIR="${HOME_DIR}/course-notebooks"
install -d -m 0755 -o "$RUN_USER" -g "$RUN_USER" "$NOTEBOOK_DIR"
for entry in $NOTEBOOKS; do
  name="${entry%%:*}"
  case "$name" in
    *[!A-Za-z0-9._-]* | "" | .*) echo "ERROR: bad notebook name '${name}'" >&2; exit 1 ;;
  esac
  if [ ! -e "${NOTEBOOK_DIR}/${name}" ]; then
    printf '%s' "${entry#*:}" | base64 -d | gunzip > "${NOTEBOOK_DIR}/${name}"
    chown "$RUN_USER:$RUN_USER" "${NOTEBOOK_DIR}/${name}"
    echo "notebook added: ${NOTEBOOK_DIR}/${name}"
  fi
done

# 5. The service: loopback only (the security group never opens the port),
#    restarted on failure, started on every boot.
cat > "$UNIT" <<UNIT
[Unit]
Description=Jupyter Lab (PyTorch DLAMI) on 127.0.0.1:${JUPYTER_PORT}
After=network-online.target
Wants=network-online.target

[Service]
Type=simple
User=${RUN_USER}
Group=${RUN_USER}
WorkingDirectory=${HOME_DIR}
EnvironmentFile=${CONF_DIR}/env
ExecStart=${PYTHON} -m jupyter lab --no-browser --ip=127.0.0.1 --port=${JUPYTER_PORT} --ServerApp.port_retries=0 --ServerApp.root_dir=${HOME_DIR}
Restart=on-failure
RestartSec=5

[Install]
WantedBy=multi-user.target
UNIT
systemctl daemon-reload
systemctl enable jupyter.service
systemctl restart jupyter.service

cat > /etc/motd <<MOTD
GPU deep-learning workstation (aws-course cdktf project, stack gpu-jupyter)
  Jupyter URL:   sudo cat ${CONF_DIR}/url   (open it through the tunnel on port ${LOCAL_PORT})
  Service:       systemctl status jupyter   /   journalctl -u jupyter
  Notebooks:     ${NOTEBOOK_DIR}
  GPU:           nvidia-smi
  Setup log:     ${LOG}
An idle-stop alarm stops this instance after a quiet hour (see docs/gpu-jupyter.md).
MOTD
echo "setup finished $(date -u +%FT%TZ)"
