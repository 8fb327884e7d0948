#!/usr/bin/env python3
"""Trainer peers of `layernas bench`: the same five networks trained by numpy and by PyTorch
(numpy skips the MobileNet-style network: it has no depthwise convolution worth timing).

Same networks (layers, widths, batch), same data (the IDX files of the Debian package
dataset-fashion-mnist, first N of the first 50,000 training images; validation = the last
10,000), same recipe as `layernas bench` (1 epoch, SGD momentum 0.9, lr 0.05 cosine per step,
weight decay 5e-4, He initialisation, softmax cross-entropy), same thread count. Only the
training epoch is timed (shuffle, forward, backward, update), as in layernas; one untimed
warm-up batch is run first, which can only favour the peer.

Usage: peers.py --framework numpy|torch [--threads 2] [--train-subset 20000] [--output FILE]
Prints one JSON object: framework, version, kernel, threads, figures[name, batch_size,
samples_per_second, gflops, validation_accuracy]. Exit 3 when the framework is missing.
"""
import argparse
import json
import math
import os
import sys
import time

parser = argparse.ArgumentParser()
parser.add_argument("--framework", choices=["numpy", "torch"], required=True)
parser.add_argument("--threads", type=int, default=2)
parser.add_argument("--train-subset", type=int, default=20000)
parser.add_argument("--data", default=os.environ.get("LAYERNAS_DATA", "/usr/share/datasets/fashion-mnist"))
parser.add_argument("--output")
args = parser.parse_args()

# BLAS thread pools read these when the library loads: set them before importing numpy/torch.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = str(args.threads)

try:
    import numpy as np
except ImportError as error:
    text = json.dumps({"framework": args.framework, "skipped": f"numpy not importable ({error}); run make bench-peers"})
    if args.output:
        with open(args.output, "w") as handle:
            handle.write(text + "\n")
    print(text)
    sys.exit(3)
import idx_files  # noqa: E402 (needs numpy, checked above)

# (name, layers, head, batch); layers: ("dense", units), ("conv", channels, kernel, stride),
# ("pool", size) (max pooling, non-overlapping windows) or ("block", channels, kernel, expansion,
# stride) (a mobilenet inverted residual block: 1x1 expand + ReLU6 unless expansion 1, depthwise
# k x k + ReLU6, 1x1 linear projection, + input when stride 1 and channels match)
NETWORKS = [
    ("mlp 784-256-256-10", [("dense", 256), ("dense", 256)], "flatten", 128),
    ("mlp 784-1024-1024-10", [("dense", 1024), ("dense", 1024)], "flatten", 256),
    ("cnn c16k3p2-c32k3p2-1568-10", [("conv", 16, 3, 1), ("pool", 2), ("conv", 32, 3, 1), ("pool", 2)], "flatten", 128),
    ("cnn c32k3s2-c64k3s2-c128k3s2-gap", [("conv", 32, 3, 2), ("conv", 64, 3, 2), ("conv", 128, 3, 2)], "gap", 128),
    # An in-window network of examples/fashion-mobilenet.yaml (3.28M MAdds): stem, five blocks.
    ("mobilenet c16k3e6s1-..-c96k3e6s1", [("conv", 16, 3, 2), ("block", 16, 3, 6, 1), ("block", 24, 3, 6, 2),
                                          ("block", 32, 3, 6, 1), ("block", 64, 3, 6, 2), ("block", 96, 3, 6, 1)], "gap", 128),
]


def madds(layers, head):
    """Multiply-adds per sample, counted as layernas counts them (no biases/activations)."""
    h, w, c, total, flat = 28, 28, 1, 0, 784
    for layer in layers:
        if layer[0] == "dense":
            total += flat * layer[1]
            flat = layer[1]
        elif layer[0] == "pool":
            h, w = math.ceil(h / layer[1]), math.ceil(w / layer[1])
            flat = h * w * c
        elif layer[0] == "block":
            _, cout, k, e, s = layer
            hidden = c * e
            if e > 1:
                total += h * w * c * hidden
            h, w = math.ceil(h / s), math.ceil(w / s)
            total += h * w * (k * k * hidden + hidden * cout)
            c = cout
            flat = h * w * c
        else:
            _, cout, k, s = layer
            h, w = math.ceil(h / s), math.ceil(w / s)
            total += h * w * k * k * c * cout
            c = cout
            flat = h * w * c
    features = c if head == "gap" else flat
    return total + features * 10


def read_idx(name):
    return idx_files.read_idx(args.data, name)


images = read_idx("train-images-idx3-ubyte.gz").astype(np.float32) / 255.0
labels = read_idx("train-labels-idx1-ubyte.gz").astype(np.int64)
train_x, train_y = images[: args.train_subset], labels[: args.train_subset]
valid_x, valid_y = images[50000:60000], labels[50000:60000]
LR, MOMENTUM, DECAY = 0.05, 0.9, 5e-4


def cosine(step, total):
    return LR * 0.5 * (1 + math.cos(math.pi * step / total))


# ----------------------------------------------------------------------------------------- numpy
def numpy_kernel():
    try:
        import threadpoolctl
        for pool in threadpoolctl.threadpool_info():
            if pool.get("internal_api") == "openblas":
                return f"OpenBLAS {pool.get('version')} {pool.get('architecture')} ({pool.get('num_threads')} threads)"
    except Exception:
        pass
    return "unknown (install threadpoolctl: bench/peers.sh)"


def im2col(x, k, s):
    """x: (n, h, w, c) channels last -> (n*h'*w', k*k*c), 'same' padding."""
    n, h, w, c = x.shape
    p = k // 2
    ho, wo = -(-h // s), -(-w // s)
    padded = np.pad(x, ((0, 0), (p, p), (p, p), (0, 0)))
    cols = np.empty((n, ho, wo, k, k, c), dtype=x.dtype)
    for i in range(k):
        for j in range(k):
            cols[:, :, :, i, j, :] = padded[:, i: i + s * ho: s, j: j + s * wo: s, :]
    return cols.reshape(n * ho * wo, k * k * c), (ho, wo)


def col2im(cols, shape, k, s, out_hw):
    n, h, w, c = shape
    p = k // 2
    ho, wo = out_hw
    cols = cols.reshape(n, ho, wo, k, k, c)
    padded = np.zeros((n, h + 2 * p, w + 2 * p, c), dtype=cols.dtype)
    for i in range(k):
        for j in range(k):
            padded[:, i: i + s * ho: s, j: j + s * wo: s, :] += cols[:, :, :, i, j, :]
    return padded[:, p: p + h, p: p + w, :]


def max_pool(x, size):
    """x: (n, h, w, c) -> (n, ceil(h/size), ceil(w/size), c); border windows cover what remains."""
    n, h, w, c = x.shape
    ho, wo = -(-h // size), -(-w // size)
    if (ho * size, wo * size) != (h, w):
        x = np.pad(x, ((0, 0), (0, ho * size - h), (0, wo * size - w), (0, 0)), constant_values=-np.inf)
    return x.reshape(n, ho, size, wo, size, c).max(axis=(2, 4))


def max_pool_backward(g, x, y, size):
    """Routes each output gradient to the positions of its window that hold the maximum."""
    n, h, w, c = x.shape
    ho, wo = y.shape[1], y.shape[2]
    up = np.repeat(np.repeat(y, size, axis=1), size, axis=2)[:, :h, :w, :]
    gup = np.repeat(np.repeat(g, size, axis=1), size, axis=2)[:, :h, :w, :]
    return gup * (x == up)


def numpy_network(layers, head, rng):
    params = []
    h, w, c, flat = 28, 28, 1, 784
    for layer in layers:
        if layer[0] == "pool":
            params.append(None)
            h, w = -(-h // layer[1]), -(-w // layer[1])
            flat = h * w * c
        elif layer[0] == "dense":
            fan_in = flat
            params.append([rng.standard_normal((fan_in, layer[1])).astype(np.float32) * np.float32(math.sqrt(2 / fan_in)),
                           np.zeros(layer[1], np.float32)])
            flat = layer[1]
        else:
            _, cout, k, s = layer
            fan_in = k * k * c
            params.append([rng.standard_normal((fan_in, cout)).astype(np.float32) * np.float32(math.sqrt(2 / fan_in)),
                           np.zeros(cout, np.float32)])
            h, w, c = -(-h // s), -(-w // s), cout
            flat = h * w * c
    features = c if head == "gap" else flat
    params.append([rng.standard_normal((features, 10)).astype(np.float32) * np.float32(math.sqrt(2 / features)),
                   np.zeros(10, np.float32)])
    return params


def numpy_forward(params, layers, head, x, keep):
    """Returns logits and, when keep, per-layer caches (input or im2col columns, pre-activation)."""
    caches = []
    x = x.reshape(len(x), 28, 28, 1) if layers and layers[0][0] == "conv" else x.reshape(len(x), -1)
    for param, layer in zip(params, layers):
        if layer[0] == "pool":
            y = max_pool(x, layer[1])
            caches.append((x, y, None, None))
            x = y
            continue
        weight, bias = param
        if layer[0] == "dense":
            z = x @ weight + bias
            caches.append((x, z, None, None))
        else:
            _, cout, k, s = layer
            cols, hw = im2col(x, k, s)
            z = cols @ weight + bias
            caches.append((cols, z, x.shape, hw))
            z = z.reshape(len(x), hw[0], hw[1], cout)
        x = np.maximum(z, 0)
    pre_head_shape = x.shape
    x = x.mean(axis=(1, 2)) if head == "gap" and x.ndim == 4 else x.reshape(len(x), -1)
    logits = x @ params[-1][0] + params[-1][1]
    return logits, (caches if keep else None), x, pre_head_shape


def numpy_step(params, velocity, layers, head, x, y, rate):
    logits, caches, features, pre_shape = numpy_forward(params, layers, head, x, True)
    logits = logits - logits.max(axis=1, keepdims=True)
    grad = np.exp(logits)
    grad /= grad.sum(axis=1, keepdims=True)
    n = len(x)
    grad[np.arange(n), y] -= 1
    grad /= n
    grads = [None] * len(params)
    grads[-1] = (features.T @ grad, grad.sum(axis=0))
    g = grad @ params[-1][0].T
    if head == "gap" and len(pre_shape) == 4:
        g = np.broadcast_to(g[:, None, None, :] / (pre_shape[1] * pre_shape[2]), pre_shape)
    for index in range(len(layers) - 1, -1, -1):
        layer = layers[index]
        if layer[0] == "pool":
            layer_input, pooled, _, _ = caches[index]
            g = max_pool_backward(g.reshape(pooled.shape), layer_input, pooled, layer[1])
            continue
        weight = params[index][0]
        layer_input, z, in_shape, hw = caches[index]
        gz = g.reshape(z.shape) * (z > 0)
        grads[index] = (layer_input.T @ gz, gz.sum(axis=0))
        if index > 0:
            g = gz @ weight.T
            if layer[0] == "conv":
                g = col2im(g, in_shape, layer[2], layer[3], hw)
    for index, (param, grad) in enumerate(zip(params, grads)):
        if param is None:
            continue
        (weight, bias), (gw, gb) = param, grad
        vw, vb = velocity[index]
        vw *= MOMENTUM
        vw += gw + DECAY * weight
        vb *= MOMENTUM
        vb += gb
        weight -= rate * vw
        bias -= rate * vb


def numpy_run(layers, head, batch):
    rng = np.random.default_rng(1)
    params = numpy_network(layers, head, rng)
    velocity = [None if p is None else [np.zeros_like(p[0]), np.zeros_like(p[1])] for p in params]
    count = len(train_x)
    steps = (count + batch - 1) // batch
    numpy_step(params, [None if p is None else [np.zeros_like(p[0]), np.zeros_like(p[1])] for p in params], layers, head,
               train_x[:batch], train_y[:batch], 0.0)  # warm-up, no update
    start = time.perf_counter()
    order = rng.permutation(count)
    for step in range(steps):
        index = order[step * batch: (step + 1) * batch]
        numpy_step(params, velocity, layers, head, train_x[index], train_y[index], cosine(step, steps))
    seconds = time.perf_counter() - start
    correct = 0
    for first in range(0, len(valid_x), 1000):
        logits = numpy_forward(params, layers, head, valid_x[first: first + 1000], False)[0]
        correct += int((logits.argmax(axis=1) == valid_y[first: first + 1000]).sum())
    return count / seconds, correct / len(valid_x)


# ----------------------------------------------------------------------------------------- torch
def torch_block(torch, c, cout, k, e, s):
    """The inverted residual block of layernas's mobilenet family (same layers, same costs)."""
    nn = torch.nn
    hidden = c * e

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.expand = nn.Sequential(nn.Conv2d(c, hidden, 1), nn.ReLU6()) if e > 1 else nn.Identity()
            self.depthwise = nn.Sequential(nn.Conv2d(hidden, hidden, k, stride=s, padding=k // 2, groups=hidden), nn.ReLU6())
            self.project = nn.Conv2d(hidden, cout, 1)
            self.residual = s == 1 and c == cout

        def forward(self, x):
            y = self.project(self.depthwise(self.expand(x)))
            return x + y if self.residual else y

    return Block()


def torch_run(torch, layers, head, batch):
    nn = torch.nn
    torch.manual_seed(1)
    modules, h, w, c, flat = [], 28, 28, 1, 784
    if layers[0][0] == "dense":
        modules.append(nn.Flatten())
    for layer in layers:
        if layer[0] == "dense":
            modules += [nn.Linear(flat, layer[1]), nn.ReLU()]
            flat = layer[1]
        elif layer[0] == "pool":
            modules.append(nn.MaxPool2d(layer[1], ceil_mode=True))
            h, w = -(-h // layer[1]), -(-w // layer[1])
            flat = h * w * c
        elif layer[0] == "block":
            _, cout, k, e, s = layer
            modules.append(torch_block(torch, c, cout, k, e, s))
            h, w, c = -(-h // s), -(-w // s), cout
            flat = h * w * c
        else:
            _, cout, k, s = layer
            modules += [nn.Conv2d(c, cout, k, stride=s, padding=k // 2), nn.ReLU()]
            h, w, c = -(-h // s), -(-w // s), cout
            flat = h * w * c
    if head == "gap":
        modules += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(c, 10)]
    else:
        modules += [nn.Flatten(), nn.Linear(flat, 10)] if layers[0][0] != "dense" else [nn.Linear(flat, 10)]
    model = nn.Sequential(*modules)
    for module in model.modules():
        if isinstance(module, (nn.Linear, nn.Conv2d)):
            nn.init.kaiming_normal_(module.weight, nonlinearity="relu")
            nn.init.zeros_(module.bias)
    # As layernas: a block's linear projection gets N(0, 1/fan_in), not He.
    for module in model.modules():
        if hasattr(module, "project"):
            nn.init.kaiming_normal_(module.project.weight, nonlinearity="linear")
    x_all = torch.from_numpy(train_x).reshape(-1, 1, 28, 28)
    y_all = torch.from_numpy(train_y)
    count = len(train_x)
    steps = (count + batch - 1) // batch
    optimizer = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM, weight_decay=DECAY)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: cosine(step, steps) / LR)
    loss_function = nn.CrossEntropyLoss()
    loss_function(model(x_all[:batch]), y_all[:batch]).backward()  # warm-up, no update
    optimizer.zero_grad(set_to_none=True)
    model.train()
    start = time.perf_counter()
    order = torch.randperm(count)
    for step in range(steps):
        index = order[step * batch: (step + 1) * batch]
        optimizer.zero_grad(set_to_none=True)
        loss = loss_function(model(x_all[index]), y_all[index])
        loss.backward()
        optimizer.step()
        schedule.step()
    seconds = time.perf_counter() - start
    model.eval()
    with torch.no_grad():
        predictions = model(torch.from_numpy(valid_x).reshape(-1, 1, 28, 28)).argmax(dim=1).numpy()
    return count / seconds, float((predictions == valid_y).mean())


def skip(reason):
    text = json.dumps({"framework": args.framework, "skipped": reason})
    if args.output:
        with open(args.output, "w") as handle:
            handle.write(text + "\n")
    print(text)
    sys.exit(3)


def main():
    result = {"framework": args.framework, "threads": args.threads, "train_subset": args.train_subset, "figures": []}
    if args.framework == "numpy":
        result["version"] = np.__version__
        result["kernel"] = numpy_kernel()
        run = numpy_run
    else:
        try:
            import torch
        except ImportError as error:
            skip(f"torch not importable ({error}); run make bench-peers")
        torch.set_num_threads(args.threads)
        result["version"] = torch.__version__
        capability = torch.backends.cpu.get_cpu_capability() if hasattr(torch.backends, "cpu") else "?"
        blas = "MKL" if torch.backends.mkl.is_available() else "no MKL"
        result["kernel"] = f"{capability}, {blas}, oneDNN {'on' if torch.backends.mkldnn.is_available() else 'off'}"
        run = lambda layers, head, batch: torch_run(torch, layers, head, batch)
    for name, layers, head, batch in NETWORKS:
        if args.framework == "numpy" and any(layer[0] == "block" for layer in layers):
            print(f"  numpy {name:32s} skipped (no depthwise convolution in the numpy peer)", file=sys.stderr)
            continue
        samples, accuracy = run(layers, head, batch)
        result["figures"].append({
            "name": name, "batch_size": batch, "samples_per_second": samples,
            "gflops": 6 * madds(layers, head) * samples / 1e9, "validation_accuracy": accuracy,
        })
        print(f"  {args.framework} {name:32s} batch {batch:4d}: {samples:8.0f} samples/s  val {accuracy:.3f}",
              file=sys.stderr)
    text = json.dumps(result, indent=2)
    if args.output:
        with open(args.output, "w") as handle:
            handle.write(text + "\n")
    print(text)


main()
