"""Reads the gzip-compressed IDX files of Fashion-MNIST (Debian's dataset-fashion-mnist), for the
Python references of `make bench` (peers.py, e2e.py)."""
import gzip
import os

import numpy as np


def read_idx(directory, name):
    """The array stored in `directory/name`, as uint8 in the file's shape."""
    with gzip.open(os.path.join(directory, name), "rb") as handle:
        data = handle.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)
