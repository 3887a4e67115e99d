#!/usr/bin/python3
"""Sums up a bench/run.sh results folder: keeps the fastest of the repeats of each measurement,
prints and writes summary.md (tables and the three targets) and plot.png (MP/s per contender and
chain). Needs matplotlib for the plot (Debian: python3-matplotlib); without it, only the tables.

usage: report.py RESULTS_DIR
"""
import glob
import json
import os
import sys

ORDER = ['spark', 'before', 'plain', 'python', 'vips', 'magick']
NAMES = {
    'spark': '(a) Spark job, local[2]',
    'before': '(a0) Spark job, earlier build (--before), local[2]',
    'plain': '(b) plain Java loop, 2 threads',
    'python': 'python3-opencv, 2 processes',
    'vips': 'libvips CLI, parallel -j2',
    'magick': 'ImageMagick, parallel -j2',
}


def load(path):
    runs, checks = {}, []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            r = json.loads(line)
            if r['label'].startswith('check/'):
                checks.append(r)
                continue
            runs.setdefault(r['label'], []).append(r)
    return runs, checks


def best(rs):
    ok = [r for r in rs if r['exit'] == 0]
    if not ok:
        return None, len(rs)
    b = dict(min(ok, key=lambda r: r['wall_s']))
    b['repeats'] = len(ok)
    b['walls'] = sorted(r['wall_s'] for r in ok)
    return b, len(rs)


def many_table(runs):
    rows = {}
    for label, rs in runs.items():
        parts = label.split('/')
        if parts[0] != 'many':
            continue
        chain, contender, n = parts[1], parts[2], int(parts[3].split('=')[1])
        b, _ = best(rs)
        if b:
            rows[(chain, contender)] = (n, b)
    return rows


def image_job_seconds(d, run):
    """Duration of the run's first Spark job (the images), from its event log, or None."""
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import phases
    end = run['start_epoch'] + run['wall_s']
    for p in glob.glob(os.path.join(d, 'events', '*')):
        a = phases.summarise(p)
        if 'start' in a and run['start_epoch'] <= a['start'] <= end and a['jobs']:
            j = a['jobs'][min(a['jobs'])]
            return j.get('end', j['submit']) - j['submit']
    return None


def main(argv):
    if len(argv) != 1:
        sys.stderr.write(__doc__)
        return 2
    d = argv[0]
    runs, checks = load(os.path.join(d, 'results.jsonl'))
    out = []
    machine = os.path.join(d, 'machine.txt')
    if os.path.exists(machine):
        with open(machine) as f:
            facts = [l.rstrip() for l in f if not l.startswith(' ') and ':' in l and not l.startswith('top ')]
        out += ['## Machine', ''] + ['- ' + l for l in facts if not l.startswith('USER')] + ['']

    rows = many_table(runs)
    chains = []
    for (chain, _c) in rows:
        if chain not in chains:
            chains.append(chain)
    if rows:
        out += ['## Many images (target 1: (a)/(b) >= 0.9)', '',
                '| chain | contender | images | MP | best wall s | MP/s | vs (b) | peak RSS MB (largest process / tree) | runs (wall s) | load before |',
                '|---|---|---|---|---|---|---|---|---|---|']
        for chain in chains:
            plain = rows.get((chain, 'plain'))
            for c in ORDER:
                if (chain, c) not in rows:
                    continue
                n, b = rows[(chain, c)]
                ratio = ''
                if plain:
                    ratio = '%.2f' % (b['mp_per_s'] / plain[1]['mp_per_s'])
                out.append('| `%s` | %s | %d | %.0f | %.2f | %.1f | %s | %.0f / %.0f | %s | %.2f |' % (
                    chain, NAMES[c], n, b['mp'], b['wall_s'], b['mp_per_s'], ratio, b['max_single_rss_mb'],
                    b['peak_tree_rss_mb'], ', '.join('%.1f' % w for w in b['walls']), b['load1_before']))
        out.append('')
    for ch in checks:
        out.append('- output check `%s`: %d of %d files byte-identical' % (ch['label'], ch['identical'], ch['total']))
    if checks:
        out.append('')

    huge = {l: best(rs)[0] for l, rs in runs.items() if l.startswith('huge/')}
    if huge:
        out += ['## One huge image, heavy chain (target 2: 2 executors >= 1.6x faster than 1)', '',
                '| run | MP | best wall s | MP/s | executor peak RSS MB | driver peak RSS MB | runs (wall s) |',
                '|---|---|---|---|---|---|---|']
        for label in sorted(huge):
            b = huge[label]
            if not b:
                out.append('| %s | failed | | | | | |' % label)
                continue
            ex = b.get('watched_peak_rss_mb', {}).get('CoarseGrainedExecutorBackend', '')
            out.append('| %s | %.0f | %.2f | %.2f | %s | %.0f | %s |' % (
                label, b['mp'], b['wall_s'], b['mp_per_s'], ex, b['max_single_rss_mb'],
                ', '.join('%.1f' % w for w in b['walls'])))
        one = [b for l, b in huge.items() if l.endswith('executors=1') and b]
        two = [b for l, b in huge.items() if l.endswith('executors=2') and b]
        if one and two:
            out += ['', '**Speed-up, 2 executors over 1: %.2fx** end to end (driver and executor start-up, '
                    'manifest and report included)' % (one[0]['wall_s'] / two[0]['wall_s'])]
            j1, j2 = image_job_seconds(d, one[0]), image_job_seconds(d, two[0])
            if j1 and j2:
                out += ['', '**Image job alone** (first job start to end, from the event log): '
                        '%.1f s with 1 executor, %.1f s with 2: **%.2fx**' % (j1, j2, j1 / j2)]
        out.append('')

    mem = {l: best(rs)[0] for l, rs in runs.items() if l.startswith('memory/')}
    if mem:
        out += ['## Driver memory (target 3: 10x the images -> <= 1.2x the driver heap)', '',
                '| run | wall s | driver live heap after full GC, peak MB | samples | driver peak RSS MB |',
                '|---|---|---|---|---|']
        by_n = []
        for label in sorted(mem, key=lambda l: int(l.split('=')[-1])):
            b = mem[label]
            if not b:
                continue
            by_n.append(b)
            out.append('| %s | %.1f | %.1f | %d | %.0f |' % (label, b['wall_s'], b.get('heap_live_peak_mb', 0),
                                                             b.get('heap_samples', 0), b['max_single_rss_mb']))
        if len(by_n) >= 2 and by_n[0].get('heap_live_peak_mb'):
            out += ['', '**Driver heap ratio, %s over %s: %.2fx**' % (
                by_n[-1]['label'].split('=')[-1] + ' images', by_n[0]['label'].split('=')[-1] + ' images',
                by_n[-1]['heap_live_peak_mb'] / by_n[0]['heap_live_peak_mb'])]
        out.append('')

    text = '\n'.join(out)
    with open(os.path.join(d, 'summary.md'), 'w') as f:
        f.write(text + '\n')
    print(text)

    if rows:
        loads = sorted(b['load1_before'] for (_n, b) in rows.values())
        load_range = '%.1f to %.1f' % (loads[0], loads[-1]) if loads else None
        plot(rows, chains, os.path.join(d, 'plot.png'), load_range)
    return 0


def plot(rows, chains, path, load=None):
    try:
        import matplotlib
        matplotlib.use('Agg')
        import matplotlib.pyplot as plt
    except ImportError:
        sys.stderr.write('report.py: matplotlib not installed, no plot\n')
        return
    contenders = [c for c in ORDER if any((ch, c) in rows for ch in chains)]
    fig, ax = plt.subplots(figsize=(11, 6), dpi=110)
    width = 0.8 / max(1, len(contenders))
    colours = {'spark': '#d62728', 'before': '#ff9896', 'plain': '#1f77b4', 'python': '#2ca02c',
               'vips': '#9467bd', 'magick': '#8c564b'}
    for i, c in enumerate(contenders):
        xs, ys, hatches = [], [], []
        for j, ch in enumerate(chains):
            if (ch, c) in rows:
                xs.append(j + (i - (len(contenders) - 1) / 2) * width)
                ys.append(rows[(ch, c)][1]['mp_per_s'])
                # libvips has no OpenCV Canny: its bars are timed but not the same work.
                hatches.append('//' if c == 'vips' and 'canny' in ch else '')
        label = NAMES[c]
        if c in ('vips', 'magick'):
            label += ' (subset)'
        bars = ax.bar(xs, ys, width, label=label, color=colours[c])
        for bar, h in zip(bars, hatches):
            bar.set_hatch(h)
        for x, y in zip(xs, ys):
            ax.text(x, y, '%.0f' % y if y >= 10 else '%.1f' % y, ha='center', va='bottom', fontsize=7)
    ax.set_xticks(range(len(chains)))
    ax.set_xticklabels([c.replace(',', ',\n') for c in chains])
    ax.set_ylabel('megapixels per second (higher is better)')
    title = '12 MP JPEGs in, JPEG q90 out, 2 cores, end to end (process start included)'
    if load is not None:
        title += '\nload average before the runs: %s' % load
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc='upper center', bbox_to_anchor=(0.5, -0.14), ncol=3, frameon=False)
    ax.grid(axis='y', alpha=0.3)
    if any('canny' in ch for ch in chains) and 'vips' in contenders:
        fig.text(0.01, 0.01, 'hatched: libvips canny is its own operator (no hysteresis), not the same work',
                 fontsize=7, color='#555555')
    fig.tight_layout()
    fig.savefig(path)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
