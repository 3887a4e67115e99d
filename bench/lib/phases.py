#!/usr/bin/python3
"""Where a Spark run's time went, from its event log: start-up (process start to SparkContext),
the wait before the first job, each job (with its tasks' summed run, GC, deserialisation and
shuffle-write times), and shut-down. Matches event logs to bench runs by start time and writes
phases.md next to results.jsonl.

usage: phases.py RESULTS_DIR
"""
import glob
import json
import os
import sys


def events(path):
    files = sorted(glob.glob(os.path.join(path, 'events_*'))) if os.path.isdir(path) else [path]
    for p in files:
        if p.endswith(('.zstd', '.lz4', '.snappy', '.lzf')):
            sys.stderr.write('phases.py: %s is compressed; run with spark.eventLog.compress=false\n' % p)
            continue
        with open(p) as f:
            for line in f:
                try:
                    yield json.loads(line)
                except ValueError:
                    continue


def summarise(path):
    app = {'jobs': {}, 'stage_job': {}}
    for e in events(path):
        t = e.get('Event')
        if t == 'SparkListenerApplicationStart':
            app['start'] = e['Timestamp'] / 1000.0
        elif t == 'SparkListenerApplicationEnd':
            app['end'] = e['Timestamp'] / 1000.0
        elif t == 'SparkListenerJobStart':
            props = e.get('Properties') or {}
            j = app['jobs'].setdefault(e['Job ID'], {'tasks': 0, 'run': 0, 'gc': 0, 'deser': 0, 'shuffle_w': 0,
                                                     'shuffle_bytes': 0, 'result_ser': 0})
            j['submit'] = e['Submission Time'] / 1000.0
            j['desc'] = props.get('spark.job.description') or props.get('callSite.short') or ''
            for sid in e.get('Stage IDs', []):
                app['stage_job'][sid] = e['Job ID']
        elif t == 'SparkListenerJobEnd':
            app['jobs'][e['Job ID']]['end'] = e['Completion Time'] / 1000.0
        elif t == 'SparkListenerTaskEnd':
            jid = app['stage_job'].get(e['Stage ID'])
            m = e.get('Task Metrics') or {}
            if jid is None or not m:
                continue
            j = app['jobs'][jid]
            j['tasks'] += 1
            j['run'] += m.get('Executor Run Time', 0) / 1000.0
            j['gc'] += m.get('JVM GC Time', 0) / 1000.0
            j['deser'] += m.get('Executor Deserialize Time', 0) / 1000.0
            j['result_ser'] += m.get('Result Serialization Time', 0) / 1000.0
            sw = m.get('Shuffle Write Metrics') or {}
            j['shuffle_w'] += sw.get('Shuffle Write Time', 0) / 1e9
            j['shuffle_bytes'] += sw.get('Shuffle Bytes Written', 0)
    return app


def main(argv):
    if len(argv) != 1:
        sys.stderr.write(__doc__)
        return 2
    d = argv[0]
    runs = []
    with open(os.path.join(d, 'results.jsonl')) as f:
        for line in f:
            r = json.loads(line)
            if 'start_epoch' in r and ('/spark' in r['label'] or r['label'].startswith(('huge/', 'memory/'))):
                runs.append(r)
    apps = [summarise(p) for p in glob.glob(os.path.join(d, 'events', '*'))]
    apps = [a for a in apps if 'start' in a]
    out = ['# Spark phases', '']
    for r in runs:
        end = r['start_epoch'] + r['wall_s']
        match = [a for a in apps if r['start_epoch'] <= a['start'] <= end]
        if not match:
            continue
        a = match[0]
        jobs = [a['jobs'][k] for k in sorted(a['jobs'])]
        first = min(j['submit'] for j in jobs) if jobs else a['start']
        out.append('## %s (wall %.2f s)' % (r['label'], r['wall_s']))
        out.append('')
        out.append('- process start to SparkContext creation: %.2f s' % (a['start'] - r['start_epoch']))
        out.append('- SparkContext creation to first job (its initialisation, then the listing): %.2f s' % (first - a['start']))
        for j in jobs:
            out.append('- job "%s": %.2f s; %d tasks: run %.2f s, GC %.2f s, deserialise %.2f s, result '
                       'serialise %.2f s, shuffle write %.2f s (%.0f MB)' % (
                           j['desc'][:70], j.get('end', j['submit']) - j['submit'], j['tasks'], j['run'], j['gc'],
                           j['deser'], j['result_ser'], j['shuffle_w'], j['shuffle_bytes'] / 1e6))
        last = max(j.get('end', j['submit']) for j in jobs) if jobs else a['start']
        out.append('- last job end to process exit: %.2f s' % (end - last))
        out.append('')
    text = '\n'.join(out)
    with open(os.path.join(d, 'phases.md'), 'w') as f:
        f.write(text + '\n')
    print(text)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
