#!/bin/bash
# First boot of the course's first EC2 server (Amazon Linux 2023).
# Idempotent: safe to run again by hand (sudo bash /var/lib/cloud/instance/user-data.txt).
set -euo pipefail
exec > >(tee -a /var/log/first-ec2-setup.log) 2>&1
echo "setup started $(date -u +%FT%TZ)"

# Security updates on every boot (dnf-automatic ships with AL2023 repos).
dnf install -y dnf-automatic
sed -i 's/^upgrade_type = .*/upgrade_type = security/; s/^apply_updates = .*/apply_updates = yes/' /etc/dnf/automatic.conf
systemctl enable --now dnf-automatic.timer

cat > /etc/motd <<'MOTD'
Welcome to your first EC2 server (managed by the aws-course cdktf project).
Setup log: /var/log/first-ec2-setup.log
MOTD
echo "setup finished $(date -u +%FT%TZ)"
