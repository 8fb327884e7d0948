#!/usr/bin/env python3
"""An external PyTorch trainer for layernas's `mobilenet` family: builds the network a candidate
describes, exactly as the built-in trainer does, and trains it on Fashion-MNIST.

    layernas search runs/mb.db --space examples/fashion-mobilenet.yaml \
        --evaluator 'command:python3 examples/mobilenet-trainer-torch.py' --budget 5

The request document (README, "External trainers") gives the network: `frame` holds the fixed
stem conv and the optional 1x1 head conv, each `layers` entry one inverted residual block
(`channels` 0: skipped; `kernel`, `expansion`, `stride`; `residual` says whether the block adds
its input). Built here as:

    stem:  Conv2d(k x k, stride, TensorFlow "SAME" padding) + ReLU
    block: [Conv2d 1x1 to c*e + ReLU6, unless e == 1] -> depthwise Conv2d k x k (groups = c*e,
           stride, SAME padding) + ReLU6 -> Conv2d 1x1 to channels (no activation) [+ input]
    head:  [Conv2d 1x1 + ReLU, if head_channels > 0] -> global average pool -> Linear(classes)

Every conv and the Linear have a bias, so the parameter count equals the request's
`costs.params` (the script checks it and reports it in `metrics.params`). Initialisation as in
layernas: He normal before ReLU/ReLU6, N(0, 1/fan_in) for projections and the classifier, zero
biases. Data: the first `train_subset` of the first 50,000 training images; the last 10,000
give the validation accuracy, which is the score. Needs torch and numpy; prints
{"error": ...} when the request is not a mobilenet.
"""

import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

DATA_DIR = os.environ.get("LAYERNAS_FASHION_MNIST", "/usr/share/datasets/fashion-mnist")
TRAIN_SPLIT = 50_000


def log(message):
    print(message, file=sys.stderr, flush=True)


def read_idx(name):
    with gzip.open(os.path.join(DATA_DIR, name), "rb") as stream:
        data = stream.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class SameConv(nn.Conv2d):
    """Conv2d with TensorFlow "SAME" padding: output side ceil(side / stride), the smaller half
    of the padding before (layernas's ConvGeometry)."""

    def forward(self, x):
        k, s = self.kernel_size[0], self.stride[0]
        pads = []
        for side in (x.shape[3], x.shape[2]):  # F.pad wants (left, right, top, bottom)
            out = -(-side // s)
            total = max((out - 1) * s + k - side, 0)
            pads += [total // 2, total - total // 2]
        return super().forward(F.pad(x, pads))


def init(conv, before_relu):
    fan_in = conv.weight[0].numel()
    nn.init.normal_(conv.weight, std=math.sqrt((2.0 if before_relu else 1.0) / fan_in))
    nn.init.zeros_(conv.bias)
    return conv


class Block(nn.Module):
    def __init__(self, cin, channels, kernel, expansion, stride):
        super().__init__()
        hidden = cin * expansion
        self.expand = init(nn.Conv2d(cin, hidden, 1), True) if expansion > 1 else None
        self.depthwise = init(SameConv(hidden, hidden, kernel, stride=stride, groups=hidden), True)
        self.project = init(nn.Conv2d(hidden, channels, 1), False)
        self.residual = stride == 1 and cin == channels

    def forward(self, x):
        e = F.relu6(self.expand(x)) if self.expand is not None else x
        y = self.project(F.relu6(self.depthwise(e)))
        return x + y if self.residual else y


class MobileNet(nn.Module):
    def __init__(self, request):
        super().__init__()
        frame = request["frame"]
        channels = request["input"]["channels"]
        self.stem = init(SameConv(channels, frame["stem_channels"], frame["stem_kernel"], stride=frame["stem_stride"]), True)
        channels = frame["stem_channels"]
        blocks = []
        for layer in request["layers"]:
            if layer["channels"] == 0:
                continue
            blocks.append(Block(channels, layer["channels"], layer["kernel"], layer["expansion"], layer["stride"]))
            channels = layer["channels"]
        self.blocks = nn.Sequential(*blocks)
        self.head_conv = init(nn.Conv2d(channels, frame["head_channels"], 1), True) if frame["head_channels"] > 0 else None
        features = frame["head_channels"] or channels
        self.classifier = nn.Linear(features, request["classes"])
        nn.init.normal_(self.classifier.weight, std=math.sqrt(1.0 / features))
        nn.init.zeros_(self.classifier.bias)

    def forward(self, x):
        x = self.blocks(F.relu(self.stem(x)))
        if self.head_conv is not None:
            x = F.relu(self.head_conv(x))
        return self.classifier(x.mean(dim=(2, 3)))


def learning_rate(recipe, step, total):
    base = recipe["learning_rate"]
    if recipe["schedule"] == "cosine":
        return base * 0.5 * (1 + math.cos(math.pi * step / max(total, 1)))
    if recipe["schedule"] == "step":
        return base * (0.1 if step >= 0.5 * total else 1.0) * (0.1 if step >= 0.75 * total else 1.0)
    return base


def main():
    request = json.load(sys.stdin)  # the same document is in $LAYERNAS_REQUEST
    if request["family"] != "mobilenet":
        print(json.dumps({"error": f"this trainer builds mobilenet spaces, not {request['family']}"}))
        return 0
    started = time.perf_counter()
    recipe = request["training"]
    torch.manual_seed(request["seed"])
    torch.set_num_threads(int(os.environ.get("LAYERNAS_THREADS", "2")))
    model = MobileNet(request)
    params = sum(p.numel() for p in model.parameters())
    if params != request["costs"]["params"]:
        print(json.dumps({"error": f"built {params} parameters, the request says {request['costs']['params']}"}))
        return 0

    images = torch.from_numpy(read_idx("train-images-idx3-ubyte.gz").astype(np.float32) / 255.0).unsqueeze(1)
    labels = torch.from_numpy(read_idx("train-labels-idx1-ubyte.gz").astype(np.int64))
    n = min(recipe.get("train_subset") or TRAIN_SPLIT, TRAIN_SPLIT)
    train_x, train_y = images[:n], labels[:n]
    valid_x, valid_y = images[TRAIN_SPLIT:], labels[TRAIN_SPLIT:]
    if recipe["optimizer"] == "adam":
        optimizer = torch.optim.Adam(model.parameters(), lr=recipe["learning_rate"], weight_decay=recipe["weight_decay"])
    else:
        optimizer = torch.optim.SGD(model.parameters(), lr=recipe["learning_rate"], momentum=recipe["momentum"],
                                    weight_decay=recipe["weight_decay"])
    batch = recipe["batch_size"]
    total = math.ceil(n / batch) * recipe["epochs"]
    log(f"arch {request['arch']}: {params} parameters, {n} training images, {recipe['epochs']} epochs")
    curve, step = [], 0
    for epoch in range(1, recipe["epochs"] + 1):
        epoch_start = time.perf_counter()
        model.train()
        order = torch.randperm(n)
        loss_sum, correct = 0.0, 0
        for start in range(0, n, batch):
            index = order[start:start + batch]
            for group in optimizer.param_groups:
                group["lr"] = learning_rate(recipe, step, total)
            step += 1
            logits = model(train_x[index])
            loss = F.cross_entropy(logits, train_y[index])
            if not math.isfinite(loss.item()):
                print(json.dumps({"error": f"training diverged at epoch {epoch}"}))
                return 0
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(index)
            correct += int((logits.argmax(dim=1) == train_y[index]).sum())
        model.eval()
        with torch.no_grad():
            valid = sum(int((model(valid_x[i:i + 1000]).argmax(dim=1) == valid_y[i:i + 1000]).sum())
                        for i in range(0, len(valid_x), 1000)) / len(valid_x)
        point = {"epoch": epoch, "train_loss": loss_sum / n, "train_accuracy": correct / n,
                 "validation_accuracy": valid, "seconds": time.perf_counter() - epoch_start}
        curve.append(point)
        log(f"epoch {epoch}: loss {point['train_loss']:.4f}, validation {valid:.4f}, {point['seconds']:.1f}s")
    torch.save(model.state_dict(), os.path.join(request["workdir"], "model.pt"))
    print(json.dumps({"score": curve[-1]["validation_accuracy"],
                      "metrics": {"params": params, "seconds": time.perf_counter() - started}, "curve": curve}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
