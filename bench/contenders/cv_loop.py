#!/usr/bin/python3
"""The python3-opencv contender: what one writes without Spark, N worker processes each with one
OpenCV thread, over every file in a folder. The chain grammar is the job's, for the operators the
benchmark uses: filter, grey, blur:K, median:K, sharpen, canny:LO:HI.

usage: cv_loop.py IN_DIR OUT_DIR CHAIN PROCS [QUALITY]
"""
import multiprocessing
import os
import sys

import cv2
import numpy as np

SHARPEN = np.array([[0, -1, 0], [-1, 5, -1], [0, -1, 0]], dtype=np.float32)


def step(img, op):
    name, _, args = op.partition(':')
    if name == 'grey':
        return cv2.cvtColor(img, cv2.COLOR_BGR2GRAY) if img.ndim == 3 else img
    if name == 'blur':
        k = int(args)
        return cv2.GaussianBlur(img, (k, k), 0)
    if name == 'median':
        return cv2.medianBlur(img, int(args))
    if name == 'sharpen':
        return cv2.filter2D(img, -1, SHARPEN)
    if name == 'filter':
        return cv2.filter2D(cv2.GaussianBlur(img, (5, 5), 0), -1, SHARPEN)
    if name == 'canny':
        lo, hi = (float(v) for v in args.split(':'))
        return cv2.Canny(img, lo, hi, apertureSize=3, L2gradient=False)
    raise SystemExit('cv_loop.py: unknown operator ' + op)


def init():
    cv2.setNumThreads(1)


def one(job):
    src, dst, chain, quality = job
    img = cv2.imread(src, cv2.IMREAD_COLOR)
    if img is None:
        raise RuntimeError('cannot read ' + src)
    for op in chain:
        img = step(img, op)
    if not cv2.imwrite(dst, img, [cv2.IMWRITE_JPEG_QUALITY, quality]):
        raise RuntimeError('cannot write ' + dst)
    return img.shape[0] * img.shape[1]


def main(argv):
    if len(argv) not in (4, 5):
        sys.stderr.write(__doc__)
        return 2
    src, dst, chain, procs = argv[0], argv[1], argv[2].split(','), int(argv[3])
    quality = int(argv[4]) if len(argv) == 5 else 90
    os.makedirs(dst, exist_ok=True)
    names = sorted(n for n in os.listdir(src) if not n.startswith('.') and os.path.isfile(os.path.join(src, n)))
    jobs = [(os.path.join(src, n), os.path.join(dst, n), chain, quality) for n in names]
    with multiprocessing.Pool(procs, initializer=init) as pool:
        pixels = sum(pool.imap_unordered(one, jobs, chunksize=1))
    print('cv_loop: %d images, %.1f MP, opencv %s' % (len(jobs), pixels / 1e6, cv2.__version__))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
