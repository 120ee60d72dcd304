#!/bin/sh
# PID 1 of one running distro (a new mount + PID namespace inside the WSL VM's
# network namespace): what WSL's own init provides before any --exec.
R=$1 MNTWSL=$2 DRIVE_C=$3
set -e
mount --bind "$R" "$R"
mount -t proc proc "$R/proc"
mount -t sysfs sysfs "$R/sys"
# The host's cgroups (v1 hierarchies here), as WSL mounts its own.
mount --rbind /sys/fs/cgroup "$R/sys/fs/cgroup"
mount --rbind /dev "$R/dev"
mkdir -p "$R/mnt/wsl"
# Joins the shared peer group: a mount one distro makes under /mnt/wsl shows in all.
mount --rbind "$MNTWSL" "$R/mnt/wsl"
if [ -n "$DRIVE_C" ]; then mkdir -p "$R/mnt/c"; mount --bind "$DRIVE_C" "$R/mnt/c"; fi
set +e
echo ready
# Reap orphans until killed.
while :; do sleep 3600 & wait; done
