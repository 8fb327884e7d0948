#!/usr/bin/env python3
"""An external trainer for layernas: trains the MLP a candidate describes on Fashion-MNIST.

Use it with the `command:` evaluator (README, "External trainers"):

    layernas search runs/ext.db --space examples/external-mlp.yaml \
        --evaluator 'command:python3 examples/external-trainer.py' --budget 5

layernas runs this script once per candidate. The request (search, candidate id, attempt,
architecture key, every layer's chosen option, costs, seed, training recipe, working directory)
arrives as JSON on standard input, also in $LAYERNAS_REQUEST; the LAYERNAS_* variables repeat the
main fields. The script trains, saves the weights in $LAYERNAS_WORKDIR, and prints ONE JSON line
last on standard output:

    {"score": 0.84, "metrics": {...}, "curve": [{"epoch": 1, "train_loss": ..., ...}]}

Progress goes to standard error (layernas keeps it in stderr.log in the working directory).
Exiting with a non-zero status means "this may work if retried" (layernas retries up to
--retries); printing {"error": "..."} means "this candidate cannot be scored".

Data: Fashion-MNIST from the Debian package dataset-fashion-mnist (or the folder in
$LAYERNAS_FASHION_MNIST, as for the built-in trainer). Like
the built-in trainer, the first `train_subset` of the first 50,000 training images train and the
last 10,000 training images give the validation accuracy, which is the score. Only numpy is
needed; replace `train` with your PyTorch/JAX code and keep the protocol.
"""

import gzip
import json
import math
import os
import sys
import time

import numpy as np

DATA_DIR = os.environ.get("LAYERNAS_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")
TRAIN_SPLIT = 50_000


def log(message):
    print(message, file=sys.stderr, flush=True)


def read_idx(name, magic, item_shape):
    """Reads one gzip'd IDX file of the Fashion-MNIST distribution into a uint8 array."""
    with gzip.open(os.path.join(DATA_DIR, name), "rb") as stream:
        data = stream.read()
    header = 4 + 4 * (1 + len(item_shape))
    fields = np.frombuffer(data[:header], dtype=">u4")
    if fields[0] != magic or tuple(fields[2:]) != item_shape:
        raise ValueError(f"{name}: unexpected header {fields.tolist()}")
    count = int(fields[1])
    array = np.frombuffer(data[header:], dtype=np.uint8)
    if array.size != count * int(np.prod(item_shape, dtype=np.int64)):
        raise ValueError(f"{name}: expected {count} items, file is truncated")
    return array.reshape((count,) + item_shape)


def load_data(train_subset):
    images = read_idx("train-images-idx3-ubyte.gz", 2051, (28, 28))
    labels = read_idx("train-labels-idx1-ubyte.gz", 2049, ())
    images = images.reshape(len(images), -1).astype(np.float32) / 255.0
    labels = labels.astype(np.int64)
    n = min(train_subset or TRAIN_SPLIT, TRAIN_SPLIT)
    return (images[:n], labels[:n]), (images[TRAIN_SPLIT:], labels[TRAIN_SPLIT:])


def learning_rate(recipe, step, total):
    base = recipe["learning_rate"]
    schedule = recipe["schedule"]
    if schedule == "cosine":
        return base * 0.5 * (1 + math.cos(math.pi * step / max(total, 1)))
    if schedule == "step":
        return base * (0.1 if step >= 0.5 * total else 1.0) * (0.1 if step >= 0.75 * total else 1.0)
    return base


def forward(params, x):
    """Returns the activations of every layer; the last entry is the logits."""
    activations = [x]
    for index, (w, b) in enumerate(params):
        z = activations[-1] @ w + b
        activations.append(np.maximum(z, 0) if index < len(params) - 1 else z)
    return activations


def softmax_cross_entropy(logits, labels):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(len(labels)), labels].mean()
    probs = np.exp(log_probs)
    probs[np.arange(len(labels)), labels] -= 1
    return loss, probs / len(labels)


def accuracy(params, x, y, batch=2048):
    correct = 0
    for start in range(0, len(x), batch):
        logits = forward(params, x[start:start + batch])[-1]
        correct += int((logits.argmax(axis=1) == y[start:start + batch]).sum())
    return correct / len(x)


def train(request):
    """Trains the candidate's MLP with the request's recipe; returns (params, curve)."""
    recipe = request["training"]
    widths = [layer["units"] for layer in request["layers"] if layer.get("units")]
    (train_x, train_y), (valid_x, valid_y) = load_data(recipe.get("train_subset"))
    classes = request.get("classes") or 10
    sizes = [train_x.shape[1]] + widths + [classes]

    rng = np.random.default_rng(request["seed"])
    params = [(rng.standard_normal((m, n)).astype(np.float32) * np.float32(math.sqrt(2.0 / m)),
               np.zeros(n, dtype=np.float32)) for m, n in zip(sizes[:-1], sizes[1:])]
    state = [(np.zeros_like(w), np.zeros_like(b), np.zeros_like(w), np.zeros_like(b)) for w, b in params]
    batch = recipe["batch_size"]
    steps_per_epoch = math.ceil(len(train_x) / batch)
    total = steps_per_epoch * recipe["epochs"]
    decay, momentum = recipe["weight_decay"], recipe["momentum"]
    log(f"arch {request['arch']}: layers {sizes}, {len(train_x)} training images, {recipe['epochs']} epochs")

    curve, step = [], 0
    for epoch in range(1, recipe["epochs"] + 1):
        started = time.perf_counter()
        order = rng.permutation(len(train_x))
        losses, correct = [], 0
        for start in range(0, len(train_x), batch):
            index = order[start:start + batch]
            x, y = train_x[index], train_y[index]
            activations = forward(params, x)
            loss, grad = softmax_cross_entropy(activations[-1], y)
            if not math.isfinite(loss):
                raise FloatingPointError(f"loss is {loss} at epoch {epoch}")
            losses.append(loss)
            correct += int((activations[-1].argmax(axis=1) == y).sum())
            rate = learning_rate(recipe, step, total)
            step += 1
            for layer in reversed(range(len(params))):
                w, b = params[layer]
                grad_w = activations[layer].T @ grad + decay * w
                grad_b = grad.sum(axis=0)
                if layer > 0:
                    grad = (grad @ w.T) * (activations[layer] > 0)
                m_w, m_b, v_w, v_b = state[layer]
                if recipe["optimizer"] == "adam":
                    m_w[:] = 0.9 * m_w + 0.1 * grad_w
                    m_b[:] = 0.9 * m_b + 0.1 * grad_b
                    v_w[:] = 0.999 * v_w + 0.001 * grad_w ** 2
                    v_b[:] = 0.999 * v_b + 0.001 * grad_b ** 2
                    c1, c2 = 1 - 0.9 ** step, 1 - 0.999 ** step
                    w -= rate * (m_w / c1) / (np.sqrt(v_w / c2) + 1e-8)
                    b -= rate * (m_b / c1) / (np.sqrt(v_b / c2) + 1e-8)
                else:
                    m_w[:] = momentum * m_w + grad_w
                    m_b[:] = momentum * m_b + grad_b
                    w -= rate * m_w
                    b -= rate * m_b
        point = {
            "epoch": epoch,
            "train_loss": float(np.mean(losses)),
            "train_accuracy": correct / len(train_x),
            "validation_accuracy": accuracy(params, valid_x, valid_y),
            "seconds": time.perf_counter() - started,
        }
        curve.append(point)
        log(f"epoch {epoch}: loss {point['train_loss']:.4f}, train {point['train_accuracy']:.4f}, "
            f"validation {point['validation_accuracy']:.4f}, {point['seconds']:.2f}s")
    return params, curve


def main():
    request = json.load(sys.stdin)  # the same document is in $LAYERNAS_REQUEST
    if request["family"] != "mlp":
        print(json.dumps({"error": f"this trainer builds mlp spaces, not {request['family']}"}))
        return 0
    started = time.perf_counter()
    try:
        params, curve = train(request)
    except FloatingPointError as error:
        # Diverged: retrying the same seed would diverge again, so report a permanent failure.
        print(json.dumps({"error": f"training diverged: {error}"}))
        return 0
    workdir = request["workdir"]
    np.savez(os.path.join(workdir, "model.npz"), *[array for pair in params for array in pair])
    result = {
        "score": curve[-1]["validation_accuracy"],
        "metrics": {
            "train_loss": curve[-1]["train_loss"],
            "train_accuracy": curve[-1]["train_accuracy"],
            "seconds": time.perf_counter() - started,
        },
        "curve": curve,
    }
    print(json.dumps(result))  # the result: the last line on standard output
    return 0


if __name__ == "__main__":
    sys.exit(main())
