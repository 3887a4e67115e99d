#!/usr/bin/python3
"""Runs one command and reports, as one JSON line: wall seconds, peak RSS of the whole process
tree (sampled from /proc every 50 ms), the largest single-process RSS the kernel saw (wait4's
ru_maxrss, what `/usr/bin/time -v` prints as "Maximum resident set size"), user and system CPU
seconds of the tree, and the exit code.

--heap also samples the command's own JVM (the command must exec java, as submit/local.sh does)
once a second with `jcmd PID GC.run` then `jcmd PID GC.heap_info`, and reports the largest heap in
use right after a full collection: the live set, which is what grows if the driver keeps
per-image state. This perturbs timing, so it is for memory runs only.

Extra --watch ROOT_PID arguments sample other process trees too (the bench's Spark workers, whose
executors are their children) and report each watched tree's peak RSS by process kind.

usage: measure.py [--label L] [--mp MEGAPIXELS] [--heap] [--watch PID]... [--out FILE] -- COMMAND...
"""
import json
import os
import re
import subprocess
import sys
import threading
import time


def children_map():
    kids = {}
    for d in os.listdir('/proc'):
        if not d.isdigit():
            continue
        try:
            with open('/proc/%s/stat' % d) as f:
                stat = f.read()
        except OSError:
            continue
        # the command name may hold spaces and parentheses: split after the last ')'
        ppid = int(stat[stat.rindex(')') + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(d))
    return kids


def tree(root, kids):
    out, todo = [], [root]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(kids.get(p, []))
    return out


def rss_kb(pid):
    try:
        with open('/proc/%d/status' % pid) as f:
            for line in f:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def kind(pid):
    try:
        with open('/proc/%d/cmdline' % pid, 'rb') as f:
            cmd = f.read().replace(b'\0', b' ').decode('utf-8', 'replace')
    except OSError:
        return None
    for k in ('CoarseGrainedExecutorBackend', 'deploy.worker.Worker', 'deploy.master.Master', 'SparkSubmit'):
        if k in cmd:
            return k.split('.')[-1]
    return os.path.basename(cmd.split(' ')[0]) if cmd else None


class HeapSampler(threading.Thread):
    """Largest post-full-GC heap use of one JVM, sampled with jcmd until the JVM is gone."""

    # After a full collection the live set is: the whole heap's "used" under G1; the old
    # generation's under the parallel and serial collectors, whose full collections empty the
    # young generation into it (their young "used" is only what was allocated since, between the
    # two jcmd calls). submit/local.sh runs the driver with the parallel collector.
    LIVE = [re.compile(r'garbage-first heap\s+total \d+K, used (\d+)K'),
            re.compile(r'ParOldGen\s+total \d+K, used (\d+)K'),
            re.compile(r'tenured generation\s+total \d+K, used (\d+)K')]

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.samples, self.stop = pid, 0, 0, False

    def jcmd(self, *args):
        return subprocess.run(['jcmd', str(self.pid)] + list(args), capture_output=True, text=True,
                              timeout=30).stdout

    def run(self):
        while not self.stop:
            try:
                self.jcmd('GC.run')
                info = self.jcmd('GC.heap_info')
                m = next((m for m in (p.search(info) for p in self.LIVE) if m), None)
                if m:
                    self.peak_kb = max(self.peak_kb, int(m.group(1)))
                    self.samples += 1
            except (OSError, subprocess.SubprocessError):
                pass
            time.sleep(1.0)


def main(argv):
    label, mp, watch, out, heap = None, None, [], None, False
    i = 0
    while i < len(argv) and argv[i] != '--':
        a = argv[i]
        if a == '--heap':
            heap = True
            i += 1
        elif a in ('--label', '--mp', '--watch', '--out') and i + 1 < len(argv):
            v = argv[i + 1]
            if a == '--label':
                label = v
            elif a == '--mp':
                mp = float(v)
            elif a == '--watch':
                watch.append(int(v))
            else:
                out = v
            i += 2
        else:
            sys.stderr.write(__doc__)
            return 2
    cmd = argv[i + 1:]
    if not cmd:
        sys.stderr.write(__doc__)
        return 2
    load_before = os.getloadavg()[0]
    start_epoch = time.time()
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(127)
    sampler = None
    if heap:
        sampler = HeapSampler(pid)
        sampler.start()
    peak_tree = 0
    peak_kind = {}
    status = None
    rusage = None
    while status is None:
        kids = children_map()
        total = sum(rss_kb(p) for p in tree(pid, kids))
        peak_tree = max(peak_tree, total)
        for root in watch:
            for p in tree(root, kids):
                k = kind(p)
                if k:
                    peak_kind[k] = max(peak_kind.get(k, 0), rss_kb(p))
        r = os.wait4(pid, os.WNOHANG)
        if r[0] == pid:
            status, rusage = r[1], r[2]
            break
        time.sleep(0.05)
    wall = time.monotonic() - t0
    rec = {
        'label': label,
        'wall_s': round(wall, 3),
        'start_epoch': round(start_epoch, 3),
        'exit': os.waitstatus_to_exitcode(status),
        'peak_tree_rss_mb': round(peak_tree / 1024, 1),
        'max_single_rss_mb': round(rusage.ru_maxrss / 1024, 1),
        'cpu_user_s': round(rusage.ru_utime, 2),
        'cpu_sys_s': round(rusage.ru_stime, 2),
        'load1_before': round(load_before, 2),
        'load1_after': round(os.getloadavg()[0], 2),
    }
    if mp:
        rec['mp'] = mp
        rec['mp_per_s'] = round(mp / wall, 2)
    if sampler:
        sampler.stop = True
        rec['heap_live_peak_mb'] = round(sampler.peak_kb / 1024, 1)
        rec['heap_samples'] = sampler.samples
    if watch:
        rec['watched_peak_rss_mb'] = {k: round(v / 1024, 1) for k, v in peak_kind.items()}
    line = json.dumps(rec, sort_keys=True)
    if out:
        with open(out, 'a') as f:
            f.write(line + '\n')
    print(line)
    return 0 if rec['exit'] == 0 else rec['exit']


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
