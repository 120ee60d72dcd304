import type Docker from 'dockerode';

/**
 * Closing a terminal should hang up what runs in it. The engine does not:
 * when the attach connection of a TTY exec closes, the process keeps running
 * (moby#9098), so every closed shell tab would leave a shell behind.
 *
 * Each interactive exec therefore carries a unique WHARF_EXEC marker in its
 * environment (children inherit it). On close, if the exec still runs, a
 * helper exec sends SIGHUP to every process with that marker, and SIGKILL
 * shortly after if it is still there. The helper needs `sh` and `grep` in the
 * image (true wherever the default `sh` shell worked); otherwise it fails
 * quietly and the process stays, as with the docker CLI.
 */
export const EXEC_MARKER_VAR = 'WHARF_EXEC';

export function markerEnv(marker: string): string {
  return `${EXEC_MARKER_VAR}=${marker}`;
}

/** The helper's command; the marker is [A-Za-z0-9_-] only, so it is safe inside the script. */
export function hangupCommand(marker: string, signal: 'HUP' | 'KILL'): string[] {
  if (!/^[A-Za-z0-9_-]+$/.test(marker)) throw new Error('bad exec marker');
  const script = `for d in /proc/[0-9]*; do if grep -q '${EXEC_MARKER_VAR}=${marker}' "$d/environ" 2>/dev/null; then kill -${signal} "\${d#/proc/}" 2>/dev/null; fi; done; true`;
  return ['sh', '-c', script];
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function running(exec: Docker.Exec): Promise<boolean> {
  try {
    return Boolean((await exec.inspect()).Running);
  } catch {
    return false; // container gone: nothing left to hang up
  }
}

async function signal(container: Docker.Container, marker: string, sig: 'HUP' | 'KILL'): Promise<void> {
  const helper = await container.exec({ Cmd: hangupCommand(marker, sig), AttachStdout: false, AttachStderr: false });
  await helper.start({ Detach: true });
}

/** Hangs up an interactive exec after its terminal closed. Never throws. */
export async function hangUpExec(container: Docker.Container, exec: Docker.Exec, marker: string, graceMs = 300): Promise<void> {
  try {
    await sleep(graceMs);
    if (!(await running(exec))) return;
    await signal(container, marker, 'HUP');
    await sleep(1000);
    if (!(await running(exec))) return;
    await signal(container, marker, 'KILL');
  } catch {
    // Best effort: a stopped container or an image without sh/grep.
  }
}
